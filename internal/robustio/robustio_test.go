package robustio

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestRename(t *testing.T) {
	dir := tempDir(t)
	from, to := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.WriteFile(from, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Rename(from, to); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(to); err != nil || string(data) != "x" {
		t.Fatalf("after Rename, b holds %q, %v", data, err)
	}
	// A genuine error is returned as os.Rename returns it.
	if err := Rename(from, to); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Rename of a missing file: %v, want not-exist", err)
	}
}

// tempDir is t.TempDir, whose clean-up Wine refuses ("Invalid function");
// what is left is in the system's temporary folder.
func tempDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "robustio-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
