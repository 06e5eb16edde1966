//go:build unix

package toolenv

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSystemGoVersion: the release of the go on PATH outside the shims,
// read from the GOROOT its real path belongs to (a distribution's
// /usr/bin/go links into /usr/lib/go-1.x/bin).
func TestSystemGoVersion(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, data string, mode os.FileMode) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("shims/go", "#!/bin/sh\n", 0o755)
	write("lib/go-1.31/bin/go", "#!/bin/sh\n", 0o755)
	write("lib/go-1.31/VERSION", "go1.31.2\ntime 2031-01-01T00:00:00Z\n", 0o644)
	write("nover/bin/go", "#!/bin/sh\n", 0o755)
	write("odd/bin/go", "#!/bin/sh\n", 0o755)
	write("odd/VERSION", "devel go1.32-abcdef\n", 0o644)
	if err := os.MkdirAll(filepath.Join(dir, "usr/bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../lib/go-1.31/bin/go", filepath.Join(dir, "usr/bin/go")); err != nil {
		t.Fatal(err)
	}
	write("fifo/bin/go", "#!/bin/sh\n", 0o755)
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo/VERSION"), 0o644); err != nil {
		t.Fatal(err)
	}
	shims := filepath.Join(dir, "shims")
	for _, tt := range []struct{ path, want string }{
		{filepath.Join(dir, "fifo/bin"), ""}, // a FIFO: not read, never blocks
		{shims + ":" + filepath.Join(dir, "usr/bin"), "go1.31.2"},
		{filepath.Join(dir, "lib/go-1.31/bin"), "go1.31.2"},
		{shims + ":" + filepath.Join(dir, "nover/bin") + ":" + filepath.Join(dir, "usr/bin"), ""},
		{filepath.Join(dir, "odd/bin"), ""},
		{shims, ""},
		{"", ""},
	} {
		if got := SystemGoVersion(tt.path, shims); got != tt.want {
			t.Errorf("SystemGoVersion(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
