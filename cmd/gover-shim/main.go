// Command gover-shim runs the Go toolchain selected for the current folder.
// It is installed in the shims folder as go and gofmt (and every other
// program a toolchain's bin holds) and dispatches on the name it was run as.
//
// It runs on every go call, so it imports only what selection needs: no
// CLI, crypto or progress packages (SPEC.md, "Binaries").
package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/shims/selection"
)

// maxDepth bounds shims running shims (a PATH that leads back to the shims
// folder through a link gover did not recognise).
const maxDepth = 8

func main() {
	os.Exit(run(os.Args))
}

func run(args []string) int {
	prog := strings.TrimSuffix(filepath.Base(args[0]), exeSuffix)
	if prog == "gover-shim" {
		if len(args) < 2 {
			return fail(2, "gover-shim is run as go or gofmt from the shims folder (or as 'gover-shim PROGRAM ARGS…')")
		}
		prog, args = args[1], args[1:]
	}
	depth, _ := strconv.Atoi(os.Getenv("GOVER_SHIM_DEPTH"))
	if depth >= maxDepth {
		return fail(1, "shim loop: "+prog+" keeps running a gover shim (check PATH for links to the shims folder)")
	}
	layout := paths.New(os.Getenv, paths.DefaultDirs(os.Getenv))
	wd, err := os.Getwd()
	if err != nil {
		return fail(1, "find current folder: "+err.Error())
	}
	sel, err := selection.Find(wd, selection.Options{Getenv: os.Getenv, GlobalFile: layout.GlobalFile})
	if err != nil {
		return fail(2, err.Error())
	}
	if !sel.Found() || sel.System {
		return runSystem(prog, args, layout.Shims, depth, sel)
	}
	version, err := selection.ResolveIn(sel, layout.Versions)
	if err != nil && os.Getenv("GOVER_AUTO_INSTALL") == "1" {
		if code := autoInstall(sel); code != 0 {
			return code
		}
		version, err = selection.ResolveIn(sel, layout.Versions)
	}
	if err != nil {
		return fail(4, err.Error())
	}
	goroot := layout.Toolchain(version)
	bin := filepath.Join(goroot, "bin")
	exe := filepath.Join(bin, prog+exeSuffix)
	if _, err := os.Stat(exe); err != nil {
		return fail(4, version+" has no "+prog+" ("+sel.Describe()+"); run 'gover verify "+version+"' or pick another version")
	}
	env := toolchainEnv(os.Environ(), goroot, bin, depth)
	return execProgram(exe, args, env)
}

// toolchainEnv is the environment a toolchain runs with: GOROOT is its
// folder (overriding a stale inherited one), its bin leads PATH, and
// GOTOOLCHAIN=local keeps the go command from switching toolchains behind
// gover's back, unless the user set GOTOOLCHAIN.
func toolchainEnv(environ []string, goroot, bin string, depth int) []string {
	env := make([]string, 0, len(environ)+4)
	path, hasToolchain := "", false
	for _, kv := range environ {
		switch {
		case hasKey(kv, "GOROOT"), hasKey(kv, "GOVER_SHIM_DEPTH"):
			continue
		case hasKey(kv, pathKey):
			path = kv[len(pathKey)+1:]
			continue
		case hasKey(kv, "GOTOOLCHAIN"):
			hasToolchain = true
		}
		env = append(env, kv)
	}
	if path != bin && !strings.HasPrefix(path, bin+string(os.PathListSeparator)) {
		if path == "" {
			path = bin
		} else {
			path = bin + string(os.PathListSeparator) + path
		}
	}
	env = append(env, "GOROOT="+goroot, pathKey+"="+path, "GOVER_SHIM_DEPTH="+strconv.Itoa(depth+1))
	if !hasToolchain {
		env = append(env, "GOTOOLCHAIN=local")
	}
	return env
}

// runSystem runs the next prog on PATH outside the shims folder: what runs
// when nothing selects a version, or a pin says "system".
func runSystem(prog string, args []string, shims string, depth int, sel selection.Selection) int {
	self, _ := os.Executable()
	selfInfo, _ := os.Stat(self)
	for _, dir := range filepath.SplitList(os.Getenv(pathKey)) {
		if dir == "" || sameDir(dir, shims) {
			continue
		}
		exe := filepath.Join(dir, prog+exeSuffix)
		fi, err := os.Stat(exe)
		if err != nil || fi.IsDir() || !isExecutable(fi) {
			continue
		}
		if selfInfo != nil && os.SameFile(fi, selfInfo) {
			continue
		}
		env := append(os.Environ(), "GOVER_SHIM_DEPTH="+strconv.Itoa(depth+1))
		return execProgram(exe, args, env)
	}
	if sel.System {
		return fail(4, "no "+prog+" on PATH outside gover's shims ("+sel.Describe()+"); install one, or pin a version with 'gover use 1.22.5'")
	}
	return fail(4, "no Go version selected here and no "+prog+" on PATH outside gover's shims (run 'gover use 1.22.5', or 'gover use --global 1.22.5')")
}

func sameDir(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

func hasKey(kv, key string) bool {
	return len(kv) > len(key) && kv[len(key)] == '=' && envKeyEqual(kv[:len(key)], key)
}

// autoInstall runs 'gover install' for a selected version that is missing
// (GOVER_AUTO_INSTALL=1), with its output on stderr.
func autoInstall(sel selection.Selection) int {
	gover := findGover()
	if gover == "" {
		return fail(4, "GOVER_AUTO_INSTALL=1 but gover is not on PATH; run 'gover install "+sel.InstallWord()+"'")
	}
	return runAndWait(gover, []string{"gover", "install", sel.InstallWord()})
}

func findGover() string {
	self, _ := os.Executable()
	candidates := []string{}
	if self != "" {
		candidates = append(candidates, filepath.Join(filepath.Dir(self), "gover"+exeSuffix))
	}
	for _, dir := range filepath.SplitList(os.Getenv(pathKey)) {
		if dir != "" {
			candidates = append(candidates, filepath.Join(dir, "gover"+exeSuffix))
		}
	}
	for _, c := range candidates {
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() {
			return c
		}
	}
	return ""
}

func fail(code int, msg string) int {
	os.Stderr.WriteString("gover: " + msg + "\n")
	return code
}
