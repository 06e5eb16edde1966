package platform

import (
	"context"
	"runtime"
	"time"
)

// hostArch is arm64 on Apple Silicon even when gover is an amd64 build
// that Rosetta translates (see nativeArch).
func hostArch() string {
	if runtime.GOARCH != "amd64" {
		return runtime.GOARCH
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return nativeArch(ctx, runtime.GOARCH, ExecRunner{})
}
