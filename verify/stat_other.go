//go:build !linux && !darwin

package verify

import (
	"io/fs"
	"os"
)

// statOf says no: without a change time no user can set (Windows keeps none that
// os.FileInfo shows), every file is hashed on every check.
func statOf(fs.FileInfo) (fileStat, bool) { return fileStat{}, false }

func statAt(*os.File, string) (fileStat, fs.FileMode, bool) { return fileStat{}, 0, false }
