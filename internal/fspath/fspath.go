// Package fspath compares paths the way the file system sees them:
// through symbolic links, and by identity rather than spelling.
package fspath

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Real resolves links in p, or cleans p when it cannot.
func Real(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return filepath.Clean(p)
}

// Same reports whether two paths name the same file or folder.
func Same(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// Within reports whether path is dir or inside it, by spelling (resolve
// links with Real first where they matter).
func Within(path, dir string) bool {
	if dir == "" || path == "" {
		return false
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// OpenRegular opens name for reading only if it is a regular file (a link
// followed only to one): opened without blocking, so a FIFO planted where a
// file is expected is refused at once instead of hanging the reader, and
// checked on the open descriptor, so nothing can be swapped in between.
func OpenRegular(name string) (*os.File, os.FileInfo, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = &os.PathError{Op: "open", Path: name, Err: errNotRegular}
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

var errNotRegular = errors.New("not a regular file")
