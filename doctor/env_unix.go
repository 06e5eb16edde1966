//go:build !windows

package doctor

import "os"

// envKey is how environment variable names compare: exactly, on Unix.
func envKey(k string) string { return k }

// isExecutable reports whether p is a file the user may run.
func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}
