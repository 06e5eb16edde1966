// Package manifest describes an unpacked toolchain tree file by file: the
// list written into each install record at install time and checked again
// by `gover verify`.
package manifest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
)

// A File is one entry of a tree.
type File struct {
	// Path is slash-separated and relative to the tree's root.
	Path string
	// Size in bytes (regular files).
	Size int64
	// Mode holds the permission bits of a regular file (0644 or 0755 in
	// practice), or fs.ModeSymlink for a link.
	Mode fs.FileMode
	// SHA256 of the content (regular files).
	SHA256 [32]byte
	// Target of a symbolic link, as written in the archive.
	Target string
}

// IsLink reports whether f is a symbolic link.
func (f File) IsLink() bool { return f.Mode&fs.ModeSymlink != 0 }

// A Manifest lists every file of a tree, sorted by Path.
type Manifest struct {
	Files []File
}

// Sort orders the files by path; unpackers that write in parallel call it once at the end.
func (m *Manifest) Sort() {
	slices.SortFunc(m.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
}

// TreeHash is a dirhash-style "h1:" digest of the tree: SHA-256 over the
// lines "<sha256>  <path>\n" in path order, with links hashed as their
// "-> target" text. It identifies a tree in one short string.
func (m *Manifest) TreeHash() string {
	h := NewH1()
	for _, f := range m.Files {
		sum := f.SHA256
		if f.IsLink() {
			sum = sha256.Sum256([]byte("-> " + f.Target))
		}
		h.Add(f.Path, sum)
	}
	return h.String()
}

// fileJSON is a File as written in an install record.
type fileJSON struct {
	Path   string `json:"path"`
	Size   int64  `json:"size,omitempty"`
	Mode   string `json:"mode"`
	SHA256 string `json:"sha256,omitempty"`
	Target string `json:"target,omitempty"`
}

// MarshalJSON writes the manifest as {"tree_hash": …, "files": [{path, size, mode, sha256}…]}.
func (m Manifest) MarshalJSON() ([]byte, error) {
	files := make([]fileJSON, len(m.Files))
	for i, f := range m.Files {
		j := fileJSON{Path: f.Path, Size: f.Size, Mode: fmt.Sprintf("%04o", f.Mode.Perm())}
		if f.IsLink() {
			j.Mode, j.Target = "link", f.Target
		} else {
			j.SHA256 = hex.EncodeToString(f.SHA256[:])
		}
		files[i] = j
	}
	return json.Marshal(struct {
		TreeHash string     `json:"tree_hash"`
		Files    []fileJSON `json:"files"`
	}{m.TreeHash(), files})
}

// UnmarshalJSON reads what MarshalJSON wrote and checks its tree hash,
// which it requires.
func (m *Manifest) UnmarshalJSON(b []byte) error {
	var w Wire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	got, err := w.Manifest()
	if err != nil {
		return err
	}
	*m = got
	return nil
}

// Wire is a manifest as MarshalJSON writes it, for a reader that decodes
// it as a plain field of a larger document (an install record): a field
// whose type has an UnmarshalJSON method is scanned twice more.
type Wire struct {
	TreeHash string     `json:"tree_hash"`
	Files    []fileJSON `json:"files"`
}

// Manifest checks what was read and returns the manifest: modes, digests
// and the tree hash.
func (w *Wire) Manifest() (Manifest, error) {
	files := make([]File, len(w.Files))
	for i, j := range w.Files {
		f := File{Path: j.Path, Size: j.Size, Target: j.Target}
		if j.Mode == "link" {
			f.Mode = fs.ModeSymlink
		} else {
			perm, err := strconv.ParseUint(j.Mode, 8, 32)
			if err != nil || perm > 0o777 {
				return Manifest{}, fmt.Errorf("manifest entry %q: bad mode %q", j.Path, j.Mode)
			}
			f.Mode = fs.FileMode(perm)
			sum, err := hex.DecodeString(j.SHA256)
			if err != nil || len(sum) != sha256.Size {
				return Manifest{}, fmt.Errorf("manifest entry %q: bad sha256 %q", j.Path, j.SHA256)
			}
			copy(f.SHA256[:], sum)
		}
		files[i] = f
	}
	m := Manifest{Files: files}
	if w.TreeHash == "" {
		// Every manifest gover writes has one: a record without it was
		// not written by gover, and is never taken on its own say.
		return Manifest{}, fmt.Errorf("manifest has no tree_hash (it was not written by gover)")
	}
	if w.TreeHash != m.TreeHash() {
		return Manifest{}, fmt.Errorf("manifest tree hash %s does not match its files (%s)", w.TreeHash, m.TreeHash())
	}
	return m, nil
}
