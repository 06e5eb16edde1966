//go:build !windows

package doctor_test

import (
	"path/filepath"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// vendoredModule lays out a module that requires another through a
// folder replacement (so 'go mod vendor' needs no network) and vendors it
// with the real go command.
func vendoredModule(w *world, goLine string) {
	w.t.Helper()
	w.write(filepath.Join(w.work, "go.mod"), "module example.com/app\n\ngo "+goLine+"\n\nrequire example.com/dep v1.0.0\n\nreplace example.com/dep => ./dep\n", 0o644)
	w.write(filepath.Join(w.work, "main.go"), "package main\n\nimport _ \"example.com/dep\"\n\nfunc main() {}\n", 0o644)
	w.write(filepath.Join(w.work, "dep", "go.mod"), "module example.com/dep\n\ngo 1.16\n", 0o644)
	w.write(filepath.Join(w.work, "dep", "dep.go"), "package dep\n", 0o644)
	w.write(filepath.Join(w.work, "other", "go.mod"), "module example.com/other\n\ngo 1.16\n", 0o644)
	w.write(filepath.Join(w.work, "other", "other.go"), "package other\n", 0o644)
	w.goWorks("mod", "vendor")
}

func TestVendorConsistency(t *testing.T) {
	w := newWorld(t)
	want(t, w.check("vendor-consistency"), doctor.Skip, "not in a Go module")
	vendoredModule(w, "1.22")
	list := []string{"list", "./..."}
	w.goWorks(list...)
	want(t, w.check("vendor-consistency"), doctor.OK, "go.mod says go 1.22 (1.14 or later) and "+filepath.Join(w.work, "vendor")+" exists", "agrees with go.mod")

	// A requirement added to go.mod without 'go mod vendor'.
	gomod := "module example.com/app\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0\n\texample.com/other v1.0.0\n)\n\nreplace example.com/dep => ./dep\n\nreplace example.com/other => ./other\n"
	w.write(filepath.Join(w.work, "go.mod"), gomod, 0o644)
	w.goFails(list, "inconsistent vendoring", "example.com/other@v1.0.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt")
	r := w.check("vendor-consistency")
	want(t, r, doctor.Fail, "example.com/other@v1.0.0: is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt",
		"example.com/other: is replaced in go.mod, but not marked as replaced in vendor/modules.txt", "every build stops with 'inconsistent vendoring'")
	wantFix(t, r, "run 'go mod vendor' in "+w.work)

	// Following the fix.
	w.goWorks("mod", "vendor")
	w.goWorks(list...)
	want(t, w.check("vendor-consistency"), doctor.OK)

	// A dependency's version changed in go.mod only.
	w.write(filepath.Join(w.work, "go.mod"), "module example.com/app\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.1\n\texample.com/other v1.0.0\n)\n\nreplace example.com/dep => ./dep\n\nreplace example.com/other => ./other\n", 0o644)
	w.goFails(list, "inconsistent vendoring", "example.com/dep@v1.0.1: is explicitly required in go.mod, but not marked as explicit")
	want(t, w.check("vendor-consistency"), doctor.Fail, "example.com/dep@v1.0.1: is explicitly required in go.mod, but not marked as explicit", "example.com/dep@v1.0.0: is marked as explicit in vendor/modules.txt, but not explicitly required in go.mod")
	// -mod=mod in GOFLAGS: go ignores vendor/ and the build works.
	w.vars["GOFLAGS"] = "-mod=mod"
	w.goWorks(list...)
	want(t, w.check("vendor-consistency"), doctor.OK, "GOFLAGS has -mod=mod")
}

func TestVendorConsistencyBefore114(t *testing.T) {
	// A go line before 1.14: vendor/ is used only when GOFLAGS says so.
	w := newWorld(t)
	vendoredModule(w, "1.13")
	w.write(filepath.Join(w.work, "go.mod"), "module example.com/app\n\ngo 1.13\n\nrequire example.com/dep v1.0.1\n\nreplace example.com/dep => ./dep\n", 0o644)
	list := []string{"list", "./..."}
	w.goWorks(list...)
	want(t, w.check("vendor-consistency"), doctor.OK, "before 1.14")

	w.vars["GOFLAGS"] = "-mod=vendor"
	w.goFails(list, "inconsistent vendoring", "example.com/dep@v1.0.1: is explicitly required in go.mod, but vendor/modules.txt indicates example.com/dep@v1.0.0")
	r := w.check("vendor-consistency")
	want(t, r, doctor.Fail, "GOFLAGS=-mod=vendor (from the environment) says -mod=vendor", "vendor/modules.txt indicates example.com/dep@v1.0.0")
	delete(w.vars, "GOFLAGS")
	w.goWorks("mod", "vendor")
	w.vars["GOFLAGS"] = "-mod=vendor"
	w.goWorks(list...)
	want(t, w.check("vendor-consistency"), doctor.OK)
}
