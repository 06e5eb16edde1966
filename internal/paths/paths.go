// Package paths says where gover keeps things: toolchains, install records,
// shims, the cache and the global version file (SPEC.md, "Where things live").
//
// The CLI fills Dirs from adrg/xdg; the shim, which must start fast, fills
// them with DefaultDirs, a small copy of adrg/xdg's rules that a test keeps
// in step with the library.
package paths

import (
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

// New returns the layout for this environment: everything under GOVER_ROOT
// when it is set, else under the user's base folders.
func New(getenv func(string) string, d Dirs) Layout {
	if root := getenv("GOVER_ROOT"); root != "" {
		root = filepath.Clean(root)
		return Layout{
			Versions:   filepath.Join(root, "versions"),
			Shims:      filepath.Join(root, "shims"),
			Cache:      filepath.Join(root, "cache"),
			GlobalFile: filepath.Join(root, "version"),
		}
	}
	data := filepath.Join(d.DataHome, "gover")
	return Layout{
		Versions:   filepath.Join(data, "versions"),
		Shims:      filepath.Join(data, "shims"),
		Cache:      filepath.Join(d.CacheHome, "gover"),
		GlobalFile: filepath.Join(d.ConfigHome, "gover", "version"),
	}
}

// Toolchain is the GOROOT of an installed toolchain. name is a version
// ("go1.22.5") or, for another platform's toolchain, "go1.22.5.windows-amd64".
func (l Layout) Toolchain(name string) string { return filepath.Join(l.Versions, name) }

// Record is the install record beside a toolchain (never inside it).
func (l Layout) Record(name string) string { return filepath.Join(l.Versions, name+".json") }

// Locks is the folder of per-version lock files.
func (l Layout) Locks() string { return filepath.Join(l.Cache, "locks") }

// Downloads is the folder of partial and complete downloads.
func (l Layout) Downloads() string { return filepath.Join(l.Cache, "downloads") }

// envPath is adrg/xdg's rule: an environment value counts when, after "~"
// expansion, it is an absolute path.
func envPath(getenv func(string) string, name, home, fallback string) string {
	v := getenv(name)
	if v == "~" {
		v = home
	} else if rest, ok := strings.CutPrefix(v, "~/"); ok {
		v = filepath.Join(home, rest)
	} else if rest, ok := strings.CutPrefix(v, `~\`); ok {
		v = filepath.Join(home, rest)
	}
	if v != "" && filepath.IsAbs(v) {
		return v
	}
	return fallback
}
