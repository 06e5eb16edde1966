package selection

import (
	"io"
	"io/fs"
	"os"
)

// readFile reads a pin file as readPin says. Windows has no poller set-up
// cost to avoid, and opening a file does not block.
func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	switch {
	case fi.IsDir():
		return nil, &fs.PathError{Op: "read", Path: name, Err: notRegular("a folder")}
	case !fi.Mode().IsRegular():
		return nil, &fs.PathError{Op: "read", Path: name, Err: notRegular("a special file")}
	case fi.Size() > maxPin:
		return nil, &fs.PathError{Op: "read", Path: name, Err: errTooLarge}
	}
	data, err := io.ReadAll(io.LimitReader(f, maxPin+1))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: name, Err: err}
	}
	if int64(len(data)) != fi.Size() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errSizeLies}
	}
	return data, nil
}

func readDirNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return names, err
}
