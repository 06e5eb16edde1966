//go:build unix

package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/goverdev/gover/internal/testdist"
)

// A shared root (sticky, writable by everyone, as /tmp is) where another
// user made versions/go1.22.5 first, with their own bin/go (issue 12.7):
// install must not call it installed, the shim must not run it, and list,
// verify and doctor say why, naming the owner and the fix. A folder that
// the user owns but others may write into is refused the same way.
func TestSharedRootRefusesOthersToolchains(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t, d)
	versions := filepath.Join(w.root, "versions")
	if err := os.MkdirAll(versions, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(w.root, 0o777|os.ModeSticky)
	os.Chmod(versions, 0o777|os.ModeSticky)
	os.WriteFile(filepath.Join(w.work, ".go-version"), []byte("1.22.5\n"), 0o644)
	plant := func(name string, mode os.FileMode) string {
		bin := filepath.Join(versions, name, "bin")
		os.MkdirAll(bin, 0o755)
		os.WriteFile(filepath.Join(bin, "go"), []byte("#!/bin/sh\necho PLANTED\n"), 0o755)
		os.Chmod(filepath.Join(versions, name), mode)
		return filepath.Join(versions, name)
	}
	w.must("reshim")
	shim := filepath.Join(w.shims(), "go")

	type tc struct {
		name, why string
	}
	cases := []tc{{"go1.22.5", "is writable by group or others (mode 777)"}}
	dir := plant("go1.22.5", 0o777)
	if os.Geteuid() == 0 {
		// As another user: an ordinary mode, someone else's folder.
		os.Chmod(dir, 0o755)
		for _, p := range []string{dir, filepath.Join(dir, "bin"), filepath.Join(dir, "bin", "go")} {
			if err := os.Chown(p, 12345, 12345); err != nil {
				t.Fatal(err)
			}
		}
		cases[0].why = "is owned by uid 12345"
	}
	for _, c := range cases {
		out, errs, code := w.run(shim, "version")
		if strings.Contains(out, "PLANTED") || code != 1 || !strings.Contains(errs, dir+" "+c.why+", so gover does not trust it (remove it") {
			t.Errorf("shim: exit %d, %q %q; want exit 1 naming %s and why (%s)", code, out, errs, dir, c.why)
		}
		_, errs, code = w.run("gover", "install", "1.22.5")
		if code != 1 || !strings.Contains(errs, c.why) || strings.Contains(errs, "already installed") {
			t.Errorf("gover install 1.22.5: exit %d, %q; want a refusal saying %q", code, errs, c.why)
		}
		out, _, _ = w.run("gover", "list")
		if !strings.Contains(out, "go1.22.5") || !strings.Contains(out, "not trusted: "+dir+" "+c.why) {
			t.Errorf("gover list: %q; want go1.22.5 marked not trusted", out)
		}
		out, _, code = w.run("gover", "verify", "1.22.5")
		if code != 3 || !strings.Contains(out, c.why) {
			t.Errorf("gover verify: exit %d, %q; want exit 3 saying %q", code, out, c.why)
		}
		out, _, code = w.run("gover", "doctor", "install-integrity")
		if code != 1 || !strings.Contains(out, c.why) {
			t.Errorf("gover doctor install-integrity: exit %d, %q; want a failure saying %q", code, out, c.why)
		}
	}
	// Once it is gone, the version installs and runs as usual.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	w.must("install", "1.22.5")
	if out, errs, code := w.run(shim, "version"); code != 0 || !strings.Contains(out, "go1.22.5") {
		t.Errorf("shim after a clean install: exit %d, %q %q", code, out, errs)
	}
	// Another user's shim, planted first in the shared shims folder, is
	// not left in place by reshim.
	if os.Geteuid() == 0 {
		planted := filepath.Join(w.shims(), "gofmt")
		os.Remove(planted)
		os.WriteFile(planted, []byte("#!/bin/sh\necho PLANTED\n"), 0o755)
		os.Chown(planted, 12345, 12345)
		_, errs, code := w.run("gover", "reshim")
		if code == 0 || !strings.Contains(errs, planted+" is owned by uid 12345") {
			t.Errorf("gover reshim with another user's shim: exit %d, %q", code, errs)
		}
	}
}

// A system-wide root (docs/verify.md, "A system-wide root"): an
// administrator installs into it, other users run the toolchains through
// the shims (issue 12.8). The tree is laid out as the official archives
// are — folders 0755, files 0644 or 0755, less the umask — and the record
// is 0644; nothing is private to the installer.
func TestSystemWideRootIsUsableByOthers(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	a := newAsOther(t, d)
	// The administrator installs, with the usual umask.
	c := a.cmd("/bin/sh", "-c", "umask 022 && exec gover install 1.22.5")
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("install: %v\n%s", err, out)
	}
	tree := filepath.Join(a.root, "versions", "go1.22.5")
	modes := map[string]os.FileMode{
		"":                 os.ModeDir | 0o755,
		"bin":              os.ModeDir | 0o755,
		"bin/go":           0o755,
		"src/fmt/print.go": 0o644,
		"pkg/tool":         os.ModeDir | 0o755,
		"../go1.22.5.json": 0o644,
		"../../shims/go":   0o755,
	}
	for rel, want := range modes {
		fi, err := os.Stat(filepath.Join(tree, rel))
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode() & (os.ModeDir | os.ModePerm); got != want {
			t.Errorf("%s: mode %v, want %v", rel, got, want)
		}
	}
	if a.cred == nil {
		return // not root: no other user to run as
	}
	// Another user, with the root as their GOVER_ROOT, runs go through the
	// shims.
	os.WriteFile(filepath.Join(a.work, ".go-version"), []byte("1.22.5\n"), 0o644)
	c = a.cmd(filepath.Join(a.root, "shims", "go"), "version")
	c.SysProcAttr = &syscall.SysProcAttr{Credential: a.cred}
	out, err := c.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "go1.22.5") {
		t.Errorf("another user running go from the system-wide root: %v\n%s", err, out)
	}
	if out, stderr, code := a.runAs("verify", "1.22.5"); code != 0 {
		t.Errorf("another user verifying the system-wide root: exit %d\n%s%s", code, out, stderr)
	}
}
