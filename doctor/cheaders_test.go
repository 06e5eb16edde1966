//go:build !windows

package doctor_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// TestCgoHeadersMissing builds the WSL/container case of a C compiler
// without the C library's headers for real: the machine's gcc with a
// sysroot that has the libraries (links to this machine's) but no
// usr/include, as if libc6-dev were not installed.
func TestCgoHeadersMissing(t *testing.T) {
	w := newWorld(t)
	w.hostOS = "linux"
	w.withSystemPrograms("gcc", "as", "ld")
	sysroot := filepath.Join(w.tmp, "wsl")
	mkdir(t, filepath.Join(sysroot, "usr"))
	for _, d := range []string{"usr/lib", "lib", "lib64"} {
		if _, err := os.Stat("/" + d); err == nil {
			if err := os.Symlink("/"+d, filepath.Join(sysroot, d)); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.write(filepath.Join(w.work, "go.mod"), "module example.com/hello\n\ngo 1.22\n", 0o644)
	w.write(filepath.Join(w.work, "main.go"), "package main\n\n// #include <stdlib.h>\nimport \"C\"\n\nfunc main() { C.free(nil) }\n", 0o644)
	w.vars["CC"] = "gcc --sysroot=" + sysroot
	w.vars["CGO_ENABLED"] = "1"
	build := []string{"build", "-o", filepath.Join(w.tmp, "hello"), "."}
	w.goFails(build, "stdlib.h: No such file or directory")
	r := w.check("cgo-cc")
	want(t, r, doctor.Fail, "CC=gcc --sysroot="+sysroot+" (from the environment) compiles no C that includes <stdio.h>: the C library's headers are missing")
	wantFix(t, r, "sudo apt install libc6-dev", "usr/include")

	// Following the fix: the headers installed (in the sysroot).
	if err := os.Symlink("/usr/include", filepath.Join(sysroot, "usr", "include")); err != nil {
		t.Fatal(err)
	}
	w.goWorks(build...)
	want(t, w.check("cgo-cc"), doctor.OK, "compiles and links C")
}
