package selection

import (
	"errors"
	"syscall"
)

// ERROR_PATH_NOT_FOUND is what Windows says where Unix says ENOTDIR.
func isENOTDIR(err error) bool { return errors.Is(err, syscall.ERROR_PATH_NOT_FOUND) }
