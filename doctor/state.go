package doctor

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/goverdev/gover/internal/fspath"
	"github.com/goverdev/gover/internal/goenv"
	"github.com/goverdev/gover/platform"
	"github.com/goverdev/gover/shims/selection"
	"github.com/goverdev/gover/shims/toolenv"
)

// state is one run's view of the system: the environment, and what
// several checks need, each worked out once (lazily, concurrently safe).
type state struct {
	env  Env
	opt  Options
	base context.Context

	goCmd   *lazy[goCommand]
	goEnv   *lazy[goEnvResult]
	system  *lazy[systemResult]
	module  *lazy[moduleInfo]
	envFile *lazy[envFileResult]

	// proven holds the names of the toolchains install-integrity
	// re-hashed and found as installed (Report.Toolchains).
	proven sync.Map
}

func newState(ctx context.Context, env Env, o Options) *state {
	s := &state{env: env, opt: o, base: ctx}
	s.goCmd = newLazy(s.findGo)
	s.goEnv = newLazy(s.readGoEnv)
	s.system = newLazy(s.readSystem)
	s.module = newLazy(s.scanModule)
	s.envFile = newLazy(s.readEnvFile)
	return s
}

// A goCommand is the go that runs when the user types go here.
type goCommand struct {
	// Path is the first go on PATH; empty when there is none.
	Path string
	// Real is Path with links resolved.
	Real string
	// Shim is true when Path is one of gover's shims.
	Shim bool
	// Sel is what selects a version here (for a shim), SelErr why that
	// could not be read, Version the installed toolchain it resolves to.
	Sel     selection.Selection
	SelErr  error
	Version string
	// Runs is the go binary that finally runs: the toolchain's for a shim
	// with a selection, the next go on PATH for a shim without one.
	Runs string
	// GOROOT is the installation Runs belongs to, as the go command finds
	// it from its own (link-resolved) path; empty when Runs is not inside
	// a Go installation.
	GOROOT string
}

func (s *state) findGo() goCommand {
	var g goCommand
	name := "go" + toolenv.ExeSuffix
	shims := s.env.Layout.Shims
	path := s.env.Getenv("PATH")
	if p, err := toolenv.LookPathIn("go", path); err == nil {
		g.Path, g.Real = p, fspath.Real(p)
		g.Shim = fspath.Same(filepath.Dir(p), shims) || s.isShimFile(p)
		if !g.Shim {
			g.Runs = g.Real
		} else if next, ok := toolenv.SystemProgram("go", path, shims, s.env.ShimExe); ok {
			// A shim with nothing selected runs the next go outside
			// the shims: the one the shim itself finds.
			g.Runs = fspath.Real(next)
		}
	}
	if g.Shim {
		next := g.Runs
		g.Runs = ""
		g.Sel, g.SelErr = selection.Find(s.env.Dir, selection.ForLayout(s.env.Layout, s.env.Getenv))
		switch {
		case g.SelErr != nil:
		case !g.Sel.Found() || g.Sel.System:
			g.Runs = next
		default:
			if v, err := selection.ResolveIn(g.Sel, s.env.Layout); err == nil {
				g.Version = v
				g.Runs = filepath.Join(s.env.Layout.Toolchain(v), "bin", name)
				g.GOROOT = s.env.Layout.Toolchain(v)
				return g
			}
		}
	}
	if g.Runs != "" {
		g.GOROOT = gorootOf(g.Runs)
	}
	return g
}

// isShimFile reports whether p is a copy or hard link of gover-shim.
func (s *state) isShimFile(p string) bool {
	if s.env.ShimExe == "" {
		return false
	}
	a, err1 := os.Stat(p)
	b, err2 := os.Stat(s.env.ShimExe)
	if err1 != nil || err2 != nil {
		return false
	}
	return toolenv.IsShim(p, a, s.env.ShimExe, b)
}

// gorootOf finds the Go installation a go binary belongs to the way cmd/go
// does: GOROOT/bin/go, or GOROOT/bin/GOOS_GOARCH/go for a cross-built one.
func gorootOf(goBin string) string {
	for _, up := range []string{"../..", "../../.."} {
		dir := filepath.Clean(filepath.Join(goBin, up))
		if isGoroot(dir) {
			return dir
		}
	}
	return ""
}

// isGoroot is cmd/go's test for a GOROOT: it has pkg/tool.
func isGoroot(dir string) bool {
	return isDir(filepath.Join(dir, "pkg", "tool"))
}

// goEnvVars are the variables asked of 'go env'.
var goEnvVars = []string{"GOROOT", "GOVERSION", "GOOS", "GOARCH", "GOPATH", "GO111MODULE", "GOPROXY", "GOSUMDB",
	"GOFLAGS", "CGO_ENABLED", "CC", "GOENV", "GOMOD"}

// goEnvResult is what 'go env' said, or why it said nothing.
type goEnvResult struct {
	Vars map[string]string
	Err  error
}

