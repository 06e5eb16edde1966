package installer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// lock takes name's install lock, saying so when another gover holds it.
// The lock is a file lock: the kernel drops it when a process dies, so a
// killed install never blocks the next one.
func (in *Installer) lock(ctx context.Context, name string) (unlock func(), err error) {
	if err := os.MkdirAll(in.Layout.Locks(), 0o755); err != nil {
		return nil, err
	}
	l := flock.New(filepath.Join(in.Layout.Locks(), name+".lock"))
	ok, err := l.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", l.Path(), err)
	}
	if !ok {
		in.say("waiting for another gover installing %s…", name)
		if ok, err = l.TryLockContext(ctx, 100*time.Millisecond); !ok {
			if err == nil {
				err = ctx.Err()
			}
			return nil, fmt.Errorf("lock %s: %w", l.Path(), err)
		}
	}
	return func() { l.Unlock() }, nil
}
