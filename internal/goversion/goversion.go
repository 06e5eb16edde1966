// Package goversion parses the version words users type and pin ("1.22.5",
// "go1.22", "1.22.x", "latest", "1.23rc1") and picks the version a word names
// from a list of candidates.
//
// Versions are always handled in the go command's own spelling ("go1.22.5",
// "go1.23rc1", "go1.20") and compared with the standard library's go/version,
// never with semver. The package imports nothing heavy: the shim uses it on
// every go call.
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
	// Line names a minor release line: "1.22" or "1.22.x" is the newest
	// stable go1.22.x (go1.20 itself counts as part of the 1.20 line).
	Line
	// Latest is the newest stable release ("latest" or "stable").
	Latest
)

// A Word is a parsed version word.
type Word struct {
	Kind Kind
	// Version is "go1.22.5" for Exact and "go1.22" for Line; empty for Latest.
	Version string
}

// Forms lists the accepted spellings, for error messages.
const Forms = "1.22.5, go1.22.5, 1.22, 1.22.x, 1.23rc1, latest or stable"

// ErrInvalid is wrapped by every parse error.
var ErrInvalid = errors.New("not a Go version")

// A ParseError reports a word that is not a version word.
type ParseError struct {
	Word string
}

func (e *ParseError) Error() string {
	return strconv.Quote(e.Word) + " is not a Go version (accepted: " + Forms + ")"
}

func (e *ParseError) Unwrap() error { return ErrInvalid }

// Parse reads a version word. Surrounding blanks are ignored.
func Parse(s string) (Word, error) {
	w := strings.TrimSpace(s)
	switch strings.ToLower(w) {
	case "latest", "stable":
		return Word{Kind: Latest}, nil
	}
	v := w
	if !strings.HasPrefix(v, "go") {
		v = "go" + v
	}
	if line, ok := strings.CutSuffix(v, ".x"); ok {
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
	// Before Go 1.21 the first release of a line was "go1.N", never
	// "go1.N.0"; accept the latter as a spelling of the former.
	if base, ok := strings.CutSuffix(v, ".0"); ok && isLine(base) && version.Compare(base, "go1.21") < 0 {
		v = base
	}
	return Word{Kind: Exact, Version: v}, nil
}

// MustParse is Parse for words known to be valid, as in tests and tables.
func MustParse(s string) Word {
	w, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return w
}

// isLine reports whether v is "go1.N" with no patch and no pre-release.
func isLine(v string) bool {
	rest, ok := strings.CutPrefix(v, "go1.")
	if !ok || rest == "" {
		return false
	}
	for i := 0; i < len(rest); i++ {
		if rest[i] < '0' || rest[i] > '9' {
			return false
		}
	}
	return len(rest) == 1 || rest[0] != '0'
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
		ok := n > 0 && (n == 1 || rest[0] != '0')
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
	case Line:
		return w.Version + ".x"
	}
	return w.Version
}

// Matches reports whether the release v (in "go1.22.5" form) satisfies w.
func (w Word) Matches(v string) bool {
	switch w.Kind {
	case Exact:
		return v == w.Version
	case Line:
		return IsStable(v) && version.Lang(v) == w.Version
	}
	return IsStable(v)
}

// Pick returns the newest of candidates that satisfies w.
func (w Word) Pick(candidates []string) (string, bool) {
	best := ""
	for _, c := range candidates {
		if w.Matches(c) && (best == "" || version.Compare(c, best) > 0) {
			best = c
		}
	}
	return best, best != ""
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
