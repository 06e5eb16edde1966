//go:build !windows

package doctor_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// TestCrossHostPkgConfig cross compiles to linux/arm64 for real with
// nothing pointing pkg-config at the target: it answers with this
// machine's foo.pc, whose x86-64 library the arm64 linker cannot use.
// That is a failure, and the fix (the target's .pc folder in
// PKG_CONFIG_LIBDIR, this machine's out of PKG_CONFIG_PATH) builds.
func TestCrossHostPkgConfig(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("the host library here is built for amd64")
	}
	w := newWorld(t)
	w.hostOS = "linux"
	w.withSystemPrograms("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ar", "pkg-config")
	w.write(filepath.Join(w.work, "go.mod"), "module example.com/app\n\ngo 1.22\n", 0o644)
	w.write(filepath.Join(w.work, "main.go"), "package main\n\n// #cgo pkg-config: foo\n// #include <foo.h>\nimport \"C\"\n\nfunc main() { C.foo() }\n", 0o644)
	w.write(filepath.Join(w.tmp, "foo.c"), "void foo(void) {}\n", 0o644)

	// libfoo and its foo.pc built for a machine: this one (gcc, ar), or
	// the target (the arm64 cross tools).
	lib := func(dir, gcc, ar string) string {
		for _, args := range [][]string{
			{gcc, "-c", "-o", filepath.Join(dir, "foo.o"), filepath.Join(w.tmp, "foo.c")},
			{ar, "rcs", filepath.Join(dir, "lib", "libfoo.a"), filepath.Join(dir, "foo.o")},
		} {
			mkdir(t, filepath.Join(dir, "lib"))
			if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
				t.Fatalf("%v: %v\n%s", args, err, out)
			}
		}
		w.write(filepath.Join(dir, "include", "foo.h"), "void foo(void);\n", 0o644)
		w.write(filepath.Join(dir, "pkgconfig", "foo.pc"), "prefix="+dir+"\n\nName: foo\nDescription: foo\nVersion: 1.0\nCflags: -I${prefix}/include\nLibs: -L${prefix}/lib -lfoo\n", 0o644)
		return filepath.Join(dir, "pkgconfig")
	}
	hostPC := lib(filepath.Join(w.tmp, "host"), "gcc", "ar")
	targetPC := lib(filepath.Join(w.tmp, "arm64"), "aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ar")

	w.vars["GOOS"], w.vars["GOARCH"], w.vars["CGO_ENABLED"] = "linux", "arm64", "1"
	w.vars["CC"] = "aarch64-linux-gnu-gcc"
	w.vars["PKG_CONFIG_PATH"] = hostPC
	build := []string{"build", "-o", filepath.Join(w.tmp, "app"), "."}

	w.goFails(build, "-lfoo")
	r := w.check("cross-cc")
	want(t, r, doctor.Fail, "pkg-config would hand it this machine's libraries", "cannot find -lfoo")
	wantFix(t, r, "PKG_CONFIG_LIBDIR", "PKG_CONFIG_PATH")

	// Follow the fix. go's build cache keys a cgo package by CC and the
	// CGO_ flags, not by what pkg-config answers: the package compiled
	// with this machine's flags stays cached (cmd/go buildActionID), so
	// the fix says to rebuild it (-a) once.
	delete(w.vars, "PKG_CONFIG_PATH")
	w.vars["PKG_CONFIG_LIBDIR"] = targetPC
	w.goFails(build, "skipping incompatible")
	w.goWorks(append([]string{"build", "-a"}, build[1:]...)...)
	want(t, w.check("cross-cc"), doctor.OK, "finds foo for it, and they link")
}
