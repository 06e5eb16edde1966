package platform

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/goverdev/gover/shims/toolenv"
)

// A Runner runs the programs the backends ask: package managers and
// system tools. Tests pass a fake, or put fake scripts on PATH.
type Runner interface {
	// Output runs name and returns its standard output, with LC_ALL=C so it
	// parses. A program that is not installed gives an error wrapping
	// exec.ErrNotFound; one that exits non-zero, a *RunError.
	Output(ctx context.Context, name string, args ...string) ([]byte, error)
	// Run runs name with its output shown to the user: what changes the
	// system (apt-mark hold, brew install) runs this way.
	Run(ctx context.Context, name string, args ...string) error
}

// A RunError is a program that ran and failed.
type RunError struct {
	Command string // "apt-mark hold golang-go"
	Stderr  string // what it printed on stderr, when captured
	Err     error
}

func (e *RunError) Error() string {
	if e.Stderr != "" {
		return fmt.Sprintf("%s: %s", e.Command, lastLine(e.Stderr))
	}
	return fmt.Sprintf("%s: %v", e.Command, e.Err)
}

func (e *RunError) Unwrap() error { return e.Err }

// IsMissing reports whether err says a program is not installed.
func IsMissing(err error) bool { return errors.Is(err, exec.ErrNotFound) }

// ExecRunner runs real programs, found on the PATH of Environ.
type ExecRunner struct {
	// Environ is the programs' environment; nil means this process's.
	Environ []string
	// Stdout and Stderr receive what Run's programs print; nil discards it.
	Stdout, Stderr io.Writer
}

// Output implements Runner.
func (r ExecRunner) Output(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd, err := r.command(ctx, name, args)
	if err != nil {
		return nil, err
	}
	cmd.Env = append(cmd.Env, "LC_ALL=C")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, &RunError{Command: commandLine(name, args), Stderr: strings.TrimSpace(stderr.String()), Err: err}
	}
	return out, nil
}

// Run implements Runner.
func (r ExecRunner) Run(ctx context.Context, name string, args ...string) error {
	cmd, err := r.command(ctx, name, args)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = r.Stdout, r.Stderr
	if err := cmd.Run(); err != nil {
		return &RunError{Command: commandLine(name, args), Err: err}
	}
	return nil
}

func (r ExecRunner) command(ctx context.Context, name string, args []string) (*exec.Cmd, error) {
	env := r.Environ
	if env == nil {
		env = os.Environ()
	}
	path, err := lookPath(name, envValue(env, "PATH"))
	if err != nil {
		return nil, &RunError{Command: commandLine(name, args), Err: err}
	}
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Env = append([]string(nil), env...)
	return cmd, nil
}

// lookPath finds name on pathList (not on this process's PATH, which may
// differ from the environment the programs get).
func lookPath(name, pathList string) (string, error) {
	if p, err := toolenv.LookPathIn(name, pathList); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s is not on PATH: %w", name, exec.ErrNotFound)
}

func envValue(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && envKeyEqual(k, key) {
			v = val
		}
	}
	return v
}

func commandLine(name string, args []string) string {
	return strings.TrimSpace(name + " " + strings.Join(args, " "))
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
