package unpack

import (
	"crypto/sha256"
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
// without its zip. A link counts as the file the zip held, its target's
// bytes: a tree unpacked before gover ignored a zip's attributes may hold
// links the database's bytes were served as, and that is told apart from
// a changed file by ModuleAttributes, not by a wrong hash.
func ModuleZipHash(m *manifest.Manifest, prefix string) string {
	type line struct {
		name string
		sum  [sha256.Size]byte
	}
	lines := make([]line, 0, len(m.Files))
	for _, f := range m.Files {
		sum := f.SHA256
		if f.IsLink() {
			sum = sha256.Sum256([]byte(f.Target))
		}
		lines = append(lines, line{prefix + moduleName(f.Path), sum})
	}
	slices.SortFunc(lines, func(a, b line) int { return strings.Compare(a.name, b.name) })
	h := manifest.NewH1()
	for _, l := range lines {
		h.Add(l.name, l.sum)
	}
	return h.String()
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

// ModuleAttributes lists what in a module tree's manifest does not follow
// the module rules Zip applies (Options.Module): a link where the module
// holds a regular file, or an exec bit other than modulePerm's. A proxy
// that re-serves a proven zip with its attributes changed leaves such a
// tree behind in installs made before those rules: its files are the
// module's, laid out wrongly. Each problem is "bin/go is a symbolic link".
// Exec bits are judged only when modes says the file system keeps them.
func ModuleAttributes(m *manifest.Manifest, modes bool) []string {
	var out []string
	for _, f := range m.Files {
		switch {
		case f.IsLink():
			out = append(out, f.Path+" is a symbolic link")
		case !f.Mode.IsRegular():
			out = append(out, f.Path+" is not a regular file")
		case !modes:
		case modulePerm(f.Path)&0o100 != 0 && f.Mode&0o100 == 0:
			out = append(out, f.Path+" is not executable")
		case modulePerm(f.Path)&0o100 == 0 && f.Mode&0o111 != 0:
			out = append(out, f.Path+" is executable")
		}
	}
	return out
}

// moduleLeavesOut are the top folders of a release archive that its
// golang.org/toolchain module zip leaves out (cmd/distpack, pack.go:
// modArch.Remove("api/**", "doc/**", "misc/**", "test/**")).
var moduleLeavesOut = []string{"api", "doc", "misc", "test"}

// ModuleSubset is the part of an archive's tree that its module zip holds,
// file for file. Since Go 1.21 cmd/distpack writes the binary archive and
// the golang.org/toolchain module zip from one file list: the module is
// that list less api/, doc/, misc/ and test/, under the module's prefix,
// with each go.mod named _go.mod (ModuleZipHash names them so). So the
// checksum database's h1: for the module vouches for this subset of an
// archive install too.
func ModuleSubset(m *manifest.Manifest) manifest.Manifest {
	var out manifest.Manifest
	for _, f := range m.Files {
		top, _, _ := strings.Cut(f.Path, "/")
		if !slices.Contains(moduleLeavesOut, top) {
			out.Files = append(out.Files, f)
		}
	}
	return out
}

// ModuleCovers says in words which files ModuleSubset keeps.
func ModuleCovers(files int) string {
	return fmt.Sprintf("%d files: the archive's less %s/", files, strings.Join(moduleLeavesOut, "/, "))
}
