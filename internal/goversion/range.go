package goversion

import (
	"go/version"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Ranges are read as node-semver reads them (setup-go resolves its
// go-version input with node-semver): "||" between alternatives, blanks or
// commas between comparisons that must all hold, "a - b" hyphen ranges,
// x-ranges ("1.x", "1.22.*", "1"), ~ and ^, and the comparison operators.
// Each bound becomes a Go version and go/version does every comparison:
// "<1.24" is "below go1.24", the language version that sorts before
// go1.24rc1, just as node-semver's "<1.24.0-0" sorts before 1.24.0-rc.1.

// A comparison is one bound of a range.
type comparison struct {
	op    string // ">=", ">", "<", "<=" or "="
	bound string // a Go version: "go1.22.0", "go1.24" (below every 1.24 release), "go1.23rc1"
	// pre is set when the bound was written as a pre-release: the
	// release it precedes ("go1.23" for 1.23.0-rc.1). Pre-releases of that
	// release may then match the whole set.
	pre string
}

func (c comparison) holds(v string) bool {
	n := version.Compare(v, c.bound)
	switch c.op {
	case ">=":
		return n >= 0
	case ">":
		return n > 0
	case "<=":
		return n <= 0
	case "<":
		return n < 0
	case "=":
		return n == 0
	}
	return false // "never": a bound nothing satisfies ("<*")
}

// A goRange is alternatives of comparisons that must all hold.
type goRange [][]comparison

func (r goRange) matches(v string) bool {
	if !isRelease(v) {
		return false
	}
	stable := IsStable(v)
	for _, set := range r {
		ok, preAllowed := true, stable
		for _, c := range set {
			ok = ok && c.holds(v)
			preAllowed = preAllowed || c.pre != "" && c.pre == preBase(v)
		}
		if ok && preAllowed {
			return true
		}
	}
	return false
}

// preBase is the release a pre-release precedes: "go1.23" for go1.23rc1.
func preBase(v string) string {
	if i := strings.Index(v, "rc"); i > 0 {
		return v[:i]
	}
	if i := strings.Index(v, "beta"); i > 0 {
		return v[:i]
	}
	return v
}

// isRangeText reports whether w is written as a range rather than as one
// release or line: it has an operator or a blank, or it names a whole
// major version ("1", "1.x", "v1", "*").
func isRangeText(w string) bool {
	if strings.ContainsAny(w, "<>=^~|, \t") {
		return true
	}
	if strings.HasPrefix(w, "go") {
		return false // "go1" is Go 1's first release, not every Go 1
	}
	v := strings.TrimPrefix(w, "v")
	for {
		base, ok := cutWildcard(v)
		if !ok {
			break
		}
		v = base
	}
	return v == "*" || v == "x" || v == "X" || isNumber(v)
}

func trimVersionPrefix(v string) string {
	if s, ok := strings.CutPrefix(v, "go"); ok {
		return s
	}
	return strings.TrimPrefix(v, "v")
}

func parseRange(orig, w string) (Word, error) {
	text := strings.Join(strings.Fields(w), " ")
	if _, err := compileRange(text); err != nil {
		return Word{}, &ParseError{Word: orig, Reason: err.Error()}
	}
	return Word{Kind: Range, Range: text}, nil
}

// MaxQuoted is how many bytes of a word any message quotes: a word may
// come from anyone's pin file, and the message must stay short.
const MaxQuoted = 32

// Quote quotes s with Go escapes (control characters included), cut after
// MaxQuoted bytes on a rune boundary with "…" after the closing quote.
func Quote(s string) string {
	if len(s) <= MaxQuoted {
		return strconv.Quote(s)
	}
	cut := MaxQuoted
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}

type rangeError string

func (e rangeError) Error() string { return string(e) }

// compileRange parses a range's text into comparisons.
func compileRange(text string) (goRange, error) {
	var r goRange
	for _, alt := range strings.Split(text, "||") {
		set, err := compileSet(alt)
		if err != nil {
			return nil, err
		}
		r = append(r, set)
	}
	return r, nil
}

var ops = []string{">=", "<=", "~>", ">", "<", "=", "^", "~"}

// compileSet parses comparisons that must all hold: "^1.21",
// ">= 1.22.0, <1.24", "1.21 - 1.23".
func compileSet(text string) ([]comparison, error) {
	// An operator may be followed by blanks (">= 1.22"): join them.
	fields := strings.Fields(strings.ReplaceAll(text, ",", " "))
	var tokens []string
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if isOp(f) && i+1 < len(fields) {
			f += fields[i+1]
			i++
		}
		tokens = append(tokens, f)
	}
	if len(tokens) == 0 {
		return nil, rangeError("an empty range")
	}
	if len(tokens) == 3 && tokens[1] == "-" {
		lo, err := parsePartial(tokens[0])
		if err != nil {
			return nil, err
		}
		hi, err := parsePartial(tokens[2])
		if err != nil {
			return nil, err
		}
		return append(lo.desugar(">="), hi.desugar("<=")...), nil
	}
	var set []comparison
	for _, t := range tokens {
		op := ""
		for _, o := range ops {
			if strings.HasPrefix(t, o) {
				op = o
				break
			}
		}
		p, err := parsePartial(t[len(op):])
		if err != nil {
			return nil, err
		}
		set = append(set, p.desugar(op)...)
	}
	return set, nil
}

func isOp(f string) bool {
	for _, o := range ops {
		if f == o {
			return true
		}
	}
	return false
}

// A partial is a version in a range, with n of its three numbers given:
// "1.22" has n=2, "1.x" and "1" n=1, "*" n=0.
type partial struct {
	major, minor, patch int
	n                   int
	pre                 string // Go's spelling: "rc1", "beta2"
}

func parsePartial(s string) (partial, error) {
	bad := func(why string) (partial, error) {
		return partial{}, rangeError(Quote(s) + " " + why)
	}
	if s == "" {
		return bad("is an operator without a version")
	}
	v := trimVersionPrefix(s)
	var p partial
	if main, pre, ok := strings.Cut(v, "-"); ok {
		goPre, ok := semverPre(pre)
		if !ok {
			return bad("has a pre-release Go never had (Go has rc.N and beta.N)")
		}
		v, p.pre = main, goPre
	} else {
		for _, kind := range []string{"rc", "beta"} {
			if i := strings.Index(v, kind); i > 0 {
				if !isNumber(v[i+len(kind):]) {
					return bad("is not a version")
				}
				v, p.pre = v[:i], v[i:]
				break
			}
		}
	}
	parts := strings.Split(v, ".")
	if len(parts) > 3 {
		return bad("has more than three numbers")
	}
	nums := []*int{&p.major, &p.minor, &p.patch}
	wild := false
	for i, part := range parts {
		switch {
		case part == "x" || part == "X" || part == "*":
			wild = true
		case wild:
			return bad("has a number after a wildcard")
		case isNumber(part):
			n, err := strconv.Atoi(part)
			if err != nil {
				return bad("is not a version")
			}
			*nums[i] = n
			p.n = i + 1
		default:
			return bad("is not a version")
		}
	}
	if p.pre != "" && (p.n < 2 || p.patch != 0) {
		return bad("names a pre-release Go never had (pre-releases are of a minor's first release, e.g. 1.23.0-rc.1)")
	}
	if p.pre != "" {
		p.n = 3
	}
	return p, nil
}

// goVersion spells major.minor.patch (with the pre-release) as Go does.
func (p partial) goVersion(major, minor, patch int) string {
	v := "go" + strconv.Itoa(major) + "." + strconv.Itoa(minor)
	if p.pre != "" {
		return v + p.pre
	}
	return v + "." + strconv.Itoa(patch)
}

// below is the bound under every release of major.minor (and its
// pre-releases): node-semver's "major.minor.0-0".
func below(major, minor int) string {
	if minor == 0 {
		return "go" + strconv.Itoa(major)
	}
	return "go" + strconv.Itoa(major) + "." + strconv.Itoa(minor)
}

// desugar turns an operator and a partial into plain comparisons, by
// node-semver's rules ("^1.21" is ">=1.21.0 <2.0.0-0", "<=1.22" is
// "<1.23.0-0", ">1.22" is ">=1.23.0"). A major version 0 never names a Go
// release, so "^0.x" is read like "~0.x".
func (p partial) desugar(op string) []comparison {
	exact := comparison{bound: p.goVersion(p.major, p.minor, p.patch)}
	if p.pre != "" {
		exact.pre = preBase(exact.bound)
	}
	with := func(o string) comparison { c := exact; c.op = o; return c }
	lowest := with(">=")
	switch p.n {
	case 2:
		lowest = comparison{op: ">=", bound: p.goVersion(p.major, p.minor, 0)}
	case 1:
		lowest = comparison{op: ">=", bound: "go" + strconv.Itoa(p.major) + ".0.0"}
	}
	nextMinor := comparison{op: "<", bound: below(p.major, p.minor+1)}
	nextMajor := comparison{op: "<", bound: below(p.major+1, 0)}
	next := nextMinor // above every release the partial names
	if p.n == 1 {
		next = nextMajor
	}
	never := []comparison{{op: "never"}}
	if p.n == 0 {
		// "*", "x": any version; compared with, nothing or everything.
		switch op {
		case ">", "<":
			return never
		}
		return nil
	}
	switch op {
	case "", "=":
		if p.n == 3 {
			return []comparison{with("=")}
		}
		return []comparison{lowest, next}
	case "~", "~>":
		return []comparison{lowest, next}
	case "^":
		if p.major == 0 {
			return []comparison{lowest, next}
		}
		return []comparison{lowest, nextMajor}
	case ">=":
		return []comparison{lowest}
	case ">":
		switch p.n {
		case 3:
			return []comparison{with(">")}
		case 2:
			return []comparison{{op: ">=", bound: p.goVersion(p.major, p.minor+1, 0)}}
		}
		return []comparison{{op: ">=", bound: "go" + strconv.Itoa(p.major+1) + ".0.0"}}
	case "<":
		switch p.n {
		case 3:
			return []comparison{with("<")}
		case 2:
			return []comparison{{op: "<", bound: below(p.major, p.minor)}}
		}
		return []comparison{{op: "<", bound: below(p.major, 0)}}
	case "<=":
		if p.n == 3 {
			return []comparison{with("<=")}
		}
		return []comparison{next}
	}
	return never
}
