package testdist

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestFakeGoScript unpacks the fake toolchain and runs its bin/go the way
// gover and its shims will.
func TestFakeGoScript(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake bin/go is a POSIX sh script; Windows toolchains carry go.exe instead")
	}
	d := sharedDist(t)
	// Only the host's fake programs run (the others carry their
	// platform's header in front of the script).
	host := runtime.GOOS + "/" + runtime.GOARCH
	_, tgz := d.Archive("go1.21.13", runtime.GOOS, runtime.GOARCH)
	root := t.TempDir()
	for name, f := range readTarGz(t, tgz) {
		if strings.HasSuffix(name, "/") {
			continue
		}
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, f.body, f.mode.Perm()); err != nil {
			t.Fatal(err)
		}
	}
	goroot := filepath.Join(root, "go")
	goBin := filepath.Join(goroot, "bin", "go")
	run := func(env []string, args ...string) string {
		t.Helper()
		// GOTOOLCHAIN= : the fake's own default is under test.
		cmd := GoCommand(t, goBin, true, args, append([]string{"GOTOOLCHAIN="}, env...)...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	realRoot, _ := filepath.EvalSymlinks(goroot)
	for _, tc := range []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"version"}, "go version go1.21.13 " + host + "\n"},
		{[]string{"GOROOT=/somewhere/else"}, []string{"env", "GOROOT"}, "/somewhere/else\n"},
		{nil, []string{"env", "GOROOT"}, realRoot + "\n"},
		{nil, []string{"env", "GOVERSION", "GOARCH", "GOTOOLCHAIN"}, "go1.21.13\n" + runtime.GOARCH + "\nauto\n"},
		{[]string{"GOTOOLCHAIN=local"}, []string{"env", "GOTOOLCHAIN"}, "local\n"},
		{nil, []string{"build", "./..."}, "fake go go1.21.13: build ./...\n"},
	} {
		if got := run(tc.env, tc.args...); got != tc.want {
			t.Errorf("%v go %v = %q, want %q", tc.env, tc.args, got, tc.want)
		}
	}
	all := run(nil, "env")
	if !strings.Contains(all, "GOOS='"+runtime.GOOS+"'\n") || !strings.Contains(all, "GOROOT='"+realRoot+"'\n") {
		t.Errorf("go env:\n%s", all)
	}
	var js map[string]string
	if err := json.Unmarshal([]byte(run(nil, "env", "-json", "GOROOT", "GOOS")), &js); err != nil || js["GOROOT"] != realRoot || js["GOOS"] != runtime.GOOS || len(js) != 2 {
		t.Errorf("go env -json: %v %v", js, err)
	}
	if err := json.Unmarshal([]byte(run(nil, "env", "-json")), &js); err != nil || js["GOVERSION"] != "go1.21.13" {
		t.Errorf("go env -json (all): %v %v", js, err)
	}
	// Run through a symlink elsewhere, as /usr/local/bin/go often is.
	link := filepath.Join(t.TempDir(), "go")
	if err := os.Symlink(goBin, link); err != nil {
		t.Fatal(err)
	}
	goBin = link
	if got := run(nil, "env", "GOROOT"); got != realRoot+"\n" {
		t.Errorf("go env GOROOT through a symlink = %q, want %q", got, realRoot)
	}

	gofmt := exec.Command(filepath.Join(goroot, "bin", "gofmt"))
	gofmt.Stdin = strings.NewReader("package x\n")
	if out, err := gofmt.Output(); err != nil || string(out) != "package x\n" {
		t.Errorf("gofmt from stdin: %q %v", out, err)
	}
}
