//go:build unix

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goverdev/gover/internal/testdist"
)

// TestSignalExitCodes: Ctrl-C (SIGINT) and SIGTERM in the middle of an
// install stop it, clean up, and exit 130 and 143, as shells and CI
// runners expect of a program a signal ended.
func TestSignalExitCodes(t *testing.T) {
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			d, err := testdist.Start(testdist.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			// The archive stalls after its first byte: the install is
			// under way (its temporary folder made) when the signal comes.
			d.Fault("/dl/go1.22.5.linux-amd64.tar.gz", testdist.Stall{After: 1, For: time.Minute})
			w := newWorld(t, d)
			var stderr bytes.Buffer
			c := w.cmd("gover", "install", "1.22.5")
			c.Stderr = &stderr
			if err := c.Start(); err != nil {
				t.Fatal(err)
			}
			versions := filepath.Join(w.root, "versions")
			// Wait until the install is unpacking into its temporary folder.
			deadline := time.Now().Add(30 * time.Second)
			for {
				tmp, _ := filepath.Glob(filepath.Join(versions, ".go1.22.5.tmp-*"))
				if len(tmp) > 0 {
					break
				}
				if time.Now().After(deadline) {
					c.Process.Kill()
					c.Wait()
					t.Fatalf("the install never started unpacking; it said:\n%s", stderr.String())
				}
				time.Sleep(10 * time.Millisecond)
			}
			c.Process.Signal(tc.sig)
			err = c.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
				t.Fatalf("gover install after %v: %v, want exit %d; it said:\n%s", tc.sig, err, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), "gover: interrupted; nothing half-written was left behind\n") {
				t.Errorf("gover said:\n%s", stderr.String())
			}
			left, _ := os.ReadDir(versions)
			for _, e := range left {
				t.Errorf("versions/ holds %s after the interrupted install", e.Name())
			}
		})
	}
}
