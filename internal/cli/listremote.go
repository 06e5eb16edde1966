package cli

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/goversion"
)

func listRemoteCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:    "list-remote",
		Aliases: []string{"ls-remote"},
		Usage:   "list released versions, newest first",
		Description: "Without --all: the stable releases of the two supported release lines.\n" +
			"The official index is read; when it cannot be reached, the module proxy's list for this platform.",
		Flags: append(sourceFlags(),
			&cli.BoolFlag{Name: "all", Usage: "also rc and beta releases, and the archived release lines"},
			&cli.BoolFlag{Name: "json", Usage: "print JSON"},
		),
		Action: func(c *cli.Context) error {
			return runListRemote(c, e)
		},
	}
}

func runListRemote(c *cli.Context, e *Env) error {
	sources, err := e.sources(c.String("source"), c.String("mirror"))
	if err != nil {
		return err
	}
	releases, err := sources.Releases(c.Context, e.Host(), e.say(false))
	if err != nil {
		return err
	}
	if !c.Bool("all") {
		releases = supported(releases)
	}
	if c.Bool("json") {
		if releases == nil {
			releases = []installer.Release{}
		}
		return writeJSON(e, releases)
	}
	for _, r := range releases {
		if r.Stable {
			fmt.Fprintln(e.Stdout, r.Version)
		} else {
			fmt.Fprintln(e.Stdout, r.Version+" (pre-release)")
		}
	}
	return nil
}

// supported keeps the stable releases of the two newest release lines: the
// ones Go supports, as go.dev/dl lists them under "Stable versions".
func supported(releases []installer.Release) []installer.Release {
	var lines []string
	var out []installer.Release
	for _, r := range releases {
		if !r.Stable {
			continue
		}
		lang := goversion.Lang(r.Version)
		known := false
		for _, l := range lines {
			known = known || l == lang
		}
		if !known {
			if len(lines) == 2 {
				continue
			}
			lines = append(lines, lang)
		}
		out = append(out, r)
	}
	return out
}
