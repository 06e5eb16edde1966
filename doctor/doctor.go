// Package doctor owns gover's health checks of the Go environment: each check
// is a small function with a stable id (SPEC.md, "Doctor checks") that looks
// at one thing — PATH and GOROOT, module settings, the module proxy and
// checksum database, cgo and cross compilers, gover's own shims, pins and
// installed trees — and says ok, warn, fail or skip, with the fix for any
// problem.
//
// Invariants:
//   - Checks only look. Repairs run only with Options.Fix, only for what is
//     safe and local (rewriting the shims, installing a pinned version that
//     is missing), and the repaired check runs again to show the outcome.
//   - Checks run concurrently, each under a deadline. One that overruns is
//     reported as such and never holds up the report. Network checks make a
//     single attempt per URL with a short timeout, and never retry.
//   - Programs the checks run (go env, the C compiler, pkg-config, ldd) get
//     the user's environment, except that go runs with GOTOOLCHAIN=local and
//     without GOVER_AUTO_INSTALL, so looking never downloads anything.
//   - Everything outside comes from Env: the environment, folders, the
//     platform backend, HTTP proxies, the clock and the repair actions.
package doctor

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/platform"
	"github.com/goverdev/gover/verify"
)

// A Status is a check's verdict.
type Status string

// The verdicts, worst last but one: skip means the check does not apply here
// (or could not look), and is never a problem.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

func (s Status) rank() int {
	switch s {
	case Fail:
		return 3
	case Warn:
		return 2
	case OK:
		return 1
	}
	return 0
}

// worse returns the worse of two statuses (skip < ok < warn < fail).
func worse(a, b Status) Status {
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// Groups, in the order the report shows them.
const (
	GroupGover    = "gover"
	GroupPath     = "path"
	GroupModules  = "modules"
	GroupNetwork  = "network"
	GroupCgo      = "cgo"
	GroupBaseline = "baseline"
)

// groupTitles are the groups' headings in the human report.
var groupTitles = map[string]string{
	GroupGover:    "gover",
	GroupPath:     "PATH and GOROOT",
	GroupModules:  "modules",
	GroupNetwork:  "network",
	GroupCgo:      "cgo",
	GroupBaseline: "since the baseline",
}

// A Result is one check's finding. The first four fields are the JSON shape
// SPEC.md fixes; the others were added after it.
type Result struct {
	ID      string `json:"id"`
	Status  Status `json:"status"`
	Message string `json:"message"`
	// Fix says how to put it right; empty when nothing is wrong.
	Fix   string `json:"fix"`
	Group string `json:"group"`
	// Fixed is true when Options.Fix repaired the problem; Message then
	// starts with what was done.
	Fixed bool `json:"fixed,omitempty"`
	// ElapsedMS is how long the check took.
	ElapsedMS int64 `json:"elapsed_ms"`
}

// Env is the outside world the checks look at. The CLI fills it from the
// process; tests fill it with temporary folders, fake programs on PATH and
// loopback servers.
type Env struct {
	Getenv  func(string) string
	Environ func() []string
	// Dir is the working folder: pins, go.mod and vendor/ are looked for
	// from here up.
	Dir    string
	Layout paths.Layout
	// Root prefixes the system-wide files read for where a variable is set
	// (/etc/profile, /etc/environment, …) and the musl loader; "" is "/".
	Root string
	// ShimExe is gover-shim, which every shim must equal; "" when it was
	// not found.
	ShimExe string
	// HostOS and HostArch are the platform this machine runs
	// (platform.Host): what a build targets when GOOS/GOARCH are unset.
	HostOS, HostArch string
	// System is this OS's backend; nil skips the checks that come from it.
	System platform.System
	// Kegs are keg-only Homebrew formulae whose pkg-config files cgo builds
	// need (macOS).
	Kegs []string
	// Proxy picks the HTTP proxy for a request; nil means
	// http.ProxyFromEnvironment, which is what the go command uses.
	Proxy func(*http.Request) (*url.URL, error)
	// TLS is the TLS configuration for network checks; nil means the
	// system's roots (which honour SSL_CERT_FILE and SSL_CERT_DIR).
	TLS *tls.Config
	// Now is the clock.
	Now func() time.Time
	// Reshim rewrites the shims and says which it changed (Options.Fix).
	Reshim func() ([]string, error)
	// Install installs the release a version word names, proven, and
	// rewrites the shims (Options.Fix).
	Install func(ctx context.Context, word string) error
	// Vouch asks the checksum database about an install record
	// (installer.Proxy.Vouch); nil keeps install-integrity offline.
	Vouch func(ctx context.Context, rec *installer.Record) (verify.Proof, error)
}

func (e Env) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Defaults for Options.
const (
	// DefaultTimeout bounds a check that runs programs or reads files.
	DefaultTimeout = 10 * time.Second
	// DefaultNetTimeout bounds each network request. The network checks
	// ask every URL at once, so with the network down the whole doctor
	// takes about this long.
	DefaultNetTimeout = 2 * time.Second
	// integrityTimeout bounds re-hashing the installed trees, which reads
	// every file of every toolchain (about 200 MB each).
	integrityTimeout = 2 * time.Minute
)

// Options say which checks run and how.
type Options struct {
	// Only runs just these check ids; empty runs them all.
	Only []string
	// Fix repairs what is safe and local, then checks again.
	Fix bool
	// Timeout bounds each local check; zero means DefaultTimeout.
	Timeout time.Duration
	// NetTimeout bounds each network request; zero means DefaultNetTimeout.
	NetTimeout time.Duration
	// Facts gathers what a baseline records (Report.Facts).
	Facts bool
	// Deep makes install-integrity hash every file of every toolchain;
	// otherwise files the stat cache shows unchanged are not read again.
	Deep bool
	// TargetGlibc is the glibc version ("2.31") of the machines programs
	// built here run on: the libc check then says whether cgo programs
	// built here need a newer one.
	TargetGlibc string
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

func (o Options) netTimeout() time.Duration {
	if o.NetTimeout > 0 {
		return o.NetTimeout
	}
	return DefaultNetTimeout
}

// A Report is what a run found.
type Report struct {
	Checks []Result `json:"checks"`
	// Drift is what changed since a baseline (Compare).
	Drift []Drift `json:"drift,omitempty"`
	// Facts are what a baseline records, when Options.Facts asked for them.
	Facts map[string]string `json:"-"`
	// At is when the run started.
	At time.Time `json:"-"`
	// Toolchains are the installed toolchains (WritePrometheus).
	Toolchains []Toolchain `json:"-"`
}

// Failed reports whether the report should fail a CI step: a check failed,
// or with strict, warned.
func (r Report) Failed(strict bool) bool {
	for _, c := range r.Checks {
		if c.Status == Fail || strict && c.Status == Warn {
			return true
		}
	}
	return false
}

// IDs lists every check id in report order.
func IDs() []string {
	var ids []string
	for _, c := range allChecks() {
		ids = append(ids, c.id)
	}
	return ids
}

// Known reports whether id names a check.
func Known(id string) bool { return slices.Contains(IDs(), id) }

func okf(msg string) Result        { return Result{Status: OK, Message: msg} }
func skipf(msg string) Result      { return Result{Status: Skip, Message: msg} }
func warnf(msg, fix string) Result { return Result{Status: Warn, Message: msg, Fix: fix} }
func failf(msg, fix string) Result { return Result{Status: Fail, Message: msg, Fix: fix} }
func resultOf(st Status, msg, fix string) Result {
	if st == OK || st == Skip {
		fix = ""
	}
	return Result{Status: st, Message: msg, Fix: fix}
}
