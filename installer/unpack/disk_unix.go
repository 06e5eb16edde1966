//go:build unix

package unpack

import (
	"fmt"
	"io"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// A disk writes into the destination folder through a descriptor held open on it, with
// raw system calls: one openat per file, relative to that folder, where os.OpenFile would
// walk the whole path and register every file with the poller.
type disk struct {
	dir  *os.File
	fd   int
	mask fs.FileMode // the permission bits the umask clears
}

func openDisk(dest string) (*disk, error) {
	dir, err := openEmptyDir(dest)
	if err != nil {
		return nil, err
	}
	d := &disk{dir: dir, fd: int(dir.Fd())}
	if d.mask, err = d.probeUmask(); err != nil {
		dir.Close()
		return nil, fmt.Errorf("unpack into %s: %w", dest, err)
	}
	return d, nil
}

// probeUmask learns the umask without changing it (unix.Umask would, for the whole
// process): create a file asking for 0777 and see what was granted.
func (d *disk) probeUmask() (fs.FileMode, error) {
	const probe = ".gover-umask-probe"
	fd, err := unix.Openat(d.fd, probe, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o777)
	if err != nil {
		return 0, fmt.Errorf("create %s: %w", probe, err)
	}
	var st unix.Stat_t
	err = unix.Fstat(fd, &st)
	unix.Close(fd)
	if rmErr := unix.Unlinkat(d.fd, probe, 0); err == nil && rmErr != nil {
		err = rmErr
	}
	if err != nil {
		return 0, fmt.Errorf("probe umask: %w", err)
	}
	return 0o777 &^ fs.FileMode(st.Mode&0o777), nil
}

func (d *disk) close() error { return d.dir.Close() }

func (d *disk) mkdir(rel string) error {
	return ignoringEINTR(func() error { return unix.Mkdirat(d.fd, rel, 0o755) })
}

// create makes a new file; O_EXCL and O_NOFOLLOW make it fail rather than open anything
// already there, a symbolic link above all.
func (d *disk) create(rel string, perm fs.FileMode) (outFile, fs.FileMode, error) {
	var fd int
	err := ignoringEINTR(func() (err error) {
		fd, err = unix.Openat(d.fd, rel, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, uint32(perm))
		return err
	})
	if err != nil {
		return -1, 0, err
	}
	return outFile(fd), perm &^ d.mask, nil
}

func (d *disk) symlink(target, rel string) error {
	return ignoringEINTR(func() error { return unix.Symlinkat(target, d.fd, rel) })
}

type outFile int

func (f outFile) write(p []byte) error {
	for len(p) > 0 {
		n, err := unix.Write(int(f), p)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if n == 0 {
			return io.ErrShortWrite
		}
		p = p[n:]
	}
	return nil
}

func (f outFile) close() error { return unix.Close(int(f)) }

func ignoringEINTR(fn func() error) error {
	for {
		if err := fn(); err != unix.EINTR {
			return err
		}
	}
}
