//go:build unix

package selection

import (
	"errors"
	"io/fs"
	"syscall"
)

// maxPin bounds what is read of a pin file; a go.mod is the largest kind.
const maxPin = 4 << 20

var errTooLarge = errors.New("larger than 4 MiB")

// readFile is os.ReadFile without the os.File machinery: os.Open registers
// the descriptor with the runtime's poller (epoll set-up, fcntl calls and a
// woken poller thread) before the first read, which the shim would pay for
// on every go call. Missing files fail with ENOENT, which matches
// fs.ErrNotExist.
func readFile(name string) ([]byte, error) {
	fd, err := openRead(name)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	buf := make([]byte, 0, 512)
	for {
		if len(buf) == cap(buf) {
			if len(buf) >= maxPin {
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
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}

func openRead(name string) (int, error) {
	for {
		fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

// readDirNames lists a folder's entry names with plain system calls, for
// the same reason as readFile.
func readDirNames(dir string) ([]string, error) {
	fd, err := openRead(dir)
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
