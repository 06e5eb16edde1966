package selection

import "path/filepath"

// FromFile reads one pin file by itself, as Find would read it where it
// found it: .tool-versions, go.work and go.mod by their names, anything else
// (.go-version, the global file, a file named by --go-version-file) as a
// .go-version. A file that says nothing about Go gives the zero Selection;
// a missing file is an error matching fs.ErrNotExist.
func FromFile(file string, opt Options) (Selection, error) {
	data, err := opt.read(file)
	if err != nil {
		return Selection{}, err
	}
	goLine := opt.Getenv("GOVER_GOMOD") == "go"
	mod := func(kind Kind, file string, data []byte) (Selection, error) {
		return parseModFile(kind, file, data, goLine)
	}
	switch filepath.Base(file) {
	case ".tool-versions":
		return parsePin(parseToolVersions, ToolVersions, file, data)
	case "go.work":
		return parsePin(mod, GoWork, file, data)
	case "go.mod":
		return parsePin(mod, GoMod, file, data)
	}
	return parsePin(parseGoVersion, GoVersion, file, data)
}
