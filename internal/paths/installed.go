package paths

import (
	"errors"
	"io/fs"
	"os"
	"strings"

	"github.com/goverdev/gover/internal/goversion"
)

// What counts as installed is decided here, for every reader of the
// versions folder — the shim, 'gover list', verify, doctor, install's
// "already installed" — so that none runs a toolchain another does not
// see. An entry versions/NAME is an installed toolchain when:
//
//  1. NAME is a Go version ("go1.22.5"), or a version and another
//     platform ("go1.22.5.windows-amd64", never run by shims);
//  2. it is a folder, or a symbolic link to one (a Go built from source,
//     linked in by hand); a link to nothing, or a file, is not installed;
//  3. on Unix, the entry itself (the link, when it is one) and the folder
//     are owned by the user gover runs as (its effective uid) or by root,
//     and the folder is not writable by group or others (mode & 022 == 0)
//     — as ssh's StrictModes and git's safe.directory judge what they
//     trust. (The versions and shims folders themselves pass the same
//     rule, except that they may be sticky and writable by all: see
//     CheckOwned.)
//
// An entry that fails 3 is not silently skipped: CheckToolchain returns an
// *UntrustedError naming the owner and the fix, and listings carry it, so
// a shared root where another user made versions/go1.22.5 first is
// refused loudly. Only the entry is judged, not what it holds: no one but
// its owner (or root) may write inside a folder that passes. The common
// case, a folder, costs one lstat.

// ErrNotFound is wrapped by every "not found" and "not installed" error
// (installer.ErrNotFound is this value).
var ErrNotFound = errors.New("not found")

// A NotInstalledError is a toolchain that is not installed.
type NotInstalledError struct {
	// Name is what is missing: "go1.22.5", or the word a pin asked for.
	Name string
	// Origin says what asked for it ("set by /p/.go-version"), if anything.
	Origin string
	// Install is the argument to 'gover install' that installs it; empty
	// when there is nothing to suggest.
	Install string
}

func (e *NotInstalledError) Error() string {
	msg := e.Name
	if e.Origin != "" {
		msg += " (" + e.Origin + ")"
	}
	if e.Install == "" {
		return msg + " is not installed (see 'gover list')"
	}
	return msg + " is not installed (run 'gover install " + e.Install + "')"
}

func (e *NotInstalledError) Is(target error) bool { return target == ErrNotFound }

// An UntrustedError is a versions/ entry that looks like a toolchain but
// breaks the rules above: gover neither runs it nor counts it installed.
type UntrustedError struct {
	Path string
	// Why: "is owned by uid 12345 (mallory)", "is writable by group or others (mode 777)", …
	Why string
}

func (e *UntrustedError) Error() string {
	return e.Path + " " + e.Why + ", so gover does not trust it (remove it, as its owner or an administrator, then install again; or use a GOVER_ROOT of your own)"
}

// ParseToolchainName splits a versions/ entry name into its version and,
// for another platform's tree, that platform ("windows-amd64"). ok is
// false for names that are not toolchains: temporary folders of installs
// under way (".go1.22.5.tmp-…"), records ("go1.22.5.json"), anything else.
func ParseToolchainName(name string) (version, platform string, ok bool) {
	if goversion.IsValid(name) {
		return name, "", true
	}
	i := strings.LastIndex(name, ".")
	if i < 0 || !goversion.IsValid(name[:i]) || !strings.Contains(name[i+1:], "-") || strings.HasPrefix(name, ".") {
		return "", "", false
	}
	return name[:i], name[i+1:], true
}

// CheckToolchain decides whether versions/name is an installed toolchain
// gover may use: nil, a *NotInstalledError (Name is name), or an
// *UntrustedError. A folder costs one lstat (the shim calls this on every
// go call); a link, a stat more.
func (l Layout) CheckToolchain(name string) error {
	fi, err := owned(l.Toolchain(name), false)
	switch {
	case errors.Is(err, fs.ErrNotExist) || isNotDir(err):
		return &NotInstalledError{Name: name}
	case err != nil:
		return err
	case !fi.IsDir():
		return &NotInstalledError{Name: name}
	}
	return nil
}

// CheckOwned applies rule 3 to a folder gover writes into or a file it
// runs (the versions and shims folders, each shim): nil when it is missing
// or trusted, else an *UntrustedError. A sticky shared root lets anyone
// create versions/ or shims/go first; gover must not then install into
// the one or leave the other in place. A sticky folder (mode 1777, as
// /tmp) may be writable by others: they can add entries to it, which
// gover judges one by one, but not move or replace gover's own.
func CheckOwned(path string) error {
	_, err := owned(path, true)
	if errors.Is(err, fs.ErrNotExist) || isNotDir(err) {
		return nil
	}
	return err
}

// owned stats path, following a link, and refuses it unless the link and
// what it leads to pass rule 3 (sticky allows a sticky folder others may
// write).
func owned(path string, sticky bool) (fs.FileInfo, error) {
	fi, err := os.Lstat(path)
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if why := untrustedOwner(fi, false); why != "" {
			return nil, &UntrustedError{Path: path, Why: "is a symbolic link that " + why}
		}
		fi, err = os.Stat(path)
	}
	if err != nil {
		return nil, err
	}
	if why := untrustedOwner(fi, !sticky || fi.Mode()&fs.ModeSticky == 0 || !fi.IsDir()); why != "" {
		return nil, &UntrustedError{Path: path, Why: why}
	}
	return fi, nil
}
