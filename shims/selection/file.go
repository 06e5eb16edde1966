package selection

import (
	"errors"
	"io/fs"
)

var errNoGo = errors.New("names no Go version")

// ReadFile reads the version one named pin file asks for, as FromFile does,
// except that a file that names no version is an error. It is for callers
// handed a file explicitly (gover ci --go-version-file, as with setup-go's
// go-version-file).
func ReadFile(file string) (Selection, error) {
	s, err := FromFile(file, Options{Getenv: func(string) string { return "" }})
	var pinErr *PinError
	switch {
	case errors.As(err, &pinErr):
		return Selection{}, err
	case err != nil:
		var pathErr *fs.PathError
		if errors.As(err, &pathErr) {
			err = pathErr.Err
		}
		return Selection{}, &PinError{File: file, Err: err, Fix: "name an existing .go-version, .tool-versions, go.mod or go.work"}
	case !s.Found():
		return Selection{}, &PinError{File: file, Err: errNoGo, Fix: "add a 'golang 1.22.5' line, or a toolchain or go line"}
	}
	return s, nil
}
