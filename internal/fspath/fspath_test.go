package fspath

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSameAndWithin(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "a", "b")
	os.MkdirAll(sub, 0o755)
	link := filepath.Join(dir, "l")
	if err := os.Symlink(filepath.Join(dir, "a"), link); err != nil {
		t.Skip("no symlinks here:", err) // Windows without developer mode
	}
	if !Same(link, filepath.Join(dir, "a")) || Same(link, sub) || Same("", "") {
		t.Error("Same")
	}
	if Real(filepath.Join(link, "b")) != Real(sub) {
		t.Error("Real")
	}
	for _, tc := range []struct {
		path, dir string
		want      bool
	}{
		{sub, dir, true}, {dir, dir, true}, {dir, sub, false},
		{filepath.Join(dir, "..x"), dir, true}, {filepath.Join(dir, "..", "x"), dir, false}, {"", dir, false},
	} {
		if got := Within(tc.path, tc.dir); got != tc.want {
			t.Errorf("Within(%q, %q) = %v", tc.path, tc.dir, got)
		}
	}
}
