//go:build unix

package selection

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO planted as a pin file must not block the reader: without a writer
// an ordinary open would wait for ever, on every go call.
func TestFindRefusesFIFOWithoutBlocking(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{".go-version", ".tool-versions", "go.mod", "go.work"} {
		sub := filepath.Join(dir, strings.TrimPrefix(name, "."))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(filepath.Join(sub, name), 0o644); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			_, err := Find(sub, Options{Getenv: func(string) string { return "" }})
			done <- err
		}()
		select {
		case err := <-done:
			var pe *PinError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), "not a regular file but a FIFO") {
				t.Errorf("%s as a FIFO: %v, want a PinError saying it is a FIFO", name, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s as a FIFO: Find still blocked after 5 s", name)
		}
	}
}

// ReadPin reads exactly a regular file, links followed, and refuses what
// only claims to be one.
func TestReadPin(t *testing.T) {
	dir := t.TempDir()
	pin := filepath.Join(dir, "pin")
	os.WriteFile(pin, []byte("1.22.5\n"), 0o644)
	link := filepath.Join(dir, "link")
	os.Symlink(pin, link)
	if b, err := ReadPin(link); err != nil || string(b) != "1.22.5\n" {
		t.Errorf("ReadPin(link to a pin) = %q, %v", b, err)
	}
	if _, err := os.Stat("/proc/self/environ"); err == nil {
		if _, err := ReadPin("/proc/self/environ"); !errors.Is(err, errSizeLies) {
			t.Errorf("ReadPin(/proc/self/environ) = %v, want errSizeLies", err)
		}
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, make([]byte, maxPin+1), 0o644)
	if _, err := ReadPin(big); !errors.Is(err, errTooLarge) {
		t.Errorf("ReadPin(%d bytes) = %v, want errTooLarge", maxPin+1, err)
	}
	if _, err := ReadPin(filepath.Join(dir, "none")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("ReadPin(missing) = %v, want fs.ErrNotExist", err)
	}
}
