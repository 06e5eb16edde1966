package verify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goverdev/gover/internal/manifest"
)

// A TreeReport says how an installed tree differs from the manifest written
// when it was installed. Paths are slash-separated, relative to the tree,
// and sorted.
type TreeReport struct {
	// Files is how many entries the manifest lists.
	Files int `json:"files"`
	// Changed lists entries whose content, mode, link target or type
	// differ, one Change per path and way.
	Changed []Change `json:"changed"`
	// Missing lists entries of the manifest that are gone.
	Missing []string `json:"missing"`
	// Extra lists files, links and other non-folders the manifest does not
	// have. Empty extra folders are not reported.
	Extra []string `json:"extra"`
	// Hashed is how many files were read and hashed; the others' status
	// matched the stat cache (TreeOptions.StatCache).
	Hashed int `json:"-"`
}

// OK reports whether the tree is exactly as installed.
func (r *TreeReport) OK() bool {
	return len(r.Changed) == 0 && len(r.Missing) == 0 && len(r.Extra) == 0
}

// Differences counts the paths that differ.
func (r *TreeReport) Differences() int {
	n := len(r.Missing) + len(r.Extra)
	for i, c := range r.Changed {
		if i == 0 || r.Changed[i-1].Path != c.Path {
			n++
		}
	}
	return n
}

// A Change is one way an entry differs from its manifest entry.
type Change struct {
	Path string `json:"path"`
	// What changed: "content" (Want and Got are SHA-256 digests), "mode"
	// (permission bits in octal), "target" (a link's), "type" ("file",
	// "link", "folder" or "other"), or "unreadable" (Got is the error).
	What string `json:"what"`
	Want string `json:"want,omitempty"`
	Got  string `json:"got,omitempty"`
}

func (c Change) String() string {
	switch c.What {
	case "content":
		return c.Path + ": content changed"
	case "unreadable":
		return c.Path + ": unreadable: " + c.Got
	}
	return fmt.Sprintf("%s: %s is %s, want %s", c.Path, c.What, c.Got, c.Want)
}

// Tree re-hashes the installed tree at dir and compares it with m, the
// manifest its install recorded: every file's content (SHA-256) and
// permission bits, every link's target, and the list of entries itself.
// Files are hashed by one worker per CPU. Permission bits are compared
// where the file system keeps them (not on Windows). The error is for a
// tree that cannot be read at all; everything else is in the report.
func Tree(ctx context.Context, dir string, m manifest.Manifest) (*TreeReport, error) {
	return tree(ctx, dir, m, TreeOptions{}, runtime.GOMAXPROCS(0))
}

// TreeOptions tune TreeWith.
type TreeOptions struct {
	// StatCache is the file of this tree's stat cache (statcache.go), or
	// "": files whose status is still what it recorded when they last
	// hashed to the manifest are not hashed again. It is rewritten with the
	// files hashed this time.
	StatCache string
	// Deep hashes every file whatever the stat cache says (and refreshes it).
	Deep bool

	now func() time.Time // for tests: the clock the racy window is measured on
}

// TreeWith is Tree with a stat cache: the checks doctor makes on every
// run read only the files that changed, or every one with Deep.
func TreeWith(ctx context.Context, dir string, m manifest.Manifest, opt TreeOptions) (*TreeReport, error) {
	return tree(ctx, dir, m, opt, runtime.GOMAXPROCS(0))
}

// tree is TreeWith with a given number of hashing workers (for the benchmark).
func tree(ctx context.Context, dir string, m manifest.Manifest, opt TreeOptions, workers int) (*TreeReport, error) {
	start := time.Now()
	if opt.now != nil {
		start = opt.now()
	}
	found, unreadable, err := walk(dir)
	if err != nil {
		return nil, err
	}
	r := &TreeReport{Files: len(m.Files), Changed: unreadable}
	var jobs []int // indexes into m.Files of regular files to hash
	for i, f := range m.Files {
		typ, ok := found[f.Path]
		if !ok {
			r.Missing = append(r.Missing, f.Path)
			continue
		}
		delete(found, f.Path)
		want := "file"
		if f.IsLink() {
			want = "link"
		}
		if got := typeName(typ); got != want {
			r.Changed = append(r.Changed, Change{Path: f.Path, What: "type", Want: want, Got: got})
			continue
		}
		if f.IsLink() {
			target, err := os.Readlink(filepath.Join(dir, filepath.FromSlash(f.Path)))
			if err != nil {
				r.Changed = append(r.Changed, Change{Path: f.Path, What: "unreadable", Got: err.Error()})
			} else if target != f.Target {
				r.Changed = append(r.Changed, Change{Path: f.Path, What: "target", Want: f.Target, Got: target})
			}
			continue
		}
		jobs = append(jobs, i)
	}
	for p, typ := range found {
		if typ != fs.ModeDir {
			r.Extra = append(r.Extra, p)
		}
	}

	var cache *statCache
	if opt.StatCache != "" {
		cache = readStatCache(opt.StatCache, dir, &m)
	}
	h := &hasher{dir: dir, files: m.Files, cache: cache, deep: opt.Deep, start: start}
	changes, hashed, err := h.run(ctx, jobs, workers)
	if err != nil {
		return nil, err
	}
	r.Changed = append(r.Changed, changes...)
	r.Hashed = hashed
	if cache != nil && h.changed.Load() {
		cache.write(opt.StatCache) // a cache that cannot be written only costs the next run time
	}
	slices.SortStableFunc(r.Changed, func(a, b Change) int {
		if a.Path < b.Path {
			return -1
		}
		if a.Path > b.Path {
			return 1
		}
		return 0
	})
	slices.Sort(r.Missing)
	slices.Sort(r.Extra)
	// Empty lists, not nil: JSON readers get [] rather than null.
	r.Changed = cmpOr(r.Changed, []Change{})
	r.Missing = cmpOr(r.Missing, []string{})
	r.Extra = cmpOr(r.Extra, []string{})
	return r, nil
}

