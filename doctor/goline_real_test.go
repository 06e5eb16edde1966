//go:build !windows

package doctor_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// The go-line failure is real: the go that runs these tests, pinned in a
// module whose go line names the next Go release, refuses to build, as
// the check says.
func TestGoLineRealGo(t *testing.T) {
	out, err := exec.Command("go", "env", "GOROOT", "GOVERSION").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	lines := strings.Fields(string(out))
	goroot, version := lines[0], lines[1]
	minor, err := strconv.Atoi(strings.Split(strings.TrimPrefix(version, "go1."), ".")[0])
	if err != nil {
		t.Fatalf("GOVERSION %q: %v", version, err)
	}
	next := "1." + strconv.Itoa(minor+1) + ".0"

	w := newWorld(t)
	// The real go writes telemetry into the user config folder, at times
	// from a child that outlives the command: keep that out of the test's
	// folders, whose removal it would race.
	config, err := os.MkdirTemp("", "gover-doctor-config-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(config) })
	w.vars["XDG_CONFIG_HOME"] = config
	mkdir(t, w.layout.Versions)
	if err := os.Symlink(goroot, filepath.Join(w.layout.Versions, version)); err != nil {
		t.Fatal(err)
	}
	// As gover's shim runs it: GOTOOLCHAIN=local, so go cannot fetch another.
	w.write(filepath.Join(w.layout.Shims, "go"), "#!/bin/sh\nGOTOOLCHAIN=local exec "+filepath.Join(w.layout.Versions, version, "bin", "go")+" \"$@\"\n", 0o755)
	w.vars["PATH"] = w.layout.Shims + ":" + w.bin + ":" + w.tools
	w.write(filepath.Join(w.work, ".go-version"), strings.TrimPrefix(version, "go")+"\n", 0o644)
	w.write(filepath.Join(w.work, "go.mod"), "module m\n\ngo "+next+"\n", 0o644)
	w.write(filepath.Join(w.work, "main.go"), "package main\n\nfunc main() {}\n", 0o644)

	build := exec.Command(filepath.Join(w.layout.Shims, "go"), "build", ".")
	build.Dir, build.Env = w.work, append(w.environ(), "GOCACHE="+filepath.Join(w.tmp, "cache"))
	msg, err := build.CombinedOutput()
	if err == nil || !strings.Contains(string(msg), "go.mod requires go >= "+next) {
		t.Fatalf("go build with %s under go %s: %v\n%s", version, next, err, msg)
	}
	r := w.check("go-line")
	want(t, r, doctor.Fail, version+" runs here", "(go "+next+"): the go command refuses to build here")
	wantFix(t, r, "run 'gover use "+next+"' in "+w.work)
}
