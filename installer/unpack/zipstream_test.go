package unpack

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klauspost/compress/flate"
	"golang.org/x/mod/sumdb/dirhash"

	"github.com/goverdev/gover/internal/manifest"
)

// streamZip runs ZipStream over data and, if it succeeds, Confirm over the same bytes.
func streamZip(t testing.TB, data []byte, dest string, opt Options) (*manifest.Manifest, string, error) {
	t.Helper()
	sz, err := ZipStream(context.Background(), bytes.NewReader(data), dest, opt)
	if err != nil {
		return nil, "", err
	}
	return sz.Confirm(bytes.NewReader(data), int64(len(data)))
}

func modOptions() Options { return Options{Prefix: modPrefix, Module: true, Workers: 2} }

// TestZipStreamModule: a module zip as archive/zip writes it (every entry deflated, its
// sizes and CRC-32 in a data descriptor) unpacks as Zip unpacks it, with dirhash's h1.
func TestZipStreamModule(t *testing.T) {
	big := file(modPrefix+"bin/big", strings.Repeat("a go binary of some size ", 200_000), 0)
	for name, data := range map[string][]byte{
		"fat":         fatZip(t, modTree...),
		"unix modes":  zipBytes(t, modTree...),
		"with a big":  fatZip(t, append(slices.Clone(modTree), big)...),
		"raw entries": byteZip(t, rawEntries(modTree)),
	} {
		t.Run(name, func(t *testing.T) {
			top, dest := sandbox(t)
			m, h1, err := streamZip(t, data, dest, modOptions())
			if err != nil {
				t.Fatal(err)
			}
			checkTree(t, dest, m)
			checkConfined(t, top)
			if want := hashZipFile(t, data); h1 != want {
				t.Errorf("h1 = %s, dirhash.HashZip says %s", h1, want)
			}
			_, dest2 := sandbox(t)
			m2, h2, err := Zip(context.Background(), bytes.NewReader(data), int64(len(data)), dest2, modOptions())
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(m.Files, m2.Files) || h1 != h2 {
				t.Errorf("ZipStream and Zip disagree:\n%+v %s\n%+v %s", m.Files, h1, m2.Files, h2)
			}
		})
	}
}

// A rawEntry is one entry of a zip built byte by byte, so that its local header, data
// descriptor and central directory record can each say something else.
type rawEntry struct {
	name, central string // names in the local header and the central directory
	body          string
	store         bool
	descriptor    bool // sizes and CRC-32 after the data…
	noSig         bool // …without the descriptor's signature
	lieSize       int  // added to the size in the central directory
	lieCRC        bool // the central directory's CRC-32 is off by one
	lieLocal      int  // added to the size in the local header (no descriptor)
	skipCentral   bool // not in the central directory
}

func rawEntries(ents []ent) []rawEntry {
	var out []rawEntry
	for _, e := range ents {
		out = append(out, rawEntry{name: e.name, body: e.body, descriptor: true})
	}
	return out
}

// byteZip writes a zip byte by byte. extra central records (listed, never written) follow.
func byteZip(t testing.TB, ents []rawEntry, extra ...rawEntry) []byte {
	t.Helper()
	var out bytes.Buffer
	le := binary.LittleEndian
	type placed struct {
		e            rawEntry
		off          uint32
		crc          uint32
		csize, usize uint32
		method       uint16
		flags        uint16
	}
	var cd []placed
	for _, e := range ents {
		data := []byte(e.body)
		method := uint16(zip.Store)
		if !e.store {
			method = zip.Deflate
			var b bytes.Buffer
			fw, _ := flate.NewWriter(&b, 5)
			fw.Write(data)
			fw.Close()
			data = b.Bytes()
		}
		p := placed{e: e, off: uint32(out.Len()), crc: crc32.ChecksumIEEE([]byte(e.body)), csize: uint32(len(data)), usize: uint32(len(e.body)), method: method}
		if e.descriptor {
			p.flags = flagDescriptor
		}
		var h [30]byte
		le.PutUint32(h[0:], sigLocal)
		le.PutUint16(h[4:], 20)
		le.PutUint16(h[6:], p.flags)
		le.PutUint16(h[8:], method)
		if !e.descriptor {
			le.PutUint32(h[14:], p.crc)
			le.PutUint32(h[18:], p.csize)
			usize := p.usize
			le.PutUint32(h[22:], uint32(int(usize)+e.lieLocal))
		}
		le.PutUint16(h[26:], uint16(len(e.name)))
		out.Write(h[:])
		out.WriteString(e.name)
		out.Write(data)
		if e.descriptor {
			var d [16]byte
			le.PutUint32(d[0:], sigDescriptor)
			le.PutUint32(d[4:], p.crc)
			le.PutUint32(d[8:], p.csize)
			le.PutUint32(d[12:], p.usize)
			if e.noSig {
				out.Write(d[4:])
			} else {
				out.Write(d[:])
			}
		}
		if !e.skipCentral {
			cd = append(cd, p)
		}
	}
	for _, e := range extra {
		cd = append(cd, placed{e: e, off: 0, crc: crc32.ChecksumIEEE([]byte(e.body)), usize: uint32(len(e.body))})
	}
	start := out.Len()
	for _, p := range cd {
		name := p.e.name
		if p.e.central != "" {
			name = p.e.central
		}
		crc := p.crc
		if p.e.lieCRC {
			crc++
		}
		var h [46]byte
		le.PutUint32(h[0:], sigCentral)
		le.PutUint16(h[4:], 20)
		le.PutUint16(h[6:], 20)
		le.PutUint16(h[8:], p.flags)
		le.PutUint16(h[10:], p.method)
		le.PutUint32(h[16:], crc)
		le.PutUint32(h[20:], p.csize)
		le.PutUint32(h[24:], uint32(int(p.usize)+p.e.lieSize))
		le.PutUint16(h[28:], uint16(len(name)))
		le.PutUint32(h[42:], p.off)
		out.Write(h[:])
		out.WriteString(name)
	}
	var end [22]byte
	le.PutUint32(end[0:], sigEnd)
	le.PutUint16(end[8:], uint16(len(cd)))
	le.PutUint16(end[10:], uint16(len(cd)))
	le.PutUint32(end[12:], uint32(out.Len()-start))
	le.PutUint32(end[16:], uint32(start))
	out.Write(end[:])
	return out.Bytes()
}

