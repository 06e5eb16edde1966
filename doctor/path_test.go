//go:build !windows

package doctor_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// shimFor makes the shims folder hold a go that behaves as gover's shim
// does for an installed toolchain: GOROOT set to it, its go run.
func (w *world) shimFor(version string) {
	goroot := w.fakeGoroot(filepath.Join(w.layout.Versions, version), version)
	w.write(filepath.Join(w.layout.Shims, "go"), "#!/bin/sh\nGOROOT="+goroot+" exec "+goroot+"/bin/go \"$@\"\n", 0o755)
}

func TestPathShadowing(t *testing.T) {
	w := newWorld(t)
	w.shimFor("go1.22.5")
	w.write(filepath.Join(w.work, ".go-version"), "1.22.5\n", 0o644)
	// The official archive in /usr/local/go, its bin on PATH before the shims.
	usrLocal := w.fakeGoroot(filepath.Join(w.sysroot, "usr", "local", "go"), "go1.19.13")
	w.vars["PATH"] = filepath.Join(usrLocal, "bin") + ":" + w.layout.Shims + ":" + w.bin + ":" + w.tools
	r := w.run(doctor.Options{Only: []string{"path-shadowing", "system-go"}})
	// It is not the pinned release, so every go here runs the wrong one:
	// a failure (TestGoAheadOfThePin has the other cases).
	want(t, r.Checks[0], doctor.Fail, filepath.Join(usrLocal, "bin", "go")+" comes before gover's shims on PATH")
	want(t, r.Checks[1], doctor.Warn, "go1.19.13 in "+usrLocal)

	// Shims first: both fine, /usr/local/go merely noted.
	w.vars["PATH"] = w.layout.Shims + ":" + filepath.Join(usrLocal, "bin") + ":" + w.bin + ":" + w.tools
	r = w.run(doctor.Options{Only: []string{"path-shadowing", "system-go"}})
	want(t, r.Checks[0], doctor.OK, "gover's shims come first on PATH")
	want(t, r.Checks[1], doctor.OK, "not in the shims' way")

	// Shims not on PATH at all.
	w.vars["PATH"] = w.bin + ":" + w.tools
	want(t, w.check("path-shadowing"), doctor.Warn, "are not on PATH")

	// Hook mode: no shims on PATH by design, the toolchain's bin is first.
	w.vars["PATH"] = filepath.Join(w.layout.Versions, "go1.22.5", "bin") + ":" + w.bin + ":" + w.tools
	w.vars["__GOVER_HOOK"] = `{"bin":"x"}`
	want(t, w.check("path-shadowing"), doctor.OK, "the shell hook")
}

func TestGOROOTMismatch(t *testing.T) {
	w := newWorld(t)
	a := w.fakeGoroot(filepath.Join(w.tmp, "go-a"), "go1.22.5")
	b := w.fakeGoroot(filepath.Join(w.tmp, "go-b"), "go1.19.13")
	w.vars["PATH"] = filepath.Join(a, "bin") + ":" + w.bin + ":" + w.tools

	// No go at all.
	saved := w.vars["PATH"]
	w.vars["PATH"] = w.bin + ":" + w.tools
	want(t, w.check("goroot-mismatch"), doctor.Skip, "no go on PATH")
	w.vars["PATH"] = saved

	// Healthy: GOROOT unset, go finds its own.
	want(t, w.check("goroot-mismatch"), doctor.OK, "go is "+filepath.Join(a, "bin", "go")+", GOROOT "+a)

	// A stale GOROOT from ~/.bashrc: go A builds with B's standard library.
	w.write(filepath.Join(w.home, ".bashrc"), "# mine\nexport GOROOT="+b+"\nexport PATH=$GOROOT/bin:$PATH\n", 0o644)
	w.vars["GOROOT"] = b
	r := w.check("goroot-mismatch")
	want(t, r, doctor.Fail, "GOROOT="+b+", but the go that runs ("+filepath.Join(a, "bin", "go")+") belongs to "+a)
	wantFix(t, r, "delete the GOROOT line from ~/.bashrc (line 2), then open a new shell")

	// GOROOT naming no Go installation at all.
	w.vars["GOROOT"] = filepath.Join(w.tmp, "nothing-here")
	want(t, w.check("goroot-mismatch"), doctor.Fail, "is not a Go installation")
	delete(w.vars, "GOROOT")
	os.Remove(filepath.Join(w.home, ".bashrc"))

	// go reached through a link, as /usr/local/bin/go often is, and GOROOT
	// spelled through another link: the same installation.
	mkdir(t, filepath.Join(w.tmp, "links"))
	if err := os.Symlink(filepath.Join(a, "bin", "go"), filepath.Join(w.tmp, "links", "go")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(a, filepath.Join(w.tmp, "go-a-link")); err != nil {
		t.Fatal(err)
	}
	w.vars["PATH"] = filepath.Join(w.tmp, "links") + ":" + w.bin + ":" + w.tools
	w.vars["GOROOT"] = filepath.Join(w.tmp, "go-a-link")
	want(t, w.check("goroot-mismatch"), doctor.OK, "(really "+filepath.Join(a, "bin", "go")+")", "GOROOT set to the same")
	delete(w.vars, "GOROOT")

	// GOROOT written with 'go env -w': go env GOROOT disagrees with the
	// installation the go binary is in.
	w.write(w.vars["GOENV"], "GOROOT="+b+"\n", 0o644)
	r = w.check("goroot-mismatch")
	want(t, r, doctor.Fail, "'go env GOROOT' is "+b)
	wantFix(t, r, "go env -u GOROOT")
	os.Remove(w.vars["GOENV"])

	// Through gover's shim: the shim overrides a stale GOROOT, so only
	// programs reading GOROOT themselves are affected.
	w.shimFor("go1.22.5")
	w.write(filepath.Join(w.work, ".go-version"), "1.22.5\n", 0o644)
	w.vars["PATH"] = w.layout.Shims + ":" + w.bin + ":" + w.tools
	want(t, w.check("goroot-mismatch"), doctor.OK, "gover's shim, running go1.22.5", filepath.Join(w.layout.Versions, "go1.22.5"))
	w.vars["GOROOT"] = b
	r = w.check("goroot-mismatch")
	want(t, r, doctor.Warn, "GOROOT="+b+" is set", "gover's shims override GOROOT")

	// The pinned version not installed: that is active-version's finding.
	w.write(filepath.Join(w.work, ".go-version"), "1.21.13\n", 0o644)
	want(t, w.check("goroot-mismatch"), doctor.Skip, "see active-version")
}
