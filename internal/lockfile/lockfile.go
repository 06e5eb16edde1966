// Package lockfile takes the file locks that keep two gover processes
// from working on the same thing at once (an install of one version, a
// mirror folder, the checksum database's cache, the shims folder).
//
// The locks are advisory file locks: the kernel drops one when its process
// dies, so a killed gover never blocks the next.
package lockfile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// pollEvery is how often a busy lock is tried again.
const pollEvery = 100 * time.Millisecond

// Lock takes the lock at path, creating the file and its folder. When
// another process holds it, say (if not nil) is called once, so the user
// learns what gover waits for, and Lock waits until the lock is free or ctx
// ends.
func Lock(ctx context.Context, path string, say func()) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	l := flock.New(path)
	ok, err := l.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		if say != nil {
			say()
		}
		if ok, err = l.TryLockContext(ctx, pollEvery); !ok {
			if err == nil {
				err = ctx.Err()
			}
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
	}
	return func() { l.Unlock() }, nil
}

// TryLock takes the lock at path if it is free now; ok is false when
// another process holds it (or it cannot be taken at all).
func TryLock(path string) (unlock func(), ok bool) {
	if os.MkdirAll(filepath.Dir(path), 0o755) != nil {
		return nil, false
	}
	l := flock.New(path)
	if ok, err := l.TryLock(); err != nil || !ok {
		return nil, false
	}
	return func() { l.Unlock() }, true
}
