package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goverdev/gover/internal/testdist"
)

// Removing a toolchain while a program started through the shims runs
// from it would pull files from under a build: gover uninstall refuses
// (naming the process) unless --force, and gover prune keeps it.
func TestUninstallWhileRunning(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		t.Fatal(err) // coreutils is on every Linux these tests run on
	}
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t, d)
	w.must("install", "1.22.5", "1.21.13")
	// A real program in each toolchain's bin (the fake toolchains' go is a
	// shell script, whose process is /bin/sh), reached through its shim.
	for _, v := range []string{"go1.22.5", "go1.21.13"} {
		b, err := os.ReadFile(sleep)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(w.layout().Toolchain(v), "bin", "sleeper"), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w.must("reshim")
	start := func(version string) *exec.Cmd {
		c := w.cmd(filepath.Join(w.shims(), "sleeper"), "30")
		c.Env = append(c.Env, "GOVER_VERSION="+version)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Process.Kill(); c.Wait() })
		// Wait until the shim has exec'd the toolchain's program.
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if exe, _ := os.Readlink("/proc/" + itoa(c.Process.Pid) + "/exe"); strings.Contains(exe, "/versions/") {
				return c
			}
		}
		t.Fatal("the shim never ran the toolchain's program")
		return nil
	}

	running := start("1.22.5")
	_, stderr, code := w.run("gover", "uninstall", "1.22.5")
	if code != 1 || !strings.Contains(stderr, "go1.22.5 is in use by pid "+itoa(running.Process.Pid)+" (sleeper); stop them first, or use --force") {
		t.Fatalf("uninstall of a running toolchain: exit %d: %s", code, stderr)
	}
	// (verify would object to the program added to the tree: list only.)
	if listed := w.listed(); !strings.Contains(strings.Join(listed, " "), "go1.22.5") {
		t.Fatalf("the refused uninstall removed it anyway: %v", listed)
	}

	// prune keeps a version nothing pins while it runs.
	w.must("use", "1.22.5")
	running21 := start("1.21.13")
	_, stderr, code = w.run("gover", "prune")
	if code != 0 || !strings.Contains(stderr, "keeping go1.21.13 (in use by pid "+itoa(running21.Process.Pid)) {
		t.Fatalf("prune with go1.21.13 running: exit %d: %s", code, stderr)
	}
	running21.Process.Kill()
	running21.Wait()
	_, stderr, _ = w.run("gover", "prune")
	if !strings.Contains(stderr, "removed go1.21.13") {
		t.Fatalf("prune once go1.21.13 stopped: %s", stderr)
	}

	// --force removes it all the same (the running program keeps its open files).
	if _, stderr, code := w.run("gover", "uninstall", "--force", "1.22.5"); code != 0 {
		t.Fatalf("uninstall --force: %s", stderr)
	}
	if listed := w.listed(); len(listed) != 0 {
		t.Fatalf("list after uninstall --force: %v", listed)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
