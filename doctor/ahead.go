package doctor

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/goverdev/gover/internal/fspath"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/platform"
	"github.com/goverdev/gover/shims/selection"
	"github.com/goverdev/gover/shims/shell"
)

// An overrider is a go that runs here instead of gover's shims (it comes
// first on PATH) while gover selects a release here: every go command in
// this folder runs it, whatever the pin says.
type overrider struct {
	Go goCommand
	// Sel selected Want, the release gover would run.
	Sel  selection.Selection
	Want string
	// Is is the release the go that runs says it is; empty when it does
	// not run as a Go at all, Err then says why.
	Is  string
	Err error
}

// Wrong reports whether the go that runs is not the selected release.
func (o overrider) Wrong() bool { return o.Is != o.Want }

// Hook reports whether the go that runs is the selected toolchain's own,
// first on PATH because of the shell hook ('gover init --hook').
func (o overrider) Hook(s *state) bool {
	return !o.Wrong() && s.env.Getenv(shell.StateVar) != "" && fspath.Within(o.Go.Real, fspath.Real(s.env.Layout.Versions))
}

// what says what the go that runs is, for messages: "/usr/local/go/bin/go
// (go1.19.13)".
func (o overrider) what() string {
	if o.Is == "" {
		return fmt.Sprintf("%s, which does not run as a Go (%v)", o.Go.Path, o.Err)
	}
	return fmt.Sprintf("%s (%s)", o.Go.Path, o.Is)
}

// consequence says what happens to every go command here.
func (o overrider) consequence() string {
	if o.Is == "" {
		return fmt.Sprintf("every go command here fails instead of running %s (%s)", o.Want, o.Sel.Describe())
	}
	return fmt.Sprintf("every go command here runs %s, not %s (%s)", o.Is, o.Want, o.Sel.Describe())
}

// overriding finds the go that runs here instead of the shims while gover
// selects a release here. ok is false when the shims run go (or nothing
// does), when nothing (or 'system') is selected here, or when which
// release is selected cannot be told.
func (s *state) overriding(ctx context.Context) (o overrider, ok bool) {
	g, got := s.goCmd.get(ctx)
	if !got || g.Path == "" || g.Shim {
		return o, false
	}
	sel, err := selection.Find(s.env.Dir, selection.ForLayout(s.env.Layout, s.env.Getenv))
	if err != nil || !sel.Found() || sel.System {
		return o, false
	}
	want, err := selection.ResolveIn(sel, s.env.Layout)
	if err != nil {
		if sel.Word.Kind != goversion.Exact {
			return o, false
		}
		want = sel.Word.Version // not installed (active-version says so)
	}
	o = overrider{Go: g, Sel: sel, Want: want}
	ge, got := s.goEnv.get(ctx)
	switch {
	case !got:
		return o, false
	case ge.Err != nil:
		o.Err = ge.Err
	default:
		// "go1.22.5" or "go1.22.5 X:boringcrypto": the release is the first word.
		if f := strings.Fields(ge.Vars["GOVERSION"]); len(f) > 0 && goversion.IsValid(f[0]) {
			o.Is = f[0]
		} else {
			o.Err = fmt.Errorf("'go env GOVERSION' says %q", ge.Vars["GOVERSION"])
		}
	}
	return o, true
}

// checkPathShadowing is the backend's check that no other go comes before
// the shims on PATH (a warning), made a failure when that go is not the
// release gover selects here: then every go command here runs the wrong
// toolchain, or none. In hook mode ('gover init --hook') the shims are not
// on PATH by design: the selected toolchain's own bin is, and that is fine.
func checkPathShadowing(ctx context.Context, s *state) Result {
	r := fromPlatform("path-shadowing", nil)(ctx, s)
	o, ok := s.overriding(ctx)
	switch {
	case !ok:
		if r.Status != OK && r.Status != Skip && s.env.Getenv(shell.StateVar) != "" {
			if g, got := s.goCmd.get(ctx); got && g.Path != "" && fspath.Within(g.Real, fspath.Real(s.env.Layout.Versions)) {
				return okf(fmt.Sprintf("the shell hook ('gover init --hook') puts %s first on PATH", filepath.Dir(g.Path)))
			}
		}
		return r
	case o.Hook(s):
		return okf(fmt.Sprintf("the shell hook ('gover init --hook') puts %s first on PATH", filepath.Dir(o.Go.Path)))
	case !o.Wrong():
		return r // the same release by another road: a warning at most
	}
	var msg, fix string
	switch {
	case r.Status == OK || r.Status == Skip:
		// A toolchain of gover's own ahead of the shims (a stale hook
		// PATH), which the backend does not count as another Go.
		msg = fmt.Sprintf("%s comes before gover's shims on PATH: %s", o.what(), o.consequence())
	case o.Is == "":
		msg, fix = fmt.Sprintf("%s, which does not run as a Go (%v): %s", r.Message, o.Err, o.consequence()), r.Fix
	default:
		msg, fix = fmt.Sprintf("%s, and it is %s: %s", r.Message, o.Is, o.consequence()), r.Fix
	}
	if fix == "" {
		fix = fmt.Sprintf("take %s off PATH, or put gover's shims first on PATH (the 'gover init' line in your shell's rc file must come after every line that changes PATH)", filepath.Dir(o.Go.Path))
	}
	return failf(msg, fix)
}

// inForce is active-version's verdict r, unless another go runs here
// instead of the selected release: then the pin is not in force, and r
// must not say it is.
func (s *state) inForce(ctx context.Context, r Result) Result {
	o, ok := s.overriding(ctx)
	if !ok || !o.Wrong() {
		return r
	}
	return failf(fmt.Sprintf("%s (%s) is selected here but not in force: %s runs instead of gover's shims (see path-shadowing)", o.Want, o.Sel.Describe(), o.what()),
		"put gover's shims first on PATH (see path-shadowing's fix)")
}

// checkMSI is the backend's msi-install check (the Go MSI's bin on the
// system PATH, which Windows puts before the user PATH: a warning), made
// a failure when that go is the one that runs here and it is not the
// release gover selects: every go command here runs the MSI's release.
func checkMSI(ctx context.Context, s *state) Result {
	r := fromPlatform("msi-install", absentWindows)(ctx, s)
	if r.Status != Warn {
		return r
	}
	o, ok := s.overriding(ctx)
	if !ok || !o.Wrong() {
		return r
	}
	sys, got := s.system.get(ctx)
	if !got || sys.Err != nil {
		return r
	}
	for _, in := range sys.Status.Installs {
		if in.Kind == platform.KindMSI && in.GOROOT != "" && fspath.Within(o.Go.Real, fspath.Real(in.GOROOT)) {
			return failf(r.Message+": "+o.consequence(), r.Fix)
		}
	}
	return r
}
