package robustio

import (
	"errors"
	"syscall"
)

// isEphemeralError reports whether err may clear up by waiting: macOS
// reports a file that is there as missing for a moment at times (cmd/go
// retries it too).
func isEphemeralError(err error) bool {
	var errno syscall.Errno
	return errors.As(err, &errno) && errno == syscall.ENOENT
}
