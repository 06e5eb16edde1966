//go:build !windows

package main

import (
	"os"
	"syscall"
)

// workDir is the working directory as the shell names it. os.Getwd stats
// "." and $PWD to decide whether $PWD may be trusted; one getcwd call
// settles the usual case, where $PWD is the physical path, and the stats
// are paid only when it is not (a path through a symbolic link). The
// logical path matters: pins are looked for walking up the path the user
// sees, as the CLI does.
func workDir(getenv func(string) string) (string, error) {
	cwd, err := syscall.Getwd()
	if err != nil {
		return os.Getwd()
	}
	pwd := getenv("PWD")
	if pwd == cwd || pwd == "" || pwd[0] != '/' {
		return cwd, nil
	}
	a, err1 := os.Stat(pwd)
	b, err2 := os.Stat(cwd)
	if err1 == nil && err2 == nil && os.SameFile(a, b) {
		return pwd, nil
	}
	return cwd, nil
}
