//go:build !windows

package platform

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeRunner answers commands from a table; a command it does not know is
// a program that is not installed.
type fakeRunner struct {
	answers map[string]fakeAnswer // "name arg…" → answer
	calls   []string
	// onRun runs for Run calls (e.g. to create what brew install would).
	onRun func(cmd string)
}

type fakeAnswer struct {
	out    string
	stderr string // non-empty: the program fails with this on stderr
}

func (f *fakeRunner) Output(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := commandLine(name, args)
	f.calls = append(f.calls, cmd)
	a, ok := f.answers[cmd]
	if !ok {
		return nil, &RunError{Command: cmd, Err: fmt.Errorf("%s: %w", name, exec.ErrNotFound)}
	}
	if a.stderr != "" {
		return []byte(a.out), &RunError{Command: cmd, Stderr: a.stderr, Err: errors.New("exit status 1")}
	}
	return []byte(a.out), nil
}

func (f *fakeRunner) Run(ctx context.Context, name string, args ...string) error {
	cmd := commandLine(name, args)
	f.calls = append(f.calls, cmd)
	if _, ok := f.answers[cmd]; !ok {
		return &RunError{Command: cmd, Err: exec.ErrNotFound}
	}
	if f.onRun != nil {
		f.onRun(cmd)
	}
	return nil
}

func (f *fakeRunner) called(cmd string) bool {
	for _, c := range f.calls {
		if c == cmd {
			return true
		}
	}
	return false
}

// writeFiles creates files under root: name → content; a content of
// "-> TARGET" makes a symbolic link, and names under bin/ are executable.
func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "-> "); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		perm := os.FileMode(0o644)
		if strings.Contains(name, "bin/") {
			perm = 0o755
		}
		if err := os.WriteFile(p, []byte(content), perm); err != nil {
			t.Fatal(err)
		}
	}
}
