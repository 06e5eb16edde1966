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
