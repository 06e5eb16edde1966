//go:build !unix

package unpack

import (
	"io/fs"
	"os"
)

// A disk writes into the destination folder through an os.Root, which refuses to leave it
// even through a link planted by someone else.
type disk struct {
	dir  *os.File
	root *os.Root
}

func openDisk(dest string) (*disk, error) {
	dir, err := openEmptyDir(dest)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(dest)
	if err != nil {
		dir.Close()
		return nil, err
	}
	return &disk{dir: dir, root: root}, nil
}

func (d *disk) close() error {
	d.dir.Close()
	return d.root.Close()
}

func (d *disk) mkdir(rel string) error { return d.root.Mkdir(rel, 0o755) }

// create makes a new file; O_EXCL makes it fail rather than open anything already there.
// Windows has no umask and no exec bit: the mode reported is the one asked for.
func (d *disk) create(rel string, perm fs.FileMode) (outFile, fs.FileMode, error) {
	f, err := d.root.OpenFile(rel, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return outFile{}, 0, err
	}
	return outFile{f}, perm, nil
}

func (d *disk) symlink(target, rel string) error { return d.root.Symlink(target, rel) }

type outFile struct{ f *os.File }

func (f outFile) write(p []byte) error {
	_, err := f.f.Write(p)
	return err
}

func (f outFile) close() error { return f.f.Close() }
