package doctor

import (
	"errors"
	"fmt"
	"io"

	"golang.org/x/mod/modfile"

	"github.com/goverdev/gover/internal/fspath"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/shims/selection"
)

// The doctor reads the project it runs in: files a repository's author
// wrote, links included. They are read as the shim reads pin files
// (selection.ReadPin): a link followed only to a regular file, no blocking
// on a FIFO, a bounded size; and what they say is never quoted whole, so a
// go.mod linked to ~/.env or /proc/self/environ cannot put a secret in the
// doctor's report.

// readGoMod reads a go.mod or go.work (selection.ReadPin's rules and cap).
func readGoMod(name string) ([]byte, error) { return selection.ReadPin(name) }

// maxProjectFile bounds the project files that are not pins (go.sum,
// vendor/modules.txt): far above any real one.
const maxProjectFile = 64 << 20

// readProjectFile reads a go.sum or vendor/modules.txt: only a regular
// file (a link followed only to one), opened without blocking, at most
// maxProjectFile bytes.
func readProjectFile(name string) ([]byte, error) {
	f, fi, err := fspath.OpenRegular(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi.Size() > maxProjectFile {
		return nil, fmt.Errorf("%s is larger than %d MiB", name, maxProjectFile>>20)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxProjectFile+1))
	if err == nil && len(data) > maxProjectFile {
		err = fmt.Errorf("%s is larger than %d MiB", name, maxProjectFile>>20)
	}
	return data, err
}

// modFileError says why a go.mod or go.work does not parse without
// quoting its text: the line, and at most a few dozen bytes of the
// reason.
func modFileError(err error) string {
	var list modfile.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		return fmt.Sprintf("line %d does not parse", list[0].Pos.Line)
	}
	return goversion.Quote(err.Error())
}
