//go:build linux

package doctor_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// installInto lays the files of the installed Debian packages that are
// under the folder under ("/" for all) into root, as links: a sysroot
// holding exactly what those packages provide.
func installInto(t *testing.T, root, under string, pkgs ...string) {
	t.Helper()
	for _, pkg := range pkgs {
		out, err := exec.Command("dpkg-query", "-L", pkg).Output()
		if err != nil {
			t.Fatalf("this test builds sysroots from Debian packages: dpkg-query -L %s: %v", pkg, err)
		}
		for _, p := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if !strings.HasPrefix(p, under) {
				continue
			}
			if st, err := os.Stat(p); err != nil || st.IsDir() {
				continue // folders (and links to them, such as /lib) are made as needed
			}
			fi, _ := os.Lstat(p)
			dst := filepath.Join(root, p)
			mkdir(t, filepath.Dir(dst))
			target := p
			if fi.Mode()&os.ModeSymlink != 0 {
				target, _ = os.Readlink(p)
			}
			if err := os.Symlink(target, dst); err != nil && !os.IsExist(err) {
				t.Fatal(err)
			}
		}
	}
}

// relocatedGCC copies this machine's gcc driver to dir/bin/gcc, with its
// own files (cc1, collect2, crtbegin.o, libgcc, its headers) linked into
// dir/lib/gcc as in an installation there. gcc finds its start files
// and libraries relative to where it runs and under --sysroot, so this
// gcc sees the C library only in the sysroot it is given — not in /usr.
func relocatedGCC(t *testing.T, dir string) string {
	t.Helper()
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Fatalf("CI installs gcc: %v", err)
	}
	real, err := filepath.EvalSymlinks(gcc)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(gcc, "-print-libgcc-file-name").Output()
	if err != nil {
		t.Fatal(err)
	}
	own := filepath.Dir(strings.TrimSpace(string(out))) // /usr/lib/gcc/TRIPLE/VERSION
	rel, err := filepath.Rel(filepath.Dir(filepath.Dir(filepath.Dir(own))), own)
	if err != nil {
		t.Fatal(err)
	}
	libDir := filepath.Join(dir, "lib", rel)
	mkdir(t, libDir)
	entries, _ := os.ReadDir(own)
	for _, e := range entries {
		if err := os.Symlink(filepath.Join(own, e.Name()), filepath.Join(libDir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(real)
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "bin", "gcc")
	mkdir(t, filepath.Dir(bin))
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

// TestCgoLibcDev: gcc is there but the C library's development files
// (crt1.o, libc.so, the headers: Debian's libc6-dev) are not — the
// WSL/container case. The check names the package, and adding exactly
// that package's files makes go build cgo code.
func TestCgoLibcDev(t *testing.T) {
	w := newWorld(t)
	w.hostOS = "linux"
	w.withSystemPrograms("as", "ld")
	// The machine is w.sysroot: a Debian with the runtime C library and
	// kernel headers, without libc6-dev. gcc looks there.
	w.write(filepath.Join(w.sysroot, "etc", "os-release"), "ID=debian\nVERSION_ID=\"12\"\n", 0o644)
	installInto(t, w.sysroot, "/", "libc6", "libgcc-s1", "linux-libc-dev")
	w.vars["CC"] = relocatedGCC(t, filepath.Join(w.tmp, "gcc")) + " --sysroot=" + w.sysroot
	w.vars["CGO_ENABLED"] = "1"
	w.cgoModule("")
	w.write(filepath.Join(w.work, "db", "db.go"), "package db\n\n// #include <stdlib.h>\nimport \"C\"\n\nfunc Free() { C.free(nil) }\n", 0o644)
	w.write(filepath.Join(w.work, "main.go"), "package main\n\nimport _ \"example.com/cgoapp/db\"\n\nfunc main() {}\n", 0o644)

	// Without libc6-dev: no headers.
	w.goFails([]string{"build", "-o", os.DevNull, "."}, "stdlib.h: No such file or directory")
	r := w.check("cgo-cc")
	want(t, r, doctor.Fail, "the C library's headers are missing (stdio.h not found)")
	wantFix(t, r, "'sudo apt install libc6-dev'")
	if strings.Contains(r.Fix, "apt install gcc") || strings.Contains(r.Fix, "dnf") {
		t.Errorf("the fix is not this Debian's: %s", r.Fix)
	}

	// Headers, but not the rest of libc6-dev (a half-removed package): the
	// linker finds no start files and no libc.so.
	installInto(t, w.sysroot, "/usr/include/", "libc6-dev")
	w.goFails([]string{"build", "-o", os.DevNull, "."}, "cannot find")
	r = w.check("cgo-cc")
	want(t, r, doctor.Fail, "runs, but the C library's development files are missing (cannot find ", "crt1.o")
	wantFix(t, r, "'sudo apt install libc6-dev'")

	// Follow the fix: all of libc6-dev's files into the machine.
	installInto(t, w.sysroot, "/", "libc6-dev")
	want(t, w.check("cgo-cc"), doctor.OK, "compiles and links C")
	w.goWorks("build", "-o", os.DevNull, ".")

	// Other distributions name their own package.
	for id, pkg := range map[string]string{"fedora": "dnf install glibc-devel", "alpine": "apk add musl-dev", "ubuntu": "apt install libc6-dev"} {
		w2 := newWorld(t)
		w2.hostOS = "linux"
		w2.withSystemPrograms("as", "ld")
		w2.write(filepath.Join(w2.sysroot, "etc", "os-release"), "ID="+id+"\n", 0o644)
		w2.vars["CC"] = relocatedGCC(t, filepath.Join(w2.tmp, "gcc")) + " --sysroot=" + w2.sysroot
		r := w2.check("cgo-cc")
		want(t, r, doctor.Warn, "the C library's headers are missing")
		wantFix(t, r, pkg)
	}
}
