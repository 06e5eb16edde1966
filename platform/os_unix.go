//go:build !windows

package platform

import (
	"io/fs"
	"os"
)

const exeSuffix = ""

// Privileged reports whether this process runs as root.
func Privileged() bool { return os.Geteuid() == 0 }

func isExecutable(fi fs.FileInfo) bool { return !fi.IsDir() && fi.Mode()&0o111 != 0 }

func envKeyEqual(a, b string) bool { return a == b }
