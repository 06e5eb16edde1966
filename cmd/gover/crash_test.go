//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/internal/testdist"
)

// Crash safety of the real binaries: gover killed with SIGKILL at many
// points must leave nothing that counts as installed unless it is whole,
// shims and pins that are the old ones or the new ones, and a state the
// next run recovers from (cleaning the leftovers). killpoint_*_test.go
// kills at exact system calls; this file kills by watching the disk, and
// runs shims and installs concurrently.

// A world is one gover root, home and project folder, under one base
// folder, and the distribution gover installs from.
type world struct {
	t                *testing.T
	d                *testdist.Dist
	base             string // holds root, home and work
	root, home, work string
	bin              string // the folder gover and gover-shim run from
	env              []string
}

func newWorld(t *testing.T, d *testdist.Dist) *world {
	t.Helper()
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w := &world{t: t, d: d, base: base, root: filepath.Join(base, "root"), home: filepath.Join(base, "home"), work: filepath.Join(base, "work"), bin: binDir}
	for _, dir := range []string{w.home, w.work} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "GO") || strings.HasPrefix(k, "XDG_") || k == "HOME" || k == "PATH" || k == "CI" || k == "GITHUB_ACTIONS" || k == "PWD" {
			continue
		}
		w.env = append(w.env, kv)
	}
	w.env = append(w.env, d.Env()...)
	w.env = append(w.env, "GOVER_ROOT="+w.root, "HOME="+w.home, "XDG_CONFIG_HOME="+w.home+"/.config",
		"XDG_DATA_HOME="+w.home+"/.local/share", "XDG_CACHE_HOME="+w.home+"/.cache", "GOVER_RETRY_DELAY=1ms",
		"PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return w
}

func (w *world) layout() paths.Layout {
	return paths.New(func(k string) string {
		if k == "GOVER_ROOT" {
			return w.root
		}
		return ""
	}, paths.Dirs{})
}

func (w *world) shims() string { return filepath.Join(w.root, "shims") }

// cmd is gover (or, with a path, another program) with the world's
// environment, run in the project folder.
func (w *world) cmd(prog string, args ...string) *exec.Cmd {
	if !filepath.IsAbs(prog) {
		prog = filepath.Join(w.bin, prog)
	}
	c := exec.Command(prog, args...)
	c.Env, c.Dir = w.env, w.work
	return c
}

// run runs a program to its end: stdout, stderr, exit code.
func (w *world) run(prog string, args ...string) (string, string, int) {
	w.t.Helper()
	var out, errb bytes.Buffer
	c := w.cmd(prog, args...)
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return out.String(), errb.String(), ee.ExitCode()
	case err != nil:
		w.t.Fatalf("run %s: %v", prog, err)
	}
	return out.String(), errb.String(), 0
}

// must runs gover and fails the test unless it succeeds.
func (w *world) must(args ...string) string {
	w.t.Helper()
	out, errs, code := w.run("gover", args...)
	if code != 0 {
		w.t.Fatalf("gover %s: exit %d\n%s", strings.Join(args, " "), code, errs)
	}
	return out
}

// listed is what 'gover list --json' shows.
func (w *world) listed() []string {
	w.t.Helper()
	var list []struct{ Version, Platform string }
	if err := json.Unmarshal([]byte(w.must("list", "--json")), &list); err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, l := range list {
		out = append(out, l.Version)
	}
	return out
}

