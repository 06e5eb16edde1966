package robustio

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRenameWaitsForAReader: a file held open by another reader (as an
// antivirus scanner holds a freshly written file) cannot be renamed on
// Windows; Rename waits until the reader lets go instead of failing.
func TestRenameWaitsForAReader(t *testing.T) {
	dir := tempDir(t)
	file, dest := filepath.Join(dir, "go1.22.5.zip.part"), filepath.Join(dir, "go1.22.5.zip")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(file, dest); err == nil {
		f.Close()
		t.Fatal("os.Rename moved a file held open; this system needs no retry, so the test proves nothing")
	}
	released := make(chan struct{})
	go func() {
		time.Sleep(200 * time.Millisecond)
		f.Close()
		close(released)
	}()
	if err := Rename(file, dest); err != nil {
		t.Fatalf("Rename while a reader held the file for 200ms: %v", err)
	}
	<-released
	if _, err := os.Stat(dest); err != nil {
		t.Fatal(err)
	}
}
