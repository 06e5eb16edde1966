package installer_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/shims/selection"
)

// What is installed has one definition (issue 16): a versions/ entry that
// is a link to a toolchain folder is installed for gover list, verify and
// doctor (installer.List) exactly as for the shim (selection.Installed).
// installer.List once skipped links, so the shim ran a version that list,
// verify and doctor never saw.
func TestListAgreesWithTheShim(t *testing.T) {
	root := t.TempDir()
	l := paths.Under(root)
	for _, d := range []string{"versions/go1.22.5/bin", "elsewhere/go1.23.1/bin"} {
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(l.Versions, "go1.21.0"), []byte("a file"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "elsewhere", "go1.23.1"), filepath.Join(l.Versions, "go1.23.1")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	list, err := installer.List(l)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, in := range list {
		if in.Untrusted == nil {
			listed = append(listed, in.Name)
		}
	}
	shim := selection.Installed(l)
	slices.Sort(listed)
	slices.Sort(shim)
	if want := []string{"go1.22.5", "go1.23.1"}; !slices.Equal(listed, want) || !slices.Equal(shim, want) {
		t.Errorf("installer.List = %q, selection.Installed = %q; want both %q", listed, shim, want)
	}
}
