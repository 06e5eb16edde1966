//go:build !windows

package doctor_test

import (
	"encoding/binary"
	"path/filepath"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// cgoModule makes the project a module with cgo code whose preamble names
// pkg-config packages; lines for another OS come along to be ignored.
func (w *world) cgoModule(pkgs string) {
	w.write(filepath.Join(w.work, "go.mod"), "module example.com/cgoapp\n\ngo 1.22\n", 0o644)
	w.write(filepath.Join(w.work, "db", "db.go"), "package db\n\n/*\n#cgo pkg-config: "+pkgs+"\n#cgo windows pkg-config: winonly\n*/\nimport \"C\"\n", 0o644)
	w.write(filepath.Join(w.work, "db", "db_windows.go"), "package db\n\n/*\n#cgo pkg-config: alsowinonly\n*/\nimport \"C\"\n", 0o644)
	w.write(filepath.Join(w.work, "main.go"), "package main\n\nfunc main() {}\n", 0o644)
}

func TestCgoCC(t *testing.T) {
	w := newWorld(t)

	// The machine's C compiler (CI installs gcc: its absence is a failure
	// here, not a reason to skip).
	w.withSystemPath()
	want(t, w.check("cgo-cc"), doctor.OK, "compiles and links C")

	// No compiler on PATH, cgo not asked for: go turns cgo off.
	w.vars["PATH"] = w.bin + ":" + w.tools
	r := w.check("cgo-cc")
	want(t, r, doctor.Warn, "no C compiler: CC=gcc (Go's default) is not on PATH", "go turns cgo off by itself")
	wantFix(t, r, "CGO_ENABLED=0")

	// ... but asked for, or needed by this module: every build stops.
	w.vars["CGO_ENABLED"] = "1"
	want(t, w.check("cgo-cc"), doctor.Fail, "CGO_ENABLED=1, so every build stops")
	delete(w.vars, "CGO_ENABLED")
	w.cgoModule("sqlite3")
	want(t, w.check("cgo-cc"), doctor.Fail, "this module has cgo code (db/db.go)")

	// CC naming a program that is not there.
	w.withSystemPath()
	w.vars["CC"] = "nonexistent-cc -O2"
	r = w.check("cgo-cc")
	want(t, r, doctor.Fail, "CC=nonexistent-cc (from the environment) is not on PATH")
	wantFix(t, r, "unset CC", "or point CC at a C compiler that is installed")

	// A compiler that runs but cannot build (headers or linker missing).
	w.vars["CC"] = w.script("broken-cc", `echo "broken-cc: fatal error: stdio.h: No such file or directory" >&2; exit 1`)
	want(t, w.check("cgo-cc"), doctor.Fail, "compiles no C that includes <stdio.h>: the C library's headers are missing")
	w.vars["CC"] = w.script("broken-cc", `echo "broken-cc: ld: cannot find -lc" >&2; exit 1`)
	want(t, w.check("cgo-cc"), doctor.Fail, "runs, but the C library's development files are missing (cannot find -lc)")
	w.vars["CC"] = w.script("broken-cc", `echo "broken-cc: internal compiler error: Segmentation fault" >&2; exit 1`)
	want(t, w.check("cgo-cc"), doctor.Fail, "cannot build a one-line C program: broken-cc: internal compiler error")

	// cgo off: nothing to check.
	w.vars["CGO_ENABLED"] = "0"
	want(t, w.check("cgo-cc"), doctor.Skip, "cgo is off")
}

// fakePkgConfig is a pkg-config that knows the packages named.
func (w *world) fakePkgConfig(name string, known string) string {
	return w.script(name, `for a; do last=$a; done
for k in `+known+`; do [ "$last" = "$k" ] && exit 0; done
echo "Package $last was not found in the pkg-config search path." >&2
exit 1`)
}

func TestPkgConfig(t *testing.T) {
	w := newWorld(t)
	w.hostOS = "linux"
	want(t, w.check("pkg-config"), doctor.Skip, "not in a Go module")
	w.write(filepath.Join(w.work, "go.mod"), "module example.com/plain\n\ngo 1.22\n", 0o644)
	want(t, w.check("pkg-config"), doctor.Skip, "no '#cgo pkg-config:' lines in example.com/plain")

	w.cgoModule("sqlite3 --static libpng")
	// No pkg-config at all.
	r := w.check("pkg-config")
	want(t, r, doctor.Fail, "needs pkg-config for sqlite3, libpng, but pkg-config is not on PATH")
	wantFix(t, r, "apt install pkg-config")

	// One of the two missing; the Windows-only names are not asked for.
	w.fakePkgConfig("pkg-config", "sqlite3")
	r = w.check("pkg-config")
	want(t, r, doctor.Fail, "pkg-config cannot find libpng (named in db/db.go)")
	wantFix(t, r, "libpng.pc")

	w.fakePkgConfig("pkg-config", "sqlite3 libpng")
	want(t, w.check("pkg-config"), doctor.OK, "pkg-config finds sqlite3, libpng")

	// PKG_CONFIG names another program, as cmd/go honours.
	w.vars["PKG_CONFIG"] = w.fakePkgConfig("pkgconf-cross", "sqlite3")
	want(t, w.check("pkg-config"), doctor.Fail, "cannot find libpng")
	delete(w.vars, "PKG_CONFIG")

	w.vars["CGO_ENABLED"] = "0"
	want(t, w.check("pkg-config"), doctor.Skip, "cgo is off")
}

func TestLibc(t *testing.T) {
	w := newWorld(t)
	w.hostOS = "linux"

	// Made-up answers of real ldd programs.
	w.script("ldd", `echo "ldd (Ubuntu GLIBC 2.35-0ubuntu3.6) 2.35"; echo "Copyright (C) 2022 Free Software Foundation, Inc."`)
	want(t, w.check("libc"), doctor.OK, "glibc 2.35")
	w.script("ldd", `printf 'musl libc (x86_64)\nVersion 1.2.4\nDynamic Program Loader\nUsage: ldd [options] [--] pathname\n' >&2; exit 1`)
	want(t, w.check("libc"), doctor.OK, "musl 1.2.4", "Alpine")
	w.script("ldd", `echo "ldd (GNU libc) 2.12"`)
	r := w.check("libc")
	want(t, r, doctor.Warn, "glibc 2.12: older than 2.17")

	// No ldd: getconf, then the musl loader.
	w.script("ldd", "exit 127")
	w.script("getconf", `[ "$1" = GNU_LIBC_VERSION ] && echo "glibc 2.31"`)
	// (ldd above prints nothing it recognises, so getconf answers.)
	want(t, w.check("libc"), doctor.OK, "glibc 2.31")
	w.vars["PATH"] = w.tools
	w.write(filepath.Join(w.sysroot, "lib", "ld-musl-x86_64.so.1"), "", 0o755)
	want(t, w.check("libc"), doctor.OK, "musl:")

	// This machine's own.
	w = newWorld(t)
	w.hostOS = "linux"
	w.withSystemPath()
	if r := w.check("libc"); r.Status != doctor.OK || !(startsWith(r.Message, "glibc 2.") || startsWith(r.Message, "musl")) {
		t.Errorf("this machine's libc: %+v", r)
	}

	w.hostOS = "darwin"
	want(t, w.check("libc"), doctor.Skip, "only Linux")
}

func startsWith(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

// elfObject is the header of an ELF relocatable object for a machine,
// which is all the cross-cc check reads.
func elfObject(machine uint16) string {
	h := make([]byte, 64)
	copy(h, "\x7fELF")
	h[4], h[5], h[6] = 2, 1, 1               // 64-bit, little-endian, version 1
	binary.LittleEndian.PutUint16(h[16:], 1) // ET_REL
	binary.LittleEndian.PutUint16(h[18:], machine)
	binary.LittleEndian.PutUint32(h[20:], 1)
	binary.LittleEndian.PutUint16(h[52:], 64) // header size
	return string(h)
}

// fakeCrossCC is a C compiler that writes obj wherever -o says.
func (w *world) fakeCrossCC(name, obj string) string {
	objFile := filepath.Join(w.tmp, name+".o")
	w.write(objFile, obj, 0o644)
	return w.script(name, `while [ $# -gt 0 ]; do [ "$1" = -o ] && out=$2; shift; done
cat `+objFile+` > "$out"`)
}

// otherArch is an architecture that is not this machine's.
func otherArch(host string) string {
	if host == "arm64" {
		return "amd64"
	}
	return "arm64"
}

func TestCrossCC(t *testing.T) {
	w := newWorld(t)
	w.hostOS = "linux"
	// Only the host's compiler and what it runs: a cross compiler this
	// machine happens to have must not show up in the fixes.
	w.withSystemPrograms("gcc", "as", "ld", "cat")
	want(t, w.check("cross-cc"), doctor.Skip, "not cross compiling")

	target := otherArch(w.hostArch)
	w.vars["GOOS"], w.vars["GOARCH"] = "linux", target
	want(t, w.check("cross-cc"), doctor.OK, "cgo off (Go's default when cross compiling)")
	w.cgoModule("sqlite3")
	r := w.check("cross-cc")
	want(t, r, doctor.Warn, "this module's cgo code (db/db.go) is left out")

	// cgo on, CC still the machine's own gcc: it builds the wrong code.
	w.vars["CGO_ENABLED"] = "1"
	r = w.check("cross-cc")
	want(t, r, doctor.Fail, "but CC=gcc (Go's default) builds ELF "+w.hostArch+" code")
	wantFix(t, r, "sudo apt install gcc-")

	// A cross compiler installed but not in CC: the fix names it.
	tools := map[string]struct {
		cc      string
		machine uint16
	}{"arm64": {"aarch64-linux-gnu-gcc", 183}, "amd64": {"x86_64-linux-gnu-gcc", 62}}
	tc := tools[target]
	cross := w.fakeCrossCC(tc.cc, elfObject(tc.machine))
	r = w.check("cross-cc")
	want(t, r, doctor.Fail)
	wantFix(t, r, "set CC="+tc.cc+" (installed at "+cross+")")

	// In CC: right, but pkg-config would still answer for this machine
	// (here it is not even there: the build fails; TestCrossHostPkgConfig
	// links with this machine's library for real).
	w.vars["CC"] = tc.cc
	r = w.check("cross-cc")
	want(t, r, doctor.Fail, "pkg-config would hand it this machine's libraries")
	wantFix(t, r, "PKG_CONFIG_LIBDIR=")
	w.vars["PKG_CONFIG_LIBDIR"] = "/usr/lib/" + tc.cc[:len(tc.cc)-4] + "/pkgconfig"
	w.fakePkgConfig("pkg-config", "sqlite3")
	want(t, w.check("cross-cc"), doctor.OK, "CC="+tc.cc+" builds ELF "+target+" code for linux/"+target)

	// A cross compiler that is not installed at all.
	w.vars["CC"] = "riscv64-linux-gnu-gcc"
	w.vars["GOARCH"] = "riscv64"
	r = w.check("cross-cc")
	want(t, r, doctor.Fail, "CC=riscv64-linux-gnu-gcc (from the environment) is not on PATH")
	wantFix(t, r, "sudo apt install gcc-riscv64-linux-gnu", "zig cc -target riscv64-linux-gnu")
}

func TestCgoFlags(t *testing.T) {
	w := newWorld(t)
	w.vars["GOOS"], w.vars["GOARCH"] = w.hostOS, w.hostArch
	want(t, w.check("cgo-flags"), doctor.OK, "GOARCH="+w.hostArch)

	// Left over from an Intel Mac: -arch x86_64 on Apple Silicon.
	w.vars["GOOS"], w.vars["GOARCH"] = "darwin", "arm64"
	w.vars["CGO_ENABLED"] = "1"
	w.write(filepath.Join(w.home, ".zshrc"), "export PATH=/opt/homebrew/bin:$PATH\nexport CGO_CFLAGS=\"-O2 -arch x86_64\"\n", 0o644)
	w.vars["CGO_CFLAGS"] = "-O2 -arch x86_64"
	r := w.check("cgo-flags")
	want(t, r, doctor.Fail, "CGO_CFLAGS has -arch x86_64, but builds target darwin/arm64 (set in ~/.zshrc line 2)")
	wantFix(t, r, "remove -arch x86_64 from CGO_CFLAGS, or set GOARCH=amd64")

	// A clang target triple in CGO_LDFLAGS, -march in CFLAGS.
	w.vars["CGO_CFLAGS"] = "-O2 -arch arm64"
	w.vars["GOOS"], w.vars["GOARCH"] = "linux", "amd64"
	w.vars["CGO_LDFLAGS"] = "--target=aarch64-linux-gnu"
	w.vars["CFLAGS"] = "-march=armv8-a"
	r = w.check("cgo-flags")
	want(t, r, doctor.Fail, "CGO_CFLAGS has -arch arm64", "CGO_LDFLAGS has --target=aarch64-linux-gnu", "CFLAGS has -march=armv8-a, but builds target linux/amd64: go ignores CFLAGS")

	// Only CFLAGS wrong: a warning, for -march, -mcpu and -mtune alike.
	delete(w.vars, "CGO_CFLAGS")
	delete(w.vars, "CGO_LDFLAGS")
	want(t, w.check("cgo-flags"), doctor.Warn, "go ignores CFLAGS")
	w.vars["CFLAGS"] = "-O2 -mcpu=apple-m1"
	want(t, w.check("cgo-flags"), doctor.Warn, "CFLAGS has -mcpu=apple-m1, but builds target linux/amd64: go ignores CFLAGS")
	w.vars["CFLAGS"] = "-mtune=cortex-a72"
	want(t, w.check("cgo-flags"), doctor.Warn, "CFLAGS has -mtune=cortex-a72")

	// cgo off: harmless for now.
	delete(w.vars, "CFLAGS")
	w.vars["CGO_LDFLAGS"] = "-m32"
	w.vars["CGO_ENABLED"] = "0"
	want(t, w.check("cgo-flags"), doctor.Warn, "CGO_LDFLAGS has -m32", "harmless while cgo is off")

	// Flags that agree.
	w.vars["CGO_ENABLED"] = "1"
	w.vars["CGO_LDFLAGS"] = "-m64 -march=x86-64-v3 -target x86_64-pc-linux-gnu"
	want(t, w.check("cgo-flags"), doctor.OK)
}
