package installer

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
)

// ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL.
func isDiskFull(err error) bool {
	return errors.Is(err, syscall.Errno(112)) || errors.Is(err, syscall.Errno(39))
}

// sameDisk reports whether two folders lie on one volume (by drive letter
// or UNC share; a mounted folder counts as its parent's volume).
func sameDisk(a, b string) bool {
	return strings.EqualFold(filepath.VolumeName(a), filepath.VolumeName(b))
}
