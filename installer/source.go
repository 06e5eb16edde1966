// Package installer turns a version word into an installed toolchain:
// resolve the word to a release, find its file on a source (the official
// site, a mirror, or the golang.org/toolchain module on a Go module proxy),
// download it, prove it, unpack it into a temporary folder beside versions/
// and rename that folder into place.
//
// Invariants:
//   - nothing is installed unproven: every stream check passes, and for
//     module zips the checksum database's h1: hash matches, before the rename;
//   - a toolchain counts as installed only once its folder has been renamed
//     into versions/ whole; its install record is written just before;
//   - one install per version at a time, across processes (a file lock);
//   - a download that failed verification is deleted, never resumed.
package installer

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/verify"
)

// A Platform is a GOOS/GOARCH pair in Go's spelling ("linux", "arm").
type Platform struct {
	OS, Arch string
}

func (p Platform) String() string { return p.OS + "/" + p.Arch }

// DownloadArch is the architecture as the official file names spell it
// ("armv6l" for Go's "arm").
func (p Platform) DownloadArch() string {
	if p.Arch == "arm" {
		return "armv6l"
	}
	return p.Arch
}

// ArchiveName is the official archive name of a release on p:
// go1.22.5.linux-amd64.tar.gz.
func (p Platform) ArchiveName(version string) string {
	ext := ".tar.gz"
	if p.OS == "windows" {
		ext = ".zip"
	}
	return version + "." + p.OS + "-" + p.DownloadArch() + ext
}

// A SourceName says which kind of source a toolchain came from. It is
// what install records, JSON output and messages say.
type SourceName string

const (
	SourceOfficial SourceName = "official" // the official download site and its index
	SourceMirror   SourceName = "mirror"   // mirrors of the official files, proven by the official index
	SourceProxy    SourceName = "proxy"    // the golang.org/toolchain module on a Go module proxy
)

// A Release is a version a source offers.
type Release struct {
	Version string `json:"version"`
	Stable  bool   `json:"stable"`
}

// Format is how an artifact is packed.
type Format int

const (
	TarGz     Format = iota // official .tar.gz: streamed straight into place
	Zip                     // official Windows .zip: downloaded, checked, then unpacked
	ModuleZip               // golang.org/toolchain module zip
)

// An Artifact is one file to download and how to prove it.
type Artifact struct {
	Version  string
	Platform Platform
	Source   SourceName
	Filename string
	// URLs to try in order (mirrors fall through to the next).
	URLs   []string
	Size   int64 // 0 when the source does not say
	Format Format
	// Prefix is the top folder inside the archive.
	Prefix string
	// Checks returns fresh checks that prove the downloaded bytes as they
	// stream (fresh for each attempt: a check holds the state of one pass).
	Checks func() ([]verify.StreamCheck, error)
	// WantH1 is the checksum database's hash of a module zip, and SumDB its name.
	WantH1, SumDB string
}

// A Source is somewhere toolchains come from.
type Source interface {
	// Name says which kind of source this is.
	Name() SourceName
	// Releases lists what the source offers for p, newest first.
	Releases(ctx context.Context, p Platform) ([]Release, error)
	// Locate finds version's file for p and what proves it.
	Locate(ctx context.Context, version string, p Platform) (*Artifact, error)
}

// ErrNotFound is wrapped by "no such release", "no file for this platform"
// and "not installed" errors (it is paths.ErrNotFound, which
// paths.NotInstalledError wraps).
var ErrNotFound = paths.ErrNotFound

// A NotFoundError says a release or platform does not exist on a source.
type NotFoundError struct {
	Version  string
	Platform Platform
	Source   SourceName
	Detail   string
}

func (e *NotFoundError) Error() string {
	var b strings.Builder
	if e.Version == "" {
		fmt.Fprintf(&b, "no Go release matches on the %s source", e.Source)
	} else {
		fmt.Fprintf(&b, "no binary release of %s for %s on the %s source", e.Version, e.Platform, e.Source)
	}
	if e.Detail != "" {
		b.WriteString(" (" + e.Detail + ")")
	}
	return b.String()
}

func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// Resolve turns a word into a release name using a source's list.
func Resolve(word goversion.Word, releases []Release) (string, bool) {
	names := make([]string, len(releases))
	for i, r := range releases {
		names[i] = r.Version
	}
	return word.Pick(names)
}

// sortNewestFirst orders releases by version, newest first.
func sortNewestFirst(rs []Release) {
	slices.SortStableFunc(rs, func(a, b Release) int { return goversion.Compare(b.Version, a.Version) })
}
