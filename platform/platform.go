// Package platform holds gover's per-OS backends: the host platform, the
// Windows registry, Homebrew, apt and dnf. It is the only package that asks
// runtime.GOOS; everything OS-specific elsewhere lives in _windows.go files.
//
// One interface, System, is what the CLI (gover setup, gover system) and the
// doctor use; New returns this OS's implementation. The Linux and macOS
// logic lives in files without build tags (unix.go, linuxpkg.go,
// homebrew.go, rcfile.go) so it is tested on any machine with a fake
// Runner, fake brew and sysctl scripts and a fake file system root; only
// the choice of backend is per OS (system_linux.go, system_darwin.go, …).
// The Windows backend (winsys.go) reads and writes the registry through
// registry_windows.go, which needs Windows (or Wine, see winetest/); its
// decisions (winsys.go, winpath.go) are tested anywhere with a fake registry.
//
// Invariants:
//   - Status only looks: it never changes the system.
//   - Setup changes only what it reports, and Setup with Undo removes exactly
//     what Setup added (rc lines carry a marker; on Windows the added PATH
//     entry is recorded under HKCU\Software\gover).
//   - Nothing asks for privileges: actions that need root or an elevated
//     prompt say so and stop.
package platform

import (
	"context"
	"errors"
	"runtime"
)

// Host returns the GOOS and GOARCH toolchains are installed for by default.
// On an Apple Silicon Mac it is arm64 even when gover runs under Rosetta.
func Host() (goos, goarch string) {
	return runtime.GOOS, hostArch()
}

// A System is one operating system as gover sees it: the Go installed
// outside gover, holding that Go at its version, and putting gover's shims
// on the user's PATH.
type System interface {
	// Status reports the Go installed outside gover and the checks of what
	// stands in the shims' way. It changes nothing.
	Status(ctx context.Context, o StatusOptions) (Status, error)
	// Hold keeps the package manager from upgrading its Go (apt-mark hold,
	// dnf versionlock, brew pin); Hold(ctx, false) lets it go again.
	Hold(ctx context.Context, hold bool) ([]Change, error)
	// Setup puts the shims on the user's PATH for good; with o.Undo it
	// takes off what an earlier Setup put there.
	Setup(ctx context.Context, o SetupOptions) ([]Change, error)
}

// Env is the outside world a backend looks at. The CLI fills it from the
// process; tests fill it with fakes.
type Env struct {
	Getenv func(string) string
	// Run runs dpkg-query, apt-mark, rpm, dnf, brew, xcrun and sysctl.
	Run Runner
	// Root prefixes the well-known system folders (/usr/local/go,
	// /usr/lib/go*, /snap, /opt/homebrew, …); empty means "/".
	Root string
	// Shims is gover's shims folder; Versions holds gover's toolchains (a
	// go from there on PATH is gover's own, put there by 'gover shell').
	Shims, Versions string
	// Privileged reports whether this process runs as root (Unix) or
	// elevated (Windows).
	Privileged func() bool
}

func (e Env) privileged() bool { return e.Privileged != nil && e.Privileged() }

// StatusOptions say what else Status should look at.
type StatusOptions struct {
	// Kegs are Homebrew keg-only formulae (e.g. openssl@3) whose
	// pkg-config files cgo builds need: PKG_CONFIG_PATH must cover them.
	Kegs []string
}

// SetupOptions say what Setup does.
type SetupOptions struct {
	// Undo removes what an earlier Setup added.
	Undo bool
	// Shell is bash, zsh, fish or pwsh (Unix); empty means $SHELL's.
	Shell string
	// Gover is how the shell line runs gover: "gover" when it is on PATH,
	// else its absolute path.
	Gover string
	// GoverDir is the folder holding gover. Windows setup puts it on the
	// user PATH after the shims when no entry names it yet (install.ps1
	// relies on that); on Unix the rc line runs gover by its full path.
	GoverDir string
	// System edits the machine-wide PATH instead of the user's (Windows;
	// needs an elevated prompt).
	System bool
	// Yes runs the commands Setup would otherwise only suggest
	// (brew install pkgconf).
	Yes bool
	// PkgConfig adds a line exporting PKG_CONFIG_PATH for Homebrew (and
	// Kegs) to the rc file (macOS).
	PkgConfig bool
	Kegs      []string
}

// Status is what Status found.
type Status struct {
	// Installs are the Go installations outside gover.
	Installs []Install `json:"installs"`
	// Checks use the doctor's ids (SPEC.md, "Doctor checks").
	Checks []Check `json:"checks"`
	// Homebrew is set when Homebrew is installed (macOS, Linuxbrew).
	Homebrew *Homebrew `json:"homebrew,omitempty"`
	// Rosetta is true when gover runs translated on Apple Silicon.
	Rosetta bool `json:"rosetta,omitempty"`
}

// A Kind says who put a Go installation there.
type Kind string

// Kinds of Go installed outside gover.
const (
	KindDeb      Kind = "deb"       // dpkg: golang-go and golang-1.NN-go
	KindRPM      Kind = "rpm"       // rpm: golang
	KindSnap     Kind = "snap"      // snap: go
	KindHomebrew Kind = "homebrew"  // brew: go, go@1.NN
	KindMSI      Kind = "msi"       // the official Windows installer
	KindUsrLocal Kind = "usr-local" // /usr/local/go: the official archive or macOS package
	KindUsrLib   Kind = "usr-lib"   // /usr/lib/go* that no known package claims
	KindPath     Kind = "path"      // a go on PATH, ahead of the shims, that nothing above explains
)

// An Install is one Go installed outside gover.
type Install struct {
	Kind Kind `json:"kind"`
	// Package and PackageVersion name the package (formula) that owns it.
	Package        string `json:"package,omitempty"`
	PackageVersion string `json:"package_version,omitempty"`
	// Version is the Go version ("go1.22.5"), when its GOROOT says.
	Version string `json:"version,omitempty"`
	// GOROOT is its folder, when it has one.
	GOROOT string `json:"goroot,omitempty"`
	// Go is the go command that runs it: the one on PATH ahead of the shims
	// when it shadows them, else its own (GOROOT/bin/go, /usr/bin/go for a
	// distro package, <prefix>/bin/go for Homebrew's).
	Go string `json:"go,omitempty"`
	// Held is true when the package manager will not upgrade it.
	Held bool `json:"held"`
	// Shadows is true when running go runs it instead of gover's shims.
	Shadows bool `json:"shadows"`
}

// Check statuses (the doctor's).
const (
	OK   = "ok"
	Warn = "warn"
	Fail = "fail"
)

// A Check is one finding, in the doctor's shape.
type Check struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
}

// A Change is one thing Setup or Hold did, or (Done false) one command it
// suggests the user run.
type Change struct {
	Message string
	Done    bool
}

var (
	// ErrNeedsRoot means an action changes the system's packages.
	ErrNeedsRoot = errors.New("needs root")
	// ErrNeedsElevation means an action changes machine-wide settings on Windows.
	ErrNeedsElevation = errors.New("needs an elevated prompt")
	// ErrNothingToHold means no package manager has a Go installed.
	ErrNothingToHold = errors.New("no Go from a package manager is installed")
	// ErrUnsupported means this OS has no such action.
	ErrUnsupported = errors.New("not supported on this OS")
)
