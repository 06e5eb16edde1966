package goversion

import (
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"
)

// semverOf spells a Go release the way setup-go's manifest does:
// go1.23rc1 is 1.23.0-rc.1, go1.20 is 1.20.0.
func semverOf(v string) string {
	s := strings.TrimPrefix(v, "go")
	for _, kind := range []string{"rc", "beta"} {
		if i := strings.Index(s, kind); i > 0 {
			return s[:i] + ".0-" + kind + "." + s[i+len(kind):]
		}
	}
	if strings.Count(s, ".") == 1 {
		s += ".0"
	}
	return s
}

// TestRangesAgreeWithSemver checks gover's range reading against a
// well-kept semver constraint library (Masterminds/semver, which follows
// node-semver as setup-go does) on every release in the list: gover compares
// Go versions with go/version, and must still take exactly the releases a
// semver range takes. One rule differs on purpose: given a range with a
// pre-release bound, Masterminds admits every pre-release, node-semver (and
// so setup-go, and gover) only those of that bound's release; TestPick
// holds gover to node-semver's rule there.
func TestRangesAgreeWithSemver(t *testing.T) {
	partials := []string{"1", "1.x", "1.21", "1.22.x", "1.20.0", "1.20.1", "1.21.0", "1.22.5", "1.24.1", "1.26.0-rc.1", "1.23.0-beta.1", "1.25"}
	var ranges []string
	for _, op := range []string{"", "=", "^", "~", ">", ">=", "<", "<="} {
		for _, p := range partials {
			ranges = append(ranges, op+p)
		}
	}
	ranges = append(ranges,
		">=1.22.0 <1.24.0", ">= 1.22, < 1.24", ">1.20 <=1.23", "1.21 - 1.22", "1.21.0 - 1.22.5", "1.20.x - 1.23.0",
		"1.20.x || 1.22.3", "<1.21 || >=1.25", ">=1.26.0-rc.1 <1.26.0", "~1.23.0-beta.1 <1.23.0", "*", "1.x.x",
		">=1.23.0-rc.1 <1.24.0 || ^1.25.0", "^1.21.0-rc.2", "<1.23.0-rc.1", "<=1.23.0-beta.1")
	for _, r := range ranges {
		c, err := semver.NewConstraint(r)
		if err != nil {
			t.Fatalf("semver cannot read %q: %v", r, err)
		}
		w, err := Parse(r)
		if err != nil {
			t.Errorf("Parse(%q): %v", r, err)
			continue
		}
		preBound := strings.Contains(r, "-rc") || strings.Contains(r, "-beta")
		for _, v := range releases {
			if preBound && !IsStable(v) {
				continue
			}
			sv := semver.MustParse(semverOf(v))
			if want, got := c.Check(sv), w.Matches(v); got != want {
				t.Errorf("%q on %s (%s): gover %v, semver %v", r, v, sv, got, want)
			}
		}
	}
}
