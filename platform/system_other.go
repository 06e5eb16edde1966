//go:build !linux && !darwin && !windows

package platform

import "runtime"

// New returns the System of this OS: the shell rc file and /usr/local/go,
// without a package manager backend.
func New(env Env) System { return &Unix{Env: env, GOOS: runtime.GOOS} }