// walk lists every entry under dir by slash path, with its type bits.
// Folders that cannot be read are reported as unreadable changes; a dir
// that cannot be read at all is an error.
func walk(dir string) (map[string]fs.FileMode, []Change, error) {
	found := map[string]fs.FileMode{}
	var unreadable []Change
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if p == dir {
			if err != nil {
				return err
			}
			if !d.IsDir() {
				return fmt.Errorf("%s is not a folder", dir)
			}
			return nil
		}
		rel, rerr := filepath.Rel(dir, p)
		if rerr != nil {
			return rerr
		}
		rel = filepath.ToSlash(rel)
		if err != nil {
			unreadable = append(unreadable, Change{Path: rel, What: "unreadable", Got: err.Error()})
			return nil // WalkDir skips the folder it could not read
		}
		found[rel] = d.Type()
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read installed tree: %w", err)
	}
	return found, unreadable, nil
}

func typeName(t fs.FileMode) string {
	switch {
	case t.IsRegular():
		return "file"
	case t&fs.ModeSymlink != 0:
		return "link"
	case t.IsDir():
		return "folder"
	}
	return "other"
}

// A hasher checks the files of a tree against their manifest entries,
// skipping those the stat cache (if any) shows unchanged unless deep, and
// recording in it the status of those that hash as they should.
type hasher struct {
	dir     string
	files   []manifest.File
	cache   *statCache // nil: none
	deep    bool
	start   time.Time
	changed atomic.Bool // the cache's entries changed
}

// run checks the files at jobs (indexes into files) with workers
// goroutines taking the next file as they go, so one big file does not
// hold the others back. It returns the changes and how many files it hashed.
func (h *hasher) run(ctx context.Context, jobs []int, workers int) ([]Change, int, error) {
	workers = max(1, min(workers, len(jobs)))
	results := make([][]Change, len(jobs))
	var next, hashed atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 256<<10)
			sha := sha256.New()
			for {
				j := int(next.Add(1)) - 1
				if j >= len(jobs) || ctx.Err() != nil {
					return
				}
				i := jobs[j]
				if h.skip(i) {
					continue
				}
				hashed.Add(1)
				var fi fs.FileInfo
				results[j], fi = checkFile(h.dir, h.files[i], sha, buf)
				h.record(i, fi, len(results[j]) == 0)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	var out []Change
	for _, r := range results {
		out = append(out, r...)
	}
	return out, int(hashed.Load()), nil
}

// skip reports whether file i is still as it was when it last hashed to
// its entry, with the permission bits the manifest wants.
func (h *hasher) skip(i int) bool {
	if h.cache == nil || h.deep || h.cache.stats[i] == (fileStat{}) {
		return false
	}
	want := h.files[i]
	fi, err := os.Lstat(filepath.Join(h.dir, filepath.FromSlash(want.Path)))
	return err == nil && fi.Mode().IsRegular() && unchanged(fi, h.cache.stats[i]) &&
		(!ModesKept || fi.Mode().Perm() == want.Mode.Perm())
}

// record sets file i's cache entry after it was hashed: its status before
// it was read if it matched its entry, else nothing.
func (h *hasher) record(i int, fi fs.FileInfo, ok bool) {
	if h.cache == nil {
		return
	}
	var s fileStat
	if ok && fi != nil {
		s, _ = cacheable(fi, h.start)
	}
	if h.cache.stats[i] != s {
		h.cache.stats[i] = s
		h.changed.Store(true)
	}
}

// checkFile hashes one regular file and compares it with its entry; fi is
// its status before it was read (nil if it could not be opened).
func checkFile(dir string, want manifest.File, h hash.Hash, buf []byte) (changes []Change, fi fs.FileInfo) {
	f, err := os.Open(filepath.Join(dir, filepath.FromSlash(want.Path)))
	if err != nil {
		return []Change{{Path: want.Path, What: "unreadable", Got: err.Error()}}, nil
	}
	defer f.Close()
	fi, err = f.Stat()
	if err != nil {
		return []Change{{Path: want.Path, What: "unreadable", Got: err.Error()}}, nil
	}
	h.Reset()
	// Hiding the file's WriteTo makes io.CopyBuffer use buf: fewer, larger reads.
	if _, err := io.CopyBuffer(h, struct{ io.Reader }{f}, buf); err != nil {
		return []Change{{Path: want.Path, What: "unreadable", Got: err.Error()}}, nil
	}
	var out []Change
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	if sum != want.SHA256 {
		out = append(out, Change{Path: want.Path, What: "content", Want: hex.EncodeToString(want.SHA256[:]), Got: hex.EncodeToString(sum[:])})
	}
	if ModesKept && fi.Mode().Perm() != want.Mode.Perm() {
		out = append(out, Change{Path: want.Path, What: "mode", Want: fmt.Sprintf("%04o", want.Mode.Perm()), Got: fmt.Sprintf("%04o", fi.Mode().Perm())})
	}
	return out, fi
}

func cmpOr[S ~[]E, E any](s, empty S) S {
	if s == nil {
		return empty
	}
	return s
}
