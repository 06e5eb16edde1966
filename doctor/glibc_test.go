//go:build linux

package doctor_test

import (
	"debug/elf"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// maxGlibc is the newest GLIBC_ symbol version a binary needs; "" for none.
func maxGlibc(t *testing.T, bin string) string {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	syms, _ := f.ImportedSymbols()
	best := ""
	for _, s := range syms {
		v, ok := strings.CutPrefix(s.Version, "GLIBC_")
		if ok && (best == "" || dottedLess(best, v)) {
			best = v
		}
	}
	return best
}

// dottedLess compares dotted numbers: "2.17" < "2.34".
func dottedLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

// TestTargetGlibc: with --target-glibc, the libc check says when cgo
// programs built here need a newer glibc than the target has — the
// version a real cgo binary built by go here needs — and CGO_ENABLED=0,
// the fix, builds one that needs none.
func TestTargetGlibc(t *testing.T) {
	w := newWorld(t)
	w.hostOS = "linux"
	w.withSystemPrograms("gcc", "as", "ld", "ldd", "getconf")
	w.write(filepath.Join(w.work, "go.mod"), "module example.com/app\n\ngo 1.22\n", 0o644)
	// cgo when it is on (as net and os/user use it), none when it is off.
	w.write(filepath.Join(w.work, "main.go"), "package main\n\nfunc main() { free() }\n", 0o644)
	w.write(filepath.Join(w.work, "cgo.go"), "//go:build cgo\n\npackage main\n\n// #include <stdlib.h>\nimport \"C\"\n\nfunc free() { C.free(nil) }\n", 0o644)
	w.write(filepath.Join(w.work, "nocgo.go"), "//go:build !cgo\n\npackage main\n\nfunc free() {}\n", 0o644)
	bin := filepath.Join(w.tmp, "app")
	w.goWorks("build", "-o", bin, ".")
	need := maxGlibc(t, bin)
	if need == "" {
		t.Fatal("a cgo binary built here needs no glibc version")
	}

	run := func(target string) doctor.Result {
		return w.run(doctor.Options{Only: []string{"libc"}, TargetGlibc: target}).Checks[0]
	}
	// A target older than what the binary needs.
	r := run("2.17")
	want(t, r, doctor.Warn, "cgo programs built here need glibc "+need, "the target has 2.17")
	wantFix(t, r, "CGO_ENABLED=0", "zig cc -target")

	// Follow the fix: CGO_ENABLED=0 builds a program that needs no glibc.
	w.vars["CGO_ENABLED"] = "0"
	w.goWorks("build", "-o", bin, ".")
	if v := maxGlibc(t, bin); v != "" {
		t.Fatalf("with CGO_ENABLED=0 the binary still needs GLIBC_%s", v)
	}
	want(t, run("2.17"), doctor.OK, "cgo is off")
	delete(w.vars, "CGO_ENABLED")

	// A target as new as what is needed.
	want(t, run(need), doctor.OK, "glibc "+need)
}
