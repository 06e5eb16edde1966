package unpack

import (
	"io/fs"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// relPath checks an archive entry's name and returns its path inside the tree: the name
// without the prefix, nor a folder's trailing slash. The prefix folder itself is "".
func relPath(name, prefix string, dir bool) (string, error) {
	if name == "" {
		return "", unsafePath("empty name")
	}
	if err := checkChars(name); err != nil {
		return "", err
	}
	if name[0] == '/' {
		return "", unsafePath("absolute path")
	}
	clean := name
	if dir {
		clean = strings.TrimSuffix(name, "/")
	}
	if err := checkElems(clean); err != nil {
		return "", err
	}
	if dir && prefix != "" && clean+"/" == prefix {
		return "", nil
	}
	if !strings.HasPrefix(clean, prefix) {
		return "", unsafePath("outside %s", prefix)
	}
	return clean[len(prefix):], nil
}

// checkChars refuses characters that change a path's meaning on some system: NUL ends it,
// a backslash separates on Windows, a colon names a drive or an NTFS stream, and control
// characters (newlines above all) break the line-based hashes and manifests.
func checkChars(s string) error {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == 0:
			return unsafePath("contains a NUL byte")
		case c < 0x20 || c == 0x7f:
			return unsafePath("contains a control character")
		case c == '\\':
			return unsafePath("contains a backslash")
		case c == ':' && i == 1 && isASCIILetter(s[0]):
			return unsafePath("starts with a drive letter")
		case c == ':':
			return unsafePath("contains a colon")
		}
	}
	return nil
}

func checkElems(p string) error {
	for elem := range strings.SplitSeq(p, "/") {
		switch elem {
		case "":
			return unsafePath("has an empty path element")
		case ".":
			return unsafePath(`has a "." element`)
		case "..":
			return unsafePath(`has a ".." element`)
		}
	}
	return nil
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// checkTarget refuses a symbolic link target that is absolute or, read from the link's
// folder without following other links, leaves the tree. tree.checkLinks later follows them.
func checkTarget(rel, target string) error {
	if target == "" {
		return unsafePath("symbolic link with an empty target")
	}
	if len(target) > maxTarget {
		return unsafePath("symbolic link target longer than %d bytes", maxTarget)
	}
	if err := checkChars(target); err != nil {
		return err
	}
	if target[0] == '/' {
		return unsafePath("symbolic link to the absolute path %s", target)
	}
	depth := strings.Count(rel, "/")
	for elem := range strings.SplitSeq(target, "/") {
		switch elem {
		case "", ".":
		case "..":
			if depth--; depth < 0 {
				return unsafePath("symbolic link to %s, outside the tree", target)
			}
		default:
			depth++
		}
	}
	return nil
}

// moduleRel applies the module zip's renaming: a module cannot hold a nested go.mod
// (it would end the module there), so the toolchain module stores each as _go.mod.
func moduleRel(rel string) string {
	dir, file := path.Split(rel)
	if file == "_go.mod" {
		return dir + "go.mod"
	}
	return rel
}

// modulePerm is the permission bits of a toolchain module's file, decided by its name as
// cmd/distpack decides them when it builds the release (its mode function): programs and
// scripts 0755, everything else 0644. A module zip's own attributes are not part of what the
// checksum database proves (the h1 hash covers names and contents), so they are never used.
func modulePerm(rel string) fs.FileMode {
	switch {
	case strings.HasPrefix(rel, "bin/"), strings.HasPrefix(rel, "pkg/tool/"),
		strings.HasSuffix(rel, ".bash"), strings.HasSuffix(rel, ".sh"),
		strings.HasSuffix(rel, ".pl"), strings.HasSuffix(rel, ".rc"):
		return 0o755
	}
	if ok, _ := path.Match("go_?*_?*_exec", path.Base(rel)); ok {
		return 0o755
	}
	return 0o644
}

// fold maps names that differ only in case to one key, so that fold(a) == fold(b)
// exactly when strings.EqualFold(a, b): each rune becomes the smallest of its case orbit.
func fold(s string) string {
	lower, ascii := false, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		lower = lower || 'a' <= c && c <= 'z'
	}
	if ascii && !lower {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b.WriteRune(m)
	}
	return b.String()
}
