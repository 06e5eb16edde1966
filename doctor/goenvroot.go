package doctor

import (
	"context"
	"fmt"

	"github.com/goverdev/gover/internal/fspath"
	"github.com/goverdev/gover/shims/toolenv"
)

// checkGoEnvGOROOT: the go env file ('go env -w') should not set GOROOT.
// gover's shims set GOROOT for the go they run, and the environment beats
// the file, so through the shims nothing shows; but every go started
// otherwise (an editor's, a toolchain's bin/go run directly, a CI step, a
// script with its own PATH) reads the file and takes that GOROOT: one
// removed since stops it with "cannot find GOROOT directory", another
// release's builds with mismatched tools and standard library.
func checkGoEnvGOROOT(ctx context.Context, s *state) Result {
	f, ok := s.envFile.get(ctx)
	if !ok {
		return warnf("gave up reading the go env file", "run 'gover doctor goenv-goroot' again")
	}
	root := f.Vars["GOROOT"]
	file := tilde(f.Path, s.env.Getenv("HOME"))
	if root == "" {
		if f.Path == "" {
			return okf("no go env file (GOENV=off)")
		}
		return okf(fmt.Sprintf("the go env file %s sets no GOROOT", file))
	}
	g, _ := s.goCmd.get(ctx)
	what := s.gorootFileEffect(root)
	msg := fmt.Sprintf("the go env file %s sets GOROOT=%s ('go env -w')", file, root)
	fix := s.goEnvGOROOTFix(f.Path, g.Shim)
	switch {
	case g.Shim:
		return warnf(msg+": gover's shims set GOROOT for the go they run and hide it, but any go outside them (an editor's, a toolchain's bin/go run directly, a script with its own PATH) reads it: "+what, fix)
	case s.env.Getenv("GOROOT") != "":
		return warnf(msg+": $GOROOT overrides it in this environment, but any go started without it reads it: "+what, fix)
	case g.GOROOT != "" && fspath.Same(fspath.Real(g.GOROOT), fspath.Real(root)):
		return warnf(msg+": it names the installation the go here belongs to, so nothing breaks yet, but any other go (another release, a toolchain gover installs) reads it too: "+what, fix)
	}
	return failf(msg+", and the go that runs here reads it: "+what, fix)
}

// gorootFileEffect says what a go that reads GOROOT=root does.
func (s *state) gorootFileEffect(root string) string {
	if !isGoroot(root) {
		return "that folder is no Go installation, so go stops with 'cannot find GOROOT directory' (or cannot find the standard library)"
	}
	version := toolenv.GorootVersion(root)
	if version == "" {
		return "a go of another release builds with its own tools and that installation's standard library ('compile: version … does not match go tool version …')"
	}
	return fmt.Sprintf("a go of any release but %s builds with its own tools and %s's standard library ('compile: version … does not match go tool version …')", version, version)
}

// goEnvGOROOTFix says how to take GOROOT out of the go env file. A go that
// reads a missing GOROOT cannot start, not even to run 'go env -u', so
// that is said to go through the shims (which set GOROOT), or the line is
// deleted by hand.
func (s *state) goEnvGOROOTFix(path string, shim bool) string {
	file := tilde(path, s.env.Getenv("HOME"))
	if shim {
		return fmt.Sprintf("run 'go env -u GOROOT' (through gover's shims, which set GOROOT, so it runs even while that GOROOT is broken), or delete the GOROOT line from %s; Go finds its own GOROOT", file)
	}
	return fmt.Sprintf("delete the GOROOT line from %s (a go that reads a broken GOROOT cannot run 'go env -u GOROOT'); Go finds its own GOROOT", file)
}
