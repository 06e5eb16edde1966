//go:build !windows

package paths

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"syscall"
)

// untrustedOwner says why an entry may not be used: owned by someone other
// than this user or root, or (with modes) writable by group or others. ""
// means it may be used.
func untrustedOwner(fi fs.FileInfo, modes bool) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	if uid := int(st.Uid); uid != os.Geteuid() && uid != 0 {
		return "is owned by " + userName(uid)
	}
	if perm := fi.Mode().Perm(); modes && perm&0o022 != 0 {
		return "is writable by group or others (mode " + strconv.FormatUint(uint64(perm), 8) + ")"
	}
	return ""
}

// userName is "uid 12345 (mallory)", with the name when the user database has one.
func userName(uid int) string {
	s := "uid " + strconv.Itoa(uid)
	if f, err := passwd(uid); err == nil {
		s += " (" + f[0] + ")"
	}
	return s
}

func isNotDir(err error) bool { return errors.Is(err, syscall.ENOTDIR) }
