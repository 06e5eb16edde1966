package testdist

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// GoEnv is the environment a test runs a real go command in: the test's
// own environment without any Go setting the machine or the user made
// (GO*, CGO_*, and HTTP proxies when offline is true), the user's go env
// file switched off (GOENV=off), GOTOOLCHAIN=local, and module, build and
// path caches in dir. extra comes last and wins.
//
// A newcomer's machine has no go env file and GOTOOLCHAIN=auto; this
// machine's may say anything. A test that runs a toolchain must get the
// same answer on both, so it says what it needs instead of inheriting it.
func GoEnv(dir string, offline bool, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GO") || strings.HasPrefix(k, "CGO_") {
			continue
		}
		if offline && strings.HasSuffix(strings.ToUpper(k), "_PROXY") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"GOENV=off", "GOTOOLCHAIN=local",
		"GOFLAGS=-modcacherw", // so t.TempDir can remove the module cache
		"GOPATH="+filepath.Join(dir, "gopath"),
		"GOMODCACHE="+filepath.Join(dir, "modcache"),
		"GOCACHE="+filepath.Join(dir, "gocache"),
	)
	if offline {
		// Anything that would leave loopback goes nowhere.
		env = append(env, "HTTPS_PROXY=http://127.0.0.1:1", "HTTP_PROXY=http://127.0.0.1:1", "NO_PROXY=127.0.0.1")
	}
	return append(env, extra...)
}

// GoCommand runs the go (or other) program bin of a real toolchain the way
// a test must: in an empty folder of its own, outside any module, so no
// go.mod of the test's package can make the go command switch toolchains,
// with GoEnv's environment.
func GoCommand(t testing.TB, bin string, offline bool, args []string, extra ...string) *exec.Cmd {
	t.Helper()
	work := t.TempDir()
	cmd := exec.Command(bin, args...)
	cmd.Dir = work
	cmd.Env = GoEnv(work, offline, extra...)
	return cmd
}
