package unpack

import (
	"archive/zip"
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/klauspost/compress/flate"

	"github.com/goverdev/gover/internal/manifest"
)

const (
	// Zip creator hosts (APPNOTE 4.4.2) whose external attributes hold a Unix mode.
	creatorUnix  = 3
	creatorMacOS = 19

	zipBufSize = 256 << 10
)

// Zip unpacks the zip archive in r (size bytes) into dest, which must exist and be empty, with parallel workers.
// It also returns the module's "h1:" hash exactly as golang.org/x/mod/sumdb/dirhash.HashZip(file, dirhash.Hash1)
// would compute it (over the archive's original entry names, including the prefix and "_go.mod", for every
// entry in the central directory), computed from the same decompression pass used for writing — do not
// decompress twice.
//
// Every entry is checked before anything is written. r must allow concurrent ReadAt calls,
// as *os.File and *bytes.Reader do.
func Zip(ctx context.Context, r io.ReaderAt, size int64, dest string, opt Options) (m *manifest.Manifest, h1 string, err error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	cfg := opt.config()
	zr, err := zip.NewReader(r, size)
	if err != nil && err != zip.ErrInsecurePath { // insecure paths are judged by planZip
		return nil, "", fmt.Errorf("read zip: %w", err)
	}
	flates := &sync.Pool{}
	zr.RegisterDecompressor(zip.Deflate, func(r io.Reader) io.ReadCloser { return newFlateReader(flates, r) })
	plan, err := planZip(zr.File, cfg)
	if err != nil {
		return nil, "", err
	}

	d, err := openDisk(dest)
	if err != nil {
		return nil, "", err
	}
	defer d.close()
	for _, dir := range plan.dirs {
		if err := d.mkdir(dir.rel); err != nil {
			return nil, "", &EntryError{dir.name, fmt.Errorf("create folder %s: %w", dir.rel, err)}
		}
	}

	written, sums, err := writeZipEntries(ctx, d, plan, cfg, len(zr.File))
	if err != nil {
		return nil, "", err
	}

	for _, e := range plan.work {
		if e.kind == kindLink {
			plan.tree.setTarget(e.rel, e.target)
		}
	}
	files, err := makeLinks(d, plan.tree, plan.linkNames)
	if err != nil {
		return nil, "", err
	}
	for _, w := range written {
		files = append(files, w...)
	}
	return newManifest(files), hashZip(zr.File, sums), nil
}