// readGoEnv runs 'go env -json' with the go that runs here. GOTOOLCHAIN is
// local so that a go.mod asking for a newer Go does not make it download
// one, and GOVER_AUTO_INSTALL is removed so that a shim does not install.
func (s *state) readGoEnv() goEnvResult {
	g, _ := s.goCmd.get(s.base)
	if g.Path == "" {
		return goEnvResult{Err: fmt.Errorf("no go on PATH")}
	}
	ctx, cancel := context.WithTimeout(s.base, s.opt.timeout())
	defer cancel()
	env := withEnv(s.env.Environ(), "GOTOOLCHAIN=local", "-GOVER_AUTO_INSTALL")
	out, err := s.run(ctx, s.env.Dir, env, g.Path, append([]string{"env", "-json"}, goEnvVars...)...)
	if err != nil {
		return goEnvResult{Err: fmt.Errorf("go env: %s", firstNonEmpty(out.lastLine(), err.Error()))}
	}
	vars := map[string]string{}
	if err := json.Unmarshal([]byte(out.Stdout), &vars); err != nil {
		return goEnvResult{Err: fmt.Errorf("go env -json printed something else: %v", err)}
	}
	return goEnvResult{Vars: vars}
}

// systemResult is the platform backend's status.
type systemResult struct {
	Status platform.Status
	Err    error
}

func (s *state) readSystem() systemResult {
	if s.env.System == nil {
		return systemResult{Err: fmt.Errorf("no platform backend")}
	}
	ctx, cancel := context.WithTimeout(s.base, s.opt.timeout())
	defer cancel()
	st, err := s.env.System.Status(ctx, platform.StatusOptions{Kegs: s.env.Kegs})
	return systemResult{Status: st, Err: err}
}

// platformCheck is the backend's finding for id, if it made one.
func (s *state) platformCheck(ctx context.Context, id string) (Result, bool, error) {
	sys, ok := s.system.get(ctx)
	if !ok {
		return Result{}, false, ctx.Err()
	}
	if sys.Err != nil {
		return Result{}, false, sys.Err
	}
	for _, c := range sys.Status.Checks {
		if c.ID == id {
			return Result{Status: Status(c.Status), Message: c.Message, Fix: c.Fix}, true, nil
		}
	}
	return Result{}, false, nil
}

// extraPlatformChecks are the backend's findings under ids the doctor has
// no check of its own for (rosetta).
func (s *state) extraPlatformChecks(ctx context.Context) []Result {
	sys, ok := s.system.get(ctx)
	if !ok || sys.Err != nil {
		return nil
	}
	var out []Result
	for _, c := range sys.Status.Checks {
		if Known(c.ID) {
			continue
		}
		out = append(out, Result{ID: c.ID, Group: GroupGover, Status: Status(c.Status), Message: c.Message, Fix: c.Fix})
	}
	return out
}

// A setting is a go command setting and where its value came from.
type setting struct {
	Value string
	// From is "environment", the go env file's path, or "default" (what
	// 'go env' reports when nothing sets it).
	From string
}

// setting reads a go command setting as cmd/go does: the environment, then
// the file 'go env -w' writes, then go env's own answer (its default).
func (s *state) setting(ctx context.Context, key string) setting {
	if v := s.env.Getenv(key); v != "" {
		return setting{Value: v, From: "environment"}
	}
	if f, ok := s.envFile.get(ctx); ok && f.Vars[key] != "" {
		return setting{Value: f.Vars[key], From: f.Path}
	}
	if ge, ok := s.goEnv.get(ctx); ok && ge.Err == nil && ge.Vars[key] != "" {
		return setting{Value: ge.Vars[key], From: "default"}
	}
	return setting{}
}

// envFileResult is the file 'go env -w' writes, parsed.
type envFileResult struct {
	Path string
	Vars map[string]string
}

// readEnvFile reads the go env file: $GOENV, else where 'go env GOENV'
// says, parsed as the go command parses it (goenv). A missing file is
// empty, as it is for cmd/go.
func (s *state) readEnvFile() envFileResult {
	path := s.env.Getenv("GOENV")
	if path == "" {
		if ge, ok := s.goEnv.get(s.base); ok && ge.Err == nil {
			path = ge.Vars["GOENV"]
		}
	}
	if path == "" || path == "off" {
		return envFileResult{Vars: map[string]string{}}
	}
	return envFileResult{Path: path, Vars: goenv.Read(path)}
}

// target is the platform builds are for: GOOS and GOARCH, else this machine.
func (s *state) target(ctx context.Context) (goos, goarch string) {
	goos, goarch = s.setting(ctx, "GOOS").Value, s.setting(ctx, "GOARCH").Value
	if goos == "" {
		goos = s.env.HostOS
	}
	if goarch == "" {
		goarch = s.env.HostArch
	}
	return goos, goarch
}

// cross reports whether builds target another platform than this machine.
func (s *state) cross(ctx context.Context) bool {
	goos, goarch := s.target(ctx)
	return goos != s.env.HostOS || goarch != s.env.HostArch
}

// cgoSetting is CGO_ENABLED as the user set it ("" when they did not) and
// where.
func (s *state) cgoSetting(ctx context.Context) setting {
	st := s.setting(ctx, "CGO_ENABLED")
	if st.From == "default" {
		return setting{}
	}
	return st
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
