package cli

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"time"

	"golang.org/x/term"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goproxy"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/platform"
	"github.com/goverdev/gover/shims/selection"
	"github.com/goverdev/gover/shims/toolenv"
)

// Env is everything a command touches in the outside world. Commands get
// it from Main; tests build one with buffers and a fake environment.
type Env struct {
	Getenv  func(string) string
	Environ func() []string
	Getwd   func() (string, error)
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	// StdoutTTY and StderrTTY say whether those are terminals.
	StdoutTTY, StderrTTY bool
	Now                  func() time.Time
	// Executable is gover's own path (to find gover-shim beside it).
	Executable string
	// Version and Commit identify this build.
	Version, Commit string

	fetch *fetch.Client
}

// Set by the release build with -ldflags "-X …".
var (
	version = "dev"
	commit  = ""
)

// SystemEnv is the real environment of this process.
func SystemEnv() *Env {
	exe, _ := os.Executable()
	e := &Env{
		Getenv:     os.Getenv,
		Environ:    os.Environ,
		Getwd:      os.Getwd,
		Stdin:      os.Stdin,
		Stdout:     os.Stdout,
		Stderr:     os.Stderr,
		StdoutTTY:  term.IsTerminal(int(os.Stdout.Fd())),
		StderrTTY:  term.IsTerminal(int(os.Stderr.Fd())),
		Now:        time.Now,
		Executable: exe,
		Version:    version,
		Commit:     commit,
	}
	if e.Commit == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" {
					e.Commit = s.Value
				}
			}
		}
	}
	return e
}

// Layout is where gover keeps things in this environment: the layout the
// shim computes too (paths.FromEnv). The app checks CheckLayout before
// any command runs, so a layout that cannot be computed is never used.
func (e *Env) Layout() paths.Layout {
	l, _ := paths.FromEnv(e.Getenv)
	return l
}

// CheckLayout says why this environment gives no usable layout: a
// relative GOVER_ROOT (a usage error), or no home folder anywhere.
func (e *Env) CheckLayout() error {
	_, err := paths.FromEnv(e.Getenv)
	var rel *paths.RelativeError
	if errors.As(err, &rel) {
		return usageErrorf("%w", err)
	}
	return err
}

// Fetch is the HTTP client, made on first use.
func (e *Env) Fetch() *fetch.Client {
	if e.fetch == nil {
		e.fetch = fetch.New("gover/" + e.Version)
		// Credentials as the go command sends them (GOAUTH, netrc), so a
		// company proxy go reaches works for gover too.
		if auth, err := goproxy.LoadAuth(e.Getenv, goproxy.Load(e.Getenv).GOAUTH); err == nil {
			e.fetch.Credentials = func(req *http.Request) { auth.AddCredentials(req) }
		}
		// Knobs for tests and very slow links.
		if d, err := time.ParseDuration(e.Getenv("GOVER_RETRY_DELAY")); err == nil {
			e.fetch.Backoff = func(int) time.Duration { return d }
		}
		if d, err := time.ParseDuration(e.Getenv("GOVER_STALL_TIMEOUT")); err == nil && d > 0 {
			e.fetch.StallTimeout = d
		}
		// The limits that keep every fetch finite; 0 turns one off. A
		// value gover cannot read is said, and the default kept.
		if v := e.Getenv("GOVER_SPEED_LIMIT"); v != "" {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
				e.fetch.MinRate = n
			} else {
				e.badSetting("GOVER_SPEED_LIMIT", v, "a whole number of bytes per second, such as 1024 (0 turns the limit off)")
			}
		}
		e.durationSetting("GOVER_SPEED_TIME", &e.fetch.RateWindow)
		e.durationSetting("GOVER_FETCH_TIMEOUT", &e.fetch.SmallDeadline)
	}
	return e.fetch
}

// durationSetting reads the duration setting name into d, keeping d when
// it is unset or unreadable (which is said).
func (e *Env) durationSetting(name string, d *time.Duration) {
	v := e.Getenv(name)
	if v == "" {
		return
	}
	if got, err := time.ParseDuration(v); err == nil && got >= 0 {
		*d = got
		return
	}
	e.badSetting(name, v, "a duration such as 30s or 5m (0 turns it off)")
}

// badSetting says that a setting's value is not one gover can read.
func (e *Env) badSetting(name, value, want string) {
	if e.Stderr != nil {
		fmt.Fprintf(e.Stderr, "gover: warning: %s=%s is not %s; using the default\n", name, goversion.Quote(value), want)
	}
}

// Host is the platform toolchains are installed for by default.
func (e *Env) Host() installer.Platform {
	goos, goarch := platform.Host()
	return installer.Platform{OS: goos, Arch: goarch}
}

// Selection is what selects a version in the current folder.
func (e *Env) Selection() (selection.Selection, string, error) {
	wd, err := e.Getwd()
	if err != nil {
		return selection.Selection{}, "", fmt.Errorf("find current folder: %w", err)
	}
	s, err := selection.Find(wd, selection.ForLayout(e.Layout(), e.Getenv))
	return s, wd, err
}

// ShimExe finds gover-shim: beside gover, else on PATH.
func (e *Env) ShimExe() (string, error) {
	name := "gover-shim" + toolenv.ExeSuffix
	if e.Executable != "" {
		p := filepath.Join(filepath.Dir(e.Executable), name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := toolenv.LookPathIn(name, e.Getenv(toolenv.PathKey)); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("gover-shim not found beside %s or on PATH (reinstall gover with install.sh)", e.Executable)
}

// say returns a function that prints one line for people on stderr, or
// nil when quiet asks for none.
func (e *Env) say(quiet bool) func(string, ...any) {
	if quiet {
		return nil
	}
	return func(format string, args ...any) {
		fmt.Fprintf(e.Stderr, format+"\n", args...)
	}
}

// inCI reports whether gover runs in a CI system (no prompts, no bars).
func (e *Env) inCI() bool {
	return e.Getenv("CI") != "" || e.Getenv("GITHUB_ACTIONS") == "true"
}
