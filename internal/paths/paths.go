// Package paths says where gover keeps things: toolchains, install records,
// shims, the cache and the global version file (SPEC.md, "Where things live").
//
// FromEnv is the one function that computes the layout, for the CLI and the
// shim alike. It applies adrg/xdg's rules for each OS (a test keeps them in
// step with the library), and every path it gives is absolute: a relative
// one would be resolved against whatever folder go runs in, where a
// repository could plant a toolchain. The shim links this package, so it
// stays small: no fmt, no os/user.
package paths

import (
	"errors"
	"path/filepath"
	"strings"
)

// Dirs are the user's base folders (XDG names, native folders on macOS and Windows).
type Dirs struct {
	DataHome, ConfigHome, CacheHome string
}

// Layout is every folder and file gover uses.
type Layout struct {
	// Versions holds one complete GOROOT per installed toolchain, and beside
	// each its install record (go1.22.5 and go1.22.5.json).
	Versions string
	// Shims holds the go and gofmt shims.
	Shims string
	// Cache holds downloads, the release index and checksum database state.
	Cache string
	// GlobalFile names the version used when nothing else selects one.
	GlobalFile string
}

// FromEnv returns the layout for the environment getenv reads: everything
// under GOVER_ROOT when it is set, else under the user's base folders.
//
//   - GOVER_ROOT must be an absolute path; a relative one is refused
//     (a *RelativeError), never resolved against the working folder.
//   - An XDG_* variable that is not an absolute path is ignored, as the
//     XDG Base Directory specification says.
//   - The home folder (HOME; USERPROFILE on Windows) is used only when a
//     base folder falls back to it. When it is unset or relative, the user
//     database is asked (/etc/passwd; the profile folder on Windows); when
//     that has no answer either, FromEnv refuses (a *NoHomeError).
func FromEnv(getenv func(string) string) (Layout, error) {
	if root := getenv("GOVER_ROOT"); root != "" {
		if !filepath.IsAbs(root) {
			return Layout{}, &RelativeError{Var: "GOVER_ROOT", Value: root}
		}
		return Under(root), nil
	}
	d, err := DefaultDirs(getenv)
	if err != nil {
		return Layout{}, err
	}
	return New(getenv, d), nil
}

// DefaultDirs applies adrg/xdg's rules for this OS to getenv, asking for
// the home folder only when a variable does not name its folder.
func DefaultDirs(getenv func(string) string) (Dirs, error) {
	var home string
	var homeErr error
	found := false
	return baseDirs(getenv, func() (string, error) {
		if !found {
			home, homeErr = homeDir(getenv)
			found = true
		}
		return home, homeErr
	})
}

// homeDir is the home folder: the variable when it holds an absolute path,
// else the user database's answer.
func homeDir(getenv func(string) string) (string, error) {
	if h := getenv(homeVar); filepath.IsAbs(h) {
		return h, nil
	}
	h, err := userDatabaseHome()
	if err == nil && !filepath.IsAbs(h) {
		err = errors.New("it names " + h + ", not an absolute path")
	}
	if err != nil {
		return "", &NoHomeError{Var: homeVar, Value: getenv(homeVar), Err: err}
	}
	return h, nil
}

// New returns the layout under GOVER_ROOT when getenv sets it, else under
// d. It trusts its input; FromEnv is what checks it.
func New(getenv func(string) string, d Dirs) Layout {
	if root := getenv("GOVER_ROOT"); root != "" {
		return Under(root)
	}
	data := filepath.Join(d.DataHome, "gover")
	return Layout{
		Versions:   filepath.Join(data, "versions"),
		Shims:      filepath.Join(data, "shims"),
		Cache:      filepath.Join(d.CacheHome, "gover"),
		GlobalFile: filepath.Join(d.ConfigHome, "gover", "version"),
	}
}

// Under is the layout of a root folder (GOVER_ROOT).
func Under(root string) Layout {
	root = filepath.Clean(root)
	return Layout{
		Versions:   filepath.Join(root, "versions"),
		Shims:      filepath.Join(root, "shims"),
		Cache:      filepath.Join(root, "cache"),
		GlobalFile: filepath.Join(root, "version"),
	}
}

// Toolchain is the GOROOT of an installed toolchain. name is a version
// ("go1.22.5") or, for another platform's toolchain, "go1.22.5.windows-amd64".
func (l Layout) Toolchain(name string) string { return filepath.Join(l.Versions, name) }

// Record is the install record beside a toolchain (never inside it).
func (l Layout) Record(name string) string { return filepath.Join(l.Versions, name+".json") }

// StatCache is the stat cache of an installed tree (verify.TreeOptions):
// derived data, so it lives with the caches, bound to the tree and record
// it was made for; losing it costs one full re-hash.
func (l Layout) StatCache(name string) string {
	return filepath.Join(l.Cache, "trees", name+".stat")
}

// Locks is the folder of per-version lock files.
func (l Layout) Locks() string { return filepath.Join(l.Cache, "locks") }

// Downloads is the folder of partial and complete downloads.
func (l Layout) Downloads() string { return filepath.Join(l.Cache, "downloads") }

// A RelativeError is a variable that must name an absolute path but does not.
type RelativeError struct{ Var, Value string }

func (e *RelativeError) Error() string {
	return e.Var + "=" + e.Value + " is not an absolute path, and gover never resolves its folders against the current one (set " + e.Var + " to an absolute path, or unset it)"
}

// A NoHomeError is a home folder that neither the environment nor the user
// database gives.
type NoHomeError struct {
	Var, Value string
	Err        error
}

func (e *NoHomeError) Error() string {
	what := e.Var + " is not set"
	if e.Value != "" {
		what = e.Var + "=" + e.Value + " is not an absolute path"
	}
	return "find your home folder: " + what + " and the user database has no answer (" + e.Err.Error() + ") (set " + e.Var + ", or GOVER_ROOT to an absolute path)"
}

func (e *NoHomeError) Unwrap() error { return e.Err }

// xdgPath is adrg/xdg's rule for one variable: its value when, after "~"
// expansion, it is an absolute path; else the fallback folder under base.
func xdgPath(getenv func(string) string, name string, base func() (string, error), fallback ...string) (string, error) {
	v := getenv(name)
	if v == "~" || strings.HasPrefix(v, "~/") || strings.HasPrefix(v, `~\`) {
		h, err := homeDir(getenv)
		if err != nil {
			return "", err
		}
		v = filepath.Join(h, v[1:])
	}
	if filepath.IsAbs(v) {
		return v, nil
	}
	b, err := base()
	if err != nil {
		return "", err
	}
	return filepath.Join(append([]string{b}, fallback...)...), nil
}
