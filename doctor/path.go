package doctor

import (
	"context"
	"fmt"

	"github.com/goverdev/gover/internal/fspath"
)

// fromPlatform is a check the platform backend makes (system-go, apt-hold,
// windows-path, …): the doctor reports its finding as it is. absent says
// what to report when the backend made no finding under that id (nil: it
// does not apply here).
func fromPlatform(id string, absent func(s *state) Result) func(ctx context.Context, s *state) Result {
	return func(ctx context.Context, s *state) Result {
		r, ok, err := s.platformCheck(ctx, id)
		switch {
		case err != nil:
			return skipf("cannot look at the Go installed outside gover: " + err.Error())
		case ok:
			return r
		case absent != nil:
			return absent(s)
		}
		return skipf("not checked on this system")
	}
}

// absentHold is what apt-hold and dnf-versionlock say when the backend
// found no such package.
func absentHold(goos, msg string) func(s *state) Result {
	return func(s *state) Result {
		if s.env.HostOS != goos {
			return skipf("only Linux distributions package Go this way")
		}
		return skipf(msg)
	}
}

func absentWindows(s *state) Result { return skipf("not Windows") }

// checkGOROOT compares what decides which Go runs: $GOROOT, what 'go env
// GOROOT' says, and the installation the go that runs really belongs to
// (links resolved, as the go command finds its own). On Windows the
// backend adds a GOROOT left in the registry.
func checkGOROOT(ctx context.Context, s *state) Result {
	g, ok := s.goCmd.get(ctx)
	if !ok {
		return warnf("gave up looking for go on PATH", "run 'gover doctor goroot-mismatch' again")
	}
	var r Result
	switch {
	case g.Path == "":
		r = skipf("no go on PATH (see path-shadowing)")
	case g.Shim && g.SelErr != nil:
		r = skipf("what selects a version here cannot be read (see active-version)")
	case g.Shim && g.Runs == "" && g.Sel.Found() && !g.Sel.System:
		r = skipf("the version selected here is not installed (see active-version)")
	case g.Shim && g.Runs == "":
		r = skipf("nothing selects a version here and there is no other go on PATH")
	default:
		r = s.gorootVerdict(ctx, g)
	}
	if pr, ok, _ := s.platformCheck(ctx, "goroot-mismatch"); ok {
		r = merge(r, pr)
	}
	return r
}

func (s *state) gorootVerdict(ctx context.Context, g goCommand) Result {
	envRoot := s.env.Getenv("GOROOT")
	want := g.GOROOT
	runs := describeGo(g)
	if envRoot != "" && !isGoroot(envRoot) {
		msg := fmt.Sprintf("GOROOT=%s is not a Go installation", envRoot)
		fix := s.unsetFix(ctx, "GOROOT")
		if g.Shim {
			return warnf(msg+": gover's shims set their own, but programs that read GOROOT themselves (editors, scripts) break", fix)
		}
		return failf(msg+": the go command cannot find its standard library", fix)
	}
	if envRoot != "" && want != "" && !fspath.Same(fspath.Real(envRoot), fspath.Real(want)) {
		if g.Shim {
			return warnf(fmt.Sprintf("GOROOT=%s is set, but go here is %s, from %s: gover's shims override GOROOT, but programs that read it themselves (editors, scripts) get the other Go", envRoot, runs, want),
				s.unsetFix(ctx, "GOROOT")+" (gover's shims set GOROOT for each go they run)")
		}
		return failf(fmt.Sprintf("GOROOT=%s, but the go that runs (%s) belongs to %s: it builds with one Go's tools and another's standard library ('compile: version … does not match go tool version …')", envRoot, runs, want),
			s.unsetFix(ctx, "GOROOT")+" (the go command finds its own GOROOT)")
	}
	ge, ok := s.goEnv.get(ctx)
	if !ok {
		return warnf("'go env' did not answer in time", "run 'go env GOROOT' to see why it hangs")
	}
	if ge.Err != nil {
		if f, ok := s.envFile.get(ctx); ok && f.Vars["GOROOT"] != "" && !isGoroot(f.Vars["GOROOT"]) && envRoot == "" {
			return failf(fmt.Sprintf("%s does not run: %v (GOROOT=%s comes from the go env file %s)", runs, ge.Err, f.Vars["GOROOT"], tilde(f.Path, s.env.Getenv("HOME"))),
				s.goEnvGOROOTFix(f.Path, g.Shim))
		}
		return warnf(fmt.Sprintf("%s does not run: %v", runs, ge.Err), "run 'go env GOROOT' to see why")
	}
	goEnvRoot := ge.Vars["GOROOT"]
	if want != "" && goEnvRoot != "" && !fspath.Same(fspath.Real(goEnvRoot), fspath.Real(want)) {
		from := s.origin(ctx, "GOROOT")
		if from == "" {
			from = "somewhere in its environment"
		}
		return failf(fmt.Sprintf("'go env GOROOT' is %s (set in %s), but the go that runs (%s) belongs to %s", goEnvRoot, from, runs, want),
			s.unsetFix(ctx, "GOROOT"))
	}
	if want == "" {
		return warnf(fmt.Sprintf("%s is not inside a Go installation (no pkg/tool beside its bin); go env GOROOT says %s", runs, goEnvRoot),
			"reinstall that Go, or take it off PATH ('gover install latest' gives you one)")
	}
	msg := fmt.Sprintf("go is %s, GOROOT %s", runs, want)
	if envRoot != "" {
		msg += " (GOROOT set to the same)"
	}
	return okf(msg)
}

// describeGo names the go that runs, for messages.
func describeGo(g goCommand) string {
	switch {
	case g.Shim && g.Version != "":
		return fmt.Sprintf("%s (gover's shim, running %s)", g.Path, g.Version)
	case g.Shim:
		return fmt.Sprintf("%s (gover's shim; nothing selects a version, so it runs %s)", g.Path, g.Runs)
	case g.Real != g.Path:
		return fmt.Sprintf("%s (really %s)", g.Path, g.Real)
	}
	return g.Path
}
