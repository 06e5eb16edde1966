//go:build !windows

package platform

import (
	"os"
)

// Privileged reports whether this process runs as root.
func Privileged() bool { return os.Geteuid() == 0 }

func envKeyEqual(a, b string) bool { return a == b }
