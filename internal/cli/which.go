package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/shims/toolenv"
)

func whichCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "which",
		Usage:     "print the real path that go (or PROGRAM) runs here",
		ArgsUsage: "[PROGRAM]",
		Description: "PROGRAM is go, gofmt, or any program in the toolchain's bin or pkg/tool folder\n" +
			"(e.g. vet, compile). When nothing selects a version, it is the one on PATH outside\n" +
			"gover's shims.",
		Flags: []cli.Flag{&cli.StringFlag{Name: "version", Usage: "ask about version `V` instead of the active one"}},
		Action: func(c *cli.Context) error {
			if c.NArg() > 1 {
				return usageErrorf("name one program, e.g. 'gover which gofmt'")
			}
			prog := c.Args().First()
			if prog == "" {
				prog = "go"
			}
			p, err := e.which(c.String("version"), prog)
			if err != nil {
				return err
			}
			fmt.Fprintln(e.Stdout, p)
			return nil
		},
	}
}

// which finds the program the active toolchain (or version word) runs.
func (e *Env) which(word, prog string) (string, error) {
	a, err := e.active(word)
	if err != nil {
		return "", err
	}
	if a.system() {
		return e.systemProgram(prog)
	}
	if a.missing != nil {
		return "", a.missing
	}
	p := filepath.Join(a.goroot, "bin", prog+toolenv.ExeSuffix)
	if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
		return p, nil
	}
	tools, _ := filepath.Glob(filepath.Join(a.goroot, "pkg", "tool", "*", prog+toolenv.ExeSuffix))
	if len(tools) == 1 {
		return tools[0], nil
	}
	return "", &exitError{code: ExitNotFound, err: fmt.Errorf("%s has no program %s in bin or pkg/tool (%s)", a.version, prog, a.sel.Describe())}
}
