package cli

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/goversion"
)

func listRemoteCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "list-remote",
		Aliases:   []string{"ls-remote"},
		Usage:     "list released versions, newest first",
		ArgsUsage: "[VERSION]",
		Description: "Without --all: the stable releases of the two supported release lines. With VERSION\n" +
			"(1.22, ^1.21, oldstable, …): every release the word takes, archived lines too; --all adds\n" +
			"the pre-releases of the lines it names.\n" +
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
	var filter *goversion.Word
	switch c.NArg() {
	case 0:
	case 1:
		w, err := goversion.Parse(c.Args().First())
		if err != nil {
			return usageErrorf("%w", err)
		}
		filter = &w
	default:
		return usageErrorf("name at most one version word, e.g. 'gover list-remote 1.22'")
	}
	sources, err := e.sources(c.String("source"), c.String("mirror"))
	if err != nil {
		return err
	}
	releases, err := sources.Releases(c.Context, e.Host(), e.say(false))
	if err != nil {
		return err
	}
	switch {
	case filter != nil:
		releases = taken(*filter, releases, c.Bool("all"))
	case !c.Bool("all"):
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

// taken keeps the releases w takes: for a word that names one release
// (latest, oldstable, 1.22.5), that one; for a line or a range, every
// release in it, and with all the pre-releases of the lines they name.
func taken(w goversion.Word, releases []installer.Release, all bool) []installer.Release {
	var out []installer.Release
	switch w.Kind {
	case goversion.Latest, goversion.OldStable:
		if v, ok := installer.Resolve(w, releases); ok {
			for _, r := range releases {
				if r.Version == v {
					out = append(out, r)
				}
			}
		}
		return out
	}
	lines := map[string]bool{}
	for _, r := range releases {
		if w.Matches(r.Version) {
			lines[goversion.Lang(r.Version)] = true
		}
	}
	if w.Kind == goversion.Line {
		lines[w.Version] = true
	}
	for _, r := range releases {
		if w.Matches(r.Version) || all && !r.Stable && lines[goversion.Lang(r.Version)] {
			out = append(out, r)
		}
	}
	return out
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
