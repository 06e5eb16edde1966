// Package atomicfile replaces files whole: readers see the old content or
// the new, never a half-written file, even if the writer is killed.
package atomicfile

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/goverdev/gover/internal/robustio"
)

// staleAfter is the age past which a temporary file beside a target is a
// killed writer's leftover, not a concurrent writer's file in progress.
const staleAfter = 10 * time.Minute

// tmpMark joins a file's name and a random suffix in a temporary name.
const tmpMark = ".tmp-"

// Write writes data to a temporary file beside path, syncs it, and renames
// it over path. The folder is created if needed. Temporary files of
// earlier writers that were killed (older than ten minutes) are removed,
// the first time this process writes into the folder.
func Write(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+tmpMark+"*")
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
		err = robustio.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	sweep(dir)
	return nil
}

// swept holds the folders this process has swept. Listing a folder costs
// time in proportion to its size, and a mirror sync writes thousands of
// files into one folder; once per folder and process is enough to clear
// what killed writers left, since only a kill leaves anything.
var swept sync.Map

// sweep removes, the first time this process writes into dir, the stale
// temporary files of Write in it: ".NAME.tmp-*" beside an existing NAME,
// older than staleAfter.
func sweep(dir string) {
	if _, done := swept.LoadOrStore(dir, true); done {
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	names := make(map[string]bool, len(entries))
	for _, e := range entries {
		names[e.Name()] = true
	}
	for _, e := range entries {
		i := strings.LastIndex(e.Name(), tmpMark)
		if i < 1 || e.Name()[0] != '.' || !names[e.Name()[1:i]] || !e.Type().IsRegular() {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleAfter {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
