package cli

import (
	"fmt"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/shims"
	"github.com/goverdev/gover/shims/selection"
)

func installCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "install",
		Usage:     "download, prove and install Go toolchains",
		ArgsUsage: "[VERSION…]",
		Description: "VERSION is 1.22.5, go1.22.5, 1.22 (newest 1.22.x), 1.22.x, latest, or 1.23rc1.\n" +
			"With no VERSION, installs the version selected for this folder.\n\n" +
			"Mirror presets for --mirror / GOVER_MIRROR:\n" + installer.PresetHelp(),
		Flags: append(sourceFlags(),
			&cli.StringFlag{Name: "os", Usage: "install another platform's toolchain (GOOS), e.g. for packaging"},
			&cli.StringFlag{Name: "arch", Usage: "install another platform's toolchain (GOARCH)"},
			&cli.BoolFlag{Name: "force", Usage: "download and install again even when installed"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
		),
		Action: func(c *cli.Context) error {
			return runInstall(c, e)
		},
	}
}

func runInstall(c *cli.Context, e *Env) error {
	words, err := installWords(e, c.Args().Slice())
	if err != nil {
		return err
	}
	host := e.Host()
	p := host
	if v := c.String("os"); v != "" {
		p.OS = v
	}
	if v := c.String("arch"); v != "" {
		p.Arch = v
	}
	if !validPlatform(p) {
		return usageErrorf("--os %q --arch %q is not a Go platform (e.g. --os linux --arch arm64)", p.OS, p.Arch)
	}
	sources, err := e.sources(c.String("source"), c.String("mirror"))
	if err != nil {
		return err
	}
	quiet := c.Bool("quiet")
	in := e.installer(quiet)
	for _, w := range words {
		res, err := in.Install(c.Context, installer.Request{Word: w, Platform: p, Host: p == host, Force: c.Bool("force"), Sources: sources})
		if err != nil {
			return err
		}
		if !quiet {
			if w.Kind != goversion.Exact {
				fmt.Fprintf(e.Stderr, "%s is %s\n", w, res.Version)
			}
			fmt.Fprintln(e.Stderr, res)
		}
	}
	// Even when everything was installed already: an install killed after
	// its rename left the shims unwritten, and this run puts them right.
	if p == host {
		return e.reshim(quiet)
	}
	return nil
}

// installWords parses the VERSION arguments; none means the version
// selected for this folder.
func installWords(e *Env, args []string) ([]goversion.Word, error) {
	var words []goversion.Word
	for _, a := range args {
		w, err := goversion.Parse(a)
		if err != nil {
			return nil, usageErrorf("%w", err)
		}
		words = append(words, w)
	}
	if len(words) > 0 {
		return words, nil
	}
	sel, _, err := e.Selection()
	if err != nil {
		return nil, err
	}
	if !sel.Found() || sel.System {
		return nil, usageErrorf("no Go version is selected here: name one ('gover install 1.22.5') or pin one ('gover use 1.22.5')")
	}
	// Fallbacks: the first is the one to install, as asdf installs it.
	w := sel.Word
	if sel.Minimum() {
		w, _ = goversion.Parse(sel.InstallWord())
	}
	return []goversion.Word{w}, nil
}

// validPlatform accepts the GOOS/GOARCH names Go releases are built for.
func validPlatform(p installer.Platform) bool {
	oses := "aix android darwin dragonfly freebsd illumos ios js linux netbsd openbsd plan9 solaris wasip1 windows"
	arches := "386 amd64 arm arm64 loong64 mips mips64 mips64le mipsle ppc64 ppc64le riscv64 s390x wasm"
	return p.OS != "" && p.Arch != "" && strings.Contains(" "+oses+" ", " "+p.OS+" ") && strings.Contains(" "+arches+" ", " "+p.Arch+" ")
}

// installer is an Installer that reports to stderr, with a progress bar
// on a terminal.
func (e *Env) installer(quiet bool) *installer.Installer {
	in := &installer.Installer{
		Layout:       e.Layout(),
		Fetch:        e.Fetch(),
		Say:          e.say(quiet),
		Now:          e.Now,
		GoverVersion: e.Version,
	}
	// A GOPROXY or GOSUMDB gover cannot use only matters to installs from
	// the proxy, which report it; archives then go without a second proof.
	if p, err := e.proxySource(); err == nil {
		in.Vouch = p.VouchLater
	}
	if !quiet && e.StderrTTY && !e.inCI() && e.Getenv("NO_PROGRESS") == "" {
		in.Progress = func(label string) func(done, total int64) {
			var bar *progressbar.ProgressBar
			return func(done, total int64) {
				if bar == nil {
					bar = progressbar.NewOptions64(max(total, -1),
						progressbar.OptionSetWriter(e.Stderr),
						progressbar.OptionSetDescription("downloading "+label),
						progressbar.OptionShowBytes(true),
						progressbar.OptionSetWidth(30),
						progressbar.OptionThrottle(100_000_000),
						progressbar.OptionClearOnFinish(),
						progressbar.OptionEnableColorCodes(e.Getenv("NO_COLOR") == ""),
					)
				}
				bar.Set64(done)
				if total > 0 && done >= total {
					bar.Finish()
				}
			}
		}
	}
	return in
}

// reshim brings the shims in step with the installed toolchains.
func (e *Env) reshim(quiet bool) error {
	exe, err := e.ShimExe()
	if err != nil {
		if !quiet {
			fmt.Fprintf(e.Stderr, "gover: shims not updated: %v\n", err)
		}
		return nil
	}
	_, err = shims.Reshim(e.Layout(), exe)
	return err
}

// activeVersion resolves what selects a version here to an installed one
// (empty when nothing does, or it is not installed).
func (e *Env) activeVersion() (version string, sel selection.Selection) {
	sel, _, err := e.Selection()
	if err != nil || !sel.Found() || sel.System {
		return "", sel
	}
	v, err := selection.ResolveIn(sel, e.Layout())
	if err != nil {
		return "", sel
	}
	return v, sel
}
