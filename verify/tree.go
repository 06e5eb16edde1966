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
	"path"
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
	found, unreadable, err := walk(dir, opt.StatCache != "" && !opt.Deep)
	if err != nil {
		return nil, err
	}
	r := &TreeReport{Files: len(m.Files), Changed: unreadable}
	var jobs []int // indexes into m.Files of regular files to hash
	stats := make([]walkEntry, len(m.Files))
	for i, f := range m.Files {
		e, ok := found[f.Path]
		typ := e.typ
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
		stats[i] = e
	}
	for p, e := range found {
		if e.typ != fs.ModeDir {
			r.Extra = append(r.Extra, p)
		}
	}

	var cache *statCache
	if opt.StatCache != "" {
		cache = readStatCache(opt.StatCache, dir, &m)
	}
	h := &hasher{dir: dir, files: m.Files, stats: stats, cache: cache, deep: opt.Deep, start: start}
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

// A walkEntry is one path found under a tree: its type bits and, when
// asked for, a regular file's status and permission bits.
type walkEntry struct {
	typ     fs.FileMode
	stat    fileStat
	perm    fs.FileMode
	hasStat bool
}

// walkers bounds the folders read at once. Reading a cold tree is a chain
// of small random reads, one folder after another: many at once keep the
// disk's queue full (ten go1.22.x trees, cold: 4.7 s one at a time, under
// 2 s this way).
const walkers = 32

// walk lists every entry under dir by slash path, with its type bits, and
// with withInfo also the status of every regular file. Folders that
// cannot be read are reported as unreadable changes; a dir that cannot be
// read at all is an error.
func walk(dir string, withInfo bool) (map[string]walkEntry, []Change, error) {
	fi, err := os.Lstat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("read installed tree: %w", err)
	}
	if !fi.IsDir() {
		return nil, nil, fmt.Errorf("read installed tree: %s is not a folder", dir)
	}
	w := &walker{root: dir, withInfo: withInfo, found: map[string]walkEntry{}, sem: make(chan struct{}, walkers)}
	if err := w.readDir(""); err != nil {
		return nil, nil, fmt.Errorf("read installed tree: %w", err)
	}
	w.wg.Wait()
	return w.found, w.unreadable, nil
}

// A walker reads a tree's folders in parallel.
type walker struct {
	root       string
	withInfo   bool
	sem        chan struct{}
	wg         sync.WaitGroup
	mu         sync.Mutex
	found      map[string]walkEntry
	unreadable []Change
}

// readDir lists the folder rel, handing its subfolders to other
// goroutines while there are free ones, else reading them itself.
func (w *walker) readDir(rel string) error {
	d, err := os.Open(filepath.Join(w.root, filepath.FromSlash(rel)))
	var entries []fs.DirEntry
	if err == nil {
		entries, err = d.ReadDir(-1)
	}
	if err != nil {
		if d != nil {
			d.Close()
		}
		if rel == "" {
			return err
		}
		w.mu.Lock()
		w.unreadable = append(w.unreadable, Change{Path: rel, What: "unreadable", Got: err.Error()})
		w.mu.Unlock()
		return nil
	}
	found := make([]walkEntry, len(entries))
	for i, e := range entries {
		f := &found[i]
		f.typ = e.Type()
		if w.withInfo && f.typ.IsRegular() {
			// No status: the file is hashed, and the hash says what is wrong.
			f.stat, f.perm, f.hasStat = statAt(d, e.Name())
		}
	}
	d.Close()
	w.mu.Lock()
	for i, e := range entries {
		w.found[path.Join(rel, e.Name())] = found[i]
	}
	w.mu.Unlock()
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub := path.Join(rel, e.Name())
		select {
		case w.sem <- struct{}{}:
			w.wg.Add(1)
			go func() {
				defer w.wg.Done()
				w.readDir(sub)
				<-w.sem
			}()
		default:
			w.readDir(sub)
		}
	}
	return nil
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
	stats   []walkEntry // by file, as the walk found them (hasStat false: not asked for)
	cache   *statCache  // nil: none
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
	want, e := h.files[i], h.stats[i]
	if !e.hasStat {
		fi, err := os.Lstat(filepath.Join(h.dir, filepath.FromSlash(want.Path)))
		if err != nil || !fi.Mode().IsRegular() {
			return false
		}
		e.stat, e.hasStat = statOf(fi)
		e.perm = fi.Mode().Perm()
	}
	return e.hasStat && e.stat == h.cache.stats[i] && (!ModesKept || e.perm == want.Mode.Perm())
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
