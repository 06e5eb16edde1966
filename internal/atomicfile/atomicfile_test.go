package atomicfile

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "f")
	if err := Write(p, []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("two"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	fi, _ := os.Stat(p)
	if string(b) != "two" || fi.Mode().Perm() != 0o600 {
		t.Fatalf("content %q mode %v", b, fi.Mode())
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}

// A killed writer's temporary file goes with the next write; a fresh one,
// which may be a concurrent writer's, and other files stay.
func TestWriteSweepsStaleTemporaries(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, ".go-version")
	old := time.Now().Add(-time.Hour)
	for _, name := range []string{"..go-version.tmp-111", "..go-version.tmp-222", ".other.tmp-333", "notes"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(filepath.Join(dir, name), old, old); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "..go-version.tmp-fresh"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("1.22.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"..go-version.tmp-fresh", ".go-version", ".other.tmp-333", "notes"}
	if !slices.Equal(names, want) {
		t.Fatalf("folder holds %v, want %v", names, want)
	}
}
