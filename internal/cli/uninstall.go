package cli

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/paths"
)

func uninstallCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "uninstall",
		Aliases:   []string{"rm"},
		Usage:     "remove installed toolchains",
		ArgsUsage: "VERSION…",
		Description: "Refuses a version that is active here, or that a known pin still selects (the pins\n" +
			"'gover prune' keeps: the global version file, and the pin files gover has written or\n" +
			"reported), naming the folder; --force removes it anyway.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "force", Usage: "remove even a version active here or that a known pin selects, or one a running program uses"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usageErrorf("name the versions to remove, e.g. 'gover uninstall 1.21.13' (see 'gover list')")
			}
			list, err := installer.List(e.Layout())
			if err != nil {
				return err
			}
			var names []string
			for _, a := range c.Args().Slice() {
				name, err := uninstallTarget(a, list)
				if err != nil {
					return err
				}
				names = append(names, name)
			}
			in := e.installer(c.Bool("quiet"))
			if !c.Bool("force") {
				in.InUse = installer.RunningFrom
				// Refuse before removing anything.
				if err := e.refusePinned(names); err != nil {
					return err
				}
			}
			for _, name := range names {
				if err := in.Uninstall(c.Context, name); err != nil {
					return err
				}
				if !c.Bool("quiet") {
					fmt.Fprintf(e.Stderr, "removed %s\n", name)
				}
			}
			return e.reshim(c.Bool("quiet"))
		},
	}
}

// uninstallTarget maps an argument to one installed folder name: an exact
// version, a folder name ("go1.22.5.windows-amd64"), or a line word that
// matches exactly one installed version.
func uninstallTarget(arg string, list []installer.Installed) (string, error) {
	for _, in := range list {
		if in.Name == arg || in.Name == "go"+arg {
			return in.Name, nil
		}
	}
	w, err := goversion.Parse(arg)
	if err != nil {
		return "", usageErrorf("%w", err)
	}
	var matches []string
	for _, in := range list {
		if in.Foreign == "" && w.Matches(in.Version) {
			matches = append(matches, in.Name)
		}
	}
	switch len(matches) {
	case 0:
		return "", &paths.NotInstalledError{Name: w.String()}
	case 1:
		return matches[0], nil
	}
	return "", usageErrorf("%s matches %s; name one", arg, strings.Join(matches, ", "))
}

// refusePinned is the usage error for the first of names that is active
// here or that a known pin selects (as prune reads them), naming where.
func (e *Env) refusePinned(names []string) error {
	active, sel := e.activeVersion()
	pins, err := e.selectingPins()
	if err != nil {
		return err
	}
	for _, name := range names {
		if name == active {
			return usageErrorf("%s is the version active here (set by %s); pick another first, or use --force", name, sel.Origin)
		}
		for _, p := range pins {
			if p.Version != name {
				continue
			}
			where := "in " + filepath.Dir(p.File)
			if p.Global {
				where = "as the global version"
			}
			return usageErrorf("%s is still selected %s (%s); pin another version there first, or use --force", name, where, p.Origin)
		}
	}
	return nil
}
