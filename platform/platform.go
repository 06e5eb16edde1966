// Package platform holds gover's per-OS backends: the host platform, the
// Windows registry, Homebrew, apt and dnf. It is the only package that asks
// runtime.GOOS; everything OS-specific elsewhere lives in _windows.go files.
package platform

import "runtime"

// Host returns the GOOS and GOARCH toolchains are installed for by default.
func Host() (goos, goarch string) {
	return runtime.GOOS, hostArch()
}

// ExeSuffix is ".exe" on Windows and empty elsewhere.
func ExeSuffix() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}
