//go:build !windows && !darwin

package robustio

import "os"

func rename(oldpath, newpath string) error { return os.Rename(oldpath, newpath) }
