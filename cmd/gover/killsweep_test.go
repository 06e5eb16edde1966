//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/internal/testdist"
)

// Kill-point sweeps: gover is killed right before each system call that
// changes something in its folders (killpoint_linux_amd64_test.go), one
// run per call, and what it left is checked each time. By default every
// third point is tried (every point with GOVER_TEST_KILL_ALL=1, a few
// with -short).

// killPoints counts the kill points tried, for docs/hardening.md.
var killPoints atomic.Int64

// sweep picks the kill points of a program that makes n changes.
func sweep(t *testing.T, n int) []int {
	step := 3
	switch {
	case os.Getenv("GOVER_TEST_KILL_ALL") != "":
		step = 1
	case testing.Short():
		step = max(1, n/8)
	}
	var ks []int
	for k := 1; k <= n; k += step {
		ks = append(ks, k)
	}
	if ks[len(ks)-1] != n {
		ks = append(ks, n)
	}
	return ks
}

func needKillPoints(t *testing.T) {
	if !haveKillPoints {
		t.Skip("exact kill points need ptrace, on linux/amd64; crash_test.go's timed kills run here")
	}
}

// killAt runs gover with args, killed before its k-th change under the
// world's base folder; k <= 0 runs it to the end.
func (w *world) killAt(k int, bin string, args ...string) killRun {
	return w.killAtMatch(k, nil, bin, args...)
}

// killAtMatch is killAt counting only the changes match accepts.
func (w *world) killAtMatch(k int, match func(string) bool, bin string, args ...string) killRun {
	w.t.Helper()
	r, err := runKilledAt(append([]string{filepath.Join(bin, "gover")}, args...), w.env, w.work, w.base, k, match)
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

// count runs gover to its end, counting its changes.
func (w *world) count(bin string, args ...string) int {
	w.t.Helper()
	r := w.killAt(0, bin, args...)
	if r.exit != 0 || r.changes == 0 {
		w.t.Fatalf("gover %s: exit %d after %d changes\n%s", strings.Join(args, " "), r.exit, r.changes, r.stderr)
	}
	return r.changes
}

// TestKillInstallEverywhere kills 'gover install' before each change it
// makes, for the official source (streamed .tar.gz) and the module proxy
// (zip downloaded whole, checksum database state cached): each time,
// nothing counts as installed unless whole, and the next install succeeds
// and tidies up.
func TestKillInstallEverywhere(t *testing.T) {
	needKillPoints(t)
	for _, args := range [][]string{{"install", "1.22.5"}, {"install", "--source", "proxy", "1.22.5"}} {
		t.Run(args[len(args)-2], func(t *testing.T) {
			d := testdist.New(t, testdist.Options{})
			n := newWorld(t, d).count(binDir, args...)
			var sawTreeRename, sawRecordRename bool
			for _, k := range sweep(t, n) {
				w := newWorld(t, d)
				r := w.killAt(k, binDir, args...)
				if !r.killed {
					continue // this run made fewer changes: no kill point k
				}
				killPoints.Add(1)
				sawTreeRename = sawTreeRename || strings.HasPrefix(r.at, "renameat ") && strings.HasSuffix(r.at, "/versions/go1.22.5")
				sawRecordRename = sawRecordRename || strings.HasPrefix(r.at, "renameat ") && strings.HasSuffix(r.at, "/versions/go1.22.5.json")
				w.checkWhole(false)
				if _, errs, code := w.run("gover", args...); code != 0 {
					t.Fatalf("killed before %q (change %d of %d); the next install failed: %s", r.at, k, n, errs)
				}
				w.checkInstalled("go1.22.5")
				if t.Failed() {
					t.Fatalf("killed before %q (change %d of %d)", r.at, k, n)
				}
			}
			// Unpack workers order their writes differently from run to
			// run, so a sweep can step over one call; TestKillRightBeforeTheRename
			// makes sure of the one that installs.
			t.Logf("%d changes; %d kill points so far; killed right before the record's rename: %v, the tree's: %v",
				n, killPoints.Load(), sawRecordRename, sawTreeRename)
		})
	}
}

// TestKillRightBeforeTheRename kills at the one point that matters most,
// whatever the sweep's step: the record is written, the tree is unpacked,
// and the rename that installs it has not happened.
func TestKillRightBeforeTheRename(t *testing.T) {
	needKillPoints(t)
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t, d)
	isRename := func(call string) bool {
		return strings.HasPrefix(call, "renameat ") && strings.HasSuffix(call, "/versions/go1.22.5")
	}
	r := w.killAtMatch(1, isRename, binDir, "install", "1.22.5")
	if !r.killed {
		t.Fatalf("gover install never renamed a tree into versions/go1.22.5 (exit %d)\n%s", r.exit, r.stderr)
	}
	killPoints.Add(1)
	if _, err := os.Stat(w.layout().Record("go1.22.5")); err != nil {
		t.Fatalf("the record is not written before the tree is renamed: %v", err)
	}
	if listed := w.checkWhole(false); len(listed) != 0 {
		t.Fatalf("killed before the rename, yet list shows %v", listed)
	}
	w.must("install", "1.22.5")
	w.checkInstalled("go1.22.5")
}

