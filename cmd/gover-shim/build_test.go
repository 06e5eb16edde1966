package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The fast path's tests need cgo; a test binary built without it would
// pass by leaving them out. CI has a C compiler, so there they must run.
func TestFastPathTestedInCI(t *testing.T) {
	inCI := os.Getenv("CI") != "" || os.Getenv("GOVER_TEST_APT") != ""
	if runtime.GOOS == "linux" && inCI && !cgoFastPath {
		t.Fatal("the shim's tests were built without cgo: the C fast path is untested (install gcc, or set CGO_ENABLED=1)")
	}
}

// go install ./cmd/... works on a machine without a C compiler: the go
// command then turns cgo off, and the shim is the pure Go one. (The shim
// is the only package with C; gover's release build is CGO_ENABLED=0.)
func TestBuildWithoutCCompiler(t *testing.T) {
	goExe, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	// A PATH holding only the go command (linked, since its own folder
	// may hold a C compiler too, as /usr/bin does).
	bin := t.TempDir()
	if err := os.Symlink(goExe, filepath.Join(bin, "go")); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k != "CC" && k != "CGO_ENABLED" && k != "PATH" {
			env = append(env, kv)
		}
	}
	env = append(env, "PATH="+bin)
	out := t.TempDir()
	build := exec.Command(filepath.Join(bin, "go"), "build", "-buildvcs=false", "-o", out+string(os.PathSeparator), ".")
	build.Env = env
	if msg, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build without a C compiler: %v\n%s", err, msg)
	}
	info, err := exec.Command(goExe, "version", "-m", filepath.Join(out, "gover-shim")).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(info), "CGO_ENABLED=0") {
		t.Fatalf("gover-shim built without a C compiler is not a pure Go build:\n%s", info)
	}
}
