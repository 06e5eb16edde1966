package mirror

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/goversion"
)

// A Selector picks releases for a mirror: the union of its terms, each a
// version word ("1.22.5", "1.22", "latest", "1.23rc1": the release that
// word names, as 'gover install' would pick it) or a range of one or more
// comparisons that must all hold (">=1.21", ">=1.21 <1.23"). Ranges take
// every stable release in them; pre-releases only come by name.
type Selector struct {
	terms []term
}

type term struct {
	text  string
	word  *goversion.Word // a word, or
	conds []cond          // a range
}

// A cond compares a release with a bound. A bound naming a line ("1.22")
// compares release lines, so "<=1.22" takes go1.22.5 and ">1.21" starts
// at go1.22.0; a bound naming a release ("1.21.3") compares releases.
type cond struct {
	op    string // ">=", "<=", ">" or "<"
	bound string // "go1.22" or "go1.21.3"
	line  bool
}

// ParseVersions reads a --versions value: terms separated by commas.
func ParseVersions(s string) (Selector, error) {
	var sel Selector
	for _, t := range strings.Split(s, ",") {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		parsed, err := parseTerm(t)
		if err != nil {
			return Selector{}, fmt.Errorf("--versions %q: %w (use version words like 1.22.5, 1.22 or latest, or ranges like >=1.21 or \">=1.21 <1.23\")", t, err)
		}
		sel.terms = append(sel.terms, parsed)
	}
	if len(sel.terms) == 0 {
		return Selector{}, fmt.Errorf("--versions %q names no version (use e.g. latest, 1.22 or >=1.21)", s)
	}
	return sel, nil
}

func parseTerm(t string) (term, error) {
	if !strings.ContainsAny(t, "<>=") {
		w, err := goversion.Parse(t)
		if err != nil {
			return term{}, err
		}
		return term{text: t, word: &w}, nil
	}
	out := term{text: t}
	for _, f := range strings.Fields(t) {
		op := ""
		for _, o := range []string{">=", "<=", ">", "<"} {
			if strings.HasPrefix(f, o) {
				op = o
				break
			}
		}
		if op == "" {
			return term{}, fmt.Errorf("%q is not a comparison (>=, <=, > or <, then a version)", f)
		}
		w, err := goversion.Parse(strings.TrimPrefix(f, op))
		if err != nil {
			return term{}, err
		}
		if w.Kind == goversion.Latest {
			return term{}, fmt.Errorf("%q compares with latest, which is not a version", f)
		}
		out.conds = append(out.conds, cond{op: op, bound: w.Version, line: w.Kind == goversion.Line})
	}
	return out, nil
}

func (c cond) holds(v string) bool {
	if c.line {
		v = goversion.Lang(v)
	}
	n := goversion.Compare(v, c.bound)
	switch c.op {
	case ">=":
		return n >= 0
	case "<=":
		return n <= 0
	case ">":
		return n > 0
	}
	return n < 0
}

// String spells the selector back as it was given.
func (s Selector) String() string {
	texts := make([]string, len(s.terms))
	for i, t := range s.terms {
		texts[i] = t.text
	}
	return strings.Join(texts, ",")
}

// Select returns the releases s picks from a source's list, newest first,
// and the terms that picked nothing.
func (s Selector) Select(releases []installer.Release) (versions, missed []string) {
	names := make([]string, len(releases))
	for i, r := range releases {
		names[i] = r.Version
	}
	seen := map[string]bool{}
	add := func(v string) {
		if !seen[v] {
			seen[v] = true
			versions = append(versions, v)
		}
	}
	for _, t := range s.terms {
		found := false
		if t.word != nil {
			if v, ok := t.word.Pick(names); ok {
				add(v)
				found = true
			}
		} else {
			for _, r := range releases {
				if r.Stable && goversion.IsStable(r.Version) && all(t.conds, r.Version) {
					add(r.Version)
					found = true
				}
			}
		}
		if !found {
			missed = append(missed, t.text)
		}
	}
	slices.SortFunc(versions, func(a, b string) int { return goversion.Compare(b, a) })
	return versions, missed
}

func all(conds []cond, v string) bool {
	for _, c := range conds {
		if !c.holds(v) {
			return false
		}
	}
	return true
}

// ParsePlatforms reads a --platforms value: GOOS/GOARCH pairs separated by
// commas, in Go's spelling ("linux/arm", not armv6l). Whether a pair is a
// real platform is the caller's check.
func ParsePlatforms(s string) ([]installer.Platform, error) {
	var out []installer.Platform
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		goos, goarch, ok := strings.Cut(f, "/")
		if !ok || goos == "" || goarch == "" || strings.Contains(goarch, "/") {
			return nil, fmt.Errorf("--platforms %q: want GOOS/GOARCH, e.g. linux/amd64,darwin/arm64", f)
		}
		p := installer.Platform{OS: goos, Arch: goarch}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--platforms %q names no platform (e.g. linux/amd64,darwin/arm64)", s)
	}
	return out, nil
}

// A Format is a layout a mirror publishes.
type Format string

const (
	// Archive is the official layout: archives, .sha256, .asc and index.json.
	Archive Format = "archive"
	// Module is the module proxy layout of golang.org/toolchain, with the
	// checksum database's answers for it.
	Module Format = "module"
)

// ParseFormats reads a --formats value.
func ParseFormats(s string) ([]Format, error) {
	var out []Format
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		switch Format(f) {
		case Archive, Module:
			if !slices.Contains(out, Format(f)) {
				out = append(out, Format(f))
			}
		default:
			return nil, fmt.Errorf("--formats %q: not a format (use archive, module, or both: archive,module)", f)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--formats %q names no format (use archive, module, or both)", s)
	}
	return out, nil
}
