// Package unpack writes a toolchain archive, a streamed .tar.gz or a .zip, into a fresh folder, refusing any entry that could land outside it.
//
// TarGz and Zip return the manifest of what they wrote; Zip also returns the module's h1 hash.
// ZipStream reads a module zip as it arrives, from its local headers in order; its tree counts
// only once StreamedZip.Confirm has found the zip's central directory listing exactly what was
// read (names, methods, CRC-32s, sizes, data offsets), and then gives the manifest and h1 hash.
//
// The unpackers hold these invariants; each refusal is an *EntryError naming the entry:
//   - Every entry sits under Options.Prefix, which is stripped. Names are slash-separated and
//     relative, with no empty, "." or ".." element, backslash, colon (drive letter or Windows
//     stream) or control character.
//   - No two entries share a name, even ignoring case (they would overwrite each other on macOS
//     and Windows), and no entry sits inside a file or passes through a symbolic link.
//   - Only regular files, folders and symbolic links are written. A link's target is relative
//     and resolves inside the tree, following the archive's other links; links are created
//     after every file, so no file is ever written through one.
//   - At most Options.MaxBytes of file content are written, counted as it is decompressed
//     (ErrTooLarge); a zip entry may not decompress to more than its header declares.
//   - Files are created with O_EXCL (and O_NOFOLLOW on Unix), their mode set at creation,
//     less the umask: 0755 for programs, 0644 for the rest (filePerm), never setuid, setgid
//     or sticky.
//   - With Options.Module, a zip is read as golang.org/x/mod/zip reads module zips: a name
//     ending in "/" is a folder and every other entry a regular file holding the entry's
//     bytes, whatever type and mode its attributes claim; modes come from modulePerm.
//   - Folders get mode 0755 less the umask, whatever the archive says.
//
// On error the tree is left half-written for the caller to remove; no goroutine outlives a call.
package unpack

import (
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"strings"

	"github.com/goverdev/gover/internal/manifest"
)

// Options control one unpack.
type Options struct {
	// Prefix is the folder every entry must sit under; it is stripped from each name.
	// "go/" for official archives, "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/" for module zips.
	Prefix string
	// MaxBytes bounds the total size of the files written (0: 4 GiB). Exceeding it is ErrTooLarge
	// (this is the gzip-bomb / lying-zip guard).
	MaxBytes int64
	// Module applies the golang.org/toolchain module-zip conventions: every "_go.mod" is written as
	// "go.mod" (manifest Path says go.mod); zip attributes are ignored (regular files only, modes by
	// modulePerm), as x/mod/zip and cmd/go ignore them.
	Module bool
	// Workers is the number of parallel file writers (0: a sensible default for the CPU count, e.g. 2*GOMAXPROCS, max 8).
	Workers int
}

var (
	// ErrUnsafePath marks an entry whose name or link target could write outside the tree,
	// or that would overwrite or collide with another entry.
	ErrUnsafePath = errors.New("unsafe path")
	// ErrTooLarge marks an archive that expands past Options.MaxBytes (or past the sizes it declares).
	ErrTooLarge = errors.New("archive too large")
	// ErrUnsupported marks an entry gover does not write: hard links, devices, FIFOs, sockets,
	// encrypted zip entries, compression methods other than Store and Deflate.
	ErrUnsupported = errors.New("unsupported entry")
)

// An EntryError is a refusal or failure tied to one archive entry.
type EntryError struct {
	Name string // as written in the archive
	Err  error
}

func (e *EntryError) Error() string { return fmt.Sprintf("unpack %q: %v", e.Name, e.Err) }

func (e *EntryError) Unwrap() error { return e.Err }

// reason is a refusal: its own words, and the sentinel callers branch on.
type reason struct {
	kind error
	msg  string
}

func (r *reason) Error() string { return r.msg }
func (r *reason) Unwrap() error { return r.kind }

func unsafePath(format string, args ...any) error {
	return &reason{ErrUnsafePath, fmt.Sprintf(format, args...)}
}

func tooLarge(format string, args ...any) error {
	return &reason{ErrTooLarge, fmt.Sprintf(format, args...)}
}

func unsupported(format string, args ...any) error {
	return &reason{ErrUnsupported, fmt.Sprintf(format, args...)}
}

const (
	defaultMaxBytes = 4 << 30
	// maxEntries bounds the names held in memory; a toolchain has about 15,000.
	maxEntries = 200_000
	// maxTarget bounds a symbolic link's target (PATH_MAX on Linux).
	maxTarget = 4096
	// maxLinkHops bounds link chains, as the kernel's ELOOP limit does.
	maxLinkHops = 40
)

// config is Options with defaults applied.
type config struct {
	prefix   string
	maxBytes int64
	module   bool
	workers  int
	slabs    int // buffers between the tar reader and the writers, slabSize each
}

func (o Options) config() config {
	c := config{prefix: o.Prefix, maxBytes: o.MaxBytes, module: o.Module, workers: o.Workers, slabs: maxSlabs}
	if c.prefix != "" && !strings.HasSuffix(c.prefix, "/") {
		c.prefix += "/"
	}
	if c.maxBytes <= 0 {
		c.maxBytes = defaultMaxBytes
	}
	if c.workers <= 0 {
		// Writers spend most of their time in the kernel, so more of them than CPUs keeps the
		// CPUs busy while one waits; past 8 they only contend on the file system's locks.
		c.workers = min(2*runtime.GOMAXPROCS(0), 8)
	}
	return c
}

// filePerm is the permission bits to create a regular file with, as the official archives lay
// files out: 0755 for a program, 0644 for the rest (less the umask, at creation). A module's
// files get modulePerm, whatever the zip says; an archive's file is a program when its mode
// has an execute bit, and never setuid, setgid, sticky, or writable by others.
func (c config) filePerm(rel string, archivePerm fs.FileMode, hasPerm bool) fs.FileMode {
	if c.module {
		return modulePerm(rel)
	}
	if hasPerm && archivePerm&0o111 != 0 {
		return 0o755
	}
	return 0o644
}

func newManifest(files []manifest.File) *manifest.Manifest {
	m := &manifest.Manifest{Files: files}
	m.Sort()
	return m
}