// TestZipStreamLayouts: the ways a sound zip may carry an entry's sizes all stream.
func TestZipStreamLayouts(t *testing.T) {
	body := strings.Repeat("go toolchain ", 1000)
	for name, e := range map[string]rawEntry{
		"descriptor with signature":    {descriptor: true},
		"descriptor without signature": {descriptor: true, noSig: true},
		"sizes in the local header":    {},
		"stored, sizes in the header":  {store: true},
	} {
		t.Run(name, func(t *testing.T) {
			e.name, e.body = modPrefix+"bin/go", body
			data := byteZip(t, []rawEntry{{name: modPrefix + "VERSION", body: "go1.22.5\n", descriptor: true}, e})
			top, dest := sandbox(t)
			m, h1, err := streamZip(t, data, dest, modOptions())
			if err != nil {
				t.Fatal(err)
			}
			checkTree(t, dest, m)
			checkConfined(t, top)
			if want := hashZipFile(t, data); h1 != want {
				t.Errorf("h1 = %s, dirhash.HashZip says %s", h1, want)
			}
		})
	}
}

// TestZipStreamHeadersDisagree plays a zip whose local headers say one thing and whose
// central directory, which cmd/go and the h1: hash read, says another: the stream's tree
// is never confirmed.
func TestZipStreamHeadersDisagree(t *testing.T) {
	v := rawEntry{name: modPrefix + "VERSION", body: "go1.22.5\n", descriptor: true}
	g := rawEntry{name: modPrefix + "bin/go", body: "the go command", descriptor: true}
	with := func(e rawEntry, change func(*rawEntry)) rawEntry { change(&e); return e }
	cases := map[string]struct {
		data []byte
		want error
	}{
		"another name in the central directory":   {byteZip(t, []rawEntry{v, with(g, func(e *rawEntry) { e.central = modPrefix + "bin/gofmt" })}), ErrHeadersDisagree},
		"another size in the central directory":   {byteZip(t, []rawEntry{v, with(g, func(e *rawEntry) { e.lieSize = 1 })}), ErrHeadersDisagree},
		"another CRC in the central directory":    {byteZip(t, []rawEntry{v, with(g, func(e *rawEntry) { e.lieCRC = true })}), ErrHeadersDisagree},
		"an entry the central directory omits":    {byteZip(t, []rawEntry{v, with(g, func(e *rawEntry) { e.skipCentral = true })}), ErrHeadersDisagree},
		"an entry only the central directory has": {byteZip(t, []rawEntry{v, g}, rawEntry{name: modPrefix + "bin/evil", body: "go1.22.5\n"}), ErrHeadersDisagree},
		"a local header's size too large":         {byteZip(t, []rawEntry{v, with(g, func(e *rawEntry) { e.descriptor, e.lieLocal = false, 1 })}), ErrHeadersDisagree},
		"a local header's size too small":         {byteZip(t, []rawEntry{v, with(g, func(e *rawEntry) { e.descriptor, e.lieLocal = false, -1 })}), ErrTooLarge},
		"entries listed in another order": {func() []byte {
			// Swap the two central records: the same entries, the names at other offsets.
			return byteZip(t, []rawEntry{with(v, func(e *rawEntry) { e.central = g.name }), with(g, func(e *rawEntry) { e.central = v.name })})
		}(), ErrHeadersDisagree},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			top, dest := sandbox(t)
			m, _, err := streamZip(t, c.data, dest, modOptions())
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v (manifest %v), want %v", err, m, c.want)
			}
			checkConfined(t, top)
		})
	}
}

