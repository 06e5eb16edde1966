package cli

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/doctor"
	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/platform"
	"github.com/goverdev/gover/shims"
	"github.com/goverdev/gover/verify"
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
			&cli.BoolFlag{Name: "json", Usage: `print {"checks":[{"id","status","message","fix",…}]} (--format json)`},
			&cli.StringFlag{Name: "format", Value: formatText, Usage: "the report's `FORMAT`: text, json, or prometheus (the text exposition format node_exporter's textfile collector reads)"},
			&cli.StringFlag{Name: "output", Usage: "write the report to `FILE` instead of stdout, atomically (a temporary file in its folder, then renamed)"},
			&cli.BoolFlag{Name: "fix", Usage: "repair what is safe and local (reshim, install a missing pinned version); print the commands for the rest"},
			&cli.BoolFlag{Name: "strict", Usage: "exit 1 on warnings too"},
			&cli.BoolFlag{Name: "deep", Usage: "install-integrity: hash every file of every toolchain, not only those whose status changed since they were last hashed"},
			&cli.StringFlag{Name: "save-baseline", Usage: "record this (healthy) run in `FILE`, to compare later runs with"},
			&cli.StringFlag{Name: "baseline", Usage: "report what drifted since the run recorded in `FILE`"},
			&cli.StringFlag{Name: "target-glibc", Usage: "the glibc `VERSION` (e.g. 2.31) of the machines programs built here run on: the libc check warns when cgo programs built here need a newer one"},
			&cli.StringSliceFlag{Name: "keg", Usage: "macOS: also check that PKG_CONFIG_PATH covers this keg-only Homebrew formula (e.g. openssl@3); repeatable"},
		},
		Action: func(c *cli.Context) error {
			return runDoctor(c, e)
		},
	}
}

// glibcVersion is how glibc numbers its releases: 2.31, 2.17.
var glibcVersion = regexp.MustCompile(`^\d+\.\d+$`)

func runDoctor(c *cli.Context, e *Env) error {
	only := c.Args().Slice()
	for _, id := range only {
		if !doctor.Known(id) {
			return usageErrorf("no doctor check %q (checks: %s)", id, strings.Join(doctor.IDs(), ", "))
		}
	}
	format, err := reportFormat(c)
	if err != nil {
		return err
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
	target := c.String("target-glibc")
	if target != "" && !glibcVersion.MatchString(target) {
		return usageErrorf("--target-glibc %q is not a glibc version: write it as 2.31", target)
	}
	env, err := e.doctorEnv(c.StringSlice("keg"))
	if err != nil {
		return err
	}
	fix := c.Bool("fix")
	r := doctor.Run(c.Context, env, doctor.Options{Only: only, Fix: fix, Facts: save != "" || compare != "", Deep: c.Bool("deep"), TargetGlibc: target})
	if compare != "" {
		r.Drift = doctor.Compare(base, r)
		r.Checks = append(r.Checks, doctor.DriftResult(r.Drift, compare, base.SavedAt))
	}
	if err := writeReport(e, r, format, c.String("output"), fix); err != nil {
		return err
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

// The report's formats (--format).
const (
	formatText       = "text"
	formatJSON       = "json"
	formatPrometheus = "prometheus"
)

// reportFormat is --format, with --json as its old spelling.
func reportFormat(c *cli.Context) (string, error) {
	format := c.String("format")
	switch {
	case c.Bool("json") && c.IsSet("format") && format != formatJSON:
		return "", usageErrorf("--json is --format json: it cannot go with --format %s", format)
	case c.Bool("json"):
		return formatJSON, nil
	case format == formatText || format == formatJSON || format == formatPrometheus:
		return format, nil
	}
	return "", usageErrorf("no report format %q (formats: text, json, prometheus)", format)
}

// writeReport writes the report in format to stdout, or to output whole:
// a reader (node_exporter's textfile collector) sees the last report or
// this one, never part of one.
func writeReport(e *Env, r doctor.Report, format, output string, fixing bool) error {
	var b bytes.Buffer
	switch format {
	case formatJSON:
		if err := encodeJSON(&b, r); err != nil {
			return err
		}
	case formatPrometheus:
		if err := doctor.WritePrometheus(&b, r); err != nil {
			return err
		}
	default:
		doctor.WriteText(&b, r, fixing)
	}
	if output == "" {
		_, err := e.Stdout.Write(b.Bytes())
		return err
	}
	if err := atomicfile.Write(output, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write the report to %s: %w", output, err)
	}
	if format == formatPrometheus && !strings.HasSuffix(output, ".prom") {
		fmt.Fprintf(e.Stderr, "note: node_exporter's textfile collector reads only files whose names end in .prom, not %s\n", filepath.Base(output))
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
		// Every record is proven again by the checksum database, whatever
		// its source says.
		Vouch: func(ctx context.Context, rec *installer.Record) (verify.Proof, error) {
			p, err := e.proxySource()
			if err != nil {
				return verify.Proof{}, err
			}
			return p.Vouch(ctx, rec)
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
