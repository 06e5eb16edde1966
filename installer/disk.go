package installer

import "fmt"

// A DiskFullError is an install that ran out of space.
type DiskFullError struct {
	Dir  string
	Need int64 // bytes, estimated; 0 if unknown
	Err  error
}

func (e *DiskFullError) Error() string {
	need := ""
	if e.Need > 0 {
		need = fmt.Sprintf(": a toolchain needs about %d MB there", e.Need>>20)
	}
	return fmt.Sprintf("no space left in %s%s (free some space, or set GOVER_ROOT to a larger disk)", e.Dir, need)
}

func (e *DiskFullError) Unwrap() error { return e.Err }

// diskError names the folder and the space needed when err is a full disk.
func diskError(err error, dir string, archiveSize int64) error {
	if !isDiskFull(err) {
		return err
	}
	need := int64(0)
	if archiveSize > 0 {
		need = archiveSize * 5 // the archive plus ~3.5 times it unpacked
	}
	return &DiskFullError{Dir: dir, Need: need, Err: err}
}
