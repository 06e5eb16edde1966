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
	switch filepath.Base(file) {
	case ".tool-versions":
		return parseToolVersions(ToolVersions, file, data)
	case "go.work":
		return parseModFile(GoWork, file, data, opt.Getenv("GOVER_GOMOD") == "go")
	case "go.mod":
		return parseModFile(GoMod, file, data, opt.Getenv("GOVER_GOMOD") == "go")
	}
	return parseGoVersion(GoVersion, file, data)
}
