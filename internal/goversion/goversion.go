// Package goversion parses the version words users type and pin ("1.22.5",
// "go1.22", "1.22.x", "latest", "oldstable", "^1.21", "1.23.0-rc.1") and
// picks the release a word names from a list of candidates. It is the one
// parser for every place gover reads a word: the command line, pin files,
// gover ci and the Action's input, mirror sync --versions.
//
// Versions are always handled in the go command's own spelling ("go1.22.5",
// "go1.23rc1", "go1.20") and compared with the standard library's go/version,
// never with semver: setup-go's semver ranges are read by a small
// node-semver parser (range.go) whose bounds are Go versions. The package
// imports nothing heavy: the shim uses it on every go call, and an exact
// word never reaches the range parser.
package goversion

import (
	"errors"
	"go/version"
	"strconv"
	"strings"
)

// Kind says what a Word asks for.
type Kind int

const (
	// Exact names one release: "go1.22.5", "go1.23rc1", "go1.20".
	Exact Kind = iota
	// Line names a minor release line: "1.22", "1.22.x" or asdf's
	// "latest:1.22" is the newest stable go1.22.x (go1.20 itself counts as
	// part of the 1.20 line).
	Line
	// Latest is the newest stable release ("latest" or "stable").
	Latest
	// OldStable is setup-go's "oldstable": the newest stable release of
	// the line before the newest stable line.
	OldStable
	// Range is a semver range as setup-go reads one ("^1.21", "~1.24.1",
	// ">=1.22.0 <1.24.0", "1.x", "1"): the newest release in it. Ranges
	// take stable releases only, unless one of their bounds names a
	// pre-release of the same release (as node-semver does).
	Range
	// AtLeast is the go line of a go.mod or go.work: a minimum. It is not
	// typed by users; MinimumOf makes one. Of the candidates at or above
	// it, the newest of its own line wins, else the newest of the lowest
	// newer line: the closest language to the one the module asks for.
	AtLeast
)

// A Word is a parsed version word.
type Word struct {
	Kind Kind
	// Version is "go1.22.5" for Exact, "go1.22" for Line and the minimum
	// ("go1.23.0", "go1.21") for AtLeast; empty otherwise.
	Version string
	// Range is the range as written, blanks collapsed (Kind Range only).
	Range string
}

// Forms lists the accepted spellings, for error messages.
const Forms = "1.22.5, go1.22.5, v1.22.5, 1.22, 1.22.x, 1.23rc1, 1.23.0-rc.1, latest, stable, oldstable, or a range such as ^1.21, ~1.22.3, >=1.21 <1.23, 1.x"

// ErrInvalid is wrapped by every parse error.
var ErrInvalid = errors.New("not a Go version")

// A ParseError reports a word that is not a version word.
type ParseError struct {
	Word string
	// Reason says what is wrong, when more can be said than "not a Go version".
	Reason string
}

func (e *ParseError) Error() string {
	if e.Reason != "" {
		return strconv.Quote(e.Word) + " is not a Go version: " + e.Reason + " (accepted: " + Forms + ")"
	}
	return strconv.Quote(e.Word) + " is not a Go version (accepted: " + Forms + ")"
}

func (e *ParseError) Unwrap() error { return ErrInvalid }

// Parse reads a version word. Surrounding blanks are ignored.
func Parse(s string) (Word, error) {
	w := strings.TrimSpace(s)
	if isRangeText(w) {
		return parseRange(s, w)
	}
	switch strings.ToLower(w) {
	case "latest", "stable":
		return Word{Kind: Latest}, nil
	case "oldstable":
		return Word{Kind: OldStable}, nil
	}
	if prefix, ok := strings.CutPrefix(w, "latest:"); ok {
		// asdf: the newest version whose name starts with prefix.
		return parseLatestPrefix(s, prefix)
	}
	v, ok := goSpelling(w)
	if !ok {
		return Word{}, &ParseError{Word: s}
	}
	if line, ok := cutWildcard(v); ok {
		if isLine(line) {
			return Word{Kind: Line, Version: line}, nil
		}
		return Word{}, &ParseError{Word: s}
	}
	if isLine(v) {
		return Word{Kind: Line, Version: v}, nil
	}
	if !isRelease(v) {
		return Word{}, &ParseError{Word: s}
	}
	return Word{Kind: Exact, Version: release(v)}, nil
}

