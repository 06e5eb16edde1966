package cli

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/internal/fspath"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/shims/knownpins"
	"github.com/goverdev/gover/shims/selection"
	"github.com/goverdev/gover/shims/toolenv"
)

func currentCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "current",
		Usage: "print the active version and where it came from",
		Description: "Prints e.g. 'go1.22.5 (set by /home/u/proj/.go-version)'. A selected version that is\n" +
			"not installed is printed too, and the exit code is 4. With --json the shape is\n" +
			`{"version","origin","installed","goroot"} and the exit code is 0 whenever the pin is valid.`,
		Flags: []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
		Action: func(c *cli.Context) error {
			return runCurrent(e, c.Bool("json"))
		},
	}
}

// currentJSON is 'gover current --json' (SPEC.md, "JSON shapes").
type currentJSON struct {
	Version   string `json:"version"`
	Origin    string `json:"origin"`
	Installed bool   `json:"installed"`
	GOROOT    string `json:"goroot"`
	// Requested is the pin as written ("go1.22.x" for a 1.22 pin).
	Requested string `json:"requested,omitempty"`
	// Path is the go that runs: the toolchain's, or the one on PATH.
	Path string `json:"path,omitempty"`
	// Notes are what 'gover current' prints below its line: a custom
	// toolchain name run as its release, a version older than the go line.
	Notes []string `json:"notes,omitempty"`
}

func runCurrent(e *Env, asJSON bool) error {
	a, err := e.active("")
	if err != nil {
		return err
	}
	out := currentJSON{Origin: a.sel.Origin, Requested: a.sel.Requested()}
	switch {
	case a.system():
		out.Version, out.Requested = "system", ""
		if p, err := e.systemProgram("go"); err == nil {
			out.Path, out.Installed = p, true
			if real, err := filepath.EvalSymlinks(p); err == nil {
				out.GOROOT = filepath.Dir(filepath.Dir(real))
			}
		}
	case a.version != "":
		out.Version, out.Installed, out.GOROOT = a.version, true, a.goroot
		out.Path = filepath.Join(a.goroot, "bin", "go"+toolenv.ExeSuffix)
	default:
		out.Version = a.sel.Requested()
	}
	if out.Requested == out.Version {
		out.Requested = ""
	}
	out.Notes = e.notes(a)
	if asJSON {
		return writeJSON(e, out)
	}
	fmt.Fprintln(e.Stdout, a.describe())
	for _, n := range out.Notes {
		fmt.Fprintln(e.Stdout, "note: "+n)
	}
	return a.missing
}

// notes are what is worth knowing about the active version beyond its
// line: a custom toolchain name gover runs as its release, and a version
// older than the go line of the go.mod or go.work here (every build fails;
// doctor's go-line check fails too).
func (e *Env) notes(a activeToolchain) []string {
	var out []string
	if a.sel.Note != "" {
		out = append(out, a.sel.Note)
	}
	if below := e.belowGoLine(a); below != nil {
		out = append(out, below.Error()+" ("+below.Fix()+")")
	}
	if n := e.goAheadOfShims(a); n != "" {
		out = append(out, n)
	}
	return out
}

// goAheadOfShims says so when the first go on PATH is neither gover's
// shim nor the selected toolchain's own (the shell hook's): then typing go
// here does not run what gover selected. "" when it is, or when nothing
// installed is selected (the shims would run the next go anyway).
func (e *Env) goAheadOfShims(a activeToolchain) string {
	if a.system() || a.version == "" {
		return ""
	}
	pathList := e.Getenv(toolenv.PathKey)
	first, err := toolenv.LookPathIn("go", pathList)
	if err != nil {
		return ""
	}
	shims := e.Layout().Shims
	dir := filepath.Dir(first)
	if fspath.Same(dir, shims) || fspath.Same(dir, filepath.Join(a.goroot, "bin")) {
		return ""
	}
	where := first + " comes before gover's shims on PATH"
	if !slices.ContainsFunc(filepath.SplitList(pathList), func(d string) bool { return d != "" && fspath.Same(d, shims) }) {
		where = "gover's shims are not on PATH"
	}
	return where + ": go here runs " + first + ", not " + a.version + " ('gover doctor path-shadowing' says more)"
}

