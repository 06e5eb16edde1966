//go:build !windows

package doctor_test

import (
	"path/filepath"
	"testing"

	"github.com/goverdev/gover/doctor"
)

func TestGO111MODULE(t *testing.T) {
	w := newWorld(t)
	a := w.fakeGoroot(filepath.Join(w.tmp, "go"), "go1.22.5")
	w.vars["PATH"] = filepath.Join(a, "bin") + ":" + w.bin + ":" + w.tools

	want(t, w.check("go111module"), doctor.OK, "unset")
	w.vars["GO111MODULE"] = "on"
	want(t, w.check("go111module"), doctor.OK, "GO111MODULE=on")

	// auto, from ~/.zshrc.
	w.write(filepath.Join(w.home, ".zshrc"), "export GO111MODULE=auto\n", 0o644)
	w.vars["GO111MODULE"] = "auto"
	r := w.check("go111module")
	want(t, r, doctor.Warn, "GO111MODULE=auto (from ~/.zshrc line 1)", "GOPATH mode")
	wantFix(t, r, "delete the GO111MODULE line from ~/.zshrc (line 1)")

	// off inside a module: go.mod is ignored.
	w.write(filepath.Join(w.work, "go.mod"), "module example.com/p\n\ngo 1.22\n", 0o644)
	w.vars["GO111MODULE"] = "off"
	want(t, w.check("go111module"), doctor.Fail, "go ignores "+filepath.Join(w.work, "go.mod"))

	// A value go does not know, set with 'go env -w'.
	delete(w.vars, "GO111MODULE")
	w.write(w.vars["GOENV"], "GO111MODULE=yes\n", 0o644)
	r = w.check("go111module")
	want(t, r, doctor.Fail, "GO111MODULE=yes", "not on, off or auto")
	wantFix(t, r, "go env -u GO111MODULE")
}

func TestVendorWithoutGoMod(t *testing.T) {
	w := newWorld(t)
	want(t, w.check("vendor-without-gomod"), doctor.OK, "no vendor folder")

	// A GOPATH-era project: vendor/ and no go.mod; the doctor runs in a
	// package folder below it.
	proj := filepath.Join(w.home, "go", "src", "github.com", "acme", "tool")
	w.write(filepath.Join(proj, "vendor", "github.com", "pkg", "errors", "errors.go"), "package errors\n", 0o644)
	w.write(filepath.Join(proj, "cmd", "tool", "main.go"), "package main\n", 0o644)
	w.work = filepath.Join(proj, "cmd", "tool")
	r := w.check("vendor-without-gomod")
	want(t, r, doctor.Fail, filepath.Join(proj, "vendor")+" has no go.mod")
	wantFix(t, r, "go mod init github.com/acme/tool", "go mod vendor")

	// go.mod added, but vendor/modules.txt not rebuilt.
	w.write(filepath.Join(proj, "go.mod"), "module github.com/acme/tool\n\ngo 1.22\n", 0o644)
	r = w.check("vendor-without-gomod")
	want(t, r, doctor.Warn, "no modules.txt")
	wantFix(t, r, "go mod vendor")

	w.write(filepath.Join(proj, "vendor", "modules.txt"), "# github.com/pkg/errors v0.9.1\n", 0o644)
	want(t, w.check("vendor-without-gomod"), doctor.OK, "belongs to "+filepath.Join(proj, "go.mod"))

	// A vendor/ below the module root is not used.
	w.write(filepath.Join(proj, "cmd", "tool", "vendor", "x", "x.go"), "package x\n", 0o644)
	want(t, w.check("vendor-without-gomod"), doctor.Warn, "not at its root")
}

func TestGOPATHLayout(t *testing.T) {
	w := newWorld(t)
	a := w.fakeGoroot(filepath.Join(w.tmp, "go"), "go1.22.5")
	w.vars["PATH"] = filepath.Join(a, "bin") + ":" + w.bin + ":" + w.tools
	want(t, w.check("gopath-layout"), doctor.OK, "GOPATH="+filepath.Join(w.home, "go"))

	w.vars["GOPATH"] = a
	r := w.check("gopath-layout")
	want(t, r, doctor.Fail, "is GOROOT")

	w.vars["GOPATH"] = "~/go"
	want(t, w.check("gopath-layout"), doctor.Fail, "starts with ~")

	w.vars["GOPATH"] = "go"
	want(t, w.check("gopath-layout"), doctor.Fail, "is relative")

	w.vars["GOPATH"] = filepath.Join(w.layout.Versions, "gopath")
	want(t, w.check("gopath-layout"), doctor.Fail, "inside gover's toolchains folder")

	// A module under GOPATH/src at a path that is not its module path.
	gp := filepath.Join(w.home, "gopath")
	w.vars["GOPATH"] = gp
	moved := filepath.Join(gp, "src", "github.com", "old", "name")
	w.write(filepath.Join(moved, "go.mod"), "module github.com/new/name\n\ngo 1.22\n", 0o644)
	w.work = moved
	r = w.check("gopath-layout")
	want(t, r, doctor.Warn, "module github.com/new/name is at github.com/old/name under GOPATH/src")
	wantFix(t, r, filepath.Join(gp, "src", "github.com", "new", "name"))

	// GOPATH-style code without go.mod: every build fails
	// (TestGOPATHLeftovers follows the fix).
	legacy := filepath.Join(gp, "src", "example.org", "team", "app")
	w.write(filepath.Join(legacy, "main.go"), "package main\n", 0o644)
	w.work = legacy
	r = w.check("gopath-layout")
	want(t, r, doctor.Fail, "without a go.mod")
	wantFix(t, r, "go mod init example.org/team/app")

	// In its place, with a go.mod: fine.
	w.write(filepath.Join(legacy, "go.mod"), "module example.org/team/app\n\ngo 1.22\n", 0o644)
	want(t, w.check("gopath-layout"), doctor.OK)
}