// goSpelling turns the ways a single version is written into the go
// command's: "1.22.5", "go1.22.5" and "v1.22.5" (mise, Git tags) all give
// "go1.22.5"; setup-go's semver pre-releases "1.23.0-rc.1" and
// "1.23.0-beta.1" give "go1.23rc1" and "go1.23beta1".
func goSpelling(w string) (string, bool) {
	v := w
	switch {
	case strings.HasPrefix(v, "go"):
		v = v[2:]
	case strings.HasPrefix(v, "v"):
		v = v[1:]
	}
	if main, pre, ok := strings.Cut(v, "-"); ok {
		p, ok := semverPre(pre)
		if !ok {
			return "", false
		}
		// 1.23.0-rc.1 is go1.23rc1: Go names a minor's first
		// pre-releases without the .0.
		main = strings.TrimSuffix(main, ".0")
		v = main + p
	}
	return "go" + v, true
}

// semverPre turns a semver pre-release ("rc.1", "beta.2", "rc1") into Go's
// suffix ("rc1", "beta2").
func semverPre(pre string) (string, bool) {
	for _, kind := range []string{"rc", "beta"} {
		if n, ok := strings.CutPrefix(pre, kind); ok {
			n = strings.TrimPrefix(n, ".")
			if isNumber(n) {
				return kind + n, true
			}
		}
	}
	return "", false
}

// release spells an exact release the way Go named it: before Go 1.21 the
// first release of a line was "go1.N", never "go1.N.0".
func release(v string) string {
	if base, ok := strings.CutSuffix(v, ".0"); ok && isLine(base) && version.Compare(base, "go1.21") < 0 {
		return base
	}
	return v
}

// cutWildcard cuts a trailing ".x", ".X" or ".*" (1.22.x).
func cutWildcard(v string) (string, bool) {
	for _, suffix := range []string{".x", ".X", ".*"} {
		if base, ok := strings.CutSuffix(v, suffix); ok {
			return base, true
		}
	}
	return v, false
}

// parseLatestPrefix reads asdf's "latest:PREFIX": the newest stable
// release whose version starts with PREFIX, which for Go is a line
// ("latest:1.22"), every Go 1 release ("latest:1") or one release.
func parseLatestPrefix(s, prefix string) (Word, error) {
	if prefix == "1" {
		return parseRange(s, "1.x")
	}
	w, err := Parse(prefix)
	if err != nil || (w.Kind != Line && w.Kind != Exact) {
		return Word{}, &ParseError{Word: s, Reason: "asdf's latest: takes a version prefix such as 1.22"}
	}
	return w, nil
}

// MinimumOf reads the version of a go.mod or go.work go line ("1.23.0",
// "1.21", "1.20", "1.23rc1") as the minimum it is.
func MinimumOf(goLine string) (Word, error) {
	v := "go" + goLine
	if !isRelease(v) {
		return Word{}, &ParseError{Word: goLine}
	}
	return Word{Kind: AtLeast, Version: release(v)}, nil
}

// MustParse is Parse for words known to be valid, as in tests and tables.
func MustParse(s string) Word {
	w, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return w
}

