//go:build linux || darwin

package verify

import (
	"io/fs"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// statOf is the part of a file's status a stat cache entry holds.
func statOf(fi fs.FileInfo) (fileStat, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileStat{}, false
	}
	mtime, ctime := statTimes(st)
	return fileStat{Size: st.Size, Mtime: mtime, Ctime: ctime, Ino: uint64(st.Ino), Dev: uint64(st.Dev)}, true
}

// statAt is the status of name in the open folder d, and its permission
// bits: fstatat from the folder, not lstat of a path the kernel would
// walk again from the top.
func statAt(d *os.File, name string) (fileStat, fs.FileMode, bool) {
	var st unix.Stat_t
	if unix.Fstatat(int(d.Fd()), name, &st, unix.AT_SYMLINK_NOFOLLOW) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return fileStat{}, 0, false
	}
	return fileStat{Size: st.Size, Mtime: st.Mtim.Nano(), Ctime: st.Ctim.Nano(), Ino: uint64(st.Ino), Dev: uint64(st.Dev)}, fs.FileMode(st.Mode & 0o777), true
}
