//go:build !windows

package main

import (
	"io/fs"
	"os"
	"syscall"
)

const (
	exeSuffix = ""
	pathKey   = "PATH"
)

// execProgram replaces the shim with the program (execve): no process is
// left between the user and go, so signals, exit codes and job control are
// the program's own.
func execProgram(exe string, args, env []string) int {
	args[0] = exe
	err := syscall.Exec(exe, args, env)
	return fail(1, "run "+exe+": "+err.Error())
}

// runAndWait runs a helper program to completion.
func runAndWait(exe string, args []string) int {
	p, err := os.StartProcess(exe, args, &os.ProcAttr{Files: []*os.File{os.Stdin, os.Stderr, os.Stderr}})
	if err != nil {
		return fail(1, "run "+exe+": "+err.Error())
	}
	st, err := p.Wait()
	if err != nil {
		return fail(1, "run "+exe+": "+err.Error())
	}
	return st.ExitCode()
}

func isExecutable(fi fs.FileInfo) bool { return fi.Mode()&0o111 != 0 }

func envKeyEqual(a, b string) bool { return a == b }
