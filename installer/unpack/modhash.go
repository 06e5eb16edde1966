package unpack

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/goverdev/gover/internal/manifest"
)

// ModuleZipHash is the "h1:" hash of the module zip a tree was unpacked
// from (Options.Module), computed from the tree's manifest alone: each
// file under its zip name (prefix, then its path, with each go.mod named
// _go.mod again), as dirhash.Hash1 computes it over the zip. A tree
// whose manifest gives the hash the checksum database holds for the module
// version is that module's content, so an install can be proven again
// without its zip. A manifest with links or another layout gives another
// hash: the check then fails, it never passes wrongly.
func ModuleZipHash(m *manifest.Manifest, prefix string) string {
	type line struct {
		name string
		sum  [sha256.Size]byte
	}
	lines := make([]line, 0, len(m.Files))
	for _, f := range m.Files {
		sum := f.SHA256
		if f.IsLink() {
			sum = sha256.Sum256([]byte("-> " + f.Target))
		}
		lines = append(lines, line{prefix + moduleName(f.Path), sum})
	}
	slices.SortFunc(lines, func(a, b line) int { return strings.Compare(a.name, b.name) })
	h := sha256.New()
	for _, l := range lines {
		fmt.Fprintf(h, "%x  %s\n", l.sum, l.name)
	}
	return "h1:" + base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// moduleName undoes moduleRel: each go.mod was stored as _go.mod. (A zip
// that held a go.mod under its own name hashes otherwise; toolchain zips
// hold none.)
func moduleName(rel string) string {
	dir, file := path.Split(rel)
	if file == "go.mod" {
		return dir + "_go.mod"
	}
	return rel
}