// TestKillReshimEverywhere kills 'gover reshim' (replacing every shim with
// a different shim program) before each change: each shim is always the
// old one or the new one, whole; the next reshim leaves no temporary file.
func TestKillReshimEverywhere(t *testing.T) {
	needKillPoints(t)
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t, d)
	w.must("install", "1.22.5")
	binB := otherShimBin(t)
	oldShim, newShim := filepath.Join(binDir, "gover-shim"), filepath.Join(binB, "gover-shim")
	n := w.count(binB, "reshim")
	for _, k := range sweep(t, n) {
		w.must("reshim") // back to the old shims
		r := w.killAt(k, binB, "reshim")
		if !r.killed {
			continue
		}
		killPoints.Add(1)
		for _, shim := range []string{"go", "gofmt"} {
			if _, err := os.Stat(filepath.Join(w.shims(), shim)); err != nil {
				t.Fatalf("killed before %q: shim %s is missing", r.at, shim)
			}
		}
		w.checkWhole(false, oldShim, newShim)
		if _, errs, code := w.run(filepath.Join(binB, "gover"), "reshim"); code != 0 {
			t.Fatalf("killed before %q; the next reshim failed: %s", r.at, errs)
		}
		w.checkWhole(true, newShim)
	}
	t.Logf("%d changes; %d kill points so far", n, killPoints.Load())
}

// TestKillUseEverywhere kills 'gover use' before each change: .go-version
// always holds the old pin or the new one, whole, and the shim runs one of
// the two.
func TestKillUseEverywhere(t *testing.T) {
	needKillPoints(t)
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t, d)
	w.must("install", "1.22.5", "1.21.13")
	pin := filepath.Join(w.work, ".go-version")
	oldPin, newPin := []byte("1.21.13\n"), []byte("1.22.5\n")
	reset := func() {
		if err := atomicfile.Write(pin, oldPin, 0o644); err != nil {
			t.Fatal(err)
		}
		// Forget the pin, so that each run records it again.
		os.Remove(filepath.Join(w.root, "known-pins"))
	}
	reset()
	n := w.count(binDir, "use", "1.22.5")
	leftovers := 0
	for _, k := range sweep(t, n) {
		reset()
		r := w.killAt(k, binDir, "use", "1.22.5")
		if !r.killed {
			continue
		}
		killPoints.Add(1)
		b, err := os.ReadFile(pin)
		if err != nil || !bytes.Equal(b, oldPin) && !bytes.Equal(b, newPin) {
			t.Fatalf("killed before %q: .go-version holds %q, %v", r.at, b, err)
		}
		out, errs, code := w.run(filepath.Join(w.shims(), "go"), "version")
		if want := "go" + strings.TrimSpace(string(b)); code != 0 || !strings.Contains(out, want+" ") {
			t.Fatalf("killed before %q: the shim ran %q %s, want %s", r.at, out, errs, want)
		}
		// A temporary file stays beside the pin when a kill lands between
		// its creation and its rename: hidden, never read as the pin, and
		// removed by a later write once it is old enough to be nobody's.
		tmps, _ := filepath.Glob(filepath.Join(w.work, ".*go-version.tmp-*"))
		leftovers += len(tmps)
		old := time.Now().Add(-time.Hour)
		for _, tmp := range tmps {
			os.Chtimes(tmp, old, old)
		}
		w.must("use", "1.22.5")
		if b, _ := os.ReadFile(pin); !bytes.Equal(b, newPin) {
			t.Fatalf(".go-version holds %q after gover use", b)
		}
		if tmps, _ := filepath.Glob(filepath.Join(w.work, ".*go-version.tmp-*")); len(tmps) != 0 {
			t.Fatalf("killed before %q: gover use left the killed run's %v", r.at, tmps)
		}
	}
	t.Logf("%d changes; temporary pin files left by kills: %d; %d kill points so far", n, leftovers, killPoints.Load())
}
