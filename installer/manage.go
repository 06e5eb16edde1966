package installer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/internal/robustio"
)

// An Installed is a toolchain under versions/.
type Installed struct {
	// Name is the folder name: "go1.22.5", or "go1.22.5.windows-amd64"
	// for another platform's tree.
	Name    string
	Version string
	// Foreign is set for another platform's tree ("windows-amd64").
	Foreign string
	Dir     string
	// Summary is nil when the install record is missing or unreadable.
	Summary *Summary
	// Untrusted, when set, is why gover neither runs nor counts this
	// entry as installed (a *paths.UntrustedError): it is listed so that
	// every command says so, rather than each skipping it silently.
	Untrusted error
}

// List returns the toolchains in versions/ (paths.ParseToolchainName
// says which names are toolchains, paths.Layout.CheckToolchain which may
// be used), newest first, this platform's before foreign ones.
func List(l paths.Layout) ([]Installed, error) {
	entries, err := os.ReadDir(l.Versions)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Installed
	for _, e := range entries {
		name := e.Name()
		version, foreign, ok := paths.ParseToolchainName(name)
		if !ok {
			continue
		}
		in := Installed{Name: name, Version: version, Foreign: foreign, Dir: l.Toolchain(name)}
		switch err := l.CheckToolchain(name); err.(type) {
		case nil:
			in.Summary, _ = ReadSummary(l.Record(name))
		case *paths.NotInstalledError:
			continue // a record, or gone since the listing
		default:
			in.Untrusted = err
		}
		out = append(out, in)
	}
	sortInstalled(out)
	return out, nil
}

func sortInstalled(list []Installed) {
	slices.SortFunc(list, func(a, b Installed) int {
		if (a.Foreign == "") != (b.Foreign == "") {
			if a.Foreign == "" {
				return -1
			}
			return 1
		}
		if c := goversion.Compare(b.Version, a.Version); c != 0 {
			return c
		}
		return strings.Compare(a.Foreign, b.Foreign)
	})
}

// Uninstall removes an installed toolchain and its record. The tree is
// first renamed aside, so it stops counting as installed at once, even if
// the removal is interrupted.
func (in *Installer) Uninstall(ctx context.Context, name string) error {
	return in.accessError(in.uninstall(ctx, name))
}

func (in *Installer) uninstall(ctx context.Context, name string) error {
	dir := in.Layout.Toolchain(name)
	if _, err := os.Lstat(dir); os.IsNotExist(err) {
		return &paths.NotInstalledError{Name: name}
	}
	unlock, err := in.lock(ctx, name)
	if err != nil {
		return err
	}
	defer unlock()
	if in.InUse != nil {
		if users := in.InUse(dir); len(users) > 0 {
			return &InUseError{Name: name, Users: users}
		}
	}
	aside, err := os.MkdirTemp(in.Layout.Versions, "."+name+".old-")
	if err != nil {
		return err
	}
	os.Remove(aside)
	if err := robustio.Rename(dir, aside); err != nil {
		return fmt.Errorf("remove %s: %w", dir, err)
	}
	os.Remove(in.Layout.Record(name))
	os.Remove(in.Layout.StatCache(name))
	if err := os.RemoveAll(aside); err != nil {
		return fmt.Errorf("remove %s: %w (delete it by hand)", aside, err)
	}
	return nil
}

// RunningFrom lists the running programs that were started from dir (a
// toolchain's folder), as "pid 4242 (go)"; for Installer.InUse. Only Linux
// can tell; elsewhere it finds nothing.
func RunningFrom(dir string) []string { return runningFrom(dir) }

// An InUseError is a toolchain that running programs use: removing it
// would pull the files from under a build.
type InUseError struct {
	Name  string
	Users []string
}

func (e *InUseError) Error() string {
	users, more := e.Users, ""
	if len(users) > 3 {
		users, more = users[:3], fmt.Sprintf(" and %d more", len(users)-3)
	}
	return fmt.Sprintf("%s is in use by %s%s; stop them first, or use --force", e.Name, strings.Join(users, ", "), more)
}

// Stale lists leftovers of interrupted installs (for doctor and tests).
func Stale(l paths.Layout) []string {
	var out []string
	for _, pat := range []string{".*.tmp-*", ".*.old-*"} {
		m, _ := filepath.Glob(filepath.Join(l.Versions, pat))
		out = append(out, m...)
	}
	return out
}
