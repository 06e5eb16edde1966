package selection

import (
	"path/filepath"

	"github.com/goverdev/gover/internal/goversion"
)

// A BelowGoLine says that the release that runs in a folder is older than
// the go line of its go.work or go.mod: the go command refuses to build
// there ("go.mod requires go >= 1.23.0"). An explicit pin still wins (the
// user asked for it), so gover current and gover doctor say so instead.
type BelowGoLine struct {
	Version   string    // the release that runs
	Selection Selection // what selected it; the zero Selection for a go gover does not choose
	Module    *Module
}

// CheckGoLine returns what is wrong when version, which sel selected, is
// older than m's go line; nil when it is not (or m has no go line).
func CheckGoLine(m *Module, version string, sel Selection) *BelowGoLine {
	if m == nil || m.Go.Version == "" || version == "" || goversion.Compare(version, m.Go.Version) >= 0 {
		return nil
	}
	return &BelowGoLine{Version: version, Selection: sel, Module: m}
}

func (b *BelowGoLine) Error() string {
	what := b.Version + " runs here"
	if b.Selection.Found() {
		what += " (" + b.Selection.Describe() + ")"
	}
	return what + ", older than the go line of " + b.Module.File + " (go " + trimGo(b.Module.Go.Version) +
		"): the go command refuses to build here"
}

// Fix says how to run a release that satisfies the go line, or to let
// go.mod choose.
func (b *BelowGoLine) Fix() string {
	want := Selection{Word: b.Module.Go}.InstallWord()
	s := b.Selection
	switch {
	case b.Module.Toolchain == "default" && (s.Kind == Global || s.Kind == None):
		return "remove 'toolchain default' from " + b.Module.File + ", or run 'gover use --global " + want + "'"
	case s.Kind == Env:
		return "run 'gover shell " + want + "', or 'gover shell --unset' to let " + filepath.Base(b.Module.File) + " choose"
	case s.Kind == GoVersion:
		return "run 'gover use " + want + "' in " + filepath.Dir(s.Origin) + ", or remove " + s.Origin + " to let " + filepath.Base(b.Module.File) + " choose"
	case s.Kind == ToolVersions:
		return "write 'golang " + want + "' in " + s.Origin + ", or remove its golang line to let " + filepath.Base(b.Module.File) + " choose"
	}
	return "run 'gover use " + want + "' here, or put gover's shims ahead on PATH ('gover setup')"
}

func trimGo(v string) string { return v[len("go"):] }
