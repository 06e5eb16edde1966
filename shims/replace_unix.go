//go:build !windows

package shims

import (
	"os"

	"github.com/goverdev/gover/internal/robustio"
)

// replace renames tmp over dst; on Unix a running shim keeps its inode.
func replace(tmp, dst string) error { return robustio.Rename(tmp, dst) }

func remove(path string) error { return os.Remove(path) }

// link hard-links the shim where it can: no copy to write or keep in step.
func link(shimExe, dst string) error { return os.Link(shimExe, dst) }
