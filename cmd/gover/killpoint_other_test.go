//go:build unix && !(linux && amd64)

package main

import "errors"

// Exact kill points need ptrace on linux/amd64 (killpoint_linux_amd64_test.go);
// elsewhere crash_test.go's timed kills still run.
const haveKillPoints = false

type killRun struct {
	killed  bool
	changes int
	at      string
	exit    int
	stderr  string
}

func runKilledAt(argv, env []string, dir, root string, k int, match func(call string) bool) (killRun, error) {
	return killRun{}, errors.New("kill points need ptrace on linux/amd64")
}
