package doctor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/goverdev/gover/shims/toolenv"
)

// errNotOnPath means a program is not on the user's PATH.
var errNotOnPath = errors.New("not on PATH")

// lookPath finds a program on the user's PATH (not on this process's,
// which tests leave alone). A name with a separator is used as it is.
func (s *state) lookPath(name string) (string, error) {
	if p, err := toolenv.LookPathIn(name, s.env.Getenv("PATH")); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s: %w", name, errNotOnPath)
}

// An output is what a program printed.
type output struct {
	Stdout, Stderr string
}

// lastLine is the last non-blank line of what a program said on stderr, or
// on stdout when stderr was empty: where compilers put the reason.
func (o output) lastLine() string {
	text := strings.TrimSpace(o.Stderr)
	if text == "" {
		text = strings.TrimSpace(o.Stdout)
	}
	lines := strings.Split(text, "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// run runs a program found on the user's PATH, in dir, with environ (the
// user's environment when nil), and returns what it printed. A program
// that is not there is an error wrapping errNotOnPath; one that fails, an
// *exec.ExitError with the output kept.
func (s *state) run(ctx context.Context, dir string, environ []string, name string, args ...string) (output, error) {
	path, err := s.lookPath(name)
	if err != nil {
		return output{}, err
	}
	if environ == nil {
		environ = s.env.Environ()
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Dir = dir
	cmd.Env = environ
	// A program killed at the deadline may leave children holding its
	// pipes; stop waiting for them soon after.
	cmd.WaitDelay = time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	out := output{Stdout: stdout.String(), Stderr: stderr.String()}
	if err != nil && ctx.Err() != nil {
		return out, fmt.Errorf("%s: no answer in time: %w", name, ctx.Err())
	}
	return out, err
}

// withEnv returns environ with each "KEY=value" of set in place of the
// variable's inherited value, and each "-KEY" removed.
func withEnv(environ []string, set ...string) []string {
	out := make([]string, 0, len(environ)+len(set))
	drop := map[string]bool{}
	for _, kv := range set {
		k, _, _ := strings.Cut(strings.TrimPrefix(kv, "-"), "=")
		drop[envKey(k)] = true
	}
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[envKey(k)] {
			out = append(out, kv)
		}
	}
	for _, kv := range set {
		if !strings.HasPrefix(kv, "-") {
			out = append(out, kv)
		}
	}
	return out
}

// tilde shortens a path under home to ~/… for messages.
func tilde(p, home string) string {
	if home == "" {
		return p
	}
	if rel, err := filepath.Rel(home, p); err == nil && rel != "." && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel) {
		return "~" + string(filepath.Separator) + rel
	}
	return p
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}
