//go:build !windows

package doctor_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goverdev/gover/doctor"
)

func TestGoEnvGOROOT(t *testing.T) {
	w := newWorld(t)
	// The real toolchain, installed in gover's folder (a link to it), and
	// a shim that runs it as gover's does (toolenv.Vars: GOROOT is the
	// toolchain's folder).
	goroot := filepath.Dir(filepath.Dir(realGo(t)))
	data, err := os.ReadFile(filepath.Join(goroot, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	version := strings.TrimSpace(strings.SplitN(string(data), "\n", 2)[0])
	tc := w.layout.Toolchain(version)
	mkdir(t, filepath.Dir(tc))
	if err := os.Symlink(goroot, tc); err != nil {
		t.Fatal(err)
	}
	shim := filepath.Join(w.layout.Shims, "go")
	w.write(shim, "#!/bin/sh\nGOROOT="+tc+" exec "+tc+"/bin/go \"$@\"\n", 0o755)
	w.write(filepath.Join(w.work, ".go-version"), strings.TrimPrefix(version, "go")+"\n", 0o644)
	w.vars["PATH"] = w.layout.Shims + ":" + w.bin + ":" + w.tools
	want(t, w.check("goenv-goroot"), doctor.OK, "sets no GOROOT")

	// 'go env -w GOROOT' naming a toolchain removed since.
	gone := filepath.Join(w.layout.Versions, "go1.21.0")
	w.goWorks("env", "-w", "GOROOT="+gone)
	list := []string{"list", "runtime"}
	if out, err := w.goRunBin(shim, list...); err != nil {
		t.Fatalf("through the shim, go should not see the go env file's GOROOT: %v\n%s", err, out)
	}
	w.goFails(list, "cannot find GOROOT directory: "+gone)
	r := w.check("goenv-goroot")
	want(t, r, doctor.Warn, "the go env file ~/.config/go/env sets GOROOT="+gone, "gover's shims set GOROOT for the go they run and hide it, but any go outside them", "cannot find GOROOT directory")
	wantFix(t, r, "run 'go env -u GOROOT' (through gover's shims")

	// Without the shims, the go that runs reads it.
	w.vars["PATH"] = filepath.Dir(realGo(t)) + ":" + w.bin + ":" + w.tools
	r = w.check("goenv-goroot")
	want(t, r, doctor.Fail, "the go that runs here reads it")
	wantFix(t, r, "delete the GOROOT line from ~/.config/go/env (a go that reads a broken GOROOT cannot run 'go env -u GOROOT')")
	w.goFails([]string{"env", "-u", "GOROOT"}, "cannot find GOROOT directory")
	// goroot-mismatch says so too, with the fix that works.
	r = w.check("goroot-mismatch")
	want(t, r, doctor.Fail, "does not run", "cannot find GOROOT directory", "comes from the go env file ~/.config/go/env")
	wantFix(t, r, "delete the GOROOT line from ~/.config/go/env")
	// Following it: the line deleted, go runs; then put back for the shim's way.
	envFile, _ := os.ReadFile(w.vars["GOENV"])
	w.write(w.vars["GOENV"], "", 0o644)
	w.goWorks(list...)
	want(t, w.check("goroot-mismatch"), doctor.OK)
	w.write(w.vars["GOENV"], string(envFile), 0o644)

	// Following the fix: 'go env -u GOROOT' through the shim.
	w.vars["PATH"] = w.layout.Shims + ":" + w.bin + ":" + w.tools
	if out, err := w.goRunBin(shim, "env", "-u", "GOROOT"); err != nil {
		t.Fatalf("go env -u GOROOT through the shim: %v\n%s", err, out)
	}
	w.goWorks(list...)
	want(t, w.check("goenv-goroot"), doctor.OK)

	// GOROOT naming a real installation of another release.
	other := w.fakeGoroot(filepath.Join(w.tmp, "go-old"), "go1.19.13")
	w.goWorks("env", "-w", "GOROOT="+other)
	want(t, w.check("goenv-goroot"), doctor.Warn, "a go of any release but go1.19.13 builds with its own tools and go1.19.13's standard library")
}
