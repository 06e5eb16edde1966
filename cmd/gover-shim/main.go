// Command gover-shim runs the Go toolchain selected for the current folder.
// It is installed in the shims folder as go and gofmt (and every other
// program a toolchain's bin holds) and dispatches on the name it was run as.
//
// It starts on every go call, so it does as little as it can before the
// exec: it imports only selection and toolenv (no CLI, crypto or progress
// packages, SPEC.md "Binaries"), reads pin files with plain system calls,
// trusts $PWD when it names the working directory, and lets a failed exec,
// not a stat beforehand, say that a program is missing. bench/shim.sh
// measures it against a bare exec trampoline.
package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/shims/selection"
	"github.com/goverdev/gover/shims/toolenv"
)

// depthVar counts shims running shims. A shim that finds it at maxDepth
// stops: its PATH leads back to the shims folder through a link or copy
// gover did not recognise, and it would otherwise run itself forever.
const (
	depthVar = "GOVER_SHIM_DEPTH"
	maxDepth = 8
)

func main() {
	os.Exit(run(os.Args))
}

func run(args []string) int {
	d, f := decide(args, os.Getenv)
	if f != nil {
		return fail(f.code, f.msg)
	}
	if d.sel.Note != "" && d.depth == 0 {
		// Once per go command: not again for the go commands it runs.
		os.Stderr.WriteString("gover: note: " + d.sel.Note + "\n")
	}
	if !d.sel.Found() || d.sel.System {
		return runSystem(d.prog, d.args, d.layout.Shims, d.depth, d.sel)
	}
	return runToolchain(d, os.Getenv("GOVER_AUTO_INSTALL") == "1")
}

// A decision is what the shim decides before it runs anything.
type decision struct {
	prog   string   // the program: go, gofmt, …
	args   []string // its arguments, args[0] being the name it was run as
	depth  int      // shims running shims so far (depthVar)
	layout paths.Layout
	sel    selection.Selection
}

// A failure is an exit code and its message.
type failure struct {
	code int
	msg  string
}

// decide reads the shim's arguments, environment and folder tree.
func decide(args []string, getenv func(string) string) (decision, *failure) {
	prog := toolenv.ProgName(args[0])
	if prog == "gover-shim" {
		if len(args) < 2 {
			return decision{}, &failure{2, "gover-shim runs as go or gofmt from the shims folder, or as 'gover-shim PROGRAM ARGS…'"}
		}
		prog, args = args[1], args[1:]
	}
	depth, _ := strconv.Atoi(getenv(depthVar))
	if depth >= maxDepth {
		return decision{}, &failure{1, "shim loop: " + prog + " ran through gover's shims " + strconv.Itoa(depth) + " times (a folder on PATH links back to the shims folder; run 'gover doctor')"}
	}
	layout, err := paths.FromEnv(getenv)
	if err != nil {
		var rel *paths.RelativeError
		if errors.As(err, &rel) {
			return decision{}, &failure{2, err.Error()}
		}
		return decision{}, &failure{1, err.Error()}
	}
	wd, err := workDir(getenv)
	if err != nil {
		return decision{}, &failure{1, "find current folder: " + err.Error()}
	}
	sel, err := selection.Find(wd, selection.ForLayout(layout, getenv))
	if err != nil {
		return decision{}, &failure{2, err.Error()}
	}
	return decision{prog: prog, args: args, depth: depth, layout: layout, sel: sel}, nil
}

// command is what runs from the toolchain at goroot: the program's path,
// its arguments and its environment, given the shim's environ.
func (d decision) command(goroot string, environ []string) (exe string, args, env []string) {
	exe = filepath.Join(goroot, "bin", d.prog+toolenv.ExeSuffix)
	env = toolenv.Env(environ, goroot, toolenv.Var{Name: depthVar, Value: strconv.Itoa(d.depth + 1)})
	return exe, append([]string{exe}, d.args[1:]...), env
}

