package installer

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// runningFrom lists the processes whose program lies under dir, as
// "pid 4242 (go)". A go command runs bin/go and the tools in pkg/tool from
// its toolchain's folder, so one that is building shows up here. Processes
// of other users, whose /proc entries are closed, are not seen.
func runningFrom(dir string) []string {
	dir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		exe, err := os.Readlink("/proc/" + e.Name() + "/exe")
		if err != nil || exe != dir && !strings.HasPrefix(exe, dir+string(filepath.Separator)) {
			continue
		}
		comm, _ := os.ReadFile("/proc/" + e.Name() + "/comm")
		out = append(out, "pid "+e.Name()+" ("+strings.TrimSpace(string(comm))+")")
	}
	return out
}
