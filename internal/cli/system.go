package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/platform"
)

func systemCommand(e *Env) *cli.Command {
	statusFlags := func() []cli.Flag {
		return []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print JSON"},
			&cli.StringSliceFlag{Name: "keg", Usage: "macOS: also check that PKG_CONFIG_PATH covers this keg-only Homebrew formula (e.g. openssl@3); repeatable"},
		}
	}
	status := func(c *cli.Context) error {
		if c.NArg() > 0 {
			return usageErrorf("unknown 'gover system' command %q (status, hold or unhold)", c.Args().First())
		}
		return runSystemStatus(c, e)
	}
	return &cli.Command{
		Name:  "system",
		Usage: "Go installed outside gover, and holding it",
		Description: "status (the default) lists Go from distro packages, Homebrew, the MSI, /usr/local/go\n" +
			"and PATH, and checks what stands in the shims' way. hold keeps the package manager\n" +
			"from upgrading it: apt-mark hold golang-go and its golang-1.NN-go, dnf versionlock\n" +
			"add golang, brew pin go. unhold undoes it.",
		Flags:  statusFlags(),
		Action: status,
		Subcommands: []*cli.Command{
			{Name: "status", Usage: "list Go outside gover and what shadows the shims", Flags: statusFlags(), Action: status},
			{Name: "hold", Usage: "keep the package manager from upgrading its Go (needs root for apt and dnf)",
				Action: func(c *cli.Context) error { return runHold(c, e, true) }},
			{Name: "unhold", Usage: "let the package manager upgrade its Go again",
				Action: func(c *cli.Context) error { return runHold(c, e, false) }},
		},
	}
}

func runSystemStatus(c *cli.Context, e *Env) error {
	st, err := e.System().Status(c.Context, platform.StatusOptions{Kegs: c.StringSlice("keg")})
	if err != nil {
		return err
	}
	if c.Bool("json") {
		if st.Installs == nil {
			st.Installs = []platform.Install{}
		}
		return writeJSON(e, st)
	}
	printStatus(e.Stdout, st)
	return nil
}

// printStatus writes status for people: the installs, then the checks.
func printStatus(w io.Writer, st platform.Status) {
	if len(st.Installs) == 0 {
		fmt.Fprintln(w, "no Go installed outside gover")
	} else {
		fmt.Fprintln(w, "Go outside gover:")
		for _, in := range st.Installs {
			var b strings.Builder
			v := in.Version
			if v == "" {
				v = "go?"
			}
			fmt.Fprintf(&b, "  %-10s %s", v, in.Kind)
			if in.Package != "" {
				fmt.Fprintf(&b, " %s", in.Package)
				if in.PackageVersion != "" {
					fmt.Fprintf(&b, " %s", in.PackageVersion)
				}
			}
			if in.GOROOT != "" {
				fmt.Fprintf(&b, " in %s", in.GOROOT)
			}
			var notes []string
			if in.Held {
				notes = append(notes, "held")
			}
			if in.Shadows {
				notes = append(notes, "runs instead of the shims: "+in.Go)
			}
			if len(notes) > 0 {
				fmt.Fprintf(&b, " (%s)", strings.Join(notes, "; "))
			}
			fmt.Fprintln(w, b.String())
		}
	}
	if st.Homebrew != nil {
		fmt.Fprintf(w, "Homebrew: %s\n", st.Homebrew.Prefix)
	}
	fmt.Fprintln(w, "checks:")
	for _, ch := range st.Checks {
		fmt.Fprintf(w, "  %-4s %s: %s\n", ch.Status, ch.ID, ch.Message)
		if ch.Fix != "" {
			fmt.Fprintf(w, "       fix: %s\n", ch.Fix)
		}
	}
}

func runHold(c *cli.Context, e *Env, hold bool) error {
	if c.NArg() > 0 {
		return usageErrorf("'gover system %s' takes no arguments: it holds the Go the package manager installed", c.Command.Name)
	}
	changes, err := e.System().Hold(c.Context, hold)
	for _, ch := range changes {
		fmt.Fprintln(e.Stderr, ch.Message)
	}
	if errors.Is(err, platform.ErrNothingToHold) {
		return &exitError{code: ExitNotFound, err: err}
	}
	return err
}
