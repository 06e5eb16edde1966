//go:build !windows

package doctor

// envKey is how environment variable names compare: exactly, on Unix.
func envKey(k string) string { return k }
