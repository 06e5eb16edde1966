// Package shims keeps the shims folder in step with the installed
// toolchains: one copy (or hard link) of gover-shim per program the
// toolchains' bin folders hold, always at least go and gofmt.
package shims

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goverdev/gover/internal/lockfile"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/shims/selection"
	"github.com/goverdev/gover/shims/toolenv"
)

// Always are the programs that get a shim even before anything is installed.
var Always = []string{"go", "gofmt"}

// Wanted lists the program names that need a shim: go, gofmt and whatever
// else the installed toolchains' bin folders hold, without ".exe".
func Wanted(l paths.Layout) []string {
	set := map[string]bool{}
	for _, p := range Always {
		set[p] = true
	}
	for _, v := range selection.Installed(l) {
		entries, _ := os.ReadDir(filepath.Join(l.Toolchain(v), "bin"))
		for _, e := range entries {
			if !e.IsDir() {
				set[strings.TrimSuffix(e.Name(), toolenv.ExeSuffix)] = true
			}
		}
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Reshim makes the shims folder hold exactly the wanted shims, each
// identical to shimExe. Each shim is replaced by a rename, so a go command
// starting meanwhile finds the old shim or the new one, never a missing or
// half-written file. It reports the names it wrote or removed.
func Reshim(l paths.Layout, shimExe string) (changed []string, err error) {
	if err := os.MkdirAll(l.Shims, 0o755); err != nil {
		return nil, err
	}
	if err := paths.CheckOwned(l.Shims); err != nil {
		return nil, err
	}
	unlock, err := lockfile.Lock(context.Background(), filepath.Join(l.Shims, ".reshim.lock"), nil)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// Shims that were running when an earlier reshim replaced them (Windows).
	if old, _ := filepath.Glob(filepath.Join(l.Shims, ".*.old-*")); len(old) > 0 {
		for _, o := range old {
			os.Remove(o)
		}
	}

	src, err := os.Stat(shimExe)
	if err != nil {
		return nil, fmt.Errorf("find gover-shim: %w (reinstall gover with install.sh)", err)
	}
	wanted := Wanted(l)
	for _, name := range wanted {
		dst := filepath.Join(l.Shims, name+toolenv.ExeSuffix)
		if err := paths.CheckOwned(dst); err != nil {
			return changed, err
		}
		if fi, err := os.Stat(dst); err == nil && toolenv.IsShim(dst, fi, shimExe, src) {
			continue
		}
		if err := install(shimExe, dst); err != nil {
			return changed, fmt.Errorf("write shim %s: %w", dst, err)
		}
		changed = append(changed, name)
	}
	entries, _ := os.ReadDir(l.Shims)
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), toolenv.ExeSuffix)
		if strings.HasPrefix(e.Name(), ".") || slices.Contains(wanted, name) {
			continue
		}
		if err := paths.CheckOwned(filepath.Join(l.Shims, e.Name())); err != nil {
			return changed, err
		}
		if err := remove(filepath.Join(l.Shims, e.Name())); err == nil {
			changed = append(changed, name)
		}
	}
	return changed, nil
}

// install puts a copy of shimExe at dst by rename (see link for when the
// copy is a hard link).
func install(shimExe, dst string) error {
	tmp := dst + ".tmp-" + fmt.Sprint(os.Getpid())
	os.Remove(tmp)
	if err := link(shimExe, tmp); err != nil {
		if err := copyFile(shimExe, tmp); err != nil {
			os.Remove(tmp)
			return err
		}
	}
	if err := replace(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
