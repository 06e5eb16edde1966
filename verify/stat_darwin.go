package verify

import (
	"io/fs"
	"syscall"
)

// statOf is the part of a file's status a stat cache entry holds.
func statOf(fi fs.FileInfo) (fileStat, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fileStat{}, false
	}
	return fileStat{Size: st.Size, Mtime: st.Mtimespec.Nano(), Ctime: st.Ctimespec.Nano(), Ino: uint64(st.Ino), Dev: uint64(st.Dev)}, true
}
