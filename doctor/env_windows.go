package doctor

import (
	"strings"
)

// envKey is how environment variable names compare: Windows ignores case
// (Path and PATH are one variable).
func envKey(k string) string { return strings.ToUpper(k) }
