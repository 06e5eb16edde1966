//go:build unix

package selection

import (
	"io/fs"
	"syscall"
)

// readFile reads a pin file as readPin says, with plain system calls:
// os.Open registers the descriptor with the runtime's poller (epoll
// set-up, fcntl calls and a woken poller thread) before the first read,
// which the shim would pay for on every go call. Missing files fail with
// ENOENT, which matches fs.ErrNotExist.
//
// The open does not block (O_NONBLOCK: a FIFO planted as .go-version would
// otherwise hang every go call until someone wrote to it), and fstat on
// the open descriptor decides what was opened, links followed: only a
// regular file of at most maxPin bytes whose size is what it says is read.
func readFile(name string) ([]byte, error) {
	fd, err := openRead(name, syscall.O_NONBLOCK)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	if err := pinKind(uint32(st.Mode)&syscall.S_IFMT, st.Size); err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	buf := make([]byte, 0, st.Size+1) // +1: the read that sees the end
	for {
		if len(buf) == cap(buf) {
			if len(buf) > maxPin {
				return nil, &fs.PathError{Op: "read", Path: name, Err: errTooLarge}
			}
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			break
		}
		buf = buf[:len(buf)+n]
	}
	if int64(len(buf)) != st.Size {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errSizeLies}
	}
	return buf, nil
}

// pinKind refuses what is not a regular file, by its stat type bits.
func pinKind(typ uint32, size int64) error {
	switch typ {
	case syscall.S_IFREG:
		if size > maxPin {
			return errTooLarge
		}
		return nil
	case syscall.S_IFIFO:
		return notRegular("a FIFO")
	case syscall.S_IFDIR:
		return notRegular("a folder")
	case syscall.S_IFCHR, syscall.S_IFBLK:
		return notRegular("a device")
	case syscall.S_IFSOCK:
		return notRegular("a socket")
	}
	return notRegular("a special file")
}

func openRead(name string, flags int) (int, error) {
	for {
		fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC|flags, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

// readDirNames lists a folder's entry names with plain system calls, for
// the same reason as readFile.
func readDirNames(dir string) ([]string, error) {
	fd, err := openRead(dir, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	defer syscall.Close(fd)
	var names []string
	buf := make([]byte, 4096)
	for {
		n, err := syscall.ReadDirent(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "readdirent", Path: dir, Err: err}
		}
		if n <= 0 {
			return names, nil
		}
		_, _, names = syscall.ParseDirent(buf[:n], -1, names)
	}
}
