// Package atomicfile replaces files whole: readers see the old content or
// the new, never a half-written file, even if the writer is killed.
package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// staleAfter is the age past which a temporary file beside a target is a
// killed writer's leftover, not a concurrent writer's file in progress.
const staleAfter = 10 * time.Minute

// Write writes data to a temporary file beside path, syncs it, and renames
// it over path. The folder is created if needed. Temporary files of
// earlier writers that were killed (older than ten minutes) are removed.
func Write(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, perm)
	}
	if err == nil {
		err = rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	sweep(dir, "."+filepath.Base(path)+".tmp-")
	return nil
}

// sweep removes the stale temporary files in dir whose names start with prefix.
func sweep(dir, prefix string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), prefix) || !e.Type().IsRegular() {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleAfter {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
