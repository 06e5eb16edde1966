package installer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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

// sweep removes what killed installs of any version left behind, for the
// versions nobody is installing now (their lock is free).
func (in *Installer) sweep() {
	stale := Stale(in.Layout)
	if len(stale) == 0 || os.MkdirAll(in.Layout.Locks(), 0o755) != nil {
		return
	}
	for _, path := range stale {
		name := staleName(filepath.Base(path))
		if name == "" {
			continue
		}
		l := flock.New(filepath.Join(in.Layout.Locks(), name+".lock"))
		if ok, err := l.TryLock(); err == nil && ok {
			in.cleanStale(name)
			l.Unlock()
		}
	}
}

// staleName is the version folder a leftover belongs to:
// ".go1.22.5.tmp-123" → "go1.22.5".
func staleName(base string) string {
	base = strings.TrimPrefix(base, ".")
	for _, sep := range []string{".tmp-", ".old-"} {
		if i := strings.LastIndex(base, sep); i > 0 {
			return base[:i]
		}
	}
	return ""
}
