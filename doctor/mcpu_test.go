//go:build !windows

package doctor_test

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// TestCgoFlagsOtherCPU builds a cgo program for this machine with the
// real go and gcc while CGO_CFLAGS names a processor of another
// architecture: -mcpu=apple-m1 left from a Mac setup (on an arm64
// machine, a POWER9), then an -march for another architecture.
func TestCgoFlagsOtherCPU(t *testing.T) {
	w := newWorld(t)
	w.withSystemPrograms("gcc", "as", "ld")
	w.write(filepath.Join(w.work, "go.mod"), "module example.com/hello\n\ngo 1.22\n", 0o644)
	w.write(filepath.Join(w.work, "main.go"), "package main\n\n// int answer(void) { return 42; }\nimport \"C\"\n\nfunc main() { C.answer() }\n", 0o644)
	w.vars["CGO_ENABLED"] = "1"
	build := []string{"build", "-o", filepath.Join(w.tmp, "hello"), "."}
	cpu, march := "-mcpu=apple-m1", "-march=armv8-a"
	if runtime.GOARCH == "arm64" {
		cpu, march = "-mcpu=power9", "-march=x86-64-v3"
	}

	w.write(filepath.Join(w.home, ".zshrc"), "export CGO_CFLAGS=\"-O2 "+cpu+"\"\n", 0o644)
	w.vars["CGO_CFLAGS"] = "-O2 " + cpu
	w.goFails(build, cpu[len("-mcpu="):])
	r := w.check("cgo-flags")
	want(t, r, doctor.Fail, "CGO_CFLAGS has "+cpu+", but builds target "+runtime.GOOS+"/"+runtime.GOARCH+" (set in ~/.zshrc line 1)")
	wantFix(t, r, "remove "+cpu+" from CGO_CFLAGS")

	// -mtune too.
	w.vars["CGO_CFLAGS"] = "-O2 -mtune=" + cpu[len("-mcpu="):]
	w.goFails(build)
	want(t, w.check("cgo-flags"), doctor.Fail, "CGO_CFLAGS has -mtune=")

	w.vars["CGO_CFLAGS"] = "-O2 " + march
	w.goFails(build)
	want(t, w.check("cgo-flags"), doctor.Fail, "CGO_CFLAGS has "+march)

	// Following the fix: the flag removed.
	w.vars["CGO_CFLAGS"] = "-O2"
	w.goWorks(build...)
	want(t, w.check("cgo-flags"), doctor.OK, "-mcpu, -mtune")

	// A processor of this architecture is fine.
	if runtime.GOARCH == "amd64" {
		w.vars["CGO_CFLAGS"] = "-O2 -mtune=skylake"
		w.goWorks(build...)
		want(t, w.check("cgo-flags"), doctor.OK)
	}
}
