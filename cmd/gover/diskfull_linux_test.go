package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/goverdev/gover/internal/testdist"
)

// A disk that fills up mid-install: the error names the folder and the
// space a toolchain needs there, and nothing partial stays behind (no
// temporary tree, no partial download taking the last of the space).
// A streamed install writes the download and the tree at once, so on one
// disk the error always names versions/ (whichever write failed first);
// a download cache on a disk of its own is named when it is the one full.
// The disk is a small tmpfs, which only root may mount: outside CI the
// test skips for other users; in CI (which runs as root) it must run.
func TestDiskFull(t *testing.T) {
	d := testdist.New(t, testdist.Options{ExtraFiles: 2000})
	file, data := d.Archive("go1.22.5", "linux", "amd64")
	half := itoa(len(data)/2/1024) + "k"
	downloads := filepath.Join("cache", "downloads")
	for _, tc := range []struct {
		name  string
		mount string // where the tmpfs goes, under GOVER_ROOT
		size  string // of the tmpfs
		dir   string // the folder the error must name, under GOVER_ROOT
	}{
		// The archive fits; the unpacked tree (a page per small file) does not.
		{"while unpacking", "", "1m", "versions"},
		// Not even the download fits, on the disk that holds both.
		{"one disk smaller than the download", "", half, "versions"},
		// The download cache has its own disk, too small for the archive.
		{"download cache on its own disk", downloads, half, downloads},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, d)
			mountTmpfs(t, filepath.Join(w.root, tc.mount), tc.size)
			_, stderr, code := w.run("gover", "install", "1.22.5")
			want := regexp.MustCompile(`(?m)^gover: no space left in ` + regexp.QuoteMeta(filepath.Join(w.root, tc.dir)) +
				`: a toolchain needs about [1-9][0-9]* [KMG]B there \(free some space, or set GOVER_ROOT to a larger disk\)$`)
			if code != 1 || !want.MatchString(stderr) || strings.Count(stderr, "gover:") != 1 {
				t.Fatalf("exit %d, stderr %q; want exit 1 and %s", code, stderr, want)
			}
			t.Log(want.FindString(stderr))
			if listed := w.checkWhole(true); len(listed) != 0 {
				t.Fatalf("list shows %v after a full disk", listed)
			}
			if _, err := os.Stat(filepath.Join(w.layout().Downloads(), file+".part")); !os.IsNotExist(err) {
				t.Errorf("the partial download stayed on the full disk: %v", err)
			}
			entries, _ := os.ReadDir(w.layout().Versions)
			for _, e := range entries {
				t.Errorf("versions/ holds %s after a full disk", e.Name())
			}
		})
	}
}

// mountTmpfs mounts a tmpfs of the given size on dir (created) until the
// test ends.
func mountTmpfs(t *testing.T, dir, size string) {
	t.Helper()
	inCI := os.Getenv("CI") != "" || os.Getenv("GOVER_TEST_APT") != ""
	if os.Geteuid() != 0 && !inCI {
		t.Skip("mounting a small tmpfs needs root; CI runs this as root")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0755"); err != nil {
		t.Fatalf("mount a %s tmpfs on %s: %v", size, dir, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
}
