package selection

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/goverdev/gover/internal/goversion"
)

// A Module is what a go.work or go.mod says about toolchains.
type Module struct {
	Kind Kind   // GoWork or GoMod
	File string // the go.work or go.mod
	// Go is the go line, a minimum (goversion.AtLeast); its Version is
	// empty when there is no go line, or one the go command cannot read
	// either (it then ignores the line when choosing, as here).
	Go     goversion.Word
	GoLine int
	// Toolchain is the toolchain line as written: "go1.22.5",
	// "go1.22.5-bigcorp", "default"; empty when there is none.
	Toolchain     string
	ToolchainLine int
}

var errGOWORKRelative = errors.New("not an absolute path")

// FindModule returns the go.work or go.mod that applies in dir, as the go
// command finds it: in workspace mode (the nearest go.work, or the one
// GOWORK names) only go.work counts. It returns nil when there is none, or
// GOVER_GOMOD=off turns go.mod and go.work reading off.
func FindModule(dir string, opt Options) (*Module, error) {
	switch v := opt.Getenv("GOVER_GOMOD"); v {
	case "", "auto", "go":
	case "off":
		return nil, nil
	default:
		return nil, &PinError{File: "GOVER_GOMOD", Content: v, Err: errors.New("not a setting gover knows"),
			Fix: "unset GOVER_GOMOD to read go.mod and go.work as the go command does, or set it to off"}
	}
	switch gowork := opt.Getenv("GOWORK"); gowork {
	case "off":
	case "", "auto":
		if file, data, err := nearestFile(opt, dir, "go.work"); file != "" || err != nil {
			if err != nil {
				return nil, err
			}
			return parseModFile(GoWork, file, data)
		}
	default:
		if !filepath.IsAbs(gowork) {
			return nil, &PinError{File: "GOWORK", Content: gowork, Err: errGOWORKRelative,
				Fix: "set GOWORK to an absolute path, or to off"}
		}
		data, err := opt.read(gowork)
		if err == nil {
			return parseModFile(GoWork, gowork, data)
		}
		// A GOWORK file that does not exist yet ('go work init') does
		// not count: the go command then reads go.mod.
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, &PinError{File: gowork, Err: err, Fix: "set GOWORK to a readable go.work file, or to off"}
		}
	}
	file, data, err := nearestFile(opt, dir, "go.mod")
	if file == "" || err != nil {
		return nil, err
	}
	return parseModFile(GoMod, file, data)
}

// parseModFile reads the go and toolchain lines of a go.mod or go.work as
// the go command reads them to choose a toolchain (gover.GoModLookup): the
// first line starting with the directive and a blank, its value the rest
// of the line. It reads nothing else, so it needs no full parser (and
// keeps the shim small). A go line the go command cannot read either is
// ignored, as the go command ignores it when choosing (its own error then
// says what is wrong); a toolchain it rejects is an error here too.
func parseModFile(kind Kind, file string, data []byte) (*Module, error) {
	m := &Module{Kind: kind, File: file}
	inBlock := false
	for i, raw := range strings.Split(string(data), "\n") {
		l := raw
		if c := strings.Index(l, "//"); c >= 0 {
			l = l[:c]
		}
		l = strings.TrimSpace(l)
		// Lines inside a block ("require (" to ")") are module paths and
		// tool names, never directives, even one named toolchain or go.
		if inBlock {
			inBlock = !strings.HasPrefix(l, ")")
			continue
		}
		if strings.HasSuffix(l, "(") {
			inBlock = true
			continue
		}
		// The go command's lexer separates words by space, tab and
		// carriage return alike ("toolchain\rgo1.22.5" is a toolchain line).
		key, value, ok := l, "", false
		if sp := strings.IndexAny(l, " \t\r"); sp >= 0 {
			key, value, ok = l[:sp], strings.TrimSpace(l[sp+1:]), true
		}
		switch {
		case !ok:
		case key == "go" && m.GoLine == 0:
			m.GoLine = i + 1
			if w, err := goversion.MinimumOf(value); err == nil {
				m.Go = w
			}
		case key == "toolchain" && m.ToolchainLine == 0:
			m.Toolchain, m.ToolchainLine = value, i+1
			if value != "default" && toolchainVersion(value) == "" {
				return nil, m.toolchainError("not a toolchain name the go command accepts", "go1.22.5")
			}
		}
	}
	return m, nil
}

