//go:build !windows

package doctor_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// A GOTOOLCHAIN naming one release, written with 'go env -w', makes the
// real go command run that release whatever gover selects: gotoolchain
// warns, and its fix, followed with the real go, clears it.
func TestGOTOOLCHAINFromGoEnvFile(t *testing.T) {
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t)
	w.shimFor("go1.22.5")
	w.write(filepath.Join(w.work, ".go-version"), "1.22.5\n", 0o644)
	w.vars["PATH"] = w.layout.Shims + ":" + w.bin + ":" + w.tools
	want(t, w.check("gotoolchain"), doctor.OK, "GOTOOLCHAIN=local: gover's shims set it")

	// The real go writes telemetry into the user config folder, at times
	// from a child that outlives it: not into the test's folders.
	config, err := os.MkdirTemp("", "gover-doctor-config-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(config) })
	goenv := w.vars["GOENV"]
	w.write(goenv, "GOPROXY=off\nGOTOOLCHAIN=go1.21.0\n", 0o644)
	// The real go obeys the file: it will not run itself, but go1.21.0,
	// which GOPROXY=off keeps it from downloading.
	runGo := func(env []string, args ...string) (string, error) {
		cmd := exec.Command(realGo, args...)
		cmd.Dir = w.work
		cmd.Env = append([]string{"HOME=" + w.home, "GOENV=" + goenv, "PATH=" + os.Getenv("PATH"), "GOCACHE=" + filepath.Join(w.tmp, "cache"), "XDG_CONFIG_HOME=" + config}, env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := runGo(nil, "version"); err == nil || !strings.Contains(out, "go1.21.0") {
		t.Fatalf("go version with GOTOOLCHAIN=go1.21.0 in the go env file: %v\n%s", err, out)
	}
	r := w.check("gotoolchain")
	want(t, r, doctor.Warn, "GOTOOLCHAIN=go1.21.0, from the go env file "+goenv+" ('go env -w'): every go command runs go1.21.0 (downloading it), whatever gover selects here (go1.22.5)")
	wantFix(t, r, "run 'GOTOOLCHAIN=local go env -u GOTOOLCHAIN'")

	// Follow the fix with the real go.
	fix := strings.TrimPrefix(strings.Split(r.Fix, "'")[1], "GOTOOLCHAIN=local ")
	if out, err := runGo([]string{"GOTOOLCHAIN=local"}, strings.Fields(fix)[1:]...); err != nil {
		t.Fatalf("%s: %v\n%s", fix, err, out)
	}
	if out, err := runGo(nil, "version"); err != nil {
		t.Fatalf("go version after the fix: %v\n%s", err, out)
	}
	want(t, w.check("gotoolchain"), doctor.OK, "GOTOOLCHAIN=local: gover's shims set it")

	// auto, written the same way, is the user's choice and fine.
	w.write(goenv, "GOTOOLCHAIN=auto\n", 0o644)
	want(t, w.check("gotoolchain"), doctor.OK, "GOTOOLCHAIN=auto, from the go env file "+goenv+" ('go env -w'): gover's shims leave it to the go command, which switches to a newer toolchain when go.mod or go.work asks for one")
	w.vars["GOTOOLCHAIN"] = "local"
	want(t, w.check("gotoolchain"), doctor.OK, "GOTOOLCHAIN=local, set in the environment")
}
