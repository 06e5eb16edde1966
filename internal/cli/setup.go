package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/platform"
	"github.com/goverdev/gover/shims/shell"
	"github.com/goverdev/gover/shims/toolenv"
)

func setupCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "setup",
		Usage: "one-time OS integration: shims onto the user's PATH",
		Description: "On Unix, adds one line loading 'gover init' to your shell's rc file (~/.bashrc,\n" +
			"~/.bash_profile on macOS, ~/.zshrc, ~/.config/fish/config.fish); on macOS it also offers\n" +
			"pkgconf from Homebrew. On Windows, puts the shims folder first on the user PATH\n" +
			"(HKCU\\Environment), or with --system on the machine PATH (elevated prompt).\n" +
			"--undo removes exactly what setup added.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "undo", Usage: "remove what an earlier 'gover setup' added"},
			&cli.StringFlag{Name: "shell", Usage: "the shell to set up: " + strings.Join(shell.Names, ", ") + " (default: $SHELL's)"},
			&cli.BoolFlag{Name: "system", Usage: "Windows: edit the machine PATH (HKLM), ahead of a Go MSI; needs an elevated prompt"},
			&cli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Usage: "run the commands setup suggests (brew install pkgconf)"},
			&cli.BoolFlag{Name: "pkg-config", Usage: "macOS: also export PKG_CONFIG_PATH for Homebrew's libraries from the rc file"},
			&cli.StringSliceFlag{Name: "keg", Usage: "with --pkg-config: a keg-only Homebrew formula whose libraries cgo needs (e.g. openssl@3); repeatable"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageErrorf("setup takes no arguments, got %q", c.Args().First())
			}
			return runSetup(c, e)
		},
	}
}

func runSetup(c *cli.Context, e *Env) error {
	o := platform.SetupOptions{
		Undo:      c.Bool("undo"),
		Shell:     c.String("shell"),
		Gover:     e.goverCommand(),
		GoverDir:  filepath.Dir(e.Executable),
		System:    c.Bool("system"),
		Yes:       c.Bool("yes"),
		PkgConfig: c.Bool("pkg-config"),
		Kegs:      c.StringSlice("keg"),
	}
	if o.Shell != "" && shell.Name(o.Shell) == "" {
		return usageErrorf("set up shell %q: gover setup knows %s", o.Shell, strings.Join(shell.Names, ", "))
	}
	if len(o.Kegs) > 0 && !o.PkgConfig {
		return usageErrorf("--keg goes with --pkg-config (e.g. 'gover setup --pkg-config --keg openssl@3')")
	}
	if !o.Undo {
		// The shims folder should hold go and gofmt before PATH leads there.
		if err := e.reshim(false); err != nil {
			return err
		}
	}
	changes, err := e.System().Setup(c.Context, o)
	for _, ch := range changes {
		fmt.Fprintln(e.Stderr, ch.Message)
	}
	if errors.Is(err, platform.ErrUnsupported) {
		return usageErrorf("%w", err)
	}
	return err
}

// System is this OS's backend, looking at this environment.
func (e *Env) System() platform.System {
	l := e.Layout()
	return platform.New(platform.Env{
		Getenv: e.Getenv,
		// What package managers print is for people: stderr.
		Run:        platform.ExecRunner{Environ: e.Environ(), Stdout: e.Stderr, Stderr: e.Stderr},
		Shims:      l.Shims,
		Versions:   l.Versions,
		Privileged: platform.Privileged,
	})
}

// goverCommand is how a shell rc line runs this gover: by an absolute
// path, since a new shell may start with a PATH that does not lead to
// gover (install.sh's folder is often on PATH only in the shell that ran
// it). The path PATH finds is used when it is this gover (a link there
// stays put when gover is upgraded), else this executable's own.
func (e *Env) goverCommand() string {
	if e.Executable == "" {
		return "gover"
	}
	self, err := os.Stat(e.Executable)
	if err != nil {
		return e.Executable
	}
	if p, err := toolenv.LookPathIn("gover"+toolenv.ExeSuffix, e.Getenv(toolenv.PathKey)); err == nil && filepath.IsAbs(p) {
		if fi, err := os.Stat(p); err == nil && os.SameFile(fi, self) {
			return p
		}
	}
	return e.Executable
}
