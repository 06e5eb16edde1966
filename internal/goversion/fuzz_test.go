package goversion

import (
	"strings"
	"testing"
)

// FuzzPick: whatever the word and the candidates (a release list from a
// server, the names in versions/), Pick returns a candidate the word
// matches and no matching candidate newer than it.
func FuzzPick(f *testing.F) {
	for _, s := range [][2]string{
		{"1.22", "go1.21.13 go1.22.0 go1.22.5 go1.22.10 go1.23rc1 go1.20 go1.20.3"},
		{"latest", "go1.23rc1 go1.22.5"}, {"1.20.0", "go1.20 go1.20.1"}, {"1.23", "go1.23rc1 go1.23beta1"},
		{"1.22.x", "go1.22 go1.22.0 go1.22.01 junk"}, {"go1.9", "go1.9 go1.9.7 go1.10"},
		{"^1.21", "go1.26rc1 go1.21.0 go1.20"}, {">=1.23.0-rc.1 <1.23.0", "go1.23rc1 go1.23rc2 go1.24rc1"},
		{"oldstable", "go1.26.1 go1.25.3 go1.25.0"}, {"1.x || <1.2", "go1.1 go1.0"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, word, list string) {
		w, err := Parse(word)
		if err != nil {
			return
		}
		candidates := strings.Fields(list)
		got, ok := w.Pick(candidates)
		if w.Kind == OldStable {
			// The newest of the line before the newest stable line.
			newest, _ := Word{Kind: Latest}.Pick(candidates)
			if ok && (!IsStable(got) || Compare(Lang(got), Lang(newest)) >= 0) {
				t.Fatalf("oldstable.Pick(%q) = %s, not of a line before %s", candidates, got, newest)
			}
			return
		}
		if !ok {
			for _, c := range candidates {
				if w.Matches(c) {
					t.Fatalf("%s.Pick(%q) found nothing, but %s matches", word, candidates, c)
				}
			}
			return
		}
		if !w.Matches(got) || !IsValid(got) {
			t.Fatalf("%s.Pick(%q) = %s, which it does not match", word, candidates, got)
		}
		for _, c := range candidates {
			if w.Matches(c) && Compare(c, got) > 0 {
				t.Fatalf("%s.Pick(%q) = %s, but %s is newer", word, candidates, got, c)
			}
		}
	})
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.22.5", "go1.22", "1.22.x", "latest", "1.23rc1", "1.20.0", "  x ",
		"^1.21", ">= 1.22.0 <1.24", "1.23.0-rc.1", "v1.22.5", "latest:1.22", "oldstable", "1.x || 1.20 - 1.21"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := Parse(s)
		if err != nil {
			return
		}
		// Whatever parses must parse again to the same word from its own spelling.
		again, err := Parse(w.String())
		if err == nil && w.Kind == Exact && again.Kind == Line {
			again.Kind = Exact // "go1.20" names the release and, typed again, its line
		}
		if err != nil || again != w {
			t.Fatalf("Parse(%q) = %+v, but Parse(%q) = %+v, %v", s, w, w.String(), again, err)
		}
		switch w.Kind {
		case Exact, Line:
			if !IsValid(w.Version) {
				t.Fatalf("Parse(%q) gave invalid version %q", s, w.Version)
			}
		case Range:
			if _, err := compileRange(w.Range); err != nil {
				t.Fatalf("Parse(%q) gave a range that does not compile: %v", s, err)
			}
		}
	})
}
