package unpack

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/klauspost/compress/flate"

	"github.com/goverdev/gover/internal/manifest"
)

// Zip record signatures (APPNOTE 4.3).
const (
	sigLocal      = 0x04034b50
	sigCentral    = 0x02014b50
	sigEnd        = 0x06054b50
	sigZip64End   = 0x06064b50
	sigDescriptor = 0x08074b50

	localHeaderLen = 26 // after the signature
	flagEncrypted  = 0x1
	flagDescriptor = 0x8 // sizes and CRC-32 follow the data
)

var (
	// ErrNotSequential marks a zip whose entries cannot be read from their local headers in
	// order: data before the first entry, a stored entry whose size follows its data, Zip64
	// sizes. Such a zip may still be sound; it is read through its central directory (Zip).
	ErrNotSequential = errors.New("zip not laid out for streaming")
	// ErrHeadersDisagree marks a zip whose central directory does not list exactly the
	// entries its local headers hold, with the same names, sizes, CRC-32s and places.
	ErrHeadersDisagree = errors.New("local headers disagree with the central directory")
)

func notSequential(format string, args ...any) error {
	return &reason{ErrNotSequential, fmt.Sprintf(format, args...)}
}

func disagree(format string, args ...any) error {
	return &reason{ErrHeadersDisagree, fmt.Sprintf(format, args...)}
}

// A StreamedZip is a module zip unpacked from its local headers, not yet confirmed by its
// central directory: until Confirm passes, the tree is no more than what the local headers said.
type StreamedZip struct {
	entries []streamedEntry
	files   []manifest.File // written, by the writers
}

// A streamedEntry is what one local header and the data after it turned out to be.
type streamedEntry struct {
	name         string
	rel          string // "" for the prefix folder itself
	dir          bool
	method       uint16
	crc          uint32
	csize, usize uint64
	dataOffset   int64
}

// ZipStream unpacks a module zip (Options.Module must be set) from r as it arrives: Go's
// module zips are written sequentially, so each entry is inflated from its local header in
// order (through a data descriptor, as archive/zip writes them), its CRC-32 and sizes
// checked, and its file written by the same writers as TarGz's, with the same refusals as
// Zip. It reads r to its end.
//
// What it returns is unconfirmed: the central directory, which is what cmd/go and the h1:
// hash read, comes last. Call Confirm with the whole file before using the tree. A zip laid
// out otherwise fails with ErrNotSequential; it is for the caller to read it whole with Zip.
func ZipStream(ctx context.Context, r io.Reader, dest string, opt Options) (*StreamedZip, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg := opt.config()
	if !cfg.module {
		return nil, errors.New("unpack: ZipStream reads module zips only")
	}
	d, err := openDisk(dest)
	if err != nil {
		return nil, err
	}
	defer d.close()

	zs := &zipStreamer{
		cfg:      cfg,
		disk:     d,
		tree:     newTree(cfg.prefix),
		slabs:    newSlabPool(cfg.slabs),
		dispatch: dispatcher{writers: cfg.workers},
		scratch:  make([]byte, slabSize),
	}
	written, err := withWriters(ctx, d, cfg, func(wctx context.Context, queues []chan *fileJob) error {
		zs.queues = queues
		zs.count = &countReader{r: &ctxReader{ctx: wctx, r: r}}
		zs.br = bufio.NewReaderSize(zs.count, 64<<10)
		return zs.run(wctx)
	})
	if err != nil {
		return nil, err
	}
	return &StreamedZip{entries: zs.entries, files: written}, nil
}

// Confirm checks the streamed entries against the central directory of the whole zip
// (r, size bytes: the same bytes ZipStream read), as archive/zip reads it: the same entries
// in the same order, each with the same name, method, CRC-32, sizes and data offset, so
// that reading the zip through its central directory, as cmd/go and dirhash do, yields
// exactly the files written. It returns the tree's manifest and the zip's h1: hash, which
// is dirhash.HashZip's.
func (sz *StreamedZip) Confirm(r io.ReaderAt, size int64) (*manifest.Manifest, string, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && err != zip.ErrInsecurePath { // the names were judged as they streamed
		return nil, "", fmt.Errorf("read zip: %w", err)
	}
	if len(zr.File) != len(sz.entries) {
		return nil, "", disagree("the central directory lists %d entries, the local headers hold %d", len(zr.File), len(sz.entries))
	}
	sums := make(map[string][sha256.Size]byte, len(sz.files))
	for _, f := range sz.files {
		sums[f.Path] = f.SHA256
	}
	empty := sha256.Sum256(nil)
	digests := make([][sha256.Size]byte, len(zr.File))
	for i, f := range zr.File {
		e := &sz.entries[i]
		if err := e.matches(f); err != nil {
			return nil, "", &EntryError{f.Name, err}
		}
		digests[i] = empty
		if !e.dir && e.rel != "" {
			digests[i] = sums[e.rel]
		}
	}
	return newManifest(sz.files), hashZip(zr.File, digests), nil
}