// checkWhole fails unless every installed toolchain is whole (its record
// present and 'gover verify' happy with the tree), and every shim is a
// whole copy of one of the shim programs allowed; leftovers are allowed
// only when tidy is false.
func (w *world) checkWhole(tidy bool, shimPrograms ...string) []string {
	w.t.Helper()
	listed := w.listed()
	for _, v := range listed {
		if _, err := os.Stat(w.layout().Record(v)); err != nil {
			w.t.Errorf("%s counts as installed without its record: %v", v, err)
		}
		if _, errs, code := w.run("gover", "verify", v); code != 0 {
			w.t.Errorf("%s counts as installed but is not whole: %s", v, errs)
		}
	}
	if len(shimPrograms) == 0 {
		shimPrograms = []string{filepath.Join(binDir, "gover-shim")}
	}
	var wholes [][]byte
	for _, p := range shimPrograms {
		b, err := os.ReadFile(p)
		if err != nil {
			w.t.Fatal(err)
		}
		wholes = append(wholes, b)
	}
	entries, _ := os.ReadDir(w.shims())
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if strings.Contains(name, ".tmp-") {
			if tidy {
				w.t.Errorf("a temporary shim was left: %s", name)
			}
			continue
		}
		b, err := os.ReadFile(filepath.Join(w.shims(), name))
		if err != nil || !slices.ContainsFunc(wholes, func(whole []byte) bool { return bytes.Equal(b, whole) }) {
			w.t.Errorf("shim %s is not a whole shim (%d bytes, %v)", name, len(b), err)
		}
	}
	if tidy {
		if stale := installer.Stale(w.layout()); len(stale) != 0 {
			w.t.Errorf("leftovers of killed installs remain: %v", stale)
		}
		parts, _ := filepath.Glob(filepath.Join(w.layout().Downloads(), "*.part"))
		if len(parts) != 0 {
			w.t.Errorf("partial downloads remain: %v", parts)
		}
	}
	return listed
}

// checkInstalled fails unless version is installed, whole, with its shims
// in place, and runs through them.
func (w *world) checkInstalled(version string) {
	w.t.Helper()
	if listed := w.checkWhole(true); !slices.Contains(listed, version) {
		w.t.Fatalf("%s is not installed: list shows %v", version, listed)
	}
	for _, shim := range []string{"go", "gofmt"} {
		if _, err := os.Stat(filepath.Join(w.shims(), shim)); err != nil {
			w.t.Errorf("shim %s missing after a successful install: %v", shim, err)
		}
	}
	c := w.cmd(filepath.Join(w.shims(), "go"), "version")
	c.Env = append(c.Env, "GOVER_VERSION="+version)
	out, err := c.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "go version "+version+" ") {
		w.t.Errorf("the go shim for %s: %v\n%s", version, err, out)
	}
}

// killWhen starts gover and kills it with SIGKILL as soon as ready says
// so (polled every millisecond); it reports whether the kill came before
// gover ended on its own.
func (w *world) killWhen(ready func() bool, args ...string) bool {
	w.t.Helper()
	c := w.cmd("gover", args...)
	if err := c.Start(); err != nil {
		w.t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { c.Wait(); close(done) }()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return false
		case <-tick.C:
			if ready() {
				c.Process.Signal(syscall.SIGKILL)
				<-done
				ws, _ := c.ProcessState.Sys().(syscall.WaitStatus)
				return ws.Signaled()
			}
		}
	}
}

// TestKillDuringDownloadAndUnpack kills 'gover install' while a slow
// server feeds it: after a quarter, half and three quarters of the archive
// reached the partial file, and while the unpacked tree grows.
func TestKillDuringDownloadAndUnpack(t *testing.T) {
	d := testdist.New(t, testdist.Options{ExtraFiles: 1500})
	file, data := d.Archive("go1.22.5", "linux", "amd64")
	size := int64(len(data))
	d.Fault("/dl/"+file, testdist.Slow(size)) // a second a download
	type point struct {
		name  string
		ready func(w *world) bool
	}
	partAt := func(frac int64) func(w *world) bool {
		return func(w *world) bool {
			fi, err := os.Stat(filepath.Join(w.layout().Downloads(), file+".part"))
			return err == nil && fi.Size() >= size*frac/4
		}
	}
	treeHolds := func(n int) func(w *world) bool {
		return func(w *world) bool {
			tmps, _ := filepath.Glob(filepath.Join(w.root, "versions", ".go1.22.5.tmp-*", "src", "bulk", "*", "*"))
			return len(tmps) >= n
		}
	}
	points := []point{
		{"a quarter downloaded", partAt(1)}, {"half downloaded", partAt(2)}, {"three quarters downloaded", partAt(3)},
		{"unpacking, 100 files written", treeHolds(100)}, {"unpacking, 1000 files written", treeHolds(1000)},
	}
	for _, p := range points {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel() // the time goes in waiting for the slow server
			w := newWorld(t, d)
			if !w.killWhen(func() bool { return p.ready(w) }, "install", "1.22.5") {
				t.Fatal("gover ended before the kill point")
			}
			if listed := w.checkWhole(false); len(listed) != 0 {
				t.Fatalf("a killed install shows %v as installed", listed)
			}
			w.must("install", "1.22.5")
			w.checkInstalled("go1.22.5")
		})
	}
}

