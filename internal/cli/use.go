package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/internal/fspath"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/shims/knownpins"
	"github.com/goverdev/gover/shims/selection"
	"github.com/goverdev/gover/shims/shell"
	"github.com/goverdev/gover/shims/toolenv"
)

func useCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "use",
		Usage:     "pin a version here (.go-version) or globally",
		ArgsUsage: "[VERSION]",
		Description: "Writes VERSION to .go-version in this folder (or, with --global, to the global\n" +
			"version file), installing it first unless --no-install. 1.22.5 pins that release;\n" +
			"1.22 pins the newest installed 1.22.x; latest pins the newest stable release by\n" +
			"its number; system pins the go on PATH outside gover's shims.\n\n" +
			"With no VERSION, prints the pin in force here and where it is set (with --global,\n" +
			"the global one). --unset removes this folder's .go-version (with --global, the\n" +
			"global version file) and says what applies instead.",
		Flags: append(sourceFlags(),
			&cli.BoolFlag{Name: "global", Aliases: []string{"g"}, Usage: "write the global version file instead of .go-version"},
			&cli.BoolFlag{Name: "no-install", Usage: "write the pin without installing the version"},
			&cli.BoolFlag{Name: "unset", Usage: "remove this folder's pin (with --global, the global one)"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing but errors"},
		),
		Action: func(c *cli.Context) error { return runUse(c, e) },
	}
}

func runUse(c *cli.Context, e *Env) error {
	global, quiet := c.Bool("global"), c.Bool("quiet")
	switch {
	case c.Bool("unset") && c.NArg() > 0:
		return usageErrorf("--unset removes the pin: name no version (see 'gover use --help')")
	case c.Bool("unset"):
		return e.unsetPin(global, quiet)
	case c.NArg() == 0:
		return e.printPin(global)
	case c.NArg() > 1:
		return usageErrorf("name one version, e.g. 'gover use 1.22.5' (or 1.22, latest, system)")
	}
	file, err := e.pinFile(global)
	if err != nil {
		return err
	}
	pin, version, err := e.pinWord(c, c.Args().First(), c.Bool("no-install"), quiet)
	if err != nil {
		return err
	}
	l := e.Layout()
	if err := atomicfile.Write(file, []byte(pin+"\n"), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	if !global {
		knownpins.Add(knownpins.File(l), file)
	}
	if quiet {
		return nil
	}
	what := pin
	if version != "" && trimGo(version) != pin {
		what = pin + " (" + version + " now)"
	}
	fmt.Fprintf(e.Stderr, "pinned %s in %s\n", what, file)
	// Say when something nearer wins, or the pin would be a surprise later.
	if sel, _, err := e.Selection(); err == nil && sel.Origin != file {
		switch sel.Kind {
		case selection.Env:
			fmt.Fprintf(e.Stderr, "note: GOVER_VERSION=%s overrides it in this shell (run 'gover shell --unset')\n", e.Getenv("GOVER_VERSION"))
		case selection.None:
		default:
			fmt.Fprintf(e.Stderr, "note: %s %s here\n", sel.Origin, "selects "+sel.Requested())
		}
	}
	if version == "" && pin != "system" {
		fmt.Fprintf(e.Stderr, "note: %s is not installed (run 'gover install %s')\n", pin, pin)
	}
	e.noteShimsOffPath()
	return nil
}

// pinFile is the file 'gover use' writes: .go-version in this folder,
// or the global version file.
func (e *Env) pinFile(global bool) (string, error) {
	if global {
		return e.Layout().GlobalFile, nil
	}
	wd, err := e.Getwd()
	if err != nil {
		return "", fmt.Errorf("find current folder: %w", err)
	}
	return filepath.Join(wd, ".go-version"), nil
}

// printPin prints the pin in force here (or the global one) and where it
// is set: 'gover use' with no version.
func (e *Env) printPin(global bool) error {
	var sel selection.Selection
	if global {
		l := e.Layout()
		s, err := selection.FromFile(l.GlobalFile, selection.ForLayout(l, e.Getenv))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			fmt.Fprintln(e.Stdout, "none (no global version; set one with 'gover use --global 1.22.5')")
			return nil
		case err != nil:
			return err
		}
		s.Kind = selection.Global
		sel = s
	} else {
		s, _, err := e.Selection()
		if err != nil {
			return err
		}
		sel = s
	}
	fmt.Fprintln(e.Stdout, describePin(sel))
	return nil
}

