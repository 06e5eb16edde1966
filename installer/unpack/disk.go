package unpack

import (
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
)

// openEmptyDir opens dest, which must be an existing, empty folder: files are created
// with O_EXCL, and the manifest must list everything in the tree.
func openEmptyDir(dest string) (*os.File, error) {
	dir, err := os.Open(dest)
	if err != nil {
		return nil, err // "open DEST: …" says it all
	}
	fi, err := dir.Stat()
	if err == nil && !fi.IsDir() {
		err = errors.New("not a folder")
	}
	if err == nil {
		var names []string
		names, err = dir.Readdirnames(1)
		switch {
		case err == io.EOF:
			return dir, nil
		case err == nil && len(names) > 0:
			err = fmt.Errorf("folder is not empty (holds %s); unpack into a fresh one", names[0])
		}
	}
	dir.Close()
	return nil, fmt.Errorf("unpack into %s: %w", dest, err)
}

// A sink writes one new file, hashing and counting what it writes.
type sink struct {
	f outFile
	h hash.Hash
	n int64
}

func (s *sink) Write(p []byte) (int, error) {
	if err := s.f.write(p); err != nil {
		return 0, err
	}
	s.h.Write(p)
	s.n += int64(len(p))
	return len(p), nil
}
