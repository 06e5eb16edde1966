package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/mirror"
)

func mirrorCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "mirror",
		Usage: "build a verified mirror of Go toolchains for an organisation",
		Description: "'gover mirror sync DIR' fills DIR with the official archives (and index.json), the\n" +
			"golang.org/toolchain module proxy layout and the checksum database's answers for it,\n" +
			"every file proven as 'gover install' proves it. Serve DIR with any static web server,\n" +
			"S3 or a file:// URL; clients use 'gover install --mirror URL', GOPROXY=URL, or\n" +
			"GOTOOLCHAIN with GOPROXY=URL. See docs/mirror.md.",
		HideHelpCommand: true,
		Subcommands:     []*cli.Command{mirrorSyncCommand(e), mirrorSignCommand(e)},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageErrorf("unknown command 'gover mirror %s' (use sync or sign)", c.Args().First())
			}
			return cli.ShowSubcommandHelp(c)
		},
	}
}

func signingFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "key", Usage: "the organisation's OpenPGP secret key file (armored or binary, e.g. from 'gpg --export-secret-keys --armor')"},
		&cli.StringFlag{Name: "passphrase-file", EnvVars: []string{"GOVER_SIGNING_PASSPHRASE_FILE"}, Usage: "file holding the key's passphrase, if it has one"},
	}
}

func mirrorSyncCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "sync",
		Usage:     "fetch, prove and publish toolchains into a mirror folder",
		ArgsUsage: "DIR",
		Description: "Fetches what DIR lacks of the selected versions, platforms and formats, proves every\n" +
			"file, and publishes it by rename, the index.json and @v/list last. Run it again to\n" +
			"update; an interrupted sync resumes.\n\n" +
			"--versions takes version words (1.22.5, 1.22, latest, 1.23rc1) and ranges (>=1.21,\n" +
			"\">=1.21 <1.23\"; ranges take every stable release in them), separated by commas.\n" +
			"Archives come from the official site (GOVER_INDEX_URL, GOVER_DOWNLOAD_URL, or --mirror);\n" +
			"modules and checksum database answers from GOPROXY and GOSUMDB.",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "versions", Value: "latest", Usage: "versions and ranges to hold, comma-separated"},
			&cli.StringFlag{Name: "platforms", Usage: "GOOS/GOARCH pairs, comma-separated (default: this machine's)"},
			&cli.StringFlag{Name: "formats", Value: "archive,module", Usage: "archive (official layout), module (GOPROXY layout), or both"},
			&cli.BoolFlag{Name: "prune", Usage: "remove what the mirror holds that is no longer selected"},
			&cli.BoolFlag{Name: "sumdb-answers", Value: true, Usage: "publish the checksum database's answers for the module zips, for clients that cannot reach it (--sumdb-answers=false where they can: see docs/mirror.md)"},
			&cli.BoolFlag{Name: "dry-run", Usage: "print the plan and change nothing"},
			&cli.StringFlag{Name: "mirror", Usage: "fetch archives from these mirrors instead of the official download host (digests and signatures are still checked)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
		}, signingFlags()...),
		Action: func(c *cli.Context) error {
			return runMirrorSync(c, e)
		},
	}
}

func mirrorSignCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "sign",
		Usage:     "add the organisation's signature beside each archive of a mirror",
		ArgsUsage: "DIR",
		Description: "Writes <archive>.org.asc beside each archive's official .asc, after proving the archive\n" +
			"again against its official signature and digest. Clients that put the organisation's\n" +
			"public key in GOVER_KEYRING accept it; the official signature stays as published.",
		Flags: append(signingFlags(),
			&cli.BoolFlag{Name: "force", Usage: "sign again archives this key has signed already"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
		),
		Action: func(c *cli.Context) error {
			dir, err := mirrorDir(c)
			if err != nil {
				return err
			}
			if c.String("key") == "" {
				return usageErrorf("gover mirror sign needs --key FILE, the organisation's secret key")
			}
			signer, err := readSigner(c)
			if err != nil {
				return err
			}
			rep, err := mirror.Sign(c.Context, dir, signer, mirror.SignOptions{
				Official: e.signatures(),
				Force:    c.Bool("force"),
				Say:      e.say(c.Bool("quiet")),
				Now:      e.Now,
			})
			if err != nil {
				return err
			}
			if !c.Bool("quiet") {
				fmt.Fprintf(e.Stderr, "mirror %s: signed %d archive(s) with %s (%s), %d signed already\n",
					dir, rep.Signed, signer.Fingerprint, signer.Name, rep.Already)
			}
			return nil
		},
	}
}

