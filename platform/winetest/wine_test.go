//go:build linux

package winetest

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The toolchain the end-to-end test installs: one the module proxy serves
// for windows/amd64 (FACTS.md).
const toolchain = "1.26.11"

// TestWindowsUnderWine builds gover's Windows binaries and runs them under
// Wine in a throwaway prefix. It needs wine64 and gcc-mingw-w64-x86-64-win32
// (apt-get install -y wine64 gcc-mingw-w64-x86-64-win32) and the module
// proxy; it downloads a toolchain (about 75 MB), so it runs only when
// GOVER_TEST_WINE=1, as CI sets it, and then a missing tool is a failure.
func TestWindowsUnderWine(t *testing.T) {
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

	// The Windows binaries: gover, gover-shim and platform's tests.
	winBuild := append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	run(t, module, winBuild, "go", "build", "-o", bin+string(os.PathSeparator), "./cmd/gover", "./cmd/gover-shim")
	run(t, module, winBuild, "go", "test", "-c", "-o", filepath.Join(bin, "platform.test.exe"), "./platform")
	run(t, module, winBuild, "go", "test", "-c", "-o", filepath.Join(bin, "robustio.test.exe"), "./internal/robustio")

	w := newWine(t, filepath.Join(work, "prefix"), filepath.Join(work, "dll"))

	t.Run("platform", func(t *testing.T) {
		// GOVER_TEST_REGISTRY=1: the prefix's registry is a throwaway.
		out, errOut, code := w.run(t, work, []string{"GOVER_TEST_REGISTRY=1"}, filepath.Join(bin, "platform.test.exe"), "-test.v")
		t.Logf("platform.test.exe -test.v:\n%s%s", out, errOut)
		if code != 0 {
			t.Fatalf("platform's tests failed under Wine (exit %d)", code)
		}
		for _, name := range []string{"TestRealRegistrySetup", "TestRealRegistryStatus", "TestWindowsSetupUserPath"} {
			if !strings.Contains(out, "--- PASS: "+name+" ") {
				t.Errorf("%s did not pass (skipped?)", name)
			}
		}
	})

	t.Run("robustio", func(t *testing.T) {
		out, errOut, code := w.run(t, work, nil, filepath.Join(bin, "robustio.test.exe"), "-test.v")
		t.Logf("robustio.test.exe -test.v:\n%s%s", out, errOut)
		if code != 0 {
			t.Fatalf("robustio's tests failed under Wine (exit %d)", code)
		}
		if !strings.Contains(out, "--- PASS: TestRenameWaitsForAReader ") {
			t.Errorf("TestRenameWaitsForAReader did not pass (skipped?)")
		}
	})

	t.Run("gover", func(t *testing.T) {
		gover := filepath.Join(bin, "gover.exe")
		// The user PATH as a user may have it: an entry with a variable.
		w.mustRun(t, work, nil, regExe, "add", `HKCU\Environment`, "/v", "Path", "/t", "REG_EXPAND_SZ", "/d", `%USERPROFILE%\tools`, "/f")

		_, errOut := w.mustRun(t, work, nil, gover, "setup")
		m := regexp.MustCompile(`put (\S+) first on the user PATH \(HKCU\\Environment\)`).FindStringSubmatch(errOut)
		if m == nil {
			t.Fatalf("gover setup said:\n%s", errOut)
		}
		shims := m[1]
		// gover's own folder goes behind the shims (install.ps1 relies on it).
		binWin := `Z:` + strings.ReplaceAll(bin, "/", `\`)
		want := shims + ";" + binWin + `;%USERPROFILE%\tools`
		if kind, value := w.userPath(t); kind != "REG_EXPAND_SZ" || !strings.EqualFold(value, want) {
			t.Fatalf("after setup, HKCU\\Environment Path is %s %q; want REG_EXPAND_SZ %q", kind, value, want)
		}
		if _, errOut := w.mustRun(t, work, nil, gover, "setup"); !strings.Contains(errOut, "already leads the user PATH") {
			t.Errorf("second setup said:\n%s", errOut)
		}
		if out, _ := w.mustRun(t, work, nil, gover, "system", "status"); !strings.Contains(out, "windows-path") {
			t.Errorf("gover system status printed:\n%s", out)
		}

		// A real windows-amd64 toolchain from the module proxy.
		start := time.Now()
		_, errOut = w.mustRun(t, work, nil, gover, "install", "--source", "proxy", toolchain)
		t.Logf("gover install %s: %v\n%s", toolchain, time.Since(start).Round(time.Second), errOut)
		if !strings.Contains(errOut, "installed go"+toolchain+" (windows/amd64)") {
			t.Fatalf("gover install said:\n%s", errOut)
		}

		// The go.exe shim in a folder that pins the version.
		proj := filepath.Join(work, "proj", "sub")
		if err := os.MkdirAll(proj, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(work, "proj", ".go-version"), []byte(toolchain+"\r\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		goExe := shims + `\go.exe`
		out, _ := w.mustRun(t, proj, nil, goExe, "version")
		t.Logf("%s version: %s", goExe, out)
		if want := "go version go" + toolchain + " windows/amd64"; strings.TrimSpace(out) != want {
			t.Errorf("go.exe version printed %q, want %q", out, want)
		}
		// The shim passes the toolchain's exit code on.
		if _, errOut, code := w.run(t, proj, nil, goExe, "help", "no-such-topic"); code != 2 {
			t.Errorf("go.exe help no-such-topic exited %d, want go's 2:\n%s", code, errOut)
		}

		// Undo takes out the shims and leaves the rest as written.
		if _, errOut := w.mustRun(t, work, nil, gover, "setup", "--undo"); !strings.Contains(errOut, "removed "+shims+" and ") {
			t.Errorf("setup --undo said:\n%s", errOut)
		}
		if kind, value := w.userPath(t); kind != "REG_EXPAND_SZ" || value != `%USERPROFILE%\tools` {
			t.Errorf("after setup --undo, HKCU\\Environment Path is %s %q; want REG_EXPAND_SZ %q", kind, value, `%USERPROFILE%\tools`)
		}
	})
}

// run runs a Linux program and fails the test if it fails.
func run(t *testing.T, dir string, env []string, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// wine is a Wine prefix made for one test.
type wine struct {
	env []string
}

// newWine creates a prefix with the ProcessPrng stand-in DLL installed,
// and stops its wineserver when the test ends.
func newWine(t *testing.T, prefix, dllDir string) *wine {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		// gover must see Wine's Windows folders, not this machine's.
		if strings.HasPrefix(k, "XDG_") || strings.HasPrefix(k, "GOVER_") || strings.HasPrefix(k, "WINE") ||
			k == "DISPLAY" || k == "WAYLAND_DISPLAY" || k == "GOROOT" || k == "GOPATH" || k == "GOFLAGS" || k == "GOTOOLCHAIN" {
			continue
		}
		env = append(env, kv)
	}
	// No Mono or Gecko downloads or dialogs: nothing here needs them.
	env = append(env, "WINEPREFIX="+prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=")
	w := &wine{env: env}

	src, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dllDir, 0o755); err != nil {
		t.Fatal(err)
	}
	dll := filepath.Join(dllDir, "bcryptprimitives.dll")
	run(t, src, os.Environ(), "x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", dll, "prng.c", "prng.def", "-ladvapi32")

	t.Cleanup(func() {
		cmd := exec.Command("wineserver", "-k")
		cmd.Env = w.env
		cmd.Run()
	})
	start := time.Now()
	run(t, dllDir, w.env, "wineboot", "-i")
	t.Logf("wineboot -i: %v", time.Since(start).Round(time.Second))
	data, err := os.ReadFile(dll)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(prefix, "drive_c", "windows", "system32", "bcryptprimitives.dll"), data, 0o644); err != nil {
		t.Fatalf("install the ProcessPrng stand-in: %v", err)
	}
	return w
}

// run runs a Windows program under Wine in dir (a Linux folder, which Wine
// shows as Z:\…) and returns what it printed and its exit code. When Wine's
// launcher fails to start the program at all ("ShellExecuteEx failed",
// seen now and then right after the user PATH changed), it tries again:
// the program never ran, so nothing of gover's is retried.
func (w *wine) run(t *testing.T, dir string, env []string, prog string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		stdout, stderr, code = w.runOnce(t, dir, env, prog, args...)
		if code == 0 || attempt == 3 || !strings.Contains(stderr, "ShellExecuteEx failed") {
			return stdout, stderr, code
		}
		t.Logf("wine could not start %s (attempt %d): %s", prog, attempt, strings.TrimSpace(stderr))
	}
}

func (w *wine) runOnce(t *testing.T, dir string, env []string, prog string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "wine", append([]string{prog}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(append([]string(nil), w.env...), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("wine %s: %v", prog, err)
	}
	return strings.ReplaceAll(o.String(), "\r\n", "\n"), strings.ReplaceAll(e.String(), "\r\n", "\n"), code
}

func (w *wine) mustRun(t *testing.T, dir string, env []string, prog string, args ...string) (stdout, stderr string) {
	t.Helper()
	stdout, stderr, code := w.run(t, dir, env, prog, args...)
	if code != 0 {
		t.Fatalf("wine %s %s: exit %d\n%s%s", prog, strings.Join(args, " "), code, stdout, stderr)
	}
	return stdout, stderr
}

// regExe is Wine's reg.exe by its full path. Named bare, Wine looks it
// up along the user PATH that the test has just rewritten, and now and
// then fails with "ShellExecuteEx failed: Internal error".
const regExe = `C:\windows\system32\reg.exe`

// userPath reads HKCU\Environment Path with Wine's reg.exe: its type and
// the value as stored.
func (w *wine) userPath(t *testing.T) (kind, value string) {
	t.Helper()
	out, _ := w.mustRun(t, ".", nil, regExe, "query", `HKCU\Environment`, "/v", "Path")
	m := regexp.MustCompile(`(?m)^\s+Path\s+(REG_\w+)\s+(.*?)\s*$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("reg query printed:\n%s", out)
	}
	return m[1], m[2]
}