// TestReshimUnderShimCalls rewrites the shims again and again, alternating
// two different shim programs, while other processes run go through them:
// every call must find a whole shim.
func TestReshimUnderShimCalls(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t, d)
	w.must("install", "1.22.5")
	binB := otherShimBin(t)
	var calls, failures atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstFailure string
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				c := w.cmd(filepath.Join(w.shims(), "go"), "version")
				c.Env = append(c.Env, "GOVER_VERSION=1.22.5")
				out, err := c.CombinedOutput()
				calls.Add(1)
				if err != nil || !strings.HasPrefix(string(out), "go version go1.22.5 ") {
					failures.Add(1)
					mu.Lock()
					if firstFailure == "" {
						firstFailure = fmt.Sprintf("%v: %s", err, out)
					}
					mu.Unlock()
				}
			}
		})
	}
	// Two seconds of reshims, and on a loaded machine more, until enough
	// calls and reshims overlapped to prove something (within a bound).
	reshims := 0
	start := time.Now()
	enough := func() bool {
		return time.Since(start) > 2*time.Second && calls.Load() >= 20 && reshims >= 4 || time.Since(start) > 30*time.Second
	}
	for ; !enough(); reshims++ {
		bin := binDir
		if reshims%2 == 1 {
			bin = binB
		}
		if _, errs, code := w.run(filepath.Join(bin, "gover"), "reshim", "--quiet"); code != 0 {
			t.Fatalf("reshim: %s", errs)
		}
	}
	close(stop)
	wg.Wait()
	t.Logf("%d reshims (each replacing every shim) during %d shim calls", reshims, calls.Load())
	if failures.Load() > 0 {
		t.Fatalf("%d of %d shim calls failed during reshims; first: %s", failures.Load(), calls.Load(), firstFailure)
	}
	if calls.Load() < 20 || reshims < 4 {
		t.Fatalf("only %d calls and %d reshims: the test proved nothing", calls.Load(), reshims)
	}
	w.checkWhole(true, filepath.Join(binDir, "gover-shim"), filepath.Join(binB, "gover-shim"))
}

// otherShimBin makes a folder holding gover and a gover-shim that differs
// from binDir's (one byte more), so a reshim from it replaces every shim.
func otherShimBin(t *testing.T) string {
	dir := t.TempDir()
	for _, name := range []string{"gover", "gover-shim"} {
		b, err := os.ReadFile(filepath.Join(binDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "gover-shim" {
			b = append(b, 0)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestConcurrentInstalls runs installs of one version and of different
// versions at once, as separate processes: each version is downloaded
// once, every install succeeds, and nothing is left over.
func TestConcurrentInstalls(t *testing.T) {
	d := testdist.New(t, testdist.Options{ExtraFiles: 300})
	w := newWorld(t, d)
	// Slow enough that the installs overlap.
	for _, v := range []string{"go1.22.5", "go1.22.4", "go1.21.13"} {
		file, data := d.Archive(v, "linux", "amd64")
		d.Fault("/dl/"+file, testdist.Slow(len(data)*2))
	}
	words := []string{"1.22.5", "1.22.5", "1.22.5", "1.22.5", "1.22.4", "1.21.13", "1.22.4"}
	errs := make([]string, len(words))
	var wg sync.WaitGroup
	for i, word := range words {
		wg.Go(func() {
			if _, stderr, code := w.run("gover", "install", word); code != 0 {
				errs[i] = fmt.Sprintf("gover install %s: exit %d: %s", word, code, stderr)
			}
		})
	}
	wg.Wait()
	for _, e := range errs {
		if e != "" {
			t.Error(e)
		}
	}
	for _, v := range []string{"go1.22.5", "go1.22.4", "go1.21.13"} {
		file, _ := d.Archive(v, "linux", "amd64")
		if n := d.Requests("/dl/" + file); n != 1 {
			t.Errorf("%s downloaded %d times by %d concurrent installs", v, n, len(words))
		}
		w.checkInstalled(v)
	}
}
