//go:build unix

package selection

import (
	"errors"
	"syscall"
)

func isENOTDIR(err error) bool { return errors.Is(err, syscall.ENOTDIR) }
