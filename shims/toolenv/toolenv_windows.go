package toolenv

import (
	"os"
	"os/signal"
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