// describePin is "go1.22.5 (set by /p/.go-version)", or "none (…)" when
// nothing selects a version.
func describePin(sel selection.Selection) string {
	if !sel.Found() {
		return "none (nothing selects a version here; go runs from PATH)"
	}
	return sel.Requested() + " (" + sel.Describe() + ")"
}

// unsetPin removes the pin 'gover use' writes here (or the global one) and
// says what selects the version now.
func (e *Env) unsetPin(global, quiet bool) error {
	file, err := e.pinFile(global)
	if err != nil {
		return err
	}
	err = os.Remove(file)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", file, err)
	}
	if quiet {
		return nil
	}
	removed := err == nil
	sel, _, selErr := e.Selection()
	switch {
	case removed && selErr != nil:
		fmt.Fprintf(e.Stderr, "removed %s\n", file)
	case removed && !sel.Found():
		fmt.Fprintf(e.Stderr, "removed %s; nothing selects a version here now (go runs from PATH)\n", file)
	case removed:
		fmt.Fprintf(e.Stderr, "removed %s; %s now applies here (%s)\n", file, sel.Requested(), sel.Describe())
	case global:
		fmt.Fprintln(e.Stderr, "no global version to remove")
	case selErr == nil && sel.Found():
		fmt.Fprintf(e.Stderr, "no .go-version in %s to remove; %s is %s\n", filepath.Dir(file), sel.Requested(), sel.Describe())
	default:
		fmt.Fprintf(e.Stderr, "no .go-version in %s to remove\n", filepath.Dir(file))
	}
	return nil
}

// noteShimsOffPath says when the shims folder is not on PATH: the pin is
// written, but the go that runs does not follow it. The shell hook
// (gover init --hook) puts toolchains on PATH itself and needs no shims.
func (e *Env) noteShimsOffPath() {
	shims := e.Layout().Shims
	if e.Getenv(shell.StateVar) != "" {
		return
	}
	for _, dir := range filepath.SplitList(e.Getenv(toolenv.PathKey)) {
		if fspath.Same(dir, shims) {
			return
		}
	}
	fmt.Fprintf(e.Stderr, "note: gover's shims (%s) are not on PATH, so go does not follow pins (run 'gover setup' once, then open a new shell)\n", shims)
}

// pinWord turns what the user typed into the word to write in a pin, and
// installs it unless noInstall: "1.22.5", "1.22" and ranges ("^1.21") are
// written as given, "latest" and "oldstable" as the release they name
// today, "system" as is. version is the
// installed toolchain the pin selects now ("" when none does).
func (e *Env) pinWord(c *cli.Context, arg string, noInstall, quiet bool) (pin, version string, err error) {
	if arg == "system" {
		return "system", "", nil
	}
	w, err := goversion.Parse(arg)
	if err != nil {
		return "", "", usageErrorf("%w", err)
	}
	l := e.Layout()
	sel := selection.Selection{Kind: selection.Env, Word: w, Origin: arg}
	installed, _ := selection.ResolveIn(sel, l)
	// latest and oldstable move with each release: they are pinned as the
	// release they name today, which only the sources know.
	byNumber := w.Kind == goversion.Latest || w.Kind == goversion.OldStable
	switch {
	case noInstall && byNumber && installed == "":
		return "", "", sel.NotInstalled()
	case noInstall || installed != "" && !byNumber:
		version = installed
	default:
		if version, err = e.install(c, w, quiet); err != nil {
			return "", "", err
		}
	}
	switch {
	case byNumber:
		return trimGo(version), version, nil
	case w.Kind == goversion.Range:
		return w.Range, version, nil
	}
	return trimGo(w.Version), version, nil
}

// install installs the release w names for this machine (saying so unless
// quiet) and returns its name; an installed one is used as it is.
func (e *Env) install(c *cli.Context, w goversion.Word, quiet bool) (string, error) {
	sources, err := e.sources(c.String("source"), c.String("mirror"))
	if err != nil {
		return "", err
	}
	host := e.Host()
	res, err := e.installer(quiet).Install(c.Context, installer.Request{Word: w, Platform: host, Host: true, Sources: sources})
	if err != nil {
		return "", err
	}
	if !quiet && !res.Already {
		fmt.Fprintln(e.Stderr, res)
	}
	if !res.Already {
		if err := e.reshim(quiet); err != nil {
			return "", err
		}
	}
	return res.Name, nil
}
