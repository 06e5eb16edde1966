//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A repository plants a toolchain where a relative data folder would
// resolve, and pins its version: .local/share/gover/versions/go1.22.5/bin/go
// and GOVER_ROOT-shaped root/versions/go1.22.5/bin/go. A shim started with
// no HOME (cron, systemd, env -i), with a relative XDG_DATA_HOME, or with a
// relative GOVER_ROOT must never run it (issue 12.6).
func TestShimLayoutNeverRelative(t *testing.T) {
	// A folder every user may enter: the last case runs as another uid.
	base, err := os.MkdirTemp("", "gover-layout-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	os.Chmod(base, 0o755)
	repo := filepath.Join(base, "repo")
	os.Mkdir(repo, 0o755)
	plant := func(dir string) {
		bin := filepath.Join(repo, dir, "versions", "go1.22.5", "bin")
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(bin, "go"), []byte("#!/bin/sh\necho PLANTED\n"), 0o755)
	}
	plant(filepath.Join(".local", "share", "gover"))
	plant("root")
	plant(filepath.Join("data", "gover"))
	os.WriteFile(filepath.Join(repo, ".go-version"), []byte("1.22.5\n"), 0o644)
	shim := filepath.Join(base, "gover-shim")
	copyFile(t, filepath.Join(binDir, "gover-shim"), shim, 0o755)

	run := func(cred *syscall.Credential, env ...string) (string, int) {
		cmd := exec.Command(shim, "go", "version")
		cmd.Dir = repo
		cmd.Env = append([]string{"PATH=/usr/bin:/bin", "PWD=" + repo}, env...)
		if cred != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), code
	}
	for _, tc := range []struct {
		name string
		env  []string
		code int
		say  string
	}{
		{"relative GOVER_ROOT", []string{"GOVER_ROOT=root", "HOME=" + t.TempDir()}, 2, "GOVER_ROOT=root is not an absolute path"},
		{"relative XDG_DATA_HOME", []string{"XDG_DATA_HOME=data", "HOME=" + t.TempDir()}, 4, "not installed"},
		{"relative HOME", []string{"HOME=."}, 4, "not installed"},
	} {
		out, code := run(nil, tc.env...)
		if strings.Contains(out, "PLANTED") || code != tc.code || !strings.Contains(out, tc.say) {
			t.Errorf("%s: exit %d, %q; want exit %d saying %q, and nothing planted run", tc.name, code, out, tc.code, tc.say)
		}
	}
	// No HOME at all: the user database answers. As root, run as a uid
	// the database does not know: then the shim refuses.
	if out, _ := run(nil); strings.Contains(out, "PLANTED") {
		t.Errorf("no HOME: the planted toolchain ran: %q", out)
	}
	if os.Geteuid() == 0 {
		out, code := run(&syscall.Credential{Uid: 12345, Gid: 12345})
		if strings.Contains(out, "PLANTED") || code != 1 || !strings.Contains(out, "find your home folder: HOME is not set and the user database has no answer") {
			t.Errorf("no HOME, unknown uid: exit %d, %q; want a refusal naming HOME", code, out)
		}
	}
}
