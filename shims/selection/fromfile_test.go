package selection

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goverdev/gover/internal/paths"
)

func TestFromFile(t *testing.T) {
	root := tree(t, map[string]string{
		".go-version":    "go1.22.5\n",
		"version":        "1.21\n",
		".tool-versions": "golang 1.20.1\n",
		"go.mod":         "module x\ngo 1.22.3\n",
		"go.work":        "go 1.22\ntoolchain go1.22.6\n",
	})
	for _, tt := range []struct {
		file, env, want string
		kind            Kind
	}{
		{".go-version", "", "go1.22.5", GoVersion},
		{"version", "", "go1.21.x", GoVersion},
		{".tool-versions", "", "go1.20.1", ToolVersions},
		{"go.work", "", "go1.22.6", GoWork},
		{"go.mod", "go", "go1.22.3 or newer", GoMod},
		{"go.mod", "", "go1.22.3 or newer", GoMod},
	} {
		s, err := FromFile(filepath.Join(root, tt.file), Options{Getenv: envOf("GOVER_GOMOD", tt.env)})
		if err != nil || s.Kind != tt.kind || s.Requested() != tt.want {
			t.Errorf("FromFile(%s) = %+v, %v; want %s of kind %v", tt.file, s, err, tt.want, tt.kind)
		}
	}
	if _, err := FromFile(filepath.Join(root, "nope", ".go-version"), Options{Getenv: envOf()}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist", err)
	}
}

// Find reads through Options.ReadFile: the hook learns from it what a
// selection depends on, nearest first.
func TestFindReadsThroughOption(t *testing.T) {
	root := tree(t, map[string]string{".go-version": "1.22.5\n", "a/b/x": ""})
	var read []string
	opt := Options{Getenv: envOf(), ReadFile: func(name string) ([]byte, error) {
		read = append(read, strings.TrimPrefix(name, root))
		return os.ReadFile(name)
	}}
	if s, err := Find(filepath.Join(root, "a", "b"), opt); err != nil || s.Requested() != "go1.22.5" {
		t.Fatalf("Find = %+v, %v", s, err)
	}
	want := []string{"/a/b/.go-version", "/a/.go-version", "/.go-version"}
	for i := range want {
		want[i] = filepath.FromSlash(want[i])
	}
	if !slices.Equal(read, want) {
		t.Errorf("read %q, want %q", read, want)
	}
}

// The default reader: a folder where a pin belongs is an error, not a pin
// and not a fall-through; a huge file is refused.
func TestReadFileErrors(t *testing.T) {
	root := tree(t, map[string]string{".go-version/x": "", "big/.go-version": strings.Repeat("#\n", 3<<20)})
	if _, err := Find(root, Options{Getenv: envOf()}); err == nil {
		t.Error("a folder named .go-version was not an error")
	}
	if _, err := Find(filepath.Join(root, "big"), Options{Getenv: envOf()}); err == nil {
		t.Error("a 6 MB .go-version was not an error")
	}
}

// A toolchain may be a link to a folder (a Go built from source).
func TestInstalledFollowsLinks(t *testing.T) {
	root := tree(t, map[string]string{"src/bin/go": "", "versions/go1.22.5/bin/go": "", "versions/go1.21.0": "a file"})
	if err := os.Symlink(filepath.Join(root, "src"), filepath.Join(root, "versions", "go1.23.1")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	got := Installed(paths.Under(root))
	slices.Sort(got)
	if want := []string{"go1.22.5", "go1.23.1"}; !slices.Equal(got, want) {
		t.Errorf("Installed = %q, want %q", got, want)
	}
}
