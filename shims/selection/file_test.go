package selection

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       string // Requested(), with " min" for a minimum
		kind       Kind
		err        string
	}{
		{".go-version", "go1.22.5\n", "go1.22.5", GoVersion, ""},
		{"version.txt", "# pinned\n1.21\n", "go1.21.x", GoVersion, ""},
		{".tool-versions", "nodejs 20\ngolang 1.22.5\n", "go1.22.5", ToolVersions, ""},
		{".tool-versions", "nodejs 20\n", "", None, "names no Go version"},
		{"go.mod", "module m\n\ngo 1.22.4\ntoolchain go1.22.5\n", "go1.22.5", GoMod, ""},
		// Named explicitly, go.mod's go line counts, as a minimum.
		{"go.mod", "module m\n\ngo 1.22.4\n", "go1.22.4 or newer min", GoMod, ""},
		{"go.work", "go 1.23.1\n\nuse .\n", "go1.23.1 or newer min", GoWork, ""},
		// A toolchain line older than the go line is ignored, as cmd/go ignores it.
		{"go.mod", "module m\n\ngo 1.26.8\n\ntoolchain go1.22.5\n", "go1.26.8 or newer min", GoMod, ""},
		{"go.work", "go 1.26.8\n\ntoolchain go1.22.5\n", "go1.26.8 or newer min", GoWork, ""},
		{"go.mod", "module m\n\ngo 1.14\n\ntoolchain go1.20\n", "go1.20", GoMod, ""},
		{"go.mod", "module m\n\ngo 1.14\n\ntoolchain go1.18\n", "go1.18", GoMod, ""},
		{".go-version", "v1.22.5\n1.21.0\n", "go1.22.5", GoVersion, ""},
		{"go.mod", "module m\n", "", None, "names no Go version"},
		{".go-version", "1.22.x.y\n", "", None, "not a Go version"},
		{".go-version", "", "", None, "holds no version"},
	} {
		t.Run(tc.name+"/"+strings.ReplaceAll(tc.body, "\n", ";"), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), tc.name)
			os.WriteFile(file, []byte(tc.body), 0o644)
			s, err := ReadFile(file)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), file) {
					t.Fatalf("ReadFile = %+v, %v; want an error about %s saying %q", s, err, file, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := s.Requested()
			if s.Minimum() {
				got += " min"
			}
			if got != tc.want || s.Kind != tc.kind || s.Origin != file {
				t.Errorf("ReadFile = %q kind %v origin %s, want %q kind %v", got, s.Kind, s.Origin, tc.want, tc.kind)
			}
		})
	}
	_, err := ReadFile(filepath.Join(t.TempDir(), "missing"))
	if err == nil || !strings.Contains(err.Error(), "name an existing .go-version, .tool-versions, go.mod or go.work") {
		t.Errorf("missing file: %v", err)
	}
}
