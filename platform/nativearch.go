//go:build !windows

package platform

import "context"

// nativeArch is the architecture to install toolchains for: an amd64
// gover translated by Rosetta runs on an arm64 Mac, and an amd64 toolchain
// there would run translated too, slower, and build amd64 binaries by
// default. (--arch amd64 still installs one.)
func nativeArch(ctx context.Context, goarch string, r Runner) string {
	if goarch == "amd64" && rosetta(ctx, r) {
		return "arm64"
	}
	return goarch
}
