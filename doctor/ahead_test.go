//go:build !windows

package doctor_test

import (
	"path/filepath"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// A go ahead of the shims that is not the release selected here runs
// every go command in this folder: path-shadowing fails, and active-version
// does not claim the pin is in force. The same release by another road,
// or the hook's own toolchain, is at most a warning.
func TestGoAheadOfThePin(t *testing.T) {
	w := newWorld(t)
	w.shimFor("go1.22.5")
	pin := filepath.Join(w.work, ".go-version")
	w.write(pin, "1.22.5\n", 0o644)
	usrLocal := w.fakeGoroot(filepath.Join(w.sysroot, "usr", "local", "go"), "go1.19.13")
	usrGo := filepath.Join(usrLocal, "bin", "go")
	w.vars["PATH"] = filepath.Join(usrLocal, "bin") + ":" + w.layout.Shims + ":" + w.bin + ":" + w.tools

	r := w.run(doctor.Options{Only: []string{"path-shadowing", "active-version"}})
	want(t, byID(t, r, "path-shadowing"), doctor.Fail, usrGo+" comes before gover's shims on PATH, and it is go1.19.13: every go command here runs go1.19.13, not go1.22.5 (set by "+pin+")")
	wantFix(t, byID(t, r, "path-shadowing"), "put the shims first on PATH")
	want(t, byID(t, r, "active-version"), doctor.Fail, "go1.22.5 (set by "+pin+") is selected here but not in force: "+usrGo+" (go1.19.13) runs instead of gover's shims (see path-shadowing)")
	if !r.Failed(false) {
		t.Error("the report does not fail")
	}

	// Not a Go at all.
	notGo := filepath.Join(w.tmp, "other", "bin")
	w.write(filepath.Join(notGo, "go"), "#!/bin/sh\necho 'go: a game of go, not the language'\nexit 3\n", 0o755)
	w.vars["PATH"] = notGo + ":" + w.layout.Shims + ":" + w.bin + ":" + w.tools
	r = w.run(doctor.Options{Only: []string{"path-shadowing", "active-version"}})
	want(t, byID(t, r, "path-shadowing"), doctor.Fail, filepath.Join(notGo, "go")+" comes before gover's shims on PATH, which does not run as a Go", "every go command here fails instead of running go1.22.5")
	want(t, byID(t, r, "active-version"), doctor.Fail, "is selected here but not in force")

	// The shims not on PATH at all: the other go decides just the same.
	w.vars["PATH"] = filepath.Join(usrLocal, "bin") + ":" + w.bin + ":" + w.tools
	want(t, w.check("path-shadowing"), doctor.Fail, "are not on PATH", "every go command here runs go1.19.13, not go1.22.5")

	// A toolchain of gover's own ahead of the shims, not the selected one
	// (a PATH left from another folder's hook).
	old := w.fakeGoroot(filepath.Join(w.layout.Versions, "go1.21.13"), "go1.21.13")
	w.vars["PATH"] = filepath.Join(old, "bin") + ":" + w.layout.Shims + ":" + w.bin + ":" + w.tools
	want(t, w.check("path-shadowing"), doctor.Fail, filepath.Join(old, "bin", "go")+" (go1.21.13) comes before gover's shims on PATH: every go command here runs go1.21.13, not go1.22.5")

	// The same release by another road: a warning, as before.
	same := w.fakeGoroot(filepath.Join(w.tmp, "opt", "go"), "go1.22.5")
	w.vars["PATH"] = filepath.Join(same, "bin") + ":" + w.layout.Shims + ":" + w.bin + ":" + w.tools
	r = w.run(doctor.Options{Only: []string{"path-shadowing", "active-version"}})
	want(t, byID(t, r, "path-shadowing"), doctor.Warn, "comes before gover's shims on PATH")
	want(t, byID(t, r, "active-version"), doctor.OK, "go1.22.5 (set by "+pin+")")

	// Nothing selected: the shims would run the next go anyway.
	w.write(pin, "system\n", 0o644)
	w.vars["PATH"] = filepath.Join(usrLocal, "bin") + ":" + w.layout.Shims + ":" + w.bin + ":" + w.tools
	want(t, w.check("path-shadowing"), doctor.Warn, "comes before gover's shims on PATH")
	w.write(pin, "1.22.5\n", 0o644)

	// Hook mode: the selected toolchain's own bin first is right.
	w.vars["PATH"] = filepath.Join(w.layout.Versions, "go1.22.5", "bin") + ":" + w.bin + ":" + w.tools
	w.vars["__GOVER_HOOK"] = `{"bin":"x"}`
	r = w.run(doctor.Options{Only: []string{"path-shadowing", "active-version"}})
	want(t, byID(t, r, "path-shadowing"), doctor.OK, "the shell hook")
	want(t, byID(t, r, "active-version"), doctor.OK, "go1.22.5 (set by "+pin+")")
	// … and a hook PATH left from another folder is not.
	w.vars["PATH"] = filepath.Join(old, "bin") + ":" + w.bin + ":" + w.tools
	want(t, w.check("path-shadowing"), doctor.Fail, "every go command here runs go1.21.13, not go1.22.5")
}

// byID is the result of check id in r.
func byID(t *testing.T, r doctor.Report, id string) doctor.Result {
	t.Helper()
	for _, c := range r.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no %s in %+v", id, r.Checks)
	return doctor.Result{}
}