// toolchainError reports a toolchain line gover cannot run; example is a
// release to write instead. Its fix works in a folder where the shim
// refuses every go call: edit the line. ('go mod tidy' cannot: the shim
// refuses it, and for most such lines the go command cannot read the file
// either; GOVER_VERSION=… go mod tidy runs, but leaves the line.)
func (m *Module) toolchainError(why, example string) error {
	fix := "edit line " + itoa(m.ToolchainLine) + " of " + filepath.Base(m.File) +
		": write a release such as 'toolchain " + example + "', or delete the line"
	return redactLinked(m.File, &PinError{File: m.File, Line: m.ToolchainLine, Content: m.Toolchain, Err: errors.New(why), Fix: fix})
}

// toolchainVersion is the Go release a toolchain name stands for, as the
// go command reads it (gover.FromToolchain): "go1.22.5" for "go1.22.5" and
// for "go1.22.5-bigcorp"; "" for a name it rejects ("1.22.5", "banana", a
// name with a path separator).
func toolchainVersion(name string) string {
	if strings.ContainsAny(name, `\/`) {
		return ""
	}
	v, ok := strings.CutPrefix(name, "go")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(v, " \t-"); i >= 0 {
		v = v[:i]
	}
	if !goversion.IsValid("go" + v) {
		return ""
	}
	return "go" + v
}

// decide chooses between the module's lines and the global version as
// cmd/go chooses with GOTOOLCHAIN=auto (toolchain.Select), the global
// version standing in for its local toolchain: the toolchain line when it
// is newer than the global version; the go line when it is newer than
// both; else the global version. "toolchain default" means the global
// version, whatever the go line says. The go line is a minimum: any
// installed release at or above it satisfies it (goversion.AtLeast).
func (m *Module) decide(global Selection, opt Options) (Selection, error) {
	global.Module = m
	if m.Toolchain == "default" {
		return global, nil
	}
	type choice int
	const (
		useGlobal choice = iota
		useToolchain
		useGoLine
	)
	chosen, cur := useGlobal, localVersion(global, opt)
	if m.Toolchain != "" {
		if tv := toolchainVersion(m.Toolchain); goversion.Compare(tv, cur) > 0 {
			chosen, cur = useToolchain, tv
		}
	}
	if m.Go.Version != "" && goversion.Compare(m.Go.Version, cur) > 0 {
		chosen = useGoLine
	}
	switch chosen {
	case useToolchain:
		return m.toolchainSelection()
	case useGoLine:
		return Selection{Kind: m.Kind, Word: m.Go, Origin: m.File, Module: m}, nil
	}
	return global, nil
}

// toolchainSelection selects the release the toolchain line names. A
// custom build ("go1.22.5-bigcorp") is not something gover can install:
// the release it is built from runs, and the selection says so.
func (m *Module) toolchainSelection() (Selection, error) {
	tv := toolchainVersion(m.Toolchain)
	w, err := goversion.Parse(tv)
	switch {
	case err != nil:
		return Selection{}, m.toolchainError("not a Go release", "go1.22.5")
	case w.Kind == goversion.Line && goversion.Compare(tv, "go1.21") < 0:
		// Before Go 1.21 a line's first release was named like the line.
		w = goversion.Word{Kind: goversion.Exact, Version: tv}
	case w.Kind != goversion.Exact:
		return Selection{}, m.toolchainError("a language version, not a release (its releases are "+tv+".0, "+tv+".1, …)", tv+".0")
	}
	s := Selection{Kind: m.Kind, Word: w, Origin: m.File, Module: m}
	if m.Toolchain != tv {
		s.Note = m.File + " asks for toolchain " + m.Toolchain + ", a custom build gover cannot install; " + tv + " runs instead"
	}
	return s, nil
}

// localVersion is the release the global version stands for, or "" when
// there is none (one not installed, or a go on PATH of no known release).
// With no global version, or "system", it is the go on PATH that then runs.
func localVersion(global Selection, opt Options) string {
	switch {
	case !global.Found() || global.System:
		if opt.SystemVersion != nil {
			if v := opt.SystemVersion(); goversion.IsValid(v) {
				return v
			}
		}
		return ""
	case global.Word.Kind == goversion.Exact && len(global.Fallbacks) == 0:
		return global.Word.Version
	case opt.Layout.Versions == "":
		return ""
	}
	v, err := Resolve(global, Installed(opt.Layout))
	if err != nil {
		return ""
	}
	return v
}
