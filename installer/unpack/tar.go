package unpack

import (
	"archive/tar"
	"bufio"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"math"
	"path"
	"sync"

	"github.com/klauspost/compress/gzip"

	"github.com/goverdev/gover/internal/manifest"
)

const (
	// The gzip stream may hold a little more than the files: 512-byte headers, long-name
	// records, padding and the end-of-archive record. Anything past that allowance is a bomb.
	streamSlack = 1 << 20
	entrySlack  = 4 << 10
)

// TarGz unpacks a gzip-compressed tar stream from r into dest, which must exist and be empty.
// It reads r exactly once, sequentially, to the end of the gzip stream (the caller hashes r as it streams,
// so TarGz must consume all of it, including trailing bytes after the tar end marker: read r to EOF).
//
// One goroutine decompresses and parses; Options.Workers goroutines create, write and hash the
// files, fed through at most 16 MiB of buffers (maxSlabs slabs of slabSize). Cancellation is
// noticed between reads of r: a Read blocked for good is the caller's to end, by closing r.
func TarGz(ctx context.Context, r io.Reader, dest string, opt Options) (*manifest.Manifest, error) {
	return unpackTarGz(ctx, r, dest, opt.config())
}

func unpackTarGz(ctx context.Context, r io.Reader, dest string, cfg config) (*manifest.Manifest, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d, err := openDisk(dest)
	if err != nil {
		return nil, err
	}
	defer d.close()

	rd := &tarReader{
		cfg:       cfg,
		disk:      d,
		tree:      newTree(cfg.prefix),
		slabs:     newSlabPool(cfg.slabs),
		dispatch:  dispatcher{writers: cfg.workers},
		linkNames: map[string]string{},
	}
	written, err := withWriters(ctx, d, cfg, func(wctx context.Context, queues []chan *fileJob) error {
		rd.queues = queues
		return rd.run(wctx, r)
	})
	if err != nil {
		return nil, err
	}
	files, err := makeLinks(d, rd.tree, rd.linkNames)
	if err != nil {
		return nil, err
	}
	files = append(files, written...)
	return newManifest(files), nil
}

// tarReader is the goroutine that decompresses, checks each entry and hands files out.
type tarReader struct {
	cfg       config
	disk      *disk
	tree      *tree
	slabs     *slabPool
	queues    []chan *fileJob // one per writer
	dispatch  dispatcher
	linkNames map[string]string // link path → archive name, for errors
	total     int64             // file bytes so far
}

func (rd *tarReader) run(ctx context.Context, r io.Reader) error {
	defer rd.slabs.done()
	// gzip reads through a bufio.Reader of its own unless given one; this one reads bigger.
	src := bufio.NewReaderSize(&ctxReader{ctx: ctx, r: r}, 64<<10)
	gz, err := gzip.NewReader(src)
	if err != nil {
		return readError(ctx, err)
	}
	stream := &limitReader{ctx: ctx, r: gz, limit: satAdd(rd.cfg.maxBytes, streamSlack)}
	tr := tar.NewReader(stream)
	for entries := 0; ; entries++ {
		hdr, err := tr.Next()
		if err == io.EOF && stream.ended {
			// archive/tar takes a stream ending between entries for a whole archive.
			return readError(ctx, fmt.Errorf("tar stream ends without its end-of-archive marker: %w", io.ErrUnexpectedEOF))
		}
		if err == io.EOF {
			break
		}
		if err != nil && err != tar.ErrInsecurePath { // insecure paths are judged below
			return readError(ctx, err)
		}
		if entries >= maxEntries {
			return &EntryError{hdr.Name, tooLarge("archive holds more than %d entries", maxEntries)}
		}
		stream.limit = satAdd(stream.limit, entrySlack)
		if err := rd.entry(ctx, hdr, tr); err != nil {
			return err
		}
	}
	// Read to the end of the gzip stream: its trailer's checksum and length tell a stream cut
	// at an entry boundary from a whole one, and the caller hashes every byte of r.
	if _, err := io.Copy(io.Discard, stream); err != nil {
		return readError(ctx, err)
	}
	return nil
}

