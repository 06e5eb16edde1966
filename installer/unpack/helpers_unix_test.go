//go:build unix

package unpack

import (
	"io/fs"
	"os"
	"syscall"
	"testing"
)

// TestMain fixes the umask, so the modes the tests expect do not depend on the caller's.
func TestMain(m *testing.M) {
	syscall.Umask(0o022)
	os.Exit(m.Run())
}

func diskPerm(fi fs.FileInfo) fs.FileMode    { return fi.Mode().Perm() }
func manifestPerm(m fs.FileMode) fs.FileMode { return m }

// withUmask runs fn under another umask; the tests that call it do not run in parallel.
func withUmask(mask int, fn func()) {
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	fn()
}
