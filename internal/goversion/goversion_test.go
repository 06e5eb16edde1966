package goversion

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	exact := func(v string) Word { return Word{Kind: Exact, Version: v} }
	line := func(v string) Word { return Word{Kind: Line, Version: v} }
	rng := func(r string) Word { return Word{Kind: Range, Range: r} }
	for _, tt := range []struct {
		in   string
		want Word
	}{
		{"1.22.5", exact("go1.22.5")},
		{"go1.22.5", exact("go1.22.5")},
		{"  go1.22.5\t", exact("go1.22.5")},
		{"1.22", line("go1.22")},
		{"go1.22", line("go1.22")},
		{"1.22.x", line("go1.22")},
		{"1.22.X", line("go1.22")},
		{"1.22.*", line("go1.22")},
		{"1.21.0", exact("go1.21.0")},
		{"1.21", line("go1.21")},
		{"1.20.0", exact("go1.20")},
		{"1.9", line("go1.9")},
		{"1.23rc1", exact("go1.23rc1")},
		{"go1.18beta1", exact("go1.18beta1")},
		{"latest", Word{Kind: Latest}},
		{"Stable", Word{Kind: Latest}},
		{"oldstable", Word{Kind: OldStable}},
		// mise and Git tags write a v.
		{"v1.22.5", exact("go1.22.5")},
		{"v1.22", line("go1.22")},
		// setup-go's semver pre-releases.
		{"1.23.0-rc.1", exact("go1.23rc1")},
		{"1.23.0-beta.1", exact("go1.23beta1")},
		{"1.21.0-rc.2", exact("go1.21rc2")},
		{"1.23.0-rc1", exact("go1.23rc1")},
		{"v1.20.0-rc.3", exact("go1.20rc3")},
		// asdf's latest:PREFIX.
		{"latest:1.22", line("go1.22")},
		{"latest:1.22.5", exact("go1.22.5")},
		{"latest:1", rng("1.x")},
		// setup-go's ranges.
		{"^1.21", rng("^1.21")},
		{"~1.24.1", rng("~1.24.1")},
		{">=1.22.0 <1.24.0", rng(">=1.22.0 <1.24.0")},
		{"  >= 1.22.0   <1.24.0 ", rng(">= 1.22.0 <1.24.0")},
		{"1.x", rng("1.x")},
		{"1", rng("1")},
		{"1.x.x", rng("1.x.x")},
		{"*", rng("*")},
		{"1.21 - 1.22", rng("1.21 - 1.22")},
		{"1.21.x || 1.22.3", rng("1.21.x || 1.22.3")},
		{">=1.22,<1.23", rng(">=1.22,<1.23")},
	} {
		got, err := Parse(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, in := range []string{"", "go1", "1.22.5.1", "1.22.x.x", "1.22.5-custom",
		"go1.22.5+auto", "1.022", "banana", "2.0", "1.22.5rc1x", "1.22rc", "vv1.22.5",
		"1.23.1-rc.1", "1.23.0-alpha.1", "latest:", "latest:banana", "latest:^1.2",
		">=", ">=banana", "^1.x.2", "1.2.3.4 - 1.5", ">=1.22.0 <", "1.22.0-rc.x"} {
		_, err := Parse(in)
		var pe *ParseError
		if !errors.As(err, &pe) || !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) = %v, want a ParseError", in, err)
			continue
		}
		if !strings.Contains(err.Error(), "accepted:") {
			t.Errorf("Parse(%q): %q does not list the accepted forms", in, err)
		}
	}
}

func TestMinimumOf(t *testing.T) {
	for in, want := range map[string]string{"1.23.0": "go1.23.0", "1.21": "go1.21", "1.20": "go1.20", "1.20.0": "go1.20", "1.23rc1": "go1.23rc1"} {
		w, err := MinimumOf(in)
		if err != nil || w.Kind != AtLeast || w.Version != want {
			t.Errorf("MinimumOf(%q) = %+v, %v; want AtLeast %s", in, w, err, want)
		}
	}
	for _, in := range []string{"banana", "go1.22", "1.22.5.1", ""} {
		if _, err := MinimumOf(in); !errors.Is(err, ErrInvalid) {
			t.Errorf("MinimumOf(%q) = %v, want ErrInvalid", in, err)
		}
	}
}

// releases is a release list like the official index's, newest first.
var releases = []string{
	"go1.26.1", "go1.26.0", "go1.26rc2", "go1.26rc1",
	"go1.25.8", "go1.25.0", "go1.25rc1",
	"go1.24.4", "go1.24.1", "go1.24.0",
	"go1.23.9", "go1.23.0", "go1.23rc1", "go1.23beta1",
	"go1.22.12", "go1.22.5", "go1.22.0",
	"go1.21.13", "go1.21.0", "go1.21rc2",
	"go1.20.14", "go1.20.1", "go1.20", "go1.20rc1",
	"go1.19.13",
}