// writeZipEntries writes the plan's files and links with parallel
// workers, each taking batches in turn, and returns what each worker wrote
// and every entry's SHA-256 (by index in the central directory; folders
// hash as empty) for the h1: hash. The first error stops them all.
func writeZipEntries(ctx context.Context, d *disk, plan *zipPlan, cfg config, entries int) ([][]manifest.File, [][sha256.Size]byte, error) {
	wctx, fail := context.WithCancelCause(ctx)
	defer fail(nil)
	sums := make([][sha256.Size]byte, entries)
	empty := sha256.Sum256(nil)
	for i := range sums {
		sums[i] = empty
	}
	var next, total atomic.Int64
	workers := min(cfg.workers, max(len(plan.batches), 1))
	written := make([][]manifest.File, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			zw := &zipWriter{disk: d, total: &total, max: cfg.maxBytes, h: sha256.New(), buf: make([]byte, zipBufSize)}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(plan.batches) {
					return
				}
				for _, e := range plan.batches[i] {
					if wctx.Err() != nil {
						return
					}
					f, sum, err := zw.entry(wctx, e)
					if err != nil {
						fail(err)
						return
					}
					sums[e.index] = sum
					if e.kind == kindLink {
						e.target = f.Target // listed by makeLinks
					} else {
						written[w] = append(written[w], f)
					}
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if err := context.Cause(wctx); err != nil {
		return nil, nil, err
	}
	return written, sums, nil
}

// A zipPlan is an archive checked whole: the folders to create and the entries to write.
type zipPlan struct {
	tree      *tree
	dirs      []zipDir
	work      []*zipEntry   // files and links
	batches   [][]*zipEntry // work, as the workers take it
	linkNames map[string]string
}

type zipDir struct{ rel, name string }

type zipEntry struct {
	index  int // in the zip's central directory
	f      *zip.File
	rel    string
	kind   kind
	perm   fs.FileMode
	target string // a link's, once read
}

// planZip checks every entry of the central directory before anything is written.
func planZip(files []*zip.File, cfg config) (*zipPlan, error) {
	if len(files) > maxEntries {
		return nil, &EntryError{files[maxEntries].Name, tooLarge("archive holds more than %d entries", maxEntries)}
	}
	p := &zipPlan{tree: newTree(cfg.prefix), linkNames: map[string]string{}}
	var total uint64
	for i, f := range files {
		fail := func(err error) error { return &EntryError{f.Name, err} }
		dir := strings.HasSuffix(f.Name, "/")
		rel, err := relPath(f.Name, cfg.prefix, dir)
		if err != nil {
			return nil, fail(err)
		}
		k, perm, hasPerm, err := zipKind(f, dir, cfg.module)
		if err != nil {
			return nil, fail(err)
		}
		if err := checkZipEntry(f, k, cfg, &total); err != nil {
			return nil, fail(err)
		}
		if rel == "" {
			continue // the prefix folder itself
		}
		if k == kindFile && cfg.module {
			rel = moduleRel(rel)
		}
		mkdirs, err := p.tree.add(rel, k)
		if err != nil {
			return nil, fail(err)
		}
		for _, d := range mkdirs {
			p.dirs = append(p.dirs, zipDir{d, f.Name})
		}
		if k == kindDir {
			continue
		}
		if k == kindLink {
			p.linkNames[rel] = f.Name
		}
		p.work = append(p.work, &zipEntry{
			index: i,
			f:     f,
			rel:   rel,
			kind:  k,
			perm:  cfg.filePerm(rel, perm, hasPerm),
		})
	}
	p.batches = batch(bigFirst(p.work))
	return p, nil
}

// checkZipEntry checks what an entry's header says, before anything is
// read: no encryption, a method gover reads, sizes within the limits
// (total adds up the files so far).
func checkZipEntry(f *zip.File, k kind, cfg config, total *uint64) error {
	if f.Flags&0x1 != 0 {
		return unsupported("encrypted entry")
	}
	if k == kindDir {
		if f.UncompressedSize64 != 0 {
			return fmt.Errorf("folder entry holds %d bytes: %w", f.UncompressedSize64, zip.ErrFormat)
		}
		// Nothing is read from a folder, but its local header must be sound: the h1 hash
		// is defined by opening every entry.
		if _, err := f.Open(); err != nil {
			return fmt.Errorf("read zip: %w", err)
		}
		return nil
	}
	if f.Method != zip.Store && f.Method != zip.Deflate {
		return unsupported("compression method %d (only Store and Deflate are supported)", f.Method)
	}
	// A lying size is caught as the entry is read: archive/zip stops at the declared size.
	if *total += f.UncompressedSize64; *total > uint64(cfg.maxBytes) || f.UncompressedSize64 > uint64(cfg.maxBytes) {
		return tooLarge("files add up to more than %d bytes", cfg.maxBytes)
	}
	if k == kindLink && f.UncompressedSize64 > maxTarget {
		return unsafePath("symbolic link target longer than %d bytes", maxTarget)
	}
	return nil
}

const bigEntry = 1 << 20

// bigFirst moves the entries of a megabyte or more to the front, largest first: workers
// take entries in order, and a toolchain's twenty binaries, half its bytes, would otherwise
// leave one worker inflating the last of them while the others sit idle.
func bigFirst(work []*zipEntry) []*zipEntry {
	var bigs, rest []*zipEntry
	for _, e := range work {
		if e.f.UncompressedSize64 >= bigEntry {
			bigs = append(bigs, e)
		} else {
			rest = append(rest, e)
		}
	}
	slices.SortStableFunc(bigs, func(a, b *zipEntry) int { return cmp.Compare(b.f.UncompressedSize64, a.f.UncompressedSize64) })
	return append(bigs, rest...)
}

// batch cuts work into the units a worker takes at once: a big entry alone, else up to
// runOf entries of one folder, so that workers seldom create files side by side in one
// folder and wait on its lock (see dispatcher).
func batch(work []*zipEntry) [][]*zipEntry {
	var batches [][]*zipEntry
	var cur []*zipEntry
	curDir := ""
	for _, e := range work {
		dir, _ := path.Split(e.rel)
		if len(cur) > 0 && (dir != curDir || len(cur) >= runOf || e.f.UncompressedSize64 >= bigEntry || cur[0].f.UncompressedSize64 >= bigEntry) {
			batches = append(batches, cur)
			cur = nil
		}
		cur, curDir = append(cur, e), dir
	}
	if len(cur) > 0 {
		batches = append(batches, cur)
	}
	return batches
}

// zipKind reads an entry's type and permissions. Zips made on Unix carry a Unix mode in
// their external attributes; others (older module zips, Windows zips) carry none, and the
// name's trailing slash alone tells a folder, as archive/zip decides. A module zip's
// attributes are not read at all: its h1 hash does not cover them, so the same proven bytes
// could be served as links or devices (x/mod/zip writes every entry as a regular file).
func zipKind(f *zip.File, dir, module bool) (k kind, perm fs.FileMode, hasPerm bool, err error) {
	host := f.CreatorVersion >> 8
	if module || (host != creatorUnix && host != creatorMacOS) || f.ExternalAttrs>>16 == 0 {
		if dir {
			return kindDir, 0, false, nil
		}
		return kindFile, 0, false, nil
	}
	mode := f.Mode()
	switch typ := mode.Type() &^ fs.ModeDir; {
	case typ == fs.ModeSymlink && !dir:
		return kindLink, 0, false, nil
	case typ&(fs.ModeCharDevice|fs.ModeDevice) != 0:
		return 0, 0, false, unsupported("device file")
	case typ&fs.ModeNamedPipe != 0:
		return 0, 0, false, unsupported("FIFO")
	case typ&fs.ModeSocket != 0:
		return 0, 0, false, unsupported("socket")
	case typ != 0:
		return 0, 0, false, unsupported("entry of mode %v", mode)
	case dir:
		return kindDir, 0, false, nil
	case mode.IsDir():
		return 0, 0, false, unsupported("folder mode on a name without a trailing slash")
	}
	return kindFile, mode.Perm(), true, nil
}

// A zipWriter is one worker: it decompresses, writes and hashes whole entries.
type zipWriter struct {
	disk  *disk
	total *atomic.Int64 // bytes written by all workers
	max   int64
	h     hash.Hash
	buf   []byte
}

// entry writes one file, or reads one link's target; sum is the digest of its content.
func (zw *zipWriter) entry(ctx context.Context, e *zipEntry) (f manifest.File, sum [sha256.Size]byte, err error) {
	fail := func(err error) (manifest.File, [sha256.Size]byte, error) {
		if ctx.Err() != nil {
			err = context.Cause(ctx)
		} else {
			err = &EntryError{e.f.Name, err}
		}
		return manifest.File{}, sum, err
	}
	rc, err := e.f.Open()
	if err != nil {
		return fail(fmt.Errorf("read zip: %w", err))
	}
	defer rc.Close()
	if e.kind == kindLink {
		target, err := io.ReadAll(rc) // at most maxTarget bytes: archive/zip stops at the declared size
		if err != nil {
			return fail(zipReadError(err, e.f))
		}
		if err := checkTarget(e.rel, string(target)); err != nil {
			return fail(err)
		}
		return manifest.File{Path: e.rel, Mode: fs.ModeSymlink, Target: string(target)}, sha256.Sum256(target), nil
	}

	out, mode, err := zw.disk.create(e.rel, e.perm)
	if err != nil {
		return fail(fmt.Errorf("create file: %w", err))
	}
	zw.h.Reset()
	s := &sink{f: out, h: zw.h}
	err = zw.copy(ctx, s, rc, e.f)
	if cerr := out.close(); err == nil && cerr != nil {
		err = fmt.Errorf("write file: %w", cerr)
	}
	if err != nil {
		return fail(err)
	}
	zw.h.Sum(sum[:0])
	return manifest.File{Path: e.rel, Size: s.n, Mode: mode, SHA256: sum}, sum, nil
}

// copy moves one entry to its file a full buffer at a time: flate hands out at most a
// window per read, and fewer, larger writes cost the kernel less. Reading on to io.EOF is
// what makes archive/zip check the entry's size and CRC-32.
func (zw *zipWriter) copy(ctx context.Context, s *sink, rc io.Reader, f *zip.File) error {
	for {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		n, err := fill(rc, zw.buf)
		if n > 0 {
			if zw.total.Add(int64(n)) > zw.max {
				return tooLarge("files add up to more than %d bytes", zw.max)
			}
			if _, werr := s.Write(zw.buf[:n]); werr != nil {
				return fmt.Errorf("write file: %w", werr)
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return zipReadError(err, f)
		}
	}
}

// fill reads into buf until it is full or r fails; io.EOF reports the end.
func fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func zipReadError(err error, f *zip.File) error {
	if errors.Is(err, zip.ErrFormat) { // archive/zip's word for more bytes than declared
		return tooLarge("decompresses to more than the %d bytes it declares", f.UncompressedSize64)
	}
	return fmt.Errorf("read zip: %w", err)
}

// hashZip is dirhash.Hash1 over the entries' names and the digests taken while writing.
func hashZip(files []*zip.File, sums [][sha256.Size]byte) string {
	order := make([]int, len(files))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(files[a].Name, files[b].Name) })
	h := manifest.NewH1()
	for _, i := range order {
		h.Add(files[i].Name, sums[i])
	}
	return h.String()
}

// A flateState is a klauspost decompressor with its input buffer, kept between entries:
// allocating both for each of a toolchain's ten thousand files costs more than inflating them.
type flateState struct {
	br *bufio.Reader
	fr io.ReadCloser
}

type pooledFlate struct {
	pool *sync.Pool
	s    *flateState
}

func newFlateReader(pool *sync.Pool, r io.Reader) io.ReadCloser {
	s, _ := pool.Get().(*flateState)
	if s == nil {
		br := bufio.NewReaderSize(r, 64<<10)
		s = &flateState{br: br, fr: flate.NewReader(br)}
	} else {
		s.br.Reset(r)
		s.fr.(flate.Resetter).Reset(s.br, nil)
	}
	return &pooledFlate{pool: pool, s: s}
}

func (p *pooledFlate) Read(b []byte) (int, error) {
	if p.s == nil {
		return 0, errors.New("read after close")
	}
	return p.s.fr.Read(b)
}

func (p *pooledFlate) Close() error {
	if p.s != nil {
		p.pool.Put(p.s)
		p.s = nil
	}
	return nil
}