func (rd *tarReader) entry(ctx context.Context, hdr *tar.Header, tr *tar.Reader) error {
	if hdr.Typeflag == tar.TypeXGlobalHeader {
		return nil // defaults for later headers, which archive/tar applies
	}
	fail := func(err error) error { return &EntryError{hdr.Name, err} }
	rel, err := relPath(hdr.Name, rd.cfg.prefix, hdr.Typeflag == tar.TypeDir)
	if err != nil {
		return fail(err)
	}
	var k kind
	switch hdr.Typeflag {
	case tar.TypeReg:
		k = kindFile
	case tar.TypeDir:
		k = kindDir
	case tar.TypeSymlink:
		k = kindLink
	case tar.TypeLink:
		return fail(unsupported("hard link to %s", hdr.Linkname))
	case tar.TypeChar, tar.TypeBlock:
		return fail(unsupported("device file"))
	case tar.TypeFifo:
		return fail(unsupported("FIFO"))
	default:
		return fail(unsupported("tar entry of type %q", hdr.Typeflag))
	}
	if rel == "" {
		return nil // the prefix folder itself
	}
	if k == kindFile && rd.cfg.module {
		rel = moduleRel(rel)
	}
	if k == kindLink {
		if err := checkTarget(rel, hdr.Linkname); err != nil {
			return fail(err)
		}
	}
	mkdirs, err := rd.tree.add(rel, k)
	if err != nil {
		return fail(err)
	}
	for _, dir := range mkdirs {
		if err := rd.disk.mkdir(dir); err != nil {
			return fail(fmt.Errorf("create folder %s: %w", dir, err))
		}
	}
	switch k {
	case kindLink:
		rd.tree.setTarget(rel, hdr.Linkname)
		rd.linkNames[rel] = hdr.Name
	case kindFile:
		return rd.file(ctx, hdr, rel, tr)
	}
	return nil
}

// file hands one file to the writers: whole if it fits a slab, else in slab-sized chunks
// that follow its job, so a large file never sits in memory at once.
func (rd *tarReader) file(ctx context.Context, hdr *tar.Header, rel string, tr *tar.Reader) error {
	if hdr.Size > rd.cfg.maxBytes-rd.total { // not total+Size > max: a PAX size can overflow it
		return &EntryError{hdr.Name, tooLarge("files add up to more than %d bytes", rd.cfg.maxBytes)}
	}
	rd.total += hdr.Size
	j := &fileJob{
		name: hdr.Name,
		rel:  rel,
		perm: rd.cfg.filePerm(rel, fs.FileMode(hdr.Mode), true),
		size: hdr.Size,
	}
	left := hdr.Size
	if first := min(left, slabSize); first > 0 {
		s, buf, err := rd.slabs.alloc(ctx, int(first))
		if err != nil {
			return err
		}
		j.slab, j.data = s, buf
		if _, err := io.ReadFull(tr, buf); err != nil {
			j.release()
			return readEntryError(ctx, hdr.Name, err)
		}
		left -= first
	}
	if left > 0 {
		j.more = make(chan chunk, 4)
		defer close(j.more)
	}
	select {
	case rd.queues[rd.dispatch.pick(rel)] <- j:
	case <-ctx.Done():
		j.release()
		return context.Cause(ctx)
	}
	for left > 0 {
		s, err := rd.slabs.get(ctx)
		if err != nil {
			return err
		}
		buf := s.buf[:min(left, slabSize)]
		if _, err := io.ReadFull(tr, buf); err != nil {
			s.release()
			return readEntryError(ctx, hdr.Name, err)
		}
		select {
		case j.more <- chunk{s, buf}:
		case <-ctx.Done():
			s.release()
			return context.Cause(ctx)
		}
		left -= int64(len(buf))
	}
	return nil
}

// A dispatcher picks the writer for each file. Creating a file locks its folder, and
// writers creating files side by side in one folder mostly wait for each other (on ext4
// after a large delete, for seconds), so a folder's files go to one writer, the next
// folder's to the next; but a folder of thousands of files, like test/fixedbugs, is
// still shared out, runOf files at a time.
type dispatcher struct {
	writers int
	dir     string // the last file's folder…
	writer  int    // …the writer it went to…
	run     int    // …and how many in a row
}

const runOf = 128

func (d *dispatcher) pick(rel string) int {
	dir, _ := path.Split(rel)
	if dir != d.dir || d.run >= runOf {
		d.dir, d.run = dir, 0
		d.writer = (d.writer + 1) % d.writers
	}
	d.run++
	return d.writer
}

type chunk struct {
	slab *slab
	buf  []byte
}

// A fileJob is one file for a writer: its content, or its first chunk with the rest to come.
type fileJob struct {
	name string // in the archive, for errors
	rel  string
	perm fs.FileMode
	size int64
	slab *slab
	data []byte
	more chan chunk // closed by the reader after the last chunk, or when it gives up
}

func (j *fileJob) release() {
	if j.slab != nil {
		j.slab.release()
		j.slab, j.data = nil, nil
	}
}

// discard frees a job a writer will not write, waiting for the reader to stop sending.
func (j *fileJob) discard() {
	j.release()
	if j.more != nil {
		for c := range j.more {
			c.slab.release()
		}
	}
}

// errAbandoned says the reader stopped sending a file's chunks. It only does so when it
// fails, and it reports why; a writer reporting first would hide the cause.
var errAbandoned = errors.New("file abandoned by the reader")

