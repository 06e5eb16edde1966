//go:build linux

package winetest

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// systemEnvKey holds the system PATH, which Windows puts before the user's.
const systemEnvKey = `HKLM\System\CurrentControlSet\Control\Session Manager\Environment`

// TestMSIAheadUnderWine builds the guide's pitfall 2.3 for real under Wine:
// the Go MSI's bin on the system PATH, gover's shims on the user PATH
// (gover setup), a folder pinning another release. The MSI's go then runs
// for every go command there; gover doctor fails (exit 1) in path-shadowing
// and msi-install, and active-version does not claim the pin is in force.
// Then the fix the doctor names, 'gover setup --system', is followed: the
// pinned release runs, and the doctor is content. The toolchains are
// testdata/fakego (a go.exe that answers 'version' and 'go env' from its
// GOROOT's VERSION file), so nothing is downloaded.
func TestMSIAheadUnderWine(t *testing.T) {
	if os.Getenv("GOVER_TEST_WINE") != "1" {
		t.Skip("set GOVER_TEST_WINE=1 to run gover's Windows code under Wine (CI does)")
	}
	for _, tool := range []string{"wine", "wineboot", "wineserver", "x86_64-w64-mingw32-gcc", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("GOVER_TEST_WINE=1 but %s is not installed (apt-get install -y wine wine64 gcc-mingw-w64-x86-64-win32)", tool)
		}
	}
	work := t.TempDir()
	bin := filepath.Join(work, "bin")
	module, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	winBuild := append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	run(t, module, winBuild, "go", "build", "-o", bin+string(os.PathSeparator), "./cmd/gover", "./cmd/gover-shim", "./platform/winetest/testdata/fakego")
	prefix := filepath.Join(work, "prefix")
	w := newWine(t, prefix, filepath.Join(work, "dll"))

	// goroot lays out a Go installation whose go.exe says it is version.
	goroot := func(dir, version string) {
		t.Helper()
		for _, d := range []string{filepath.Join(dir, "bin"), filepath.Join(dir, "pkg", "tool", "windows_amd64")} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		data, err := os.ReadFile(filepath.Join(bin, "fakego.exe"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "bin", "go.exe"), data, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "VERSION"), []byte(version+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	root := filepath.Join(work, "root")
	env := []string{`GOVER_ROOT=Z:` + strings.ReplaceAll(root, "/", `\`)}
	goroot(filepath.Join(root, "versions", "go1.22.5"), "go1.22.5")
	// The MSI: C:\Program Files\Go, its bin first on the system PATH.
	goroot(filepath.Join(prefix, "drive_c", "Program Files", "Go"), "go1.21.0")
	out, _ := w.mustRun(t, work, nil, regExe, "query", systemEnvKey, "/v", "Path")
	m := regexp.MustCompile(`(?m)^\s+Path\s+REG_\w+\s+(.*?)\s*$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("reg query printed:\n%s", out)
	}
	w.mustRun(t, work, nil, regExe, "add", systemEnvKey, "/v", "Path", "/t", "REG_EXPAND_SZ", "/d", `C:\Program Files\Go\bin;`+m[1], "/f")

	gover := filepath.Join(bin, "gover.exe")
	w.mustRun(t, work, env, gover, "reshim")
	w.mustRun(t, work, env, gover, "setup")
	proj := filepath.Join(work, "proj")
	if err := os.MkdirAll(proj, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(proj, ".go-version"), []byte("1.22.5\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// go, as a new terminal runs it: the MSI's, whatever the pin says.
	goVersion := func() string {
		t.Helper()
		out, _ := w.mustRun(t, proj, env, `C:\windows\system32\cmd.exe`, "/c", "go version")
		return strings.TrimSpace(out)
	}
	if got := goVersion(); got != "go version go1.21.0 windows/amd64" {
		t.Fatalf("go version in the pinned folder = %q; want the MSI's go1.21.0 (the broken state)", got)
	}
	checks := []string{"doctor", "active-version", "path-shadowing", "msi-install"}
	out, errOut, code := w.run(t, proj, env, gover, checks...)
	t.Logf("gover doctor (MSI first):\n%s%s", out, errOut)
	if code != 1 {
		t.Errorf("gover doctor exited %d with the MSI's go deciding; want 1", code)
	}
	for _, want := range []string{
		`(?m)^  FAIL  active-version +go1\.22\.5 \(set by .*\.go-version\) is selected here but not in force: C:\\Program Files\\Go\\bin\\go\.exe \(go1\.21\.0\) runs instead of gover's shims`,
		`(?m)^  FAIL  path-shadowing +C:\\Program Files\\Go\\bin\\go\.exe comes before gover's shims on PATH, and it is go1\.21\.0: every go command here runs go1\.21\.0, not go1\.22\.5`,
		`(?m)^ +fix: C:\\Program Files\\Go\\bin is on the system PATH, which comes before the user PATH: uninstall what put it there, or run 'gover setup --system' in an elevated prompt$`,
		`(?m)^  FAIL  msi-install +go1\.21\.0 in C:\\Program Files\\Go \(msi\) is on the system PATH, which Windows puts before the user PATH: its go runs instead of gover's shims: every go command here runs go1\.21\.0, not go1\.22\.5`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("gover doctor did not print %s", want)
		}
	}
	if regexp.MustCompile(`(?m)^  ok    active-version`).MatchString(out) {
		t.Error("active-version says the pin is in force")
	}

	// Follow the fix (Wine's user is an administrator).
	w.mustRun(t, work, env, gover, "setup", "--system")
	if got := goVersion(); got != "go version go1.22.5 windows/amd64" {
		t.Errorf("after 'gover setup --system', go version = %q; want the pinned go1.22.5", got)
	}
	out, errOut, code = w.run(t, proj, env, gover, checks...)
	t.Logf("gover doctor (shims first):\n%s%s", out, errOut)
	if code != 0 || !strings.Contains(out, "3 ok, 0 warnings, 0 failed") {
		t.Errorf("after 'gover setup --system', gover doctor exited %d; want 0 and all ok", code)
	}

	// The shim on Windows: GOTOOLCHAIN=local unless the user chose one,
	// here with 'go env -w' in %AppData%\go\env (docs/shims.md, "The
	// user's own GOTOOLCHAIN").
	goToolchain := func() string {
		t.Helper()
		out, _ := w.mustRun(t, proj, env, `C:\windows\system32\cmd.exe`, "/c", "go env GOTOOLCHAIN")
		return strings.TrimSpace(out)
	}
	if got := goToolchain(); got != "local" {
		t.Errorf("through the shim, GOTOOLCHAIN = %q; want local", got)
	}
	roaming, _ := filepath.Glob(filepath.Join(prefix, "drive_c", "users", "*", "AppData", "Roaming"))
	if len(roaming) != 1 {
		t.Fatalf("the Wine user's AppData\\Roaming: %q", roaming)
	}
	if err := os.MkdirAll(filepath.Join(roaming[0], "go"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(roaming[0], "go", "env"), []byte("GOTOOLCHAIN=auto\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := goToolchain(); got != "" {
		t.Errorf("with GOTOOLCHAIN=auto in the go env file, the shim passed GOTOOLCHAIN=%q; want it left to go", got)
	}
	out, _ = w.mustRun(t, proj, env, gover, "doctor", "gotoolchain")
	if !regexp.MustCompile(`(?m)^  ok    gotoolchain +GOTOOLCHAIN=auto, from the go env file C:\\users\\[^\\]+\\AppData\\Roaming\\go\\env`).MatchString(out) {
		t.Errorf("gover doctor gotoolchain:\n%s", out)
	}
}