// belowGoLine checks the active version against the go line here; nil
// when it satisfies it, or gover cannot tell which version runs.
func (e *Env) belowGoLine(a activeToolchain) *selection.BelowGoLine {
	version := a.version
	if version == "" && a.sel.Word.Kind == goversion.Exact {
		version = a.sel.Word.Version // not installed: what would run
	}
	if version == "" || a.system() {
		return nil
	}
	m := a.sel.Module
	if m == nil {
		wd, err := e.Getwd()
		if err != nil {
			return nil
		}
		if m, err = selection.FindModule(wd, selection.ForLayout(e.Layout(), e.Getenv)); err != nil {
			return nil
		}
	}
	return selection.CheckGoLine(m, version, a.sel)
}

// An activeToolchain is what selects a version here and what that
// resolves to.
type activeToolchain struct {
	sel selection.Selection
	// version and goroot are the installed toolchain; empty when none is
	// selected, or the selected one is not installed (then missing says so).
	version, goroot string
	missing         error
}

func (a activeToolchain) system() bool { return !a.sel.Found() || a.sel.System }

// describe is the line 'gover current' prints.
func (a activeToolchain) describe() string {
	switch {
	case !a.sel.Found():
		return "system (nothing selects a version here; go runs from PATH)"
	case a.sel.System:
		return "system (" + a.sel.Describe() + ")"
	case a.version == "":
		return a.sel.Requested() + " (" + a.sel.Describe() + ", not installed)"
	case a.version != a.sel.Requested():
		return a.version + " (" + a.sel.Requested() + " " + a.sel.Describe() + ")"
	}
	return a.version + " (" + a.sel.Describe() + ")"
}

// active resolves the version selected here, or the one --version names
// (word). A pin file that selected it is recorded for 'gover prune'.
func (e *Env) active(word string) (activeToolchain, error) {
	var sel selection.Selection
	if word != "" {
		if word == "system" {
			sel = selection.Selection{Kind: selection.Env, System: true, Origin: "--version"}
		} else {
			w, err := goversion.Parse(word)
			if err != nil {
				return activeToolchain{}, usageErrorf("%w", err)
			}
			sel = selection.Selection{Kind: selection.Env, Word: w, Origin: "--version"}
		}
	} else {
		s, _, err := e.Selection()
		if err != nil {
			return activeToolchain{}, err
		}
		sel = s
		e.notePin(sel)
	}
	a := activeToolchain{sel: sel}
	if a.system() {
		return a, nil
	}
	l := e.Layout()
	v, err := selection.ResolveIn(sel, l)
	if err != nil {
		a.missing = err
		return a, nil
	}
	a.version, a.goroot = v, l.Toolchain(v)
	return a, nil
}

// notePin records the file behind a selection in the known pins. It is
// best effort: a read-only data folder must not break 'gover current'.
func (e *Env) notePin(sel selection.Selection) {
	switch sel.Kind {
	case selection.GoVersion, selection.ToolVersions, selection.GoWork, selection.GoMod:
		knownpins.Add(knownpins.File(e.Layout()), sel.Origin)
	}
}

// systemProgram finds prog on PATH outside the shims folder: what a shim
// runs when nothing selects a version (toolenv.SystemProgram, as the shim
// asks it).
func (e *Env) systemProgram(prog string) (string, error) {
	shimExe, _ := e.ShimExe()
	if p, ok := toolenv.SystemProgram(prog, e.Getenv(toolenv.PathKey), e.Layout().Shims, shimExe); ok {
		return p, nil
	}
	return "", fmt.Errorf("no %s on PATH outside gover's shims (pin a version with 'gover use 1.22.5')", prog)
}

// trimGo spells a version the way pins are written: "1.22.5".
func trimGo(v string) string { return strings.TrimPrefix(v, "go") }
