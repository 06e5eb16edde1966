package platform

import (
	"strings"

	"golang.org/x/sys/windows"
)

// Privileged reports whether this process runs elevated (as administrator).
func Privileged() bool { return windows.GetCurrentProcessToken().IsElevated() }

// Environment names are case-insensitive on Windows (Path, PATH).
func envKeyEqual(a, b string) bool { return strings.EqualFold(a, b) }
