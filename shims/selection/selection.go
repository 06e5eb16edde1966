// Package selection decides which Go version is active in a folder
// (SPEC.md, "Which version is active") and which installed toolchain that
// request resolves to. It is pure apart from reading pin files and is shared
// by the shim, which runs it on every go call, and the CLI.
//
// The order, first match wins: GOVER_VERSION; the nearest .go-version; the
// nearest .tool-versions with a golang or go line; the nearest go.work, else
// go.mod, read as cmd/go reads them with GOTOOLCHAIN=auto and the global
// version as its local toolchain (module.go); the global version file; else
// nothing, and the caller falls back to the next go on PATH.
package selection

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/shims/toolenv"
)

// Kind says where a selection came from.
type Kind int

const (
	None         Kind = iota // nothing selects a version
	Env                      // GOVER_VERSION
	GoVersion                // a .go-version file
	ToolVersions             // a .tool-versions file
	GoWork                   // a go.work toolchain (or go) line
	GoMod                    // a go.mod toolchain (or go) line
	Global                   // the global version file
)

// A Selection is a requested version and what requested it.
type Selection struct {
	Kind Kind
	// Word is the requested version (unset when Kind is None or System is
	// true). A go.mod or go.work go line is a goversion.AtLeast word.
	Word goversion.Word
	// Fallbacks are further words, tried in order when Word names nothing
	// installed: asdf's "golang 1.21.0 1.22.5", goenv's multi-line
	// .go-version. The first installed one wins.
	Fallbacks []goversion.Word
	// ElseSystem means the fallbacks end with "system": when none is
	// installed, the go on PATH runs.
	ElseSystem bool
	// System means the pin says "system": run the go on PATH, not gover's.
	System bool
	// Origin is the file that chose the version, or "GOVER_VERSION".
	Origin string
	// Module is the go.work or go.mod whose lines were weighed, when they
	// were (a Global selection may carry it too: the global version won).
	Module *Module
	// Note says what runs instead of what a file asked for, when gover
	// cannot do as asked (a custom toolchain name): said once per go
	// command by the shim, and by gover current.
	Note string
}

// Found reports whether something selects a version (or "system").
func (s Selection) Found() bool { return s.Kind != None }

// Minimum reports whether the selection is a go line: a minimum, not a pin.
func (s Selection) Minimum() bool { return s.Word.Kind == goversion.AtLeast }

// Requested spells what was asked for, for messages.
func (s Selection) Requested() string {
	switch {
	case s.System:
		return "system"
	case s.Word.Kind == goversion.Exact:
		return s.Word.Version
	}
	return s.Word.String()
}

// Words is Word followed by the fallbacks.
func (s Selection) Words() []goversion.Word {
	return append([]goversion.Word{s.Word}, s.Fallbacks...)
}

// Options are what Find reads besides the folder tree.
type Options struct {
	// Getenv reads the environment (GOVER_VERSION, GOVER_GOMOD, GOWORK).
	Getenv func(string) string
	// GlobalFile is the global version file (paths.Layout.GlobalFile).
	GlobalFile string
	// Layout is gover's layout. Its versions folder is read only when
	// go.mod or go.work weighs their lines against a global version that
	// is not one exact release ("1.22"): to learn which release that is.
	// The zero Layout means such a global version weighs nothing.
	Layout paths.Layout
	// ReadFile reads a candidate pin file; nil means the default reader,
	// which on Unix reads with plain system calls (no poller set-up, no
	// allocation beyond the file's bytes: the shim runs this on every go
	// call). A missing file must be an error matching fs.ErrNotExist. The
	// shell hook wraps it to learn which files a selection depends on.
	ReadFile func(name string) ([]byte, error)
	// SystemVersion is the release of the go that runs when the global
	// version is "system" or there is none (the next go on PATH outside
	// the shims), or "" when it is unknown. go.mod's and go.work's lines
	// are weighed against it as cmd/go weighs them against its local
	// toolchain. Called only when they are; nil means unknown.
	SystemVersion func() string
}

// ForLayout is the Options for gover's layout l, reading the environment
// through getenv.
func ForLayout(l paths.Layout, getenv func(string) string) Options {
	return Options{Getenv: getenv, GlobalFile: l.GlobalFile, Layout: l, SystemVersion: func() string {
		return toolenv.SystemGoVersion(getenv(toolenv.PathKey), l.Shims)
	}}
}

func (o Options) read(name string) ([]byte, error) {
	if o.ReadFile != nil {
		return o.ReadFile(name)
	}
	return readFile(name)
}

