//go:build windows || darwin

package robustio

import (
	"errors"
	"math/rand/v2"
	"os"
	"syscall"
	"time"
)

// giveUpAfter is how long an ephemeral error is waited out (cmd/go's
// arbitraryTimeout).
const giveUpAfter = 2 * time.Second

// retry runs f until it succeeds, fails for good, or giveUpAfter passes.
// Of the errors seen it returns the one with the lowest errno, which is the
// most informative (a not-found rather than the access-denied that
// followed it), as cmd/go does.
func retry(f func() (err error, mayRetry bool)) error {
	var (
		bestErr     error
		lowestErrno syscall.Errno
		start       time.Time
		nextSleep   = time.Millisecond
	)
	for {
		err, mayRetry := f()
		if err == nil || !mayRetry {
			return err
		}
		var errno syscall.Errno
		if errors.As(err, &errno) && (lowestErrno == 0 || errno < lowestErrno) {
			bestErr, lowestErrno = err, errno
		} else if bestErr == nil {
			bestErr = err
		}
		if start.IsZero() {
			start = time.Now()
		} else if time.Since(start)+nextSleep >= giveUpAfter {
			return bestErr
		}
		time.Sleep(nextSleep)
		nextSleep += time.Duration(rand.Int64N(int64(nextSleep)))
	}
}

func rename(oldpath, newpath string) error {
	return retry(func() (error, bool) {
		err := os.Rename(oldpath, newpath)
		return err, isEphemeralError(err)
	})
}
