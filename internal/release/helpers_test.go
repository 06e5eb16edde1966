package release

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repoRoot is the checkout this test runs in.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// fakeGover stands in for a released gover: it says its version and logs
// what it was asked to do to $GOVER_FAKE_LOG.
func fakeGover(version string) []byte {
	return []byte(`#!/bin/sh
case "$1" in
--version) echo "gover version ` + version + ` (commit 0123456789ab)" ;;
*) echo "gover $*" >>"${GOVER_FAKE_LOG:-/dev/null}" ;;
esac
`)
}

func fakeRelease(version string) map[string][]byte {
	return Files(Platforms(), map[string][]byte{
		"gover":      fakeGover(version),
		"gover-shim": []byte("#!/bin/sh\necho shim\n"),
		"README.md":  []byte("# gover\n"),
	})
}

// shTools are the programs install.sh may use; tests run it with a PATH
// of these alone, so a new dependency shows up here first.
var shTools = []string{
	"sh", "uname", "mkdir", "mktemp", "rm", "cp", "mv", "chmod", "cmp", "cat", "tr", "awk", "sed", "grep",
	"tar", "gzip", "curl", "wget", "sha256sum", "shasum", "openssl", "sysctl", "dirname",
}

// toolFarm is a folder of links to shTools, less the ones hidden, for a
// PATH on which those are missing. Fakes (name → script) take the place of
// real ones.
func toolFarm(t *testing.T, hide []string, fakes map[string]string) string {
	t.Helper()
	farm := t.TempDir()
	for _, name := range shTools {
		if slices.Contains(hide, name) || fakes[name] != "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			os.Symlink(p, filepath.Join(farm, name))
		}
	}
	for name, script := range fakes {
		if err := os.WriteFile(filepath.Join(farm, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return farm
}

// fakeUname answers uname -s and -m as another machine would.
func fakeUname(kernel, machine string) string {
	return `#!/bin/sh
case "$1" in
-s) echo ` + kernel + ` ;;
-m) echo ` + machine + ` ;;
*) echo ` + kernel + ` ;;
esac
`
}

// A run is one finished script run.
type run struct {
	code           int
	stdout, stderr string
}

// runScript runs a script file with a shell and a controlled environment.
func runScript(t *testing.T, dir string, env []string, stdin []byte, shell string, args ...string) run {
	t.Helper()
	cmd := exec.Command(shell, args...)
	cmd.Dir = dir
	cmd.Env = env
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := run{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run %s: %v", shell, err)
	}
	return r
}

// lookPath finds a tool the test cannot do without.
func lookPath(t *testing.T, name, why string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is needed %s (.ci/run installs it): %v", name, why, err)
	}
	return p
}
