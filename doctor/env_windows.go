package doctor

import (
	"os"
	"strings"
)

// envKey is how environment variable names compare: Windows ignores case
// (Path and PATH are one variable).
func envKey(k string) string { return strings.ToUpper(k) }

// isExecutable reports whether p is a file (Windows runs go.exe by name).
func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}
