package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/shims/toolenv"
)

func execCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "exec",
		Usage:     "run a command with the active toolchain's environment",
		ArgsUsage: "[--version V] [--] COMMAND [ARG…]",
		Description: "Runs COMMAND with GOROOT, PATH and GOTOOLCHAIN set as a shim sets them for the\n" +
			"active version (or V), and exits with COMMAND's exit code.",
		Flags: []cli.Flag{&cli.StringFlag{Name: "version", Usage: "use version `V` instead of the active one"}},
		Action: func(c *cli.Context) error {
			args := c.Args().Slice()
			if len(args) == 0 {
				return usageErrorf("name the command to run, e.g. 'gover exec -- go build ./...'")
			}
			a, err := e.active(c.String("version"))
			if err != nil {
				return err
			}
			if a.missing != nil {
				return a.missing
			}
			env := e.Environ()
			bin := ""
			if !a.system() {
				env = toolenv.Env(env, a.goroot)
				bin = filepath.Join(a.goroot, "bin")
			}
			exe, err := lookCommand(args[0], bin)
			if err != nil {
				return &exitError{code: 127, err: err}
			}
			code, err := toolenv.Exec(exe, args, env)
			if err != nil {
				return fmt.Errorf("run %s: %w", args[0], err)
			}
			return exitCode(code)
		},
	}
}

// lookCommand finds name as the new PATH would: the toolchain's bin first,
// then gover's own PATH (the rest of the new one).
func lookCommand(name, bin string) (string, error) {
	if bin != "" && !strings.ContainsAny(name, `/\`) {
		p := filepath.Join(bin, name+toolenv.ExeSuffix)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("find %s: not in the toolchain's bin or on PATH", name)
	}
	return filepath.Abs(p)
}

// exitCode passes a program's exit code on as gover's, printing nothing.
func exitCode(code int) error {
	if code == 0 {
		return nil
	}
	return &exitError{code: code, err: errSilent}
}
