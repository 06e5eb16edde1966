//go:build !windows

package doctor_test

import (
	"path/filepath"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// A pin older than the go line is valid and installed, yet every go build
// fails: go-line fails, with a fix that works from that folder.
func TestGoLine(t *testing.T) {
	w := newWorld(t)
	w.shimFor("go1.22.5")
	w.vars["PATH"] = w.layout.Shims + ":" + w.bin + ":" + w.tools
	pin := filepath.Join(w.work, ".go-version")
	gomod := filepath.Join(w.work, "go.mod")

	want(t, w.check("go-line"), doctor.OK, "no go.mod or go.work go line applies here")

	w.write(pin, "1.22.5\n", 0o644)
	w.write(gomod, "module m\n\ngo 1.23.0\n", 0o644)
	r := w.check("go-line")
	want(t, r, doctor.Fail, "go1.22.5 runs here (set by "+pin+"), older than the go line of "+gomod+" (go 1.23.0): the go command refuses to build here")
	wantFix(t, r, "run 'gover use 1.23.0' in "+w.work+", or remove "+pin+" to let go.mod choose")

	w.write(gomod, "module m\n\ngo 1.22.0\n", 0o644)
	want(t, w.check("go-line"), doctor.OK, "go1.22.5 satisfies the go line of "+gomod+" (go 1.22.0)")

	// GOVER_VERSION: the fix is the shell's.
	w.write(gomod, "module m\n\ngo 1.23\n", 0o644)
	w.vars["GOVER_VERSION"] = "1.22.5"
	r = w.check("go-line")
	want(t, r, doctor.Fail, "(set by GOVER_VERSION), older than the go line of "+gomod+" (go 1.23)")
	wantFix(t, r, "run 'gover shell 1.23', or 'gover shell --unset' to let go.mod choose")
	delete(w.vars, "GOVER_VERSION")

	// The shell hook: the toolchain's own bin is first on PATH; go env
	// says which release it is.
	w.vars["PATH"] = filepath.Join(w.layout.Versions, "go1.22.5", "bin") + ":" + w.bin + ":" + w.tools
	w.vars["__GOVER_HOOK"] = `{"bin":"x"}`
	r = w.check("go-line")
	want(t, r, doctor.Fail, "go1.22.5 runs here (set by "+pin+")")

	// A go outside gover altogether.
	w.vars["PATH"] = filepath.Join(w.fakeGoroot(filepath.Join(w.sysroot, "usr", "local", "go"), "go1.21.13"), "bin") + ":" + w.bin + ":" + w.tools
	r = w.check("go-line")
	want(t, r, doctor.Fail, "go1.21.13 runs here, older than the go line")
	wantFix(t, r, "gover setup")
}
