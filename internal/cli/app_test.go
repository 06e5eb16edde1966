package cli

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/goverdev/gover/internal/testdist"
)

// TestMainInterrupted runs gover in-process: a context ended by a signal
// (as cmd/gover's handling ends it) stops an install in the middle,
// cleans up, and gives the shell's exit code for that signal.
func TestMainInterrupted(t *testing.T) {
	d, err := testdist.Start(testdist.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.Fault("/dl/go1.22.5.linux-amd64.tar.gz", testdist.Stall{After: 1, For: time.Minute})
	root, home := t.TempDir(), t.TempDir()
	vars := map[string]string{"GOVER_ROOT": root, "HOME": home, "GOVER_RETRY_DELAY": "1ms"}
	for _, kv := range d.Env() {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	var stderr strings.Builder
	e := &Env{
		Getenv:  func(k string) string { return vars[k] },
		Environ: func() []string { return nil },
		Getwd:   func() (string, error) { return home, nil },
		Stdin:   strings.NewReader(""),
		Stdout:  io.Discard,
		Stderr:  &stderr,
		Now:     time.Now,
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	go func() {
		for ctx.Err() == nil {
			if tmp, _ := filepath.Glob(filepath.Join(root, "versions", ".go1.22.5.tmp-*")); len(tmp) > 0 {
				cancel(Interrupt{Signal: syscall.SIGINT})
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	code := Main(ctx, []string{"gover", "install", "--quiet", "1.22.5"}, e)
	if code != 130 || stderr.String() != "gover: interrupted; nothing half-written was left behind\n" {
		t.Fatalf("Main after Ctrl-C: exit %d, said %q; want 130 and the interrupted line", code, stderr.String())
	}
	if left, _ := filepath.Glob(filepath.Join(root, "versions", "*")); len(left) > 0 {
		t.Errorf("versions/ holds %v after the interrupted install", left)
	}
	if got := (Interrupt{Signal: syscall.SIGTERM}).ExitCode(); got != 143 {
		t.Errorf("SIGTERM's exit code = %d, want 143", got)
	}
}
