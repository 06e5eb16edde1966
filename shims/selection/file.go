package selection

import (
	"errors"
	"os"
	"path/filepath"
)

var errNoGo = errors.New("names no Go version")

// ReadFile reads the version one named pin file asks for, in the format its
// name says: .tool-versions (asdf), go.mod and go.work (the toolchain line,
// else the go line as a minimum), anything else as a .go-version. It is for
// callers handed a file explicitly (gover ci --go-version-file, as with
// setup-go's go-version-file), so a go line counts without GOVER_GOMOD.
func ReadFile(file string) (Selection, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return Selection{}, &PinError{File: file, Err: err, Fix: "name an existing .go-version, .tool-versions, go.mod or go.work"}
	}
	var s Selection
	switch filepath.Base(file) {
	case ".tool-versions":
		s, err = parseToolVersions(ToolVersions, file, data)
	case "go.mod":
		s, err = parseModFile(GoMod, file, data, true)
	case "go.work":
		s, err = parseModFile(GoWork, file, data, true)
	default:
		s, err = parseGoVersion(GoVersion, file, data)
	}
	if err == nil && !s.Found() {
		err = &PinError{File: file, Err: errNoGo, Fix: "add a 'golang 1.22.5' line, or a toolchain or go line"}
	}
	return s, err
}
