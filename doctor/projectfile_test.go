//go:build !windows

package doctor_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The project's files are the repository author's to write (issue 12,
// item 5): a go.mod linked to a file of secrets never has them quoted in
// the report, and a FIFO as go.mod, go.sum or vendor/modules.txt is
// refused at once rather than read (a read blocks until someone writes).
func TestProjectFilesReadSafely(t *testing.T) {
	checks := []string{"vendor-consistency", "private-modules", "vendor-without-gomod"}
	w := newWorld(t)
	secret := filepath.Join(w.home, ".env")
	w.write(secret, "API_KEY=sk-live-0123456789abcdef0123456789\n", 0o600)
	if err := os.Symlink(secret, filepath.Join(w.work, "go.mod")); err != nil {
		t.Fatal(err)
	}
	for _, id := range checks {
		r := w.check(id)
		if strings.Contains(r.Message+r.Fix, "sk-live") || strings.Contains(r.Message+r.Fix, "API_KEY") {
			t.Errorf("%s quotes the file go.mod links to: %s (fix: %s)", id, r.Message, r.Fix)
		}
	}

	w = newWorld(t)
	w.write(filepath.Join(w.work, "vendor", "x", "x.go"), "package x\n", 0o644)
	for _, name := range []string{"go.mod", "go.sum", "vendor/modules.txt"} {
		if name != "go.mod" {
			w.write(filepath.Join(w.work, "go.mod"), "module example.com/p\n\ngo 1.22\n\nrequire example.com/q v1.0.0\n", 0o644)
		}
		p := filepath.Join(w.work, filepath.FromSlash(name))
		os.Remove(p)
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, id := range checks {
			done := make(chan struct{})
			go func() {
				defer close(done)
				w.check(id)
			}()
			// Nothing writes to the FIFO: a check that reads it never
			// returns on its own. Opening it for writing releases such a
			// reader, so the test says which check blocked and ends.
			select {
			case <-done:
			case <-time.After(4 * time.Second):
				if f, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					f.Close()
				}
				<-done
				t.Errorf("%s blocked on %s, a FIFO", id, name)
			}
		}
		os.Remove(p)
	}
}
