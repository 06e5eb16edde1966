//go:build !darwin

package platform

import "runtime"

// hostArch is the architecture gover itself was built for.
func hostArch() string { return runtime.GOARCH }
