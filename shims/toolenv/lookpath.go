package toolenv

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/goverdev/gover/internal/fspath"
)

// ErrNotOnPath is wrapped by LookPathIn's answer for a program that is in
// none of the folders.
var ErrNotOnPath = errors.New("not on PATH")

// LookPathIn finds the program name in the folders of pathList, as
// os/exec's LookPath does for this process's PATH (on Windows, trying the
// suffixes PATHEXT lists), but on the list the caller gives: the user's
// PATH can differ from this process's. A name with a separator is checked
// as it is.
func LookPathIn(name, pathList string) (string, error) {
	if strings.ContainsAny(name, `/`+string(filepath.Separator)) {
		if p, ok := findExecutable(name); ok {
			return p, nil
		}
		return "", &fs.PathError{Op: "find", Path: name, Err: ErrNotOnPath}
	}
	for _, dir := range filepath.SplitList(pathList) {
		if dir == "" {
			continue
		}
		if p, ok := findExecutable(filepath.Join(dir, name)); ok {
			return p, nil
		}
	}
	return "", &fs.PathError{Op: "find", Path: name, Err: ErrNotOnPath}
}

// SystemProgram finds the program prog (without suffix) that a shim runs
// when nothing selects a version: the first on pathList outside the shims
// folder that is not the shim itself (shimExe, by identity: a link to the
// shim elsewhere on PATH would run the shim again). The shim, 'gover
// which' and 'gover current' all ask this, so they cannot disagree.
func SystemProgram(prog, pathList, shims, shimExe string) (string, bool) {
	var selfInfo, shimsInfo fs.FileInfo
	if shimExe != "" {
		selfInfo, _ = os.Stat(shimExe)
	}
	if shims != "" {
		shimsInfo, _ = os.Stat(shims)
	}
	for _, dir := range filepath.SplitList(pathList) {
		if dir == "" || (shims != "" && filepath.Clean(dir) == filepath.Clean(shims)) {
			continue
		}
		exe := filepath.Join(dir, prog+ExeSuffix)
		fi, err := os.Stat(exe)
		if err != nil || !IsExecutable(fi) {
			continue
		}
		if selfInfo != nil && IsShim(exe, fi, shimExe, selfInfo) {
			continue
		}
		if shimsInfo != nil {
			if di, err := os.Stat(dir); err == nil && os.SameFile(di, shimsInfo) {
				continue
			}
		}
		return exe, true
	}
	return "", false
}

// GorootVersion is the release a Go installation at goroot holds, from the
// first line of its VERSION file ("go1.22.5", then since Go 1.21 a "time …"
// line); "" when there is no such file or it names no release.
func GorootVersion(goroot string) string {
	// A go on PATH can be anyone's (a folder of a repository's): its
	// VERSION is read only as a regular file, never blocking on a FIFO.
	f, _, err := fspath.OpenRegular(filepath.Join(goroot, "VERSION"))
	if err != nil {
		return ""
	}
	defer f.Close()
	var buf [128]byte
	n, _ := io.ReadFull(f, buf[:])
	first, _, _ := strings.Cut(string(buf[:n]), "\n")
	if v := strings.TrimSpace(first); strings.HasPrefix(v, "go1") && !strings.ContainsAny(v, " \t") {
		return v
	}
	return ""
}

// SystemGoVersion is the release of the go a shim runs when nothing selects
// a version (SystemProgram's go on pathList): the VERSION of the GOROOT it
// belongs to, found as that go finds its own (the folder above the bin
// folder its real path sits in); "" when there is no such go or it names
// no release.
func SystemGoVersion(pathList, shims string) string {
	exe, ok := SystemProgram("go", pathList, shims, "")
	if !ok {
		return ""
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	return GorootVersion(filepath.Dir(filepath.Dir(exe)))
}

// IsShim reports whether the program p (status fi) is the shim shimExe
// (status shimInfo): the same file, or a copy of it (Windows shims are
// copies where links cannot be made). Only a file of the shim's size is
// read.
func IsShim(p string, fi fs.FileInfo, shimExe string, shimInfo fs.FileInfo) bool {
	if os.SameFile(fi, shimInfo) {
		return true
	}
	if fi.Size() != shimInfo.Size() {
		return false
	}
	a, err1 := os.ReadFile(p)
	b, err2 := os.ReadFile(shimExe)
	return err1 == nil && err2 == nil && string(a) == string(b)
}
