package installer

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/goverdev/gover/internal/lockfile"
)

// lock takes name's install lock, saying so when another gover holds it.
// The lock is a file lock: the kernel drops it when a process dies, so a
// killed install never blocks the next one.
func (in *Installer) lock(ctx context.Context, name string) (unlock func(), err error) {
	return lockfile.Lock(ctx, in.lockPath(name), func() { in.say("waiting for another gover installing %s…", name) })
}

func (in *Installer) lockPath(name string) string {
	return filepath.Join(in.Layout.Locks(), name+".lock")
}

// sweep removes what killed installs of any version left behind, for the
// versions nobody is installing now (their lock is free).
func (in *Installer) sweep() {
	for _, path := range Stale(in.Layout) {
		name := staleName(filepath.Base(path))
		if name == "" {
			continue
		}
		if unlock, ok := lockfile.TryLock(in.lockPath(name)); ok {
			in.cleanStale(name)
			unlock()
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
