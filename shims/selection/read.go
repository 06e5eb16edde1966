package selection

import "errors"

// maxPin bounds a pin file: a go.mod is the largest kind, and real ones
// are tens of kilobytes.
const maxPin = 1 << 20

var (
	errTooLarge = errors.New("larger than 1 MiB: not a pin file")
	// errSizeLies is a file whose bytes are not as many as its size says:
	// a kernel's pseudo-file (/proc/self/environ says 0), never a pin.
	errSizeLies = errors.New("its size is not what it says (a special file such as one under /proc)")
)

// A notRegular error is a pin file name that leads to something other
// than a regular file.
type notRegular string

func (e notRegular) Error() string { return "not a regular file but " + string(e) }

// ReadPin reads a pin file (.go-version, .tool-versions, go.mod, go.work,
// the global version file) the way the shim does: following links only to
// a regular file, without blocking on a FIFO, and at most 1 MiB. A missing
// file is an error matching fs.ErrNotExist. Everything in gover that reads
// such a file for its version uses this.
func ReadPin(name string) ([]byte, error) { return readFile(name) }
