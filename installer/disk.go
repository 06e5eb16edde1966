package installer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// A DiskFullError is an install that ran out of space.
type DiskFullError struct {
	Dir  string
	Need int64 // bytes, estimated; 0 if unknown
	Err  error
}

func (e *DiskFullError) Error() string {
	need := ""
	if e.Need > 0 {
		need = ": a toolchain needs about " + humanSize(e.Need) + " there"
	}
	return fmt.Sprintf("no space left in %s%s (free some space, or set GOVER_ROOT to a larger disk)", e.Dir, need)
}

func (e *DiskFullError) Unwrap() error { return e.Err }

// humanSize rounds a size up to whole KB, MB or GB.
func humanSize(n int64) string {
	for _, u := range []struct {
		unit  string
		shift uint
	}{{"GB", 30}, {"MB", 20}} {
		if n >= 1<<u.shift {
			return fmt.Sprintf("%d %s", (n+1<<u.shift-1)>>u.shift, u.unit)
		}
	}
	return fmt.Sprintf("%d KB", (n+1023)>>10)
}

// diskError names the folder that filled up and the space needed when err
// is a full disk. A streamed install writes the download and the unpacked
// tree at once, so which write fails first is chance: when both folders
// share a disk the error names dir (versions/, where the bulk goes) and the
// space for both; when the failed write lies on another disk (a download
// cache elsewhere), it names that folder and the archive's size.
func diskError(err error, dir string, archiveSize int64) error {
	if !isDiskFull(err) {
		return err
	}
	need := int64(0)
	if archiveSize > 0 {
		need = archiveSize * 5 // the archive plus ~3.5 times it unpacked
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && filepath.IsAbs(pe.Path) && !strings.HasPrefix(pe.Path, dir+string(filepath.Separator)) {
		if failed := filepath.Dir(pe.Path); !sameDisk(failed, dir) {
			dir, need = failed, archiveSize
		}
	}
	return &DiskFullError{Dir: dir, Need: need, Err: err}
}

// An AccessError is one of gover's folders that it may not write: made
// read-only, or another user's.
type AccessError struct {
	Dir string
	Err error
}

func (e *AccessError) Error() string {
	return fmt.Sprintf("cannot write to %s: permission denied (make it writable for you, or set GOVER_ROOT to a folder of your own)", e.Dir)
}

func (e *AccessError) Unwrap() error { return e.Err }

// accessError names the folder when err is a permission error on a path
// inside gover's versions or cache folder; the raw error names a temporary
// file and no way out.
func (in *Installer) accessError(err error) error {
	var ae *AccessError
	if err == nil || !errors.Is(err, fs.ErrPermission) || errors.As(err, &ae) {
		return err
	}
	var path string
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		path = pe.Path
	case errors.As(err, &le):
		path = le.New
	default:
		return err
	}
	for _, dir := range []string{in.Layout.Versions, in.Layout.Cache} {
		if path == dir || strings.HasPrefix(path, dir+string(filepath.Separator)) {
			return &AccessError{Dir: filepath.Dir(path), Err: err}
		}
	}
	return err
}
