//go:build !linux

package installer

// runningFrom finds nothing outside Linux: macOS has no /proc to ask, and
// Windows refuses to move a folder whose programs are running, so the
// uninstall fails there by itself.
func runningFrom(dir string) []string { return nil }
