//go:build !windows

package toolenv

import (
	"io/fs"
	"os"
	"syscall"
)

const (
	// PathKey is the name of the PATH variable.
	PathKey = "PATH"
	// ExeSuffix ends the names of programs.
	ExeSuffix = ""
)

func keyEqual(a, b string) bool  { return a == b }
func sameEntry(a, b string) bool { return a == b }

// Exec replaces this process with exe (execve): no process stays between
// the user and the program, so signals, job control and the exit code are
// the program's own. It returns only when exe cannot be started.
func Exec(exe string, args, env []string) (code int, err error) {
	for {
		err = syscall.Exec(exe, args, env)
		if err != syscall.EINTR {
			return 0, err
		}
	}
}

// IsExecutable reports whether fi is a file this system would run: on
// Unix, a file with an execute bit.
func IsExecutable(fi fs.FileInfo) bool { return !fi.IsDir() && fi.Mode()&0o111 != 0 }

// findExecutable reports whether path is a program.
func findExecutable(path string) (string, bool) {
	fi, err := os.Stat(path)
	return path, err == nil && IsExecutable(fi)
}
