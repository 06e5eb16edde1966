//go:build !windows

package doctor_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// TestCrossSysrootPkgConfig cross compiles to linux/arm64 for real: the
// arm64 gcc from apt (gcc-aarch64-linux-gnu), the real pkg-config pointed
// at a sysroot, and a module whose cgo code names a library by
// '#cgo pkg-config:'. The library is missing from the sysroot, first
// entirely, then all but its .pc file.
func TestCrossSysrootPkgConfig(t *testing.T) {
	if runtime.GOARCH == "arm64" {
		t.Skip("this machine is arm64: linux/arm64 is not a cross build here")
	}
	w := newWorld(t)
	w.hostOS = "linux"
	w.withSystemPrograms("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ar", "pkg-config")
	sysroot := filepath.Join(w.tmp, "sysroot-arm64")
	pcdir := filepath.Join(sysroot, "usr", "lib", "aarch64-linux-gnu", "pkgconfig")
	mkdir(t, pcdir)
	w.write(filepath.Join(w.work, "go.mod"), "module example.com/app\n\ngo 1.22\n", 0o644)
	w.write(filepath.Join(w.work, "main.go"), "package main\n\n// #cgo pkg-config: foo\n// #include <foo.h>\nimport \"C\"\n\nfunc main() { C.foo() }\n", 0o644)
	w.vars["GOOS"], w.vars["GOARCH"], w.vars["CGO_ENABLED"] = "linux", "arm64", "1"
	w.vars["CC"] = "aarch64-linux-gnu-gcc"
	w.vars["PKG_CONFIG_LIBDIR"] = pcdir
	w.vars["PKG_CONFIG_SYSROOT_DIR"] = sysroot
	build := []string{"build", "-o", filepath.Join(w.tmp, "app"), "."}

	// No foo.pc in the sysroot: pkg-config stops the build.
	w.goFails(build, "Package foo was not found")
	r := w.check("cross-cc")
	want(t, r, doctor.Fail, "cross build to linux/arm64: pkg-config (PKG_CONFIG_LIBDIR="+pcdir+", PKG_CONFIG_SYSROOT_DIR="+sysroot+") has no foo (named in main.go)")
	wantFix(t, r, "sudo dpkg --add-architecture arm64", "lib…-dev:arm64", "copy the target's foo.pc and its library into the sysroot")
	// The host's pkg-config check leaves it to cross-cc (its fix is for this machine).
	want(t, w.check("pkg-config"), doctor.Skip, "cross-cc asks pkg-config for the target's packages")

	// The .pc copied in, but not the library: the linker stops it.
	w.write(filepath.Join(pcdir, "foo.pc"), "prefix=/usr\nlibdir=${prefix}/lib/aarch64-linux-gnu\nincludedir=${prefix}/include\n\nName: foo\nDescription: foo\nVersion: 1.0\nCflags: -I${includedir}\nLibs: -L${libdir} -lfoo\n", 0o644)
	w.write(filepath.Join(sysroot, "usr", "include", "foo.h"), "void foo(void);\n", 0o644)
	w.goFails(build, "cannot find -lfoo")
	r = w.check("cross-cc")
	want(t, r, doctor.Fail, "linking with pkg-config's flags for foo (-L"+filepath.Join(sysroot, "usr", "lib", "aarch64-linux-gnu")+" -lfoo) fails", "cannot find -lfoo")
	wantFix(t, r, "copy the target's foo.pc and its library into the sysroot", "PKG_CONFIG_SYSROOT_DIR")

	// Following the fix: the target's library in the sysroot.
	lib := filepath.Join(sysroot, "usr", "lib", "aarch64-linux-gnu")
	w.write(filepath.Join(w.tmp, "foo.c"), "void foo(void) {}\n", 0o644)
	for _, args := range [][]string{
		{"aarch64-linux-gnu-gcc", "-c", "-o", filepath.Join(w.tmp, "foo.o"), filepath.Join(w.tmp, "foo.c")},
		{"aarch64-linux-gnu-ar", "rcs", filepath.Join(lib, "libfoo.a"), filepath.Join(w.tmp, "foo.o")},
	} {
		if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out)
		}
	}
	w.goWorks(build...)
	want(t, w.check("cross-cc"), doctor.OK, "CC=aarch64-linux-gnu-gcc builds ELF arm64 code for linux/arm64", "finds foo for it, and they link")
}
