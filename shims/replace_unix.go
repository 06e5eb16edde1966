//go:build !windows

package shims

import "os"

const exeSuffix = ""

// replace renames tmp over dst; on Unix a running shim keeps its inode.
func replace(tmp, dst string) error { return os.Rename(tmp, dst) }

func remove(path string) error { return os.Remove(path) }