func mirrorDir(c *cli.Context) (string, error) {
	if c.NArg() != 1 {
		return "", usageErrorf("want one folder, the mirror (see 'gover mirror %s --help')", c.Command.Name)
	}
	return filepath.Abs(c.Args().First())
}

func readSigner(c *cli.Context) (*mirror.Signer, error) {
	keyFile := c.String("key")
	if keyFile == "" {
		return nil, nil
	}
	key, err := os.ReadFile(keyFile)
	if err != nil {
		return nil, fmt.Errorf("read signing key: %w", err)
	}
	var pass []byte
	if f := c.String("passphrase-file"); f != "" {
		if pass, err = os.ReadFile(f); err != nil {
			return nil, fmt.Errorf("read passphrase: %w", err)
		}
		pass = []byte(trimNewline(string(pass)))
	}
	return mirror.ReadSigner(key, pass)
}

func trimNewline(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}

func runMirrorSync(c *cli.Context, e *Env) error {
	dir, err := mirrorDir(c)
	if err != nil {
		return err
	}
	opts, err := mirrorSyncOptions(c, e)
	if err != nil {
		return err
	}
	quiet := c.Bool("quiet")
	s, err := e.syncer(c, dir, opts.Formats, quiet)
	if err != nil {
		return err
	}
	plan, err := s.Plan(c.Context, opts)
	if err != nil {
		return err
	}
	say := e.say(quiet)
	if say == nil {
		say = func(string, ...any) {}
	}
	for _, m := range plan.Missed {
		say("no release matches %s; skipped", m)
	}
	if c.Bool("dry-run") {
		return printMirrorPlan(e, dir, plan, opts.Formats, say)
	}
	if plan.Wanted == 0 && len(plan.Skipped) == 0 {
		return fmt.Errorf("--versions %s matches no release on %s: %w (see 'gover list-remote --all')", opts.Versions, mirror.PlatformList(opts.Platforms), installer.ErrNotFound)
	}
	say("mirror %s: %s", dir, plan.Summary())
	bar := e.mirrorBar(quiet, plan)
	if bar != nil {
		s.Progress = bar.item
		s.Say = bar.say
	}
	rep, err := s.Apply(c.Context, plan)
	if bar != nil {
		bar.finish()
	}
	return reportMirrorSync(e, dir, rep, err, quiet)
}

// mirrorSyncOptions reads what 'gover mirror sync' was asked to hold.
func mirrorSyncOptions(c *cli.Context, e *Env) (mirror.Options, error) {
	sel, err := mirror.ParseVersions(c.String("versions"))
	if err != nil {
		return mirror.Options{}, usageErrorf("%w", err)
	}
	platforms := []installer.Platform{e.Host()}
	if v := c.String("platforms"); v != "" {
		if platforms, err = mirror.ParsePlatforms(v); err != nil {
			return mirror.Options{}, usageErrorf("%w", err)
		}
	}
	for _, p := range platforms {
		if !validPlatform(p) {
			return mirror.Options{}, usageErrorf("--platforms: %s is not a Go platform (e.g. linux/amd64, darwin/arm64, windows/amd64, linux/arm)", p)
		}
	}
	formats, err := mirror.ParseFormats(c.String("formats"))
	if err != nil {
		return mirror.Options{}, usageErrorf("%w", err)
	}
	return mirror.Options{Versions: sel, Platforms: platforms, Formats: formats, Prune: c.Bool("prune"), NoSumDBAnswers: !c.Bool("sumdb-answers")}, nil
}

