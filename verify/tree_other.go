//go:build !windows

package verify

// ModesKept says the file system keeps the permission bits the installer
// gave each file, so a changed mode (say, bin/go no longer executable) is
// a difference worth reporting.
const ModesKept = true