// matches compares an entry's central directory record with what was streamed.
func (e *streamedEntry) matches(f *zip.File) error {
	switch {
	case f.Name != e.name:
		return disagree("the central directory names this entry, its local header %q", e.name)
	case f.Flags&flagEncrypted != 0:
		return unsupported("encrypted entry")
	case f.Method != e.method:
		return disagree("the central directory says compression method %d, the local header %d", f.Method, e.method)
	case f.CRC32 != e.crc:
		return disagree("the central directory says CRC-32 %08x, the data has %08x", f.CRC32, e.crc)
	case f.CompressedSize64 != e.csize || f.UncompressedSize64 != e.usize:
		return disagree("the central directory says %d bytes (%d compressed), the data holds %d (%d compressed)",
			f.UncompressedSize64, f.CompressedSize64, e.usize, e.csize)
	}
	off, err := f.DataOffset()
	if err != nil {
		return fmt.Errorf("read zip: %w", err)
	}
	if off != e.dataOffset {
		return disagree("the central directory places its data at byte %d, the local headers at %d", off, e.dataOffset)
	}
	return nil
}

// zipStreamer is the goroutine that reads local headers, inflates and hands files out.
type zipStreamer struct {
	cfg      config
	disk     *disk
	tree     *tree
	slabs    *slabPool
	queues   []chan *fileJob
	dispatch dispatcher
	count    *countReader
	br       *bufio.Reader
	fr       io.ReadCloser // reused for every entry
	scratch  []byte        // a file's first bytes, until its size is known
	total    int64         // file bytes so far
	entries  []streamedEntry
}

// pos is the offset in the zip of the next byte br hands out.
func (zs *zipStreamer) pos() int64 { return zs.count.n - int64(zs.br.Buffered()) }

func (zs *zipStreamer) run(ctx context.Context) error {
	defer zs.slabs.done()
	var sig [4]byte
	for {
		at := zs.pos()
		if _, err := io.ReadFull(zs.br, sig[:]); err != nil {
			return readError(ctx, err) // a zip ends with its central directory, never between entries
		}
		switch s := binary.LittleEndian.Uint32(sig[:]); {
		case s == sigLocal:
			if len(zs.entries) >= maxEntries {
				return tooLarge("archive holds more than %d entries", maxEntries)
			}
			if err := zs.entry(ctx); err != nil {
				return err
			}
		case s == sigCentral || s == sigEnd || s == sigZip64End:
			// The central directory: Confirm reads it from the whole file, as archive/zip
			// does. Whoever hashes the stream gets all of it.
			if _, err := io.Copy(io.Discard, zs.br); err != nil {
				return readError(ctx, err)
			}
			return nil
		default:
			return notSequential("no local header at byte %d", at)
		}
	}
}

// localHeader is what a local file header says of the entry after it.
type localHeader struct {
	name              string
	flags, method     uint16
	crc, csize, usize uint32
}

func (l *localHeader) descriptor() bool { return l.flags&flagDescriptor != 0 }

// entry reads one local header and the data after it.
func (zs *zipStreamer) entry(ctx context.Context) error {
	l, err := zs.localHeader(ctx)
	if err != nil {
		return err
	}
	e := streamedEntry{name: l.name, method: l.method}
	fail := func(err error) error { return &EntryError{e.name, err} }
	if err := l.check(); err != nil {
		return fail(err)
	}
	k, err := zs.place(&e)
	if err != nil {
		return fail(err)
	}
	if err := zs.read(ctx, &e, l, k); err != nil {
		return err
	}
	zs.entries = append(zs.entries, e)
	return nil
}

