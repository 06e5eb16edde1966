package platform

import "runtime"

// hostArch is the architecture gover itself was built for. (On macOS a
// Rosetta-translated process is an arm64 machine; see arch_darwin.go.)
func hostArch() string { return runtime.GOARCH }
