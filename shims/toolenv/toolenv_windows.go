package toolenv

import (
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
)

const (
	// PathKey is the name of the PATH variable, as Windows spells it.
	PathKey = "Path"
	// ExeSuffix ends the names of programs.
	ExeSuffix = ".exe"
)

// Environment names and paths are case-insensitive on Windows.
func keyEqual(a, b string) bool  { return strings.EqualFold(a, b) }
func sameEntry(a, b string) bool { return strings.EqualFold(a, b) }

// Exec runs exe and returns its exit code. Windows has no exec: the caller
// spawns, waits and exits with the program's code. Ctrl-C reaches every
// process attached to the console, the program included, so this process
// ignores it and lets the program decide whether to stop; its exit code
// then tells the caller what happened.
func Exec(exe string, args, env []string) (code int, err error) {
	signal.Ignore(os.Interrupt)
	p, err := os.StartProcess(exe, args, &os.ProcAttr{Env: env, Files: []*os.File{os.Stdin, os.Stdout, os.Stderr}})
	if err != nil {
		return 0, err
	}
	st, err := p.Wait()
	if err != nil {
		return 0, err
	}
	return st.ExitCode(), nil
}

// IsExecutable reports whether fi is a file this system would run: on
// Windows, any file (its suffix decides how).
func IsExecutable(fi fs.FileInfo) bool { return !fi.IsDir() }

// findExecutable finds path, or path with one of PATHEXT's suffixes, as
// os/exec does: a name that already ends in one is tried as it is first.
func findExecutable(path string) (string, bool) {
	exts := []string{".com", ".exe", ".bat", ".cmd"}
	if x := os.Getenv("PATHEXT"); x != "" {
		exts = exts[:0]
		for _, e := range strings.Split(strings.ToLower(x), ";") {
			if e != "" && e[0] == '.' {
				exts = append(exts, e)
			}
		}
	}
	if ext := strings.ToLower(filepath.Ext(path)); ext != "" {
		for _, e := range exts {
			if e == ext {
				if isFile(path) {
					return path, true
				}
				break
			}
		}
	}
	for _, e := range exts {
		if isFile(path + e) {
			return path + e, true
		}
	}
	return "", false
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && IsExecutable(fi)
}
