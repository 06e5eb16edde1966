//go:build linux || darwin

package verify

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/goverdev/gover/internal/manifest"
)

func statTree(t *testing.T) (dir string, m manifest.Manifest, cache string) {
	files := map[string]string{"VERSION": "go1.22.5\n", "bin/go": "#!go binary", "src/fmt/print.go": "package fmt\n"}
	for i := range 20 {
		files[fmt.Sprintf("src/pkg/f%d.go", i)] = fmt.Sprintf("package pkg // %d\n", i)
	}
	dir, m = makeTree(t, files)
	return dir, m, filepath.Join(t.TempDir(), "cache", "go1.22.5.stat")
}

func checkTreeOpt(t *testing.T, dir string, m manifest.Manifest, opt TreeOptions) *TreeReport {
	t.Helper()
	r, err := tree(context.Background(), dir, m, opt, 2)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// An unchanged tree is not read again; a changed file is, and only it.
func TestStatCacheSkipsUnchanged(t *testing.T) {
	dir, m, cache := statTree(t)
	opt := TreeOptions{StatCache: cache, now: afterRacyWindow}
	if r := checkTreeOpt(t, dir, m, opt); r.Hashed != len(m.Files) || !r.OK() {
		t.Fatalf("first run: hashed %d of %d, %+v", r.Hashed, len(m.Files), r)
	}
	if r := checkTreeOpt(t, dir, m, opt); r.Hashed != 0 || !r.OK() {
		t.Fatalf("second run: hashed %d, want 0 (%+v)", r.Hashed, r)
	}
	past(t)
	p := filepath.Join(dir, "src/fmt/print.go")
	fi, _ := os.Stat(p)
	write(t, p, "package FMT\n", 0o644) // same size
	os.Chtimes(p, fi.ModTime(), fi.ModTime())
	if r := checkTreeOpt(t, dir, m, opt); r.Hashed != 1 || len(r.Changed) != 1 || r.Changed[0].Path != "src/fmt/print.go" {
		t.Fatalf("after a change: hashed %d, %+v", r.Hashed, r)
	}
	// Deep reads everything whatever the cache says.
	if r := checkTreeOpt(t, dir, m, TreeOptions{StatCache: cache, Deep: true, now: afterRacyWindow}); r.Hashed != len(m.Files) {
		t.Fatalf("deep: hashed %d of %d", r.Hashed, len(m.Files))
	}
}

// Files changed less than racyWindow ago are not recorded: a change in the
// same tick of the file system's clock could leave their ctime as it was.
func TestStatCacheRacyFiles(t *testing.T) {
	dir, m, cache := statTree(t)
	checkTreeOpt(t, dir, m, TreeOptions{StatCache: cache}) // the real clock: every file is new
	if r := checkTreeOpt(t, dir, m, TreeOptions{StatCache: cache}); r.Hashed != len(m.Files) {
		t.Fatalf("hashed %d of %d: files changed just now were trusted", r.Hashed, len(m.Files))
	}
}

// Whatever the cache file says, a changed file is found: a rewrite of the
// cache can only make more files hashed. Played here: the cache from
// before the change put back; a cache from a copy of the tree (other
// inodes); one made for another manifest; and random corruptions.
func TestStatCacheRewritesCannotHideChanges(t *testing.T) {
	dir, m, cache := statTree(t)
	opt := TreeOptions{StatCache: cache, now: afterRacyWindow}
	checkTreeOpt(t, dir, m, opt)
	good, err := os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}

	// A copy of the tree, hashed in its own folder with its own cache.
	cp := filepath.Join(t.TempDir(), "copy")
	if out, err := exec.Command("cp", "-a", dir, cp).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	copyCache := filepath.Join(t.TempDir(), "copy.stat")
	checkTreeOpt(t, cp, m, TreeOptions{StatCache: copyCache, now: afterRacyWindow})
	fromCopy, _ := os.ReadFile(copyCache)

	past(t)
	changed := "bin/go"
	write(t, filepath.Join(dir, changed), "#!GO binary", 0o755)
	deep := checkTreeOpt(t, dir, m, TreeOptions{})

	other := m
	other.Files = append([]manifest.File(nil), m.Files...)
	other.Files[0].SHA256[0] ^= 1
	otherCache := filepath.Join(t.TempDir(), "other.stat")
	c := readStatCache(otherCache, dir, &other)
	for i, f := range m.Files {
		fi, _ := os.Lstat(filepath.Join(dir, f.Path))
		c.stats[i], _ = statOf(fi) // the current status of every file, changed one included
	}
	if err := c.write(otherCache); err != nil {
		t.Fatal(err)
	}
	forOther, _ := os.ReadFile(otherCache)

	rewrites := map[string][]byte{
		"the cache from before the change": good,
		"the cache of a copy of the tree":  fromCopy,
		"a cache bound to another record":  forOther,
		"empty":                            nil,
		"truncated":                        good[:len(good)/2],
	}
	rnd := rand.New(rand.NewPCG(3, 4))
	for i := range 200 {
		b := bytes.Clone(good)
		for range 1 + rnd.IntN(8) {
			b[rnd.IntN(len(b))] ^= byte(1 + rnd.IntN(255))
		}
		rewrites[fmt.Sprintf("corrupted %d", i)] = b
	}
	for name, data := range rewrites {
		if err := os.WriteFile(cache, data, 0o644); err != nil {
			t.Fatal(err)
		}
		got := checkTreeOpt(t, dir, m, opt)
		got.Hashed = deep.Hashed
		if !reflect.DeepEqual(norm(*got), norm(*deep)) {
			t.Fatalf("%s: report %+v, a full hash finds %+v", name, *got, *deep)
		}
	}
}
