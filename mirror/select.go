package mirror

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/goversion"
)

// A Selector picks releases for a mirror: the union of its terms, each a
// version word as every gover command reads it (goversion.Parse): a word
// that names one release ("1.22.5", "1.22", "latest", "oldstable",
// "1.23rc1") takes the release 'gover install' would pick; a range
// (">=1.21", ">=1.21 <1.23", "^1.22", "~1.21.3") takes every release in it,
// stable ones unless a bound names a pre-release.
type Selector struct {
	terms []term
}

type term struct {
	text string
	word goversion.Word
}

// ParseVersions reads a --versions value: terms separated by commas (so
// within one range, comparisons are separated by blanks).
func ParseVersions(s string) (Selector, error) {
	var sel Selector
	for _, t := range strings.Split(s, ",") {
		t = strings.TrimSpace(t)
		if t == "" {
			continue
		}
		w, err := goversion.Parse(t)
		if err != nil {
			return Selector{}, fmt.Errorf("--versions %q: %w (use version words like 1.22.5, 1.22 or latest, or ranges like >=1.21 or \">=1.21 <1.23\")", t, err)
		}
		sel.terms = append(sel.terms, term{text: t, word: w})
	}
	if len(sel.terms) == 0 {
		return Selector{}, fmt.Errorf("--versions %q names no version (use e.g. latest, 1.22 or >=1.21)", s)
	}
	return sel, nil
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
		if t.word.Kind == goversion.Range {
			for _, r := range releases {
				if (r.Stable || !goversion.IsStable(r.Version)) && t.word.Matches(r.Version) {
					add(r.Version)
					found = true
				}
			}
		} else if v, ok := t.word.Pick(names); ok {
			add(v)
			found = true
		}
		if !found {
			missed = append(missed, t.text)
		}
	}
	slices.SortFunc(versions, func(a, b string) int { return goversion.Compare(b, a) })
	return versions, missed
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
