package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// A check is one health check: an id from SPEC.md, the group it is shown
// in, and the function that looks. run returns the verdict without id or
// group; the runner adds them.
type check struct {
	id    string
	group string
	// net marks a check that talks to the network: its deadline follows
	// Options.NetTimeout, not Options.Timeout.
	net bool
	// timeout overrides the deadline (install-integrity hashes gigabytes).
	timeout time.Duration
	run     func(ctx context.Context, s *state) Result
	// repair puts right what run found, when that is safe and local, and
	// says what it did; nil means the doctor only prints the fix.
	repair func(ctx context.Context, s *state, found Result) (string, error)
}

// allChecks are the checks in report order.
func allChecks() []check {
	return []check{
		{id: "shims", group: GroupGover, run: checkShims, repair: repairShims},
		{id: "global-version", group: GroupGover, run: checkGlobalVersion, repair: repairGlobalVersion},
		{id: "active-version", group: GroupGover, run: checkActiveVersion, repair: repairActiveVersion},
		{id: "go-line", group: GroupGover, run: checkGoLine},
		{id: "gotoolchain", group: GroupGover, run: checkGOTOOLCHAIN},
		{id: "install-integrity", group: GroupGover, timeout: integrityTimeout, run: checkIntegrity},

		{id: "path-shadowing", group: GroupPath, run: checkPathShadowing},
		{id: "goroot-mismatch", group: GroupPath, run: checkGOROOT},
		{id: "goenv-goroot", group: GroupPath, run: checkGoEnvGOROOT},
		{id: "system-go", group: GroupPath, run: fromPlatform("system-go", nil)},
		{id: "apt-hold", group: GroupPath, run: fromPlatform("apt-hold", absentHold("linux", "no Go from apt (dpkg) is installed"))},
		{id: "dnf-versionlock", group: GroupPath, run: fromPlatform("dnf-versionlock", absentHold("linux", "no golang rpm is installed"))},
		{id: "windows-path", group: GroupPath, run: fromPlatform("windows-path", absentWindows)},
		{id: "msi-install", group: GroupPath, run: checkMSI},

		{id: "go111module", group: GroupModules, run: checkGO111MODULE},
		{id: "vendor-without-gomod", group: GroupModules, run: checkVendor},
		{id: "vendor-consistency", group: GroupModules, run: checkVendorConsistency},
		{id: "gopath-layout", group: GroupModules, run: checkGOPATH},

		{id: "goproxy", group: GroupNetwork, net: true, run: checkGOPROXY},
		{id: "gosumdb", group: GroupNetwork, net: true, run: checkGOSUMDB},
		{id: "goproxy-credentials", group: GroupNetwork, run: checkGOPROXYCredentials},
		{id: "private-modules", group: GroupNetwork, net: true, run: checkPrivateModules},

		{id: "cgo-cc", group: GroupCgo, run: checkCC},
		{id: "pkg-config", group: GroupCgo, run: checkPkgConfig},
		{id: "libc", group: GroupCgo, run: checkLibc},
		{id: "cross-cc", group: GroupCgo, run: checkCrossCC},
		{id: "cgo-flags", group: GroupCgo, run: checkCgoFlags},
	}
}

// Run runs the checks o asks for, all at once, and returns their results
// in report order. With o.Fix it then repairs what it can and checks those
// again. Checks the platform backend reports that the doctor has no check
// for (rosetta on a Mac) are added to the gover group.
func Run(ctx context.Context, env Env, o Options) Report {
	checks := selected(o.Only)
	start := env.now()
	s := newState(ctx, env, o)
	results := runAll(ctx, s, checks)
	if len(o.Only) == 0 {
		results = append(results, s.extraPlatformChecks(ctx)...)
	}
	if o.Fix {
		for i, c := range checks {
			if c.repair == nil || results[i].Status == OK || results[i].Status == Skip {
				continue
			}
			results[i] = repair(ctx, env, o, c, results[i])
		}
	}
	r := Report{Checks: results, At: start, Toolchains: s.toolchains(results)}
	if o.Facts {
		r.Facts = s.facts(ctx)
	}
	return r
}

func selected(only []string) []check {
	all := allChecks()
	if len(only) == 0 {
		return all
	}
	var out []check
	for _, c := range all {
		if slices.Contains(only, c.id) {
			out = append(out, c)
		}
	}
	return out
}

// runAll runs every check in its own goroutine and waits for all of them,
// each for at most its deadline.
func runAll(ctx context.Context, s *state, checks []check) []Result {
	results := make([]Result, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = runOne(ctx, s, c)
		}()
	}
	wg.Wait()
	return results
}

// runOne runs one check under its deadline. A check that does not return
// in time (one stuck in a system call that ignores its context) is left
// behind and reported as overrunning; its goroutine ends with the process.
func runOne(ctx context.Context, s *state, c check) Result {
	limit := c.timeout
	if limit == 0 {
		limit = s.opt.timeout()
		if c.net {
			// Each request has NetTimeout; the check makes its requests
			// at once, but may need two in a row (gosumdb: supported,
			// then latest).
			limit = 2*s.opt.netTimeout() + time.Second
		}
	}
	start := s.env.now()
	cctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	done := make(chan Result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- failf(fmt.Sprintf("the check crashed: %v", p), "report this as a gover bug")
			}
		}()
		done <- c.run(cctx, s)
	}()
	var r Result
	select {
	case r = <-done:
	case <-cctx.Done():
		if ctx.Err() != nil {
			r = skipf("interrupted")
		} else {
			r = warnf(fmt.Sprintf("did not finish within %s", limit), "run 'gover doctor "+c.id+"' again; if it hangs again, whatever it runs is stuck (see docs/doctor.md)")
		}
	}
	r.ID, r.Group = c.id, c.group
	if r.Status == OK || r.Status == Skip {
		r.Fix = ""
	}
	r.ElapsedMS = s.env.now().Sub(start).Milliseconds()
	return r
}

// repair runs c's repair, then c again on a fresh look at the system.
func repair(ctx context.Context, env Env, o Options, c check, found Result) Result {
	did, err := c.repair(ctx, newState(ctx, env, o), found)
	if err != nil {
		found.Message += " (--fix tried and failed: " + err.Error() + ")"
		return found
	}
	if did == "" {
		return found
	}
	again := runOne(ctx, newState(ctx, env, o), c)
	again.Fixed = true
	again.Message = did + "; " + again.Message
	return again
}

// lazy computes a value shared by several checks once, on first use, under
// the run's context rather than the first caller's, so that one check's
// deadline cannot spoil the value for the others.
type lazy[T any] struct {
	once sync.Once
	done chan struct{}
	v    T
	f    func() T
}

func newLazy[T any](f func() T) *lazy[T] {
	return &lazy[T]{done: make(chan struct{}), f: f}
}

// get waits for the value or for ctx; ok is false when ctx ended first.
func (l *lazy[T]) get(ctx context.Context) (v T, ok bool) {
	l.once.Do(func() {
		go func() {
			l.v = l.f()
			close(l.done)
		}()
	})
	select {
	case <-l.done:
		return l.v, true
	case <-ctx.Done():
		return v, false
	}
}

// merge folds a platform backend's finding for the same id into r: the
// worse status wins and both messages and fixes are kept.
func merge(r Result, other Result) Result {
	if other.Message == "" {
		return r
	}
	r.Status = worse(r.Status, other.Status)
	r.Message = joinNonEmpty("; ", r.Message, other.Message)
	r.Fix = joinNonEmpty("; ", r.Fix, other.Fix)
	return r
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}