// withWriters runs read, which hands files out through one queue per writer
// (cfg.workers of them), and returns what the writers wrote once every queue is drained.
// A failure on either side cancels the other; the first one is returned.
func withWriters(ctx context.Context, d *disk, cfg config, read func(wctx context.Context, queues []chan *fileJob) error) ([]manifest.File, error) {
	wctx, fail := context.WithCancelCause(ctx)
	defer fail(nil)
	queues := make([]chan *fileJob, cfg.workers)
	written := make([][]manifest.File, cfg.workers)
	var wg sync.WaitGroup
	for i := range cfg.workers {
		queues[i] = make(chan *fileJob, 1024)
		wg.Go(func() { written[i] = writeFiles(wctx, fail, d, queues[i]) })
	}
	err := read(wctx, queues)
	for _, q := range queues {
		close(q)
	}
	if err != nil {
		fail(err)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := context.Cause(wctx); err != nil {
		return nil, err
	}
	var files []manifest.File
	for _, w := range written {
		files = append(files, w...)
	}
	return files, nil
}

// writeFiles is one writer: it writes jobs until the reader closes the queue, and after a
// failure (its own or another's) frees the rest unwritten.
func writeFiles(ctx context.Context, fail context.CancelCauseFunc, d *disk, jobs <-chan *fileJob) []manifest.File {
	var files []manifest.File
	h := sha256.New()
	for j := range jobs {
		if ctx.Err() != nil {
			j.discard()
			continue
		}
		f, err := j.write(d, h)
		if err != nil {
			if err != errAbandoned {
				fail(err)
			}
			j.discard()
			continue
		}
		files = append(files, f)
	}
	return files
}

func (j *fileJob) write(d *disk, h hash.Hash) (manifest.File, error) {
	out, mode, err := d.create(j.rel, j.perm)
	if err != nil {
		return manifest.File{}, &EntryError{j.name, fmt.Errorf("create file: %w", err)}
	}
	h.Reset()
	s := &sink{f: out, h: h}
	err = j.writeTo(s)
	if cerr := out.close(); err == nil {
		err = cerr
	}
	if err == nil && s.n != j.size {
		return manifest.File{}, errAbandoned
	}
	if err != nil {
		return manifest.File{}, &EntryError{j.name, fmt.Errorf("write file: %w", err)}
	}
	f := manifest.File{Path: j.rel, Size: s.n, Mode: mode}
	h.Sum(f.SHA256[:0])
	return f, nil
}

func (j *fileJob) writeTo(s *sink) error {
	if j.data != nil {
		_, err := s.Write(j.data)
		j.release()
		if err != nil {
			return err
		}
	}
	if j.more == nil {
		return nil
	}
	for c := range j.more {
		_, err := s.Write(c.buf)
		c.slab.release()
		if err != nil {
			return err
		}
	}
	return nil
}

// makeLinks checks every link against the whole tree and creates them, once no file is
// left to write through one.
func makeLinks(d *disk, t *tree, names map[string]string) ([]manifest.File, error) {
	if rel, err := t.checkLinks(); err != nil {
		return nil, &EntryError{names[rel], err}
	}
	files := make([]manifest.File, 0, len(t.links))
	for _, rel := range t.links {
		target := t.targets[rel]
		if err := d.symlink(target, rel); err != nil {
			return nil, &EntryError{names[rel], fmt.Errorf("create symbolic link: %w", err)}
		}
		files = append(files, manifest.File{Path: rel, Mode: fs.ModeSymlink, Target: target})
	}
	return files, nil
}

// ctxReader stops a read loop between reads once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	select {
	case <-c.ctx.Done():
		return 0, context.Cause(c.ctx)
	default:
	}
	return c.r.Read(p)
}

// limitReader counts the decompressed stream and fails once it passes limit; it also stops
// once ctx is done, since a bomb's zeros take no network reads to produce.
type limitReader struct {
	ctx   context.Context
	r     io.Reader
	n     int64
	limit int64
	ended bool // a read found nothing left
}

func (l *limitReader) Read(p []byte) (int, error) {
	select {
	case <-l.ctx.Done():
		return 0, context.Cause(l.ctx)
	default:
	}
	n, err := l.r.Read(p)
	if l.n += int64(n); l.n > l.limit {
		return 0, tooLarge("gzip stream expands past %d bytes", l.limit)
	}
	l.ended = n == 0 && err == io.EOF
	return n, err
}

func readError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return fmt.Errorf("read archive: %w", err)
}

func readEntryError(ctx context.Context, name string, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	return &EntryError{name, fmt.Errorf("read archive: %w", err)}
}

// satAdd adds without wrapping past math.MaxInt64, for limits a caller may set near it.
func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