// localHeader reads a local file header after its signature, with the name and extra
// field that follow it.
func (zs *zipStreamer) localHeader(ctx context.Context) (*localHeader, error) {
	var h [localHeaderLen]byte
	if _, err := io.ReadFull(zs.br, h[:]); err != nil {
		return nil, readError(ctx, err)
	}
	le := binary.LittleEndian
	l := &localHeader{
		flags: le.Uint16(h[2:]), method: le.Uint16(h[4:]),
		crc: le.Uint32(h[10:]), csize: le.Uint32(h[14:]), usize: le.Uint32(h[18:]),
	}
	nameLen, extraLen := int(le.Uint16(h[22:])), int(le.Uint16(h[24:]))
	buf := make([]byte, nameLen+extraLen)
	if _, err := io.ReadFull(zs.br, buf); err != nil {
		return nil, readError(ctx, err)
	}
	l.name = string(buf[:nameLen])
	return l, nil
}

// check refuses an entry the stream cannot read, or cannot read with certainty.
func (l *localHeader) check() error {
	switch {
	case l.flags&flagEncrypted != 0:
		return unsupported("encrypted entry")
	case l.method != zip.Store && l.method != zip.Deflate:
		return unsupported("compression method %d (only Store and Deflate are supported)", l.method)
	case l.descriptor() && l.method == zip.Store:
		return notSequential("stored entry whose size follows its data")
	case !l.descriptor() && (l.csize == ^uint32(0) || l.usize == ^uint32(0)):
		return notSequential("Zip64 sizes")
	}
	return nil
}

// place decides where the entry goes in the tree (e.rel; empty for the module's own
// top) and creates the folders it needs.
func (zs *zipStreamer) place(e *streamedEntry) (kind, error) {
	e.dir = len(e.name) > 0 && e.name[len(e.name)-1] == '/'
	rel, err := relPath(e.name, zs.cfg.prefix, e.dir)
	if err != nil {
		return 0, err
	}
	k := kindFile
	if e.dir {
		k = kindDir
	} else if rel != "" {
		rel = moduleRel(rel)
	}
	e.rel = rel
	if rel == "" {
		return k, nil
	}
	mkdirs, err := zs.tree.add(rel, k)
	if err != nil {
		return 0, err
	}
	for _, dir := range mkdirs {
		if err := zs.disk.mkdir(dir); err != nil {
			return 0, fmt.Errorf("create folder %s: %w", dir, err)
		}
	}
	return k, nil
}

// read inflates the entry's data to the writers and checks it against the local header
// or the data descriptor after it.
func (zs *zipStreamer) read(ctx context.Context, e *streamedEntry, l *localHeader, k kind) error {
	e.dataOffset = zs.pos()
	src, limit := zs.data(l.method, l.descriptor(), l.csize, l.usize)
	c := &crcReader{r: src}
	var err error
	if k == kindDir || e.rel == "" {
		err = zs.folder(c)
	} else {
		err = zs.file(ctx, e, c, limit)
	}
	if err != nil {
		return zipStreamError(ctx, e.name, err)
	}
	e.crc, e.usize = c.crc, uint64(c.n)
	e.csize = uint64(zs.pos() - e.dataOffset)
	if l.descriptor() {
		if err := zs.descriptor(e); err != nil {
			return zipStreamError(ctx, e.name, err)
		}
	} else if e.crc != l.crc || e.usize != uint64(l.usize) || e.csize != uint64(l.csize) {
		return &EntryError{e.name, disagree("the local header says %d bytes (%d compressed, CRC-32 %08x), the data holds %d (%d, %08x)",
			l.usize, l.csize, l.crc, e.usize, e.csize, e.crc)}
	}
	return nil
}

// data is the reader of an entry's content and the most it may hold. Deflate reads br
// itself, a byte at a time where it must, so it stops exactly at the stream's end and the
// bytes it consumed are the entry's compressed size.
func (zs *zipStreamer) data(method uint16, descriptor bool, csize, usize uint32) (io.Reader, int64) {
	limit := zs.cfg.maxBytes - zs.total
	if !descriptor {
		limit = min(limit, int64(usize))
	}
	if method == zip.Store {
		return io.LimitReader(zs.br, int64(csize)), limit
	}
	if zs.fr == nil {
		zs.fr = flate.NewReader(zs.br)
	} else {
		zs.fr.(flate.Resetter).Reset(zs.br, nil)
	}
	return zs.fr, limit
}