// TestZipStreamNotSequential: layouts a stream cannot follow are named as such, for the
// caller to read the whole zip through its central directory.
func TestZipStreamNotSequential(t *testing.T) {
	ok := byteZip(t, []rawEntry{{name: modPrefix + "VERSION", body: "go1.22.5\n"}})
	cases := map[string][]byte{
		"data before the first entry":         append([]byte("#!/bin/sh\n"), ok...),
		"stored entry with a data descriptor": byteZip(t, []rawEntry{{name: modPrefix + "VERSION", body: "go1.22.5\n", store: true, descriptor: true}}),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			_, dest := sandbox(t)
			_, err := ZipStream(context.Background(), bytes.NewReader(data), dest, modOptions())
			if !errors.Is(err, ErrNotSequential) {
				t.Fatalf("err = %v, want ErrNotSequential", err)
			}
		})
	}
}

// TestZipStreamTruncated: a stream cut anywhere never unpacks, and leaves nothing outside dest.
func TestZipStreamTruncated(t *testing.T) {
	whole := fatZip(t, append(slices.Clone(modTree), file(modPrefix+"bin/big", strings.Repeat("text that compresses ", 20000), 0))...)
	cuts := []int{0, 1, 4, 29, 30, 60, len(whole) / 3, len(whole) / 2, len(whole) - 23, len(whole) - 1}
	for _, n := range cuts {
		top, dest := sandbox(t)
		sz, err := ZipStream(context.Background(), bytes.NewReader(whole[:n]), dest, modOptions())
		if err == nil {
			// The local entries were whole; the central directory was not.
			_, _, err = sz.Confirm(bytes.NewReader(whole[:n]), int64(n))
		}
		if err == nil {
			t.Errorf("cut at %d of %d bytes: no error", n, len(whole))
		}
		checkConfined(t, top)
	}
	// A stream that breaks mid-way reports the break.
	_, dest := sandbox(t)
	_, err := ZipStream(context.Background(), &failingReader{data: whole, n: len(whole) / 2}, dest, modOptions())
	if !errors.Is(err, errBoom) {
		t.Errorf("err = %v, want the reader's", err)
	}
}

// TestZipStreamRefusals: every entry Zip refuses in module mode, ZipStream refuses too.
func TestZipStreamRefusals(t *testing.T) {
	for _, r := range refusals {
		data := zipBytes(t, r.ents...)
		_, dest := sandbox(t)
		opt := Options{Prefix: "go/", Module: true, MaxBytes: 1 << 20, Workers: 2}
		_, _, zerr := Zip(context.Background(), bytes.NewReader(data), int64(len(data)), dest, opt)
		top, dest := sandbox(t)
		_, _, serr := streamZip(t, data, dest, opt)
		checkConfined(t, top)
		if zerr != nil && serr == nil {
			t.Errorf("%s: Zip refuses (%v), ZipStream does not", r.name, zerr)
		}
	}
}

// TestZipStreamBomb: a deflate stream that expands past the limit stops there.
func TestZipStreamBomb(t *testing.T) {
	data := byteZip(t, []rawEntry{{name: modPrefix + "bin/go", body: strings.Repeat("\x00", 4<<20), descriptor: true}})
	_, dest := sandbox(t)
	_, err := ZipStream(context.Background(), bytes.NewReader(data), dest, Options{Prefix: modPrefix, Module: true, MaxBytes: 1 << 20})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

// FuzzZipStream checks FuzzZip's properties for the streamed path, and that whatever it
// confirms, Zip (the central directory's reading) unpacks to the same files and h1.
func FuzzZipStream(f *testing.F) {
	for _, ents := range fuzzSeeds() {
		f.Add(zipBytes(f, ents...))
	}
	f.Add(fatZip(f, modTree...))
	f.Add(byteZip(f, rawEntries(modTree)))
	f.Fuzz(func(t *testing.T, data []byte) {
		top, dest := sandbox(t)
		opt := Options{Prefix: "go/", MaxBytes: 1 << 20, Module: true, Workers: 2}
		if bytes.Contains(data, []byte(modPrefix)) {
			opt.Prefix = modPrefix
		}
		m, h1, err := streamZip(t, data, dest, opt)
		checkConfined(t, top)
		if err != nil {
			return
		}
		checkTree(t, dest, m)
		p := filepath.Join(t.TempDir(), "f.zip")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		want, err := dirhash.HashZip(p, dirhash.Hash1)
		if err != nil {
			t.Fatalf("ZipStream confirmed h1 %s, dirhash.HashZip fails: %v", h1, err)
		}
		if h1 != want {
			t.Fatalf("h1 = %s, dirhash.HashZip says %s", h1, want)
		}
		_, dest2 := sandbox(t)
		m2, _, err := Zip(context.Background(), bytes.NewReader(data), int64(len(data)), dest2, opt)
		if err != nil {
			t.Fatalf("ZipStream confirmed what Zip refuses: %v", err)
		}
		if !slices.Equal(m.Files, m2.Files) {
			t.Fatalf("ZipStream wrote %+v, Zip %+v", m.Files, m2.Files)
		}
	})
}
