package goversion

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Word
	}{
		{"1.22.5", Word{Exact, "go1.22.5"}},
		{"go1.22.5", Word{Exact, "go1.22.5"}},
		{"  go1.22.5\t", Word{Exact, "go1.22.5"}},
		{"1.22", Word{Line, "go1.22"}},
		{"go1.22", Word{Line, "go1.22"}},
		{"1.22.x", Word{Line, "go1.22"}},
		{"1.21.0", Word{Exact, "go1.21.0"}},
		{"1.21", Word{Line, "go1.21"}},
		{"1.20.0", Word{Exact, "go1.20"}},
		{"1.9", Word{Line, "go1.9"}},
		{"1.23rc1", Word{Exact, "go1.23rc1"}},
		{"go1.18beta1", Word{Exact, "go1.18beta1"}},
		{"latest", Word{Kind: Latest}},
		{"Stable", Word{Kind: Latest}},
	} {
		got, err := Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{"", "1", "go1", "1.22.5.1", "v1.22.5", "1.x", "1.22.x.x", "1.22.5-custom",
		"go1.22.5+auto", "1.022", "banana", "1.22 1.21", "2.0", "1.22.5rc1x", "1.22rc"} {
		_, err := Parse(in)
		var pe *ParseError
		if !errors.As(err, &pe) || !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) = %v, want a ParseError", in, err)
		}
	}
}

func TestPick(t *testing.T) {
	candidates := []string{"go1.21.13", "go1.22.0", "go1.22.5", "go1.22.10", "go1.23rc1", "go1.20", "go1.20.3"}
	for _, tt := range []struct {
		word, want string
	}{
		{"1.22", "go1.22.10"},
		{"1.22.x", "go1.22.10"},
		{"1.22.5", "go1.22.5"},
		{"1.20", "go1.20.3"},
		{"1.20.0", "go1.20"},
		{"latest", "go1.22.10"},
		{"1.23rc1", "go1.23rc1"},
		{"1.23", ""},
		{"1.19", ""},
	} {
		got, ok := MustParse(tt.word).Pick(candidates)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Pick(%q) = %q, %v; want %q", tt.word, got, ok, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"1.22.5", "go1.22", "1.22.x", "latest", "1.23rc1", "1.20.0", "  x "} {
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
		if w.Kind != Latest && !IsValid(w.Version) {
			t.Fatalf("Parse(%q) gave invalid version %q", s, w.Version)
		}
	})
}
