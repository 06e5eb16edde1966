//go:build !windows

package doctor_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/goverdev/gover/internal/testdist"
)

// goRun runs the real go command of the toolchain running the tests in
// the world's project folder, with nothing of this machine's Go settings
// (testdist.GoEnv, offline: anything leaving loopback fails) but the
// world's own GO* variables, HTTP_PROXY and SSL_CERT_FILE (its GOENV among them, so
// 'go env -w' writes the file the doctor reads), and fresh caches.
func (w *world) goRun(args ...string) (string, error) {
	w.t.Helper()
	return w.goRunBin(realGo(w.t), args...)
}

// realGo is the go command of the toolchain running the tests, links
// resolved.
func realGo(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("these tests run the real go command: %v", err)
	}
	real, err := filepath.EvalSymlinks(bin)
	if err != nil {
		t.Fatal(err)
	}
	return real
}

// goRunBin is goRun with another go (or a shim).
func (w *world) goRunBin(bin string, args ...string) (string, error) {
	w.t.Helper()
	var extra []string
	for k, v := range w.vars {
		if strings.HasPrefix(k, "GO") && !strings.HasPrefix(k, "GOVER_") || strings.HasPrefix(k, "CGO_") ||
			k == "HTTP_PROXY" || k == "SSL_CERT_FILE" || k == "CC" || k == "PKG_CONFIG_LIBDIR" || k == "PKG_CONFIG_SYSROOT_DIR" || k == "PKG_CONFIG_PATH" {
			if k == "GOFLAGS" {
				v += " -modcacherw" // as GoEnv's own: t.TempDir must be able to remove the cache
			}
			extra = append(extra, k+"="+v)
		}
	}
	if c := buildCache(); c != "" {
		extra = append(extra, "GOCACHE="+c)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = w.work
	cmd.Env = testdist.GoEnv(w.t.TempDir(), true, extra...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// goFails runs the real go command and fails the test unless it fails
// saying each of the texts.
func (w *world) goFails(args []string, says ...string) {
	w.t.Helper()
	out, err := w.goRun(args...)
	if err == nil {
		w.t.Fatalf("go %s succeeded, want it to fail:\n%s", strings.Join(args, " "), out)
	}
	for _, s := range says {
		if !strings.Contains(out, s) {
			w.t.Fatalf("go %s failed without saying %q:\n%s", strings.Join(args, " "), s, out)
		}
	}
}

// goWorks runs the real go command and fails the test if it fails.
func (w *world) goWorks(args ...string) string {
	w.t.Helper()
	out, err := w.goRun(args...)
	if err != nil {
		w.t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// buildCache is the build cache of the go command running the tests. The
// real go runs share it: a cgo build in an empty cache compiles the
// standard library first (half a minute here), and a cache only stores
// results under keys that include every input (CC, CGO_CFLAGS, …), so it
// cannot change what a build does.
var buildCache = sync.OnceValue(func() string {
	if c := os.Getenv("GOCACHE"); c != "" {
		return c
	}
	cmd := exec.Command("go", "env", "GOCACHE")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN=local")
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
})
