package cli

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/doctor"
	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/platform"
	"github.com/goverdev/gover/shims"
)

func doctorCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "doctor",
		Usage:     "check the Go environment for problems, and fix the safe ones",
		ArgsUsage: "[CHECK…]",
		Description: "Runs every check at once (or only the CHECKs named) and prints one line each,\n" +
			"grouped, with the fix under each problem. Exit status 1 when a check failed\n" +
			"(with --strict, also when one warned), so it can gate CI.\n\n" +
			"Checks: " + strings.Join(doctor.IDs(), ", ") + ".\n" +
			"docs/doctor.md says what each looks at, why it matters and how to fix it.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: `print {"checks":[{"id","status","message","fix",…}]}`},
			&cli.BoolFlag{Name: "fix", Usage: "repair what is safe and local (reshim, install a missing pinned version); print the commands for the rest"},
			&cli.BoolFlag{Name: "strict", Usage: "exit 1 on warnings too"},
			&cli.StringFlag{Name: "save-baseline", Usage: "record this (healthy) run in `FILE`, to compare later runs with"},
			&cli.StringFlag{Name: "baseline", Usage: "report what drifted since the run recorded in `FILE`"},
			&cli.StringSliceFlag{Name: "keg", Usage: "macOS: also check that PKG_CONFIG_PATH covers this keg-only Homebrew formula (e.g. openssl@3); repeatable"},
		},
		Action: func(c *cli.Context) error {
			return runDoctor(c, e)
		},
	}
}

func runDoctor(c *cli.Context, e *Env) error {
	only := c.Args().Slice()
	for _, id := range only {
		if !doctor.Known(id) {
			return usageErrorf("no doctor check %q (checks: %s)", id, strings.Join(doctor.IDs(), ", "))
		}
	}
	save, compare := c.String("save-baseline"), c.String("baseline")
	if save != "" && len(only) > 0 {
		return usageErrorf("--save-baseline records a full run: name no checks")
	}
	var base doctor.Baseline
	if compare != "" {
		b, err := doctor.LoadBaseline(compare)
		if err != nil {
			return err
		}
		base = b
	}
	env, err := e.doctorEnv(c.StringSlice("keg"))
	if err != nil {
		return err
	}
	fix := c.Bool("fix")
	r := doctor.Run(c.Context, env, doctor.Options{Only: only, Fix: fix, Facts: save != "" || compare != ""})
	if compare != "" {
		r.Drift = doctor.Compare(base, r)
		r.Checks = append(r.Checks, doctor.DriftResult(r.Drift, compare, base.SavedAt))
	}
	if c.Bool("json") {
		if err := writeJSON(e, r); err != nil {
			return err
		}
	} else {
		doctor.WriteText(e.Stdout, r, fix)
	}
	if save != "" {
		if r.Failed(false) {
			return fmt.Errorf("not saving a baseline to %s: checks failed (fix them first; a baseline records a healthy run)", save)
		}
		if err := doctor.SaveBaseline(save, doctor.NewBaseline(r, e.Now())); err != nil {
			return err
		}
		fmt.Fprintf(e.Stderr, "saved the baseline to %s ('gover doctor --baseline %s' reports what drifts)\n", save, save)
	}
	if r.Failed(c.Bool("strict")) {
		return errSilent
	}
	return nil
}

// doctorEnv is the doctor's view of this process's world, with the
// repairs --fix may make.
func (e *Env) doctorEnv(kegs []string) (doctor.Env, error) {
	wd, err := e.Getwd()
	if err != nil {
		return doctor.Env{}, fmt.Errorf("find current folder: %w", err)
	}
	shimExe, _ := e.ShimExe()
	goos, goarch := platform.Host()
	return doctor.Env{
		Getenv:   e.Getenv,
		Environ:  e.Environ,
		Dir:      wd,
		Layout:   e.Layout(),
		ShimExe:  shimExe,
		HostOS:   goos,
		HostArch: goarch,
		System:   e.System(),
		Kegs:     kegs,
		// The go command's own rules for HTTPS_PROXY and NO_PROXY.
		Proxy: http.ProxyFromEnvironment,
		Now:   e.Now,
		Reshim: func() ([]string, error) {
			exe, err := e.ShimExe()
			if err != nil {
				return nil, err
			}
			return shims.Reshim(e.Layout(), exe)
		},
		Install: func(ctx context.Context, word string) error {
			return e.installWord(ctx, word)
		},
	}, nil
}

// installWord installs the release a version word names for this machine,
// from the sources GOVER_SOURCE and GOVER_MIRROR choose, and reshims.
func (e *Env) installWord(ctx context.Context, word string) error {
	w, err := goversion.Parse(word)
	if err != nil {
		return err
	}
	source := e.Getenv("GOVER_SOURCE")
	if source == "" {
		source = "auto"
	}
	sources, err := e.sources(source, e.Getenv("GOVER_MIRROR"))
	if err != nil {
		return err
	}
	host := e.Host()
	res, err := e.installer(false).Install(ctx, installer.Request{Word: w, Platform: host, Host: true, Sources: sources})
	if err != nil {
		return err
	}
	if !res.Already {
		fmt.Fprintln(e.Stderr, res)
		return e.reshim(true)
	}
	return nil
}