// syncer is the Syncer for dir, with its sources: archives from the
// official site (or --mirror's copies of it), modules from GOPROXY.
func (e *Env) syncer(c *cli.Context, dir string, formats []mirror.Format, quiet bool) (*mirror.Syncer, error) {
	signer, err := readSigner(c)
	if err != nil {
		return nil, err
	}
	s := &mirror.Syncer{
		Dir:          dir,
		Fetch:        e.Fetch(),
		Installer:    e.installer(true),
		Signer:       signer,
		Say:          e.say(quiet),
		Now:          e.Now,
		GoverVersion: e.Version,
	}
	// A usage mistake in --mirror is reported even when only modules are synced.
	bases, indexes, err := parseMirrors(c.String("mirror"))
	if err != nil {
		return nil, err
	}
	s.Official = e.official(bases, indexes)
	if s.Proxy, err = e.proxySource(); err != nil {
		if slices.Contains(formats, mirror.Module) {
			return nil, err
		}
		s.Proxy = nil
	}
	return s, nil
}

// printMirrorPlan is --dry-run: what a sync would fetch and prune, on
// stdout.
func printMirrorPlan(e *Env, dir string, plan *mirror.Plan, formats []mirror.Format, say func(string, ...any)) error {
	for _, it := range plan.Fetch {
		fmt.Fprintf(e.Stdout, "fetch %s\n", it)
	}
	for _, it := range plan.Drop {
		fmt.Fprintf(e.Stdout, "prune %s\n", it)
	}
	for _, f := range formats {
		if err := plan.Skipped[f]; err != nil {
			return err
		}
	}
	say("mirror %s: %s (dry run: nothing changed)", dir, plan.Summary())
	return nil
}

// reportMirrorSync says what a sync did and, when it left out part of what
// was asked, what the mirror holds and lacks (even with --quiet: that is
// what a script most needs to hear about).
func reportMirrorSync(e *Env, dir string, rep *mirror.Report, err error, quiet bool) error {
	if rep == nil {
		return err
	}
	if !quiet {
		fmt.Fprintf(e.Stderr, "mirror %s: fetched %d (%s), kept %d, pruned %d\n", dir, rep.Fetched, mirror.HumanBytes(rep.Bytes), rep.Kept, rep.Dropped)
	}
	if len(rep.Missing) == 0 {
		return err
	}
	for _, line := range rep.Incomplete(dir) {
		fmt.Fprintln(e.Stderr, line)
	}
	return fmt.Errorf("mirror %s is incomplete (%d of %d asked for missing): %w", dir, len(rep.Missing), len(rep.Missing)+len(rep.Held), err)
}

// syncBar is one progress bar over a whole sync: its total is the sizes
// the plan knows (archives), grown by module zips' sizes as each starts.
type syncBar struct {
	e    *Env
	bar  *progressbar.ProgressBar
	max  int64
	base int64 // bytes of the downloads already finished
	cur  int64 // bytes of the current one
}

// mirrorBar is the sync's bar, on a terminal only.
func (e *Env) mirrorBar(quiet bool, plan *mirror.Plan) *syncBar {
	if quiet || !e.StderrTTY || e.inCI() || e.Getenv("NO_PROGRESS") != "" || len(plan.Fetch) == 0 {
		return nil
	}
	b := &syncBar{e: e, max: max(plan.Bytes, 1)}
	b.bar = progressbar.NewOptions64(b.max,
		progressbar.OptionSetWriter(e.Stderr),
		progressbar.OptionSetDescription(fmt.Sprintf("syncing %d file(s)", len(plan.Fetch))),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionEnableColorCodes(e.Getenv("NO_COLOR") == ""),
	)
	return b
}

func (b *syncBar) item(it mirror.Item) func(done, total int64) {
	b.base += b.cur
	b.cur = 0
	counted := it.Size > 0
	return func(done, total int64) {
		if !counted && total > 0 {
			counted = true
			b.max += total
			b.bar.ChangeMax64(b.max)
		}
		b.cur = done
		b.bar.Set64(b.base + b.cur)
	}
}

func (b *syncBar) say(format string, args ...any) {
	b.bar.Clear()
	fmt.Fprintf(b.e.Stderr, format+"\n", args...)
}

func (b *syncBar) finish() {
	b.bar.Finish()
}
