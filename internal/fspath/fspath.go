// Package fspath compares paths the way the file system sees them:
// through symbolic links, and by identity rather than spelling.
package fspath

import (
	"os"
	"path/filepath"
	"strings"
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
