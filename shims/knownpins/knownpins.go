// Package knownpins remembers the pin files gover has written or seen
// (.go-version, .tool-versions, go.work, go.mod), so that 'gover prune' can
// tell which installed versions something still selects.
//
// The shim never writes here: it must not pay for a write on every go call.
// 'gover use' records the file it writes; 'current', 'which', 'env', 'exec'
// and the shell hook record the file that selected the version they
// reported. A pin that was only ever used through the shim is therefore
// unknown until one of those runs in its folder; prune says so.
//
// The list lives beside the versions folder, not in the cache: clearing a
// cache must not make prune forget what is pinned.
package knownpins

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/internal/lockfile"
	"github.com/goverdev/gover/internal/paths"
)

// File is the list's path in a layout.
func File(l paths.Layout) string { return filepath.Join(filepath.Dir(l.Versions), "known-pins") }

// Add records pin (an absolute path) unless the list has it already.
func Add(file, pin string) error {
	if !filepath.IsAbs(pin) || strings.ContainsAny(pin, "\r\n") {
		return nil // not a file, or a name the one-per-line list cannot hold
	}
	pins, err := List(file)
	if err != nil || slices.Contains(pins, pin) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	unlock, err := lockfile.Lock(context.Background(), file+".lock", nil)
	if err != nil {
		return err
	}
	defer unlock()
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(pin + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// List returns the recorded pins, each once, in the order they were added.
func List(file string) ([]string, error) {
	data, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var pins []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if p := strings.TrimSpace(sc.Text()); p != "" && !slices.Contains(pins, p) {
			pins = append(pins, p)
		}
	}
	return pins, sc.Err()
}

// Keep rewrites the list to hold exactly pins (prune drops pins whose file
// is gone).
func Keep(file string, pins []string) error {
	unlock, err := lockfile.Lock(context.Background(), file+".lock", nil)
	if err != nil {
		return err
	}
	defer unlock()
	var b strings.Builder
	for _, p := range pins {
		b.WriteString(p + "\n")
	}
	return atomicfile.Write(file, []byte(b.String()), 0o644)
}
