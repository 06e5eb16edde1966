package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/shims/knownpins"
	"github.com/goverdev/gover/shims/selection"
)

func pruneCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "prune",
		Usage: "remove versions nothing selects",
		Description: "Removes this platform's installed toolchains that no known pin selects. Known pins\n" +
			"are the global version file, the pin that applies in this folder, and the pin files\n" +
			"gover has written ('gover use') or reported ('current', 'which', 'env', 'exec',\n" +
			"the shell hook); they are listed in known-pins beside the versions folder. A pin\n" +
			"that only the shim ever read is not known: run 'gover current' in its folder first.",
		Flags: []cli.Flag{
			&cli.IntFlag{Name: "keep", Usage: "also keep the `N` newest versions"},
			&cli.BoolFlag{Name: "dry-run", Aliases: []string{"n"}, Usage: "say what would be removed, remove nothing"},
			&cli.BoolFlag{Name: "force", Usage: "remove versions that pins select too (all but the --keep newest)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
		},
		Action: func(c *cli.Context) error { return runPrune(c, e) },
	}
}

func runPrune(c *cli.Context, e *Env) error {
	if c.Int("keep") < 0 {
		return usageErrorf("--keep takes a number of versions, 0 or more")
	}
	l := e.Layout()
	list, err := installer.List(l)
	if err != nil {
		return err
	}
	var host []string
	for _, in := range list {
		if in.Foreign == "" {
			host = append(host, in.Name)
		}
	}
	pins, err := e.selectingPins()
	if err != nil {
		return err
	}
	plan := knownpins.MakePlan(host, pins, c.Int("keep"), c.Bool("force"))
	quiet, dry := c.Bool("quiet"), c.Bool("dry-run")
	if !quiet {
		for _, k := range plan.Keep {
			fmt.Fprintf(e.Stderr, "keeping %s (%s)\n", k.Name, k.Why)
		}
	}
	if len(plan.Remove) == 0 {
		if !quiet {
			fmt.Fprintln(e.Stderr, "nothing to prune")
		}
		return nil
	}
	if dry {
		for _, name := range plan.Remove {
			fmt.Fprintf(e.Stdout, "would remove %s\n", name)
		}
		return nil
	}
	in := e.installer(quiet)
	in.InUse = installer.RunningFrom
	for _, name := range plan.Remove {
		var inUse *installer.InUseError
		if err := in.Uninstall(c.Context, name); errors.As(err, &inUse) {
			if !quiet {
				fmt.Fprintf(e.Stderr, "keeping %s (in use by %s)\n", name, strings.Join(inUse.Users, ", "))
			}
			continue
		} else if err != nil {
			return err
		}
		if !quiet {
			fmt.Fprintf(e.Stderr, "removed %s\n", name)
		}
	}
	return e.reshim(quiet)
}

// selectingPins resolves the global file, the pin that applies here and
// the known pins. Known pins whose file is gone are dropped from the list.
func (e *Env) selectingPins() ([]knownpins.Pin, error) {
	l := e.Layout()
	opt := selection.ForLayout(l, e.Getenv)
	var out []knownpins.Pin
	add := func(s selection.Selection) {
		if !s.Found() || s.System {
			return
		}
		v, _ := selection.ResolveIn(s, l)
		p := knownpins.Pin{Version: v, Origin: s.Describe(), Global: s.Kind == selection.Global}
		if s.Kind != selection.Env {
			p.File = s.Origin
		}
		out = append(out, p)
	}
	if s, err := selection.FromFile(l.GlobalFile, opt); err == nil {
		s.Kind = selection.Global
		add(s)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read the global version file: %w", err)
	}
	if s, _, err := e.Selection(); err == nil {
		add(s)
	}
	file := knownpins.File(l)
	known, err := knownpins.List(file)
	if err != nil {
		return nil, fmt.Errorf("read known pins: %w", err)
	}
	var still []string
	for _, p := range known {
		s, err := selection.FromFile(p, opt)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		still = append(still, p)
		if err != nil {
			fmt.Fprintf(e.Stderr, "gover: %v (it protects no version)\n", err)
			continue
		}
		add(s)
	}
	if len(still) != len(known) {
		knownpins.Keep(file, still)
	}
	return out, nil
}