// folder reads a folder entry's data, which must be empty.
func (zs *zipStreamer) folder(r io.Reader) error {
	n, err := io.Copy(io.Discard, io.LimitReader(r, 1))
	if err == nil && n > 0 {
		err = fmt.Errorf("folder entry holds bytes: %w", zip.ErrFormat)
	}
	return err
}

// file hands one file to the writers as it inflates: whole if it fits a slab, else its
// first slab, with the rest following in chunks and its size told once known.
func (zs *zipStreamer) file(ctx context.Context, e *streamedEntry, r io.Reader, limit int64) error {
	lr := &overLimit{r: r, left: limit}
	n, err := fill(lr, zs.scratch)
	if err != nil && err != io.EOF {
		return err
	}
	j := &fileJob{name: e.name, rel: e.rel, perm: zs.cfg.filePerm(e.rel, 0, false), size: int64(n)}
	if n > 0 {
		s, buf, aerr := zs.slabs.alloc(ctx, n)
		if aerr != nil {
			return aerr
		}
		copy(buf, zs.scratch[:n])
		j.slab, j.data = s, buf
	}
	whole := err == io.EOF
	if !whole {
		j.size = -1 // until the end is read; a writer seeing -1 knows the reader gave up
		j.more = make(chan chunk, 4)
		defer close(j.more)
	}
	select {
	case zs.queues[zs.dispatch.pick(e.rel)] <- j:
	case <-ctx.Done():
		j.release()
		return context.Cause(ctx)
	}
	total := int64(n)
	for !whole {
		s, err := zs.slabs.get(ctx)
		if err != nil {
			return err
		}
		m, err := fill(lr, s.buf)
		if err != nil && err != io.EOF {
			s.release()
			return err
		}
		whole = err == io.EOF
		if m == 0 {
			s.release()
			break
		}
		select {
		case j.more <- chunk{s, s.buf[:m]}:
		case <-ctx.Done():
			s.release()
			return context.Cause(ctx)
		}
		total += int64(m)
	}
	if j.more != nil {
		j.size = total // read by the writer once j.more is closed
	}
	zs.total += total
	return nil
}

// descriptor reads the data descriptor after an entry's data (its signature optional, as
// archive/zip reads it) and checks it against what the data held.
func (zs *zipStreamer) descriptor(e *streamedEntry) error {
	var d [16]byte // signature (optional), CRC-32, compressed size, size
	if _, err := io.ReadFull(zs.br, d[:4]); err != nil {
		return err
	}
	rest := d[4:]
	if binary.LittleEndian.Uint32(d[:4]) != sigDescriptor {
		copy(d[4:], d[:4]) // no signature: that was the CRC-32
		rest = d[8:]
	}
	if _, err := io.ReadFull(zs.br, rest); err != nil {
		return err
	}
	le := binary.LittleEndian
	crc, csize, usize := le.Uint32(d[4:]), le.Uint32(d[8:]), le.Uint32(d[12:])
	if crc != e.crc || uint64(csize) != e.csize || uint64(usize) != e.usize {
		return disagree("the data descriptor says %d bytes (%d compressed, CRC-32 %08x), the data holds %d (%d, %08x)",
			usize, csize, crc, e.usize, e.csize, e.crc)
	}
	return nil
}

func zipStreamError(ctx context.Context, name string, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	var r *reason
	if errors.As(err, &r) {
		return &EntryError{name, err}
	}
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return &EntryError{name, fmt.Errorf("read zip: %w", err)}
}

// countReader counts the bytes read from r.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// crcReader takes the CRC-32 and length of what passes through it.
type crcReader struct {
	r   io.Reader
	crc uint32
	n   int64
}

func (c *crcReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.crc = crc32.Update(c.crc, crc32.IEEETable, p[:n])
	c.n += int64(n)
	return n, err
}

// overLimit fails a read that would pass left bytes: more than the entry declares, or than
// the archive may unpack to.
type overLimit struct {
	r    io.Reader
	left int64
}

func (o *overLimit) Read(p []byte) (int, error) {
	if o.left <= 0 {
		// One byte more tells a stream that ends here from one that goes on.
		var b [1]byte
		n, err := o.r.Read(b[:])
		if n > 0 {
			return 0, tooLarge("decompresses to more than it declares, or than the archive may unpack to")
		}
		return 0, err
	}
	if int64(len(p)) > o.left {
		p = p[:o.left]
	}
	n, err := o.r.Read(p)
	o.left -= int64(n)
	return n, err
}
