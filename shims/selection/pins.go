package selection

import (
	"errors"
	"strings"

	"github.com/goverdev/gover/internal/goversion"
)

var (
	errEmpty     = errors.New("holds no version")
	errTwo       = errors.New("holds more than one version")
	errNoVersion = errors.New("names no version")
)

// lines splits a pin file into trimmed lines, dropping a UTF-8 byte order
// mark, carriage returns and # comments (whole-line or after a blank).
// Blank lines are kept as "" so line numbers stay right.
func lines(data []byte) []string {
	s := strings.TrimPrefix(string(data), "\uFEFF")
	out := strings.Split(s, "\n")
	for i, l := range out {
		if c := strings.IndexByte(l, '#'); c == 0 || c > 0 && (l[c-1] == ' ' || l[c-1] == '\t') {
			l = l[:c]
		}
		out[i] = strings.TrimSpace(strings.TrimSuffix(l, "\r"))
	}
	return out
}

// parseGoVersion reads a .go-version or the global file: one version word.
func parseGoVersion(kind Kind, file string, data []byte) (Selection, error) {
	word, at := "", 0
	for i, l := range lines(data) {
		if l == "" {
			continue
		}
		if word != "" {
			return Selection{}, &PinError{File: file, Line: i + 1, Content: l, Err: errTwo}
		}
		word, at = l, i+1
	}
	if word == "" {
		return Selection{}, &PinError{File: file, Err: errEmpty}
	}
	return parseWord(kind, file, at, word)
}

// parseWord reads one version word (or "system") from a pin.
func parseWord(kind Kind, origin string, line int, word string) (Selection, error) {
	if word == "system" {
		return Selection{Kind: kind, System: true, Origin: origin}, nil
	}
	w, err := goversion.Parse(word)
	if err != nil {
		return Selection{}, &PinError{File: origin, Line: line, Content: word, Err: goversion.ErrInvalid}
	}
	return Selection{Kind: kind, Word: w, Origin: origin}, nil
}

// parseToolVersions reads asdf's .tool-versions: "golang 1.22.5" (or "go",
// as mise writes it). Further versions on the line are asdf's fallbacks;
// gover takes the first, as asdf does when it is installed.
func parseToolVersions(kind Kind, file string, data []byte) (Selection, error) {
	for i, l := range lines(data) {
		f := strings.Fields(l)
		if len(f) == 0 || f[0] != "golang" && f[0] != "go" {
			continue
		}
		if len(f) == 1 {
			return Selection{}, &PinError{File: file, Line: i + 1, Content: l, Err: errNoVersion}
		}
		if strings.HasPrefix(f[1], "ref:") || strings.HasPrefix(f[1], "path:") {
			return Selection{}, &PinError{File: file, Line: i + 1, Content: f[1],
				Err: errors.New("asdf ref: and path: versions are not supported")}
		}
		return parseWord(kind, file, i+1, f[1])
	}
	return Selection{}, nil
}

// parseModFile reads the toolchain directive of a go.mod or go.work, and with
// goLine its go directive when there is no toolchain line. It reads only
// those two directives, which never sit in blocks, so it needs no full
// parser (and keeps the shim small).
func parseModFile(kind Kind, file string, data []byte, goLine bool) (Selection, error) {
	var goWord string
	goAt := 0
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
		f := strings.Fields(l)
		if len(f) == 0 || f[0] != "toolchain" && (f[0] != "go" || !goLine) {
			continue
		}
		if len(f) != 2 {
			return Selection{}, &PinError{File: file, Line: i + 1, Content: strings.TrimSpace(l),
				Err: errors.New("malformed " + f[0] + " directive"), Fix: "fix it, or run 'go mod tidy'"}
		}
		// Taken as written: the go command refuses quoted versions too.
		v := f[1]
		if f[0] == "go" {
			goWord, goAt = v, i+1
			continue
		}
		if v == "default" {
			continue
		}
		if !strings.HasPrefix(v, "go") {
			return Selection{}, &PinError{File: file, Line: i + 1, Content: v,
				Err: errors.New("toolchain names start with go"), Fix: "write e.g. 'toolchain go1.22.5'"}
		}
		w, err := goversion.Parse(v)
		if err != nil || w.Kind != goversion.Exact {
			return Selection{}, &PinError{File: file, Line: i + 1, Content: v,
				Err: errors.New("not a Go release gover can install"), Fix: "write e.g. 'toolchain go1.22.5', or pin with a .go-version file"}
		}
		return Selection{Kind: kind, Word: w, Origin: file}, nil
	}
	if goWord == "" {
		return Selection{}, nil
	}
	w, err := goversion.Parse(goWord)
	if err != nil || w.Kind == goversion.Latest {
		return Selection{}, &PinError{File: file, Line: goAt, Content: goWord, Err: goversion.ErrInvalid,
			Fix: "write e.g. 'go 1.22.5', or unset GOVER_GOMOD"}
	}
	return Selection{Kind: kind, Word: w, Minimum: true, Origin: file}, nil
}