// Find walks up from dir and returns the selection that applies there.
// A pin file that cannot be read or parsed is an error (a *PinError), never
// a silent fall-through to the next rule.
func Find(dir string, opt Options) (Selection, error) {
	if v := opt.Getenv("GOVER_VERSION"); v != "" {
		return parseWords(Env, "GOVER_VERSION", 0, []string{v})
	}
	if s, err := nearest(opt, dir, ".go-version", GoVersion, parseGoVersion); s.Found() || err != nil {
		return s, err
	}
	if s, err := nearest(opt, dir, ".tool-versions", ToolVersions, parseToolVersions); s.Found() || err != nil {
		return s, err
	}
	m, err := FindModule(dir, opt)
	if err != nil {
		return Selection{}, err
	}
	global, err := findGlobal(opt)
	if err != nil || m == nil {
		return global, err
	}
	return m.decide(global, opt)
}

// findGlobal reads the global version file, if there is one.
func findGlobal(opt Options) (Selection, error) {
	if opt.GlobalFile == "" {
		return Selection{}, nil
	}
	data, err := opt.read(opt.GlobalFile)
	if err == nil {
		return parsePin(parseGoVersion, Global, opt.GlobalFile, data)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return Selection{}, &PinError{File: opt.GlobalFile, Err: err}
	}
	return Selection{}, nil
}

// A parser reads one pin file; it returns a Selection of the given kind, or
// the zero Selection when the file says nothing about Go.
type parser func(kind Kind, file string, data []byte) (Selection, error)

// parsePin parses a pin file's bytes; see redactLinked.
func parsePin(parse parser, kind Kind, file string, data []byte) (Selection, error) {
	s, err := parse(kind, file, data)
	return s, redactLinked(file, err)
}

// redactLinked drops the quoted text from a refusal of a file read through
// a symbolic link: a repository can point .go-version at any file of
// whoever runs go in it (~/.netrc), and a message must never carry that
// file into a log. Only a refusal pays for the extra lstat.
func redactLinked(file string, err error) error {
	var pe *PinError
	if errors.As(err, &pe) && pe.Content != "" {
		if fi, lerr := os.Lstat(file); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			pe.Content, pe.Line = "", 0
			if _, ok := pe.Err.(invalidWord); ok {
				pe.Err = invalidWord("") // its reason may quote the file
			}
			pe.Err = &linkedError{pe.Err}
		}
	}
	return err
}

// linkedError is a refusal of a pin read through a link, said without its text.
type linkedError struct{ err error }

func (e *linkedError) Error() string {
	return "a symbolic link to a file that cannot be a pin: " + e.err.Error() + " (its text is not shown)"
}

func (e *linkedError) Unwrap() error { return e.err }

// nearest looks for name in dir and each parent, and parses the first one
// that says something. A .tool-versions without a Go line does not count.
func nearest(opt Options, dir, name string, kind Kind, parse parser) (Selection, error) {
	for d := dir; ; {
		file, data, err := nearestFile(opt, d, name)
		if file == "" || err != nil {
			return Selection{}, err
		}
		if s, err := parsePin(parse, kind, file, data); s.Found() || err != nil {
			return s, err
		}
		parent := filepath.Dir(filepath.Dir(file))
		if parent == filepath.Dir(file) {
			return Selection{}, nil
		}
		d = parent
	}
}

// nearestFile reads name in dir or the nearest parent that has one. It
// returns no file when there is none.
func nearestFile(opt Options, dir, name string) (string, []byte, error) {
	for d := dir; ; {
		file := filepath.Join(d, name)
		data, err := opt.read(file)
		if err == nil {
			return file, data, nil
		}
		if !errors.Is(err, fs.ErrNotExist) && !isNotDir(err) {
			return "", nil, &PinError{File: file, Err: err}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", nil, nil
		}
		d = parent
	}
}

func isNotDir(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && isENOTDIR(pe.Err)
}

// A PinError is a pin file (or GOVER_VERSION) that cannot be used.
type PinError struct {
	File    string // the file, or "GOVER_VERSION"
	Line    int    // 1-based line, when known
	Content string // the offending text, quoted in the message
	Err     error
	Fix     string // what to do; a default is given when empty
}

func (e *PinError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Content != "" {
		// Quoted with escapes and cut short: a pin file is anyone's text,
		// its control characters must not reach the terminal or break the
		// line, and a file that is not a pin at all (a link to ~/.netrc)
		// must not be printed whole into a CI log.
		b.WriteString(goversion.Quote(e.Content))
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	fix := e.Fix
	if fix == "" {
		if e.File == "GOVER_VERSION" {
			fix = "run 'gover shell --unset' or set GOVER_VERSION to a version such as 1.22.5"
		} else {
			fix = "write a version such as 1.22.5 there, or run 'gover use 1.22.5'"
		}
	}
	b.WriteString(" (")
	b.WriteString(fix)
	b.WriteString(")")
	return b.String()
}

func (e *PinError) Unwrap() error { return e.Err }

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}
