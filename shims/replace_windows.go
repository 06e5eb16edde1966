package shims

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/goverdev/gover/internal/robustio"
)

// replace puts tmp at dst. Windows will not replace or delete a running
// .exe, but it will rename one: move the old shim aside first, then rename
// the new one in, and delete the old one when it is no longer running.
// The first two renames are plain: a running shim refuses the first for as
// long as it runs, and dst may not exist for the second; waiting those out
// would only slow reshim down.
func replace(tmp, dst string) error {
	if err := os.Rename(tmp, dst); err == nil {
		return nil
	}
	aside := filepath.Join(filepath.Dir(dst), fmt.Sprintf(".%s.old-%d", filepath.Base(dst), time.Now().UnixNano()))
	if err := os.Rename(dst, aside); err != nil && !os.IsNotExist(err) {
		return err
	}
	if err := robustio.Rename(tmp, dst); err != nil {
		return err
	}
	os.Remove(aside) // fails while it runs; swept on a later reshim
	return nil
}

func remove(path string) error {
	if err := os.Remove(path); err == nil {
		return nil
	}
	aside := filepath.Join(filepath.Dir(path), fmt.Sprintf(".%s.old-%d", filepath.Base(path), time.Now().UnixNano()))
	return os.Rename(path, aside)
}

// link refuses, so that every shim is a copy: hard links share one file,
// and Windows will not replace a file while any of its names runs, so a
// go.exe running in one window would block upgrading gover-shim.exe.
func link(shimExe, dst string) error { return errors.New("copy shims on Windows") }
