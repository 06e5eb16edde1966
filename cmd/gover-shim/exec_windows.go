package main

import (
	"io/fs"
	"os"
	"os/signal"
	"strings"
)

const (
	exeSuffix = ".exe"
	pathKey   = "Path"
)

// execProgram runs the program and passes its exit code on. Windows has no
// exec: the shim spawns the program and waits. Ctrl-C reaches every process
// on the console, the program included, so the shim ignores it and lets the
// program decide.
func execProgram(exe string, args, env []string) int {
	signal.Ignore(os.Interrupt)
	args[0] = exe
	return runWithEnv(exe, args, env)
}

func runAndWait(exe string, args []string) int {
	return runWithEnv(exe, args, nil)
}

func runWithEnv(exe string, args, env []string) int {
	p, err := os.StartProcess(exe, args, &os.ProcAttr{Env: env, Files: []*os.File{os.Stdin, os.Stdout, os.Stderr}})
	if err != nil {
		return fail(1, "run "+exe+": "+err.Error())
	}
	st, err := p.Wait()
	if err != nil {
		return fail(1, "run "+exe+": "+err.Error())
	}
	return st.ExitCode()
}

func isExecutable(fs.FileInfo) bool { return true }

// Environment names are case-insensitive on Windows (Path, PATH).
func envKeyEqual(a, b string) bool { return strings.EqualFold(a, b) }
