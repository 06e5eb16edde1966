// Package toolchainmod names the golang.org/toolchain module's versions
// and files, the way cmd/go's toolchain package defines them: the one
// place gover's installer, mirror and doctor learn them from.
package toolchainmod

import "strings"

// Path is the module GOTOOLCHAIN downloads toolchains from.
const Path = "golang.org/toolchain"

// versionPrefix starts every version of the module (cmd/go's
// gotoolchainVersion).
const versionPrefix = "v0.0.1-"

// ListPath is the module's version list, relative to a proxy's base URL.
const ListPath = Path + "/@v/list"

// Version is the module version holding goVersion for goos/goarch, in Go's
// spelling ("arm", not the official files' "armv6l"):
// v0.0.1-go1.22.5.linux-amd64.
func Version(goVersion, goos, goarch string) string {
	return versionPrefix + goVersion + "." + goos + "-" + goarch
}

// GoVersion is the Go version a module version holds for goos/goarch:
// "go1.22.5" for v0.0.1-go1.22.5.linux-amd64 on linux/amd64; ok is false
// for a version of another platform or form. The Go version is not
// checked beyond that.
func GoVersion(mv, goos, goarch string) (goVersion string, ok bool) {
	v, ok := strings.CutPrefix(mv, versionPrefix)
	if !ok {
		return "", false
	}
	if v, ok = strings.CutSuffix(v, "."+goos+"-"+goarch); !ok {
		return "", false
	}
	return v, true
}

// FilePath is one of a version's files, relative to a proxy's base URL:
// golang.org/toolchain/@v/<mv><ext>, ext being ".info", ".mod" or ".zip".
func FilePath(mv, ext string) string { return Path + "/@v/" + mv + ext }

// ZipPrefix is the folder every file of a version's zip is under:
// golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/.
func ZipPrefix(mv string) string { return Path + "@" + mv + "/" }
