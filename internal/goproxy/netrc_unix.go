//go:build !windows && !darwin

package goproxy

// homeDir is os.UserHomeDir over an injected environment.
func homeDir(getenv func(string) string) string { return getenv("HOME") }

// netrcNames are the netrc files the go command looks for in the home
// folder, the last one used when none exists.
var netrcNames = []string{".netrc"}
