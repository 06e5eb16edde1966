package cli

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/shims/shell"
)

// shellVar names the shell whose function runs 'gover shell'. The function
// that 'gover init' defines sets it for that one call; without it gover
// knows the output would only be printed, not run.
const shellVar = "GOVER_SHELL"

func shellCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "shell",
		Usage:     "use a version in this shell only",
		ArgsUsage: "VERSION | --unset",
		Description: "Sets GOVER_VERSION in this shell, which wins over every pin file. Needs the gover\n" +
			"shell function: add 'eval \"$(gover init bash)\"' (or zsh, fish, pwsh) to your shell's\n" +
			"start-up file. Installs VERSION first unless --no-install.",
		Flags: append(sourceFlags(),
			&cli.BoolFlag{Name: "unset", Usage: "go back to the version the folder selects"},
			&cli.BoolFlag{Name: "no-install", Usage: "do not install VERSION first"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
		),
		Action: func(c *cli.Context) error { return runShell(c, e) },
	}
}

func runShell(c *cli.Context, e *Env) error {
	name := e.Getenv(shellVar)
	if name == "" {
		name := "bash"
		if d, err := detectShell(e, parentComm()); err == nil {
			name = d
		}
		sh, _ := shell.Lookup(name)
		return fmt.Errorf("gover shell changes the shell it runs in, which needs gover's shell function, not loaded here (run 'gover setup' once, or add '%s' to %s; then open a new shell)", shell.LoadLine(sh, e.goverCommand()), rcFile(name))
	}
	sh, err := shell.Lookup(name)
	if err != nil {
		return usageErrorf("%s=%s: %w", shellVar, name, err)
	}
	quiet := c.Bool("quiet")
	switch {
	case c.Bool("unset"):
		if c.NArg() > 0 {
			return usageErrorf("give a VERSION or --unset, not both")
		}
		fmt.Fprintln(e.Stdout, sh.Unset("GOVER_VERSION"))
		if !quiet {
			fmt.Fprintln(e.Stderr, "this shell follows the folder's pin again")
		}
		return nil
	case c.NArg() == 0:
		if v := e.Getenv("GOVER_VERSION"); v != "" {
			fmt.Fprintf(e.Stderr, "this shell uses %s (GOVER_VERSION; 'gover shell --unset' to follow the folder again)\n", v)
		} else {
			fmt.Fprintln(e.Stderr, "this shell follows the folder's pin ('gover shell VERSION' to override it)")
		}
		return nil
	case c.NArg() > 1:
		return usageErrorf("name one version, e.g. 'gover shell 1.21.13'")
	}
	pin, version, err := e.pinWord(c, c.Args().First(), c.Bool("no-install"), quiet)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, sh.Set("GOVER_VERSION", pin))
	if !quiet {
		what := pin
		if version != "" && trimGo(version) != pin {
			what += " (" + version + ")"
		}
		fmt.Fprintf(e.Stderr, "this shell uses %s\n", what)
	}
	return nil
}