func TestPick(t *testing.T) {
	for _, tt := range []struct {
		word, want string
	}{
		{"1.22", "go1.22.12"},
		{"1.22.x", "go1.22.12"},
		{"1.22.5", "go1.22.5"},
		{"1.20", "go1.20.14"},
		{"1.20.0", "go1.20"},
		{"latest", "go1.26.1"},
		{"stable", "go1.26.1"},
		{"oldstable", "go1.25.8"},
		{"1.23rc1", "go1.23rc1"},
		{"1.23.0-rc.1", "go1.23rc1"},
		{"1.23.0-beta.1", "go1.23beta1"},
		{"v1.21.13", "go1.21.13"},
		{"latest:1.24", "go1.24.4"},
		{"latest:1", "go1.26.1"},
		{"1.27", ""},
		{"1.18", ""},
		// setup-go's ranges: stable releases only, the newest in range.
		{"^1.21", "go1.26.1"},
		{"~1.24.1", "go1.24.4"},
		{"~1.24", "go1.24.4"},
		{"~1", "go1.26.1"},
		{">=1.22.0 <1.24.0", "go1.23.9"},
		{">=1.22.0, <1.24.0", "go1.23.9"},
		{">= 1.22.0 < 1.24.0", "go1.23.9"},
		{"<1.24", "go1.23.9"},
		{"<=1.24", "go1.24.4"},
		{"<=1.24.1", "go1.24.1"},
		{">1.24", "go1.26.1"},
		{">1.25.8 <1.26.1", "go1.26.0"},
		{"1.x", "go1.26.1"},
		{"1", "go1.26.1"},
		{"*", "go1.26.1"},
		{"1.21 - 1.22", "go1.22.12"},
		{"1.21.0 - 1.22.5", "go1.22.5"},
		{"1.20.x || 1.22.3", "go1.20.14"},
		{"1.19.x || ^1.25.0", "go1.26.1"},
		{"<1.20.1", "go1.20"},
		{">=1.20 <1.20.1", "go1.20"},
		{"=1.22.5", "go1.22.5"},
		{"2", ""},
		{"^2.0.0", ""},
		{"<1", ""},
		// A pre-release bound admits pre-releases of that release only.
		{">=1.26.0-rc.1", "go1.26.1"},
		{">=1.26.0-rc.1 <1.26.0", "go1.26rc2"},
		{"~1.23.0-beta.1 <1.23.0", "go1.23rc1"},
		{">=1.25.0-rc.1 <1.25.0 || 1.19.x", "go1.25rc1"},
		{">=1.23.0-rc.1 <1.27.0 !", ""},
	} {
		w, err := Parse(tt.word)
		if err != nil {
			if tt.want != "" {
				t.Errorf("Parse(%q): %v", tt.word, err)
			}
			continue
		}
		got, ok := w.Pick(releases)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("Pick(%q) = %q, %v; want %q", tt.word, got, ok, tt.want)
		}
	}
}

// A go line is a minimum: the newest release of its own line at or above
// it, else the closest newer line.
func TestPickAtLeast(t *testing.T) {
	for _, tt := range []struct {
		min, installed, want string
	}{
		{"1.23.0", "go1.22.5 go1.23.2 go1.23.5 go1.24.1", "go1.23.5"},
		{"1.23.4", "go1.23.2 go1.24.1 go1.26.0", "go1.24.1"},
		{"1.23.0", "go1.22.5", ""},
		{"1.23.0", "go1.23rc1 go1.24rc1", ""},
		{"1.23rc1", "go1.23rc1 go1.23rc2", "go1.23rc2"},
		{"1.23rc1", "go1.23rc2 go1.23.1", "go1.23.1"},
		{"1.21", "go1.21rc2 go1.21.0 go1.21.13", "go1.21.13"},
		{"1.21", "go1.21rc2", "go1.21rc2"},
		{"1.20", "go1.20 go1.20.3 go1.19.13", "go1.20.3"},
		{"1.20", "go1.20rc1", ""},
		{"1.22.0", "go1.26.1 go1.24.4 go1.24.0 go1.25.8", "go1.24.4"},
	} {
		w, err := MinimumOf(tt.min)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := w.Pick(strings.Fields(tt.installed))
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("go %s with %s installed: Pick = %q, want %q", tt.min, tt.installed, got, tt.want)
		}
	}
}

func TestOldStableNeedsTheLineBefore(t *testing.T) {
	// Installed go1.26.1 and go1.24.4: the line before 1.26 is 1.25, which
	// is not there; 1.24 is not "oldstable".
	if got, ok := (Word{Kind: OldStable}).Pick([]string{"go1.26.1", "go1.24.4"}); ok {
		t.Errorf("oldstable picked %s; want nothing", got)
	}
}

func TestString(t *testing.T) {
	for in, want := range map[string]string{"1.22.5": "go1.22.5", "1.22": "go1.22.x", "stable": "latest",
		"oldstable": "oldstable", ">= 1.22  <1.24": ">= 1.22 <1.24", "v1.23.0-rc.1": "go1.23rc1"} {
		if got := MustParse(in).String(); got != want {
			t.Errorf("Parse(%q).String() = %q, want %q", in, got, want)
		}
	}
	if got := (Word{Kind: AtLeast, Version: "go1.23.0"}).String(); got != "go1.23.0 or newer" {
		t.Errorf("AtLeast.String() = %q", got)
	}
}

// A word may come from anyone's pin file: what a refusal quotes of it is
// escaped and cut short.
func TestRangeErrorQuotesShort(t *testing.T) {
	long := strings.Repeat("\x1b[2J", 40)
	_, err := Parse(">=1.22 <" + long)
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(pe.Reason, "\x1b") || len(pe.Reason) > 120 || !strings.Contains(pe.Reason, "…") {
		t.Errorf("reason %q is not escaped and cut short", pe.Reason)
	}
}