func isNumber(s string) bool {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isLine reports whether v is "go1.N" with no patch and no pre-release.
func isLine(v string) bool {
	rest, ok := strings.CutPrefix(v, "go1.")
	return ok && isNumber(rest)
}

// isRelease reports whether v is spelled like a Go 1 release:
// go1.N, go1.N.P, go1.NrcK, go1.NbetaK or go1.N.PrcK (numbers without
// leading zeros). go/version alone accepts "go1" and "go1.22rc".
func isRelease(v string) bool {
	rest, ok := strings.CutPrefix(v, "go1.")
	if !ok {
		return false
	}
	num := func() bool {
		n := 0
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		ok := isNumber(rest[:n])
		rest = rest[n:]
		return ok
	}
	if !num() {
		return false
	}
	if r, ok := strings.CutPrefix(rest, "."); ok {
		rest = r
		if !num() {
			return false
		}
	}
	for _, pre := range []string{"rc", "beta"} {
		if r, ok := strings.CutPrefix(rest, pre); ok {
			rest = r
			return num() && rest == "" && version.IsValid(v)
		}
	}
	return rest == "" && version.IsValid(v)
}

// String spells the word back the way users write it.
func (w Word) String() string {
	switch w.Kind {
	case Latest:
		return "latest"
	case OldStable:
		return "oldstable"
	case Line:
		return w.Version + ".x"
	case Range:
		return w.Range
	case AtLeast:
		return w.Version + " or newer"
	}
	return w.Version
}

// Matches reports whether the release v (in "go1.22.5" form) satisfies w
// by itself. Latest and OldStable depend on the other candidates: for them
// Matches only says that v could be picked (it is a stable release).
func (w Word) Matches(v string) bool {
	switch w.Kind {
	case Exact:
		return v == w.Version
	case Line:
		return IsStable(v) && version.Lang(v) == w.Version
	case Range:
		r, err := compileRange(w.Range)
		return err == nil && r.matches(v)
	case AtLeast:
		return atLeast(w.Version, v)
	}
	return IsStable(v)
}

// atLeast reports whether v satisfies the minimum min: a release at or
// above it, stable unless it is a pre-release of min's own line.
func atLeast(min, v string) bool {
	return isRelease(v) && version.Compare(v, min) >= 0 && (IsStable(v) || version.Lang(v) == version.Lang(min))
}

// Pick returns the candidate w names: the newest that matches, except for
// OldStable (the newest of the line before the newest stable line) and
// AtLeast (the closest line at or above the minimum, then its newest).
func (w Word) Pick(candidates []string) (string, bool) {
	match := w.Matches
	switch w.Kind {
	case Range:
		r, err := compileRange(w.Range)
		if err != nil {
			return "", false
		}
		match = r.matches
	case OldStable:
		newest, ok := Word{Kind: Latest}.Pick(candidates)
		if !ok {
			return "", false
		}
		prev, ok := previousLine(version.Lang(newest))
		if !ok {
			return "", false
		}
		return Word{Kind: Line, Version: prev}.Pick(candidates)
	case AtLeast:
		return pickAtLeast(w.Version, candidates)
	}
	return newest(candidates, match)
}

// newest returns the newest candidate that match accepts.
func newest(candidates []string, match func(string) bool) (string, bool) {
	best := ""
	for _, c := range candidates {
		if match(c) && (best == "" || version.Compare(c, best) > 0) {
			best = c
		}
	}
	return best, best != ""
}

// pickAtLeast picks for a minimum: the newest release of min's own line at
// or above it; else the newest stable release of the lowest newer line.
func pickAtLeast(min string, candidates []string) (string, bool) {
	lang := version.Lang(min)
	if v, ok := newest(candidates, func(c string) bool {
		return atLeast(min, c) && version.Lang(c) == lang && IsStable(c)
	}); ok {
		return v, true
	}
	if v, ok := newest(candidates, func(c string) bool { return atLeast(min, c) && version.Lang(c) == lang }); ok {
		return v, true
	}
	line := ""
	for _, c := range candidates {
		if atLeast(min, c) && IsStable(c) && (line == "" || version.Compare(version.Lang(c), line) < 0) {
			line = version.Lang(c)
		}
	}
	if line == "" {
		return "", false
	}
	return Word{Kind: Line, Version: line}.Pick(candidates)
}

// previousLine returns the release line before line: "go1.21" for "go1.22".
func previousLine(line string) (string, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(line, "go1."))
	if err != nil || n < 1 {
		return "", false
	}
	return "go1." + strconv.Itoa(n-1), true
}

// IsStable reports whether v is a release rather than a beta or rc.
func IsStable(v string) bool {
	return isRelease(v) && !strings.Contains(v, "rc") && !strings.Contains(v, "beta")
}

// Compare compares two "go1.x" versions like go/version.Compare.
func Compare(a, b string) int { return version.Compare(a, b) }

// Lang returns the release line of v: "go1.22" for "go1.22.5".
func Lang(v string) string { return version.Lang(v) }

// IsValid reports whether v is a release name such as "go1.22.5".
func IsValid(v string) bool { return isRelease(v) }
