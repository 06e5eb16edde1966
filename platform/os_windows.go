package platform

import (
	"io/fs"
	"strings"

	"golang.org/x/sys/windows"
)

const exeSuffix = ".exe"

// Privileged reports whether this process runs elevated (as administrator).
func Privileged() bool { return windows.GetCurrentProcessToken().IsElevated() }

func isExecutable(fi fs.FileInfo) bool { return !fi.IsDir() }

// Environment names are case-insensitive on Windows (Path, PATH).
func envKeyEqual(a, b string) bool { return strings.EqualFold(a, b) }
