package selection

import "path/filepath"

// FromFile reads one pin file by itself, as Find would read it where it
// found it: .tool-versions, go.work and go.mod by their names, anything else
// (.go-version, the global file, a file named by --go-version-file) as a
// .go-version. go.mod and go.work are weighed with no global version: their
// toolchain line when it is newer than their go line, else the go line. A
// file that says nothing about Go gives the zero Selection; a missing file
// is an error matching fs.ErrNotExist.
func FromFile(file string, opt Options) (Selection, error) {
	data, err := opt.read(file)
	if err != nil {
		return Selection{}, err
	}
	switch filepath.Base(file) {
	case ".tool-versions":
		return parsePin(parseToolVersions, ToolVersions, file, data)
	case "go.work", "go.mod":
		kind := GoMod
		if filepath.Base(file) == "go.work" {
			kind = GoWork
		}
		m, err := parseModFile(kind, file, data)
		if err != nil {
			return Selection{}, redactLinked(file, err)
		}
		return m.decide(Selection{}, opt)
	}
	return parsePin(parseGoVersion, GoVersion, file, data)
}
