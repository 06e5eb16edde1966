package atomicfile

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// rename retries briefly: on Windows a reader (an antivirus scanner, another
// gover) holding the target open makes MoveFileEx fail with access denied.
func rename(from, to string) error {
	var err error
	for i := 0; i < 20; i++ {
		if err = os.Rename(from, to); err == nil || !errors.Is(err, syscall.ERROR_ACCESS_DENIED) {
			return err
		}
		time.Sleep(time.Duration(i+1) * 5 * time.Millisecond)
	}
	return err
}
