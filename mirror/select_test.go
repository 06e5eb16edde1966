package mirror

import (
	"slices"
	"strings"
	"testing"

	"github.com/goverdev/gover/installer"
)

// releases is a source's list, newest first, as Official.Releases gives it.
var releases = func() []installer.Release {
	var rs []installer.Release
	for _, v := range []string{"go1.24rc1", "go1.23.2", "go1.23.0", "go1.23rc2", "go1.22.5", "go1.22.4", "go1.22.0",
		"go1.21.13", "go1.21.0", "go1.21rc2", "go1.20.14", "go1.20", "go1.19.13"} {
		stable := !strings.Contains(v, "rc")
		rs = append(rs, installer.Release{Version: v, Stable: stable})
	}
	return rs
}()

func TestSelect(t *testing.T) {
	for _, tt := range []struct {
		versions string
		want     string
		missed   string
	}{
		{versions: "latest", want: "go1.23.2"},
		{versions: "1.22", want: "go1.22.5"},
		{versions: "1.22.x", want: "go1.22.5"},
		{versions: "go1.22.4", want: "go1.22.4"},
		{versions: "1.23rc2", want: "go1.23rc2"},
		{versions: "1.20", want: "go1.20.14"},
		{versions: "1.20.0", want: "go1.20"},
		// Ranges take every stable release in them, never a pre-release.
		{versions: ">=1.23", want: "go1.23.2 go1.23.0"},
		{versions: ">1.22", want: "go1.23.2 go1.23.0"},
		{versions: ">=1.22.5", want: "go1.23.2 go1.23.0 go1.22.5"},
		{versions: ">1.22.4 <1.23", want: "go1.22.5"},
		{versions: "<=1.20", want: "go1.20.14 go1.20 go1.19.13"},
		{versions: "<1.21", want: "go1.20.14 go1.20 go1.19.13"},
		{versions: ">=1.21 <1.22", want: "go1.21.13 go1.21.0"},
		// A union, deduplicated, newest first.
		{versions: "1.22,>=1.21 <1.22,latest,1.22.5", want: "go1.23.2 go1.22.5 go1.21.13 go1.21.0"},
		// Terms that pick nothing are reported, the rest still count.
		{versions: "1.18,latest", want: "go1.23.2", missed: "1.18"},
		{versions: ">=1.30", missed: ">=1.30"},
		{versions: "1.25.1", missed: "1.25.1"},
		// setup-go's ranges and words, as everywhere else.
		{versions: "~1.21", want: "go1.21.13 go1.21.0"},
		{versions: "^1.22.4", want: "go1.23.2 go1.23.0 go1.22.5 go1.22.4"},
		{versions: "oldstable", want: "go1.22.5"},
		{versions: ">=1.23.0-rc.1 <1.23.0", want: "go1.23rc2"},
		{versions: "1.21 1.22", missed: "1.21 1.22"},
	} {
		sel, err := ParseVersions(tt.versions)
		if err != nil {
			t.Errorf("ParseVersions(%q): %v", tt.versions, err)
			continue
		}
		got, missed := sel.Select(releases)
		if strings.Join(got, " ") != tt.want || strings.Join(missed, " ") != tt.missed {
			t.Errorf("%q selects %q, missing %q; want %q, missing %q", tt.versions, got, missed, tt.want, tt.missed)
		}
	}
}

func TestParseVersionsRefuses(t *testing.T) {
	for _, s := range []string{"", " , ", "1.22.5.6", "banana", ">=latest", "=>1.21", ">=1.21 banana", "^1.x.2"} {
		if sel, err := ParseVersions(s); err == nil {
			t.Errorf("ParseVersions(%q) = %v, want an error", s, sel)
		}
	}
	_, err := ParseVersions(">=1.21 <y")
	if err == nil || !strings.Contains(err.Error(), `">=1.21 <y"`) || !strings.Contains(err.Error(), "use version words") {
		t.Errorf("error does not name the term and the accepted forms: %v", err)
	}
}

func TestParsePlatformsAndFormats(t *testing.T) {
	ps, err := ParsePlatforms(" linux/amd64, darwin/arm64,linux/amd64,linux/arm ")
	want := []installer.Platform{{OS: "linux", Arch: "amd64"}, {OS: "darwin", Arch: "arm64"}, {OS: "linux", Arch: "arm"}}
	if err != nil || !slices.Equal(ps, want) {
		t.Errorf("ParsePlatforms = %v, %v; want %v", ps, err, want)
	}
	for _, s := range []string{"", "linux", "linux/", "/amd64", "linux/amd64/v3"} {
		if _, err := ParsePlatforms(s); err == nil {
			t.Errorf("ParsePlatforms(%q) accepted", s)
		}
	}
	fs, err := ParseFormats("module, archive,module")
	if err != nil || !slices.Equal(fs, []Format{Module, Archive}) {
		t.Errorf("ParseFormats = %v, %v", fs, err)
	}
	for _, s := range []string{"", "zip", "archive,msi"} {
		if _, err := ParseFormats(s); err == nil {
			t.Errorf("ParseFormats(%q) accepted", s)
		}
	}
}