// runToolchain execs the program from the toolchain d selects. An exact
// version costs one lstat of its folder (paths.Layout.CheckToolchain: a
// folder, not a link, owned by this user or root, not writable by others)
// and no listing; the exec then finds out whether the program is there.
func runToolchain(d decision, autoInstall bool) int {
	version, err := selection.ResolveIn(d.sel, d.layout)
	var missing *paths.NotInstalledError
	if errors.As(err, &missing) {
		if d.sel.ElseSystem {
			return runSystem(d.prog, d.args, d.layout.Shims, d.depth, d.sel)
		}
		return notInstalled(d, autoInstall, err)
	}
	if err != nil {
		return fail(1, err.Error())
	}
	exe, args, env := d.command(d.layout.Toolchain(version), os.Environ())
	code, err := toolenv.Exec(exe, args, env)
	if err == nil {
		return code
	}
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return fail(4, version+" has no "+d.prog+" ("+d.sel.Describe()+"); run 'gover verify "+version+"', or pick another version")
	}
	return fail(1, "run "+exe+": "+err.Error())
}

// notInstalled reports a selected version that is not installed, or with
// GOVER_AUTO_INSTALL=1 installs it and runs the program after all.
func notInstalled(d decision, autoInstall bool, err error) int {
	if !autoInstall {
		return fail(4, err.Error())
	}
	if code := install(d.sel); code != 0 {
		return code
	}
	return runToolchain(d, false)
}

// runSystem runs the next prog on PATH outside the shims folder: what runs
// when nothing selects a version, or a pin says "system".
func runSystem(prog string, args []string, shims string, depth int, sel selection.Selection) int {
	self, _ := os.Executable()
	if exe, ok := toolenv.SystemProgram(prog, os.Getenv(toolenv.PathKey), shims, self); ok {
		env := append(os.Environ(), depthVar+"="+strconv.Itoa(depth+1))
		args[0] = exe
		code, err := toolenv.Exec(exe, args, env)
		if err != nil {
			return fail(1, "run "+exe+": "+err.Error())
		}
		return code
	}
	if sel.System || sel.ElseSystem {
		return fail(4, "no "+prog+" on PATH outside gover's shims ("+sel.Describe()+"); install one, or pin a version with 'gover use 1.22.5'")
	}
	return fail(4, "no Go version selected here and no "+prog+" on PATH outside gover's shims (run 'gover use 1.22.5', or 'gover use --global 1.22.5')")
}

// install runs 'gover install' for a selected version that is missing
// (GOVER_AUTO_INSTALL=1). Its report goes to stderr: stdout belongs to the
// go command the user ran.
func install(sel selection.Selection) int {
	gover := findGover()
	if gover == "" {
		return fail(4, sel.Requested()+" ("+sel.Describe()+") is not installed and GOVER_AUTO_INSTALL=1, but gover is not on PATH; run 'gover install "+sel.InstallWord()+"'")
	}
	p, err := os.StartProcess(gover, []string{gover, "install", sel.InstallWord()},
		&os.ProcAttr{Files: []*os.File{os.Stdin, os.Stderr, os.Stderr}})
	if err != nil {
		return fail(1, "run "+gover+": "+err.Error())
	}
	st, err := p.Wait()
	if err != nil {
		return fail(1, "run "+gover+": "+err.Error())
	}
	return st.ExitCode()
}

// findGover looks for gover beside the real gover-shim, then on PATH.
func findGover() string {
	name := "gover" + toolenv.ExeSuffix
	var candidates []string
	if self, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(self); err == nil {
			self = real
		}
		candidates = append(candidates, filepath.Join(filepath.Dir(self), name))
	}
	for _, c := range candidates {
		if fi, err := os.Stat(c); err == nil && toolenv.IsExecutable(fi) {
			return c
		}
	}
	p, _ := toolenv.LookPathIn(name, os.Getenv(toolenv.PathKey))
	return p
}

func fail(code int, msg string) int {
	os.Stderr.WriteString("gover: " + msg + "\n")
	return code
}
