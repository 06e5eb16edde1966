package unpack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestTarGzBombHeader: a header declaring more than MaxBytes is refused before its data is read.
func TestTarGzBombHeader(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "go/zeros", Typeflag: tar.TypeReg, Mode: 0o644, Size: 1 << 30})
	tw.Write(make([]byte, 1<<16)) // the rest is never sent
	top, dest := sandbox(t)
	start := time.Now()
	_, err := TarGz(context.Background(), bytes.NewReader(gz(t, buf.Bytes())), dest, Options{Prefix: "go/", MaxBytes: 1 << 20})
	checkEntryError(t, err, "go/zeros", ErrTooLarge)
	if d := time.Since(start); d > time.Second {
		t.Errorf("refused after %v", d)
	}
	checkConfined(t, top)
}

// TestTarGzBombTrailing: zeros after the end of the tar expand the gzip stream without
// adding a file; they must stop the unpack long before all of them are decompressed.
func TestTarGzBombTrailing(t *testing.T) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(tarBytes(t, file("go/a", "a", 0o644)))
	zeros := make([]byte, 1<<20)
	for range 256 { // 256 MiB
		zw.Write(zeros)
	}
	zw.Close()
	if buf.Len() > 1<<20 {
		t.Fatalf("bomb is %d bytes", buf.Len())
	}
	_, dest := sandbox(t)
	start := time.Now()
	_, err := TarGz(context.Background(), bytes.NewReader(buf.Bytes()), dest, Options{Prefix: "go/", MaxBytes: 1 << 20})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("TarGz = %v, want ErrTooLarge", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("refused after %v", d)
	}
}

// TestTarGzTrailingBytes: TarGz reads r to its end (the caller hashes it as it streams),
// through padding after the tar end marker and further gzip members; garbage is an error.
func TestTarGzTrailingBytes(t *testing.T) {
	raw := append(tarBytes(t, tree1...), make([]byte, 9*512)...) // padding to a 10 KiB record, as tar(1) writes
	members := append(gz(t, raw), gz(t, nil)...)
	for name, data := range map[string][]byte{"padding": gz(t, raw), "two gzip members": members} {
		r := bytes.NewReader(data)
		_, dest := sandbox(t)
		if _, err := TarGz(context.Background(), r, dest, Options{Prefix: "go/"}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if r.Len() != 0 {
			t.Errorf("%s: %d bytes left unread", name, r.Len())
		}
	}
	_, dest := sandbox(t)
	if _, err := TarGz(context.Background(), bytes.NewReader(append(gz(t, raw), "garbage"...)), dest, Options{Prefix: "go/"}); err == nil {
		t.Errorf("garbage after the gzip stream: no error")
	}
}

func TestTarGzTruncated(t *testing.T) {
	ents := append([]ent{file("go/big", strings.Repeat("some text that compresses ", 20000), 0o644)}, tree1...)
	raw := tarBytes(t, ents...)
	whole := gz(t, raw)
	cases := map[string][]byte{
		"empty":                  nil,
		"gzip header only":       whole[:10],
		"gzip trailer missing":   whole[:len(whole)-8],
		"last byte missing":      whole[:len(whole)-1],
		"tar end marker missing": gz(t, raw[:len(raw)-1024]),
		"lone zero block":        gz(t, raw[:len(raw)-512]),
		"cut mid-tar":            gz(t, raw[:len(raw)/2]),
	}
	for i := 1; i < 8; i++ {
		cases[fmt.Sprintf("cut at %d/8", i)] = whole[:len(whole)*i/8]
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			top, dest := sandbox(t)
			m, err := TarGz(context.Background(), bytes.NewReader(data), dest, Options{Prefix: "go/"})
			if err == nil {
				t.Fatalf("no error; unpacked %d files", len(m.Files))
			}
			checkConfined(t, top)
		})
	}
}

func TestZipTruncated(t *testing.T) {
	whole := zipBytes(t, append([]ent{file("go/big", strings.Repeat("some text that compresses ", 20000), 0o644)}, tree1...)...)
	corrupt := bytes.Clone(whole)
	for i := 100; i < 400; i++ {
		corrupt[i] ^= 0x55 // inside go/big's deflate stream
	}
	cases := map[string][]byte{
		"empty":        nil,
		"half":         whole[:len(whole)/2],
		"no last byte": whole[:len(whole)-1],
		"corrupt data": corrupt,
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			top, dest := sandbox(t)
			m, _, err := Zip(context.Background(), bytes.NewReader(data), int64(len(data)), dest, Options{Prefix: "go/"})
			if err == nil {
				t.Fatalf("no error; unpacked %d files", len(m.Files))
			}
			checkConfined(t, top)
		})
	}
}

var errBoom = errors.New("connection reset by peer")

// failingReader gives the first n bytes of data, then errBoom.
type failingReader struct {
	data []byte
	n    int
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n == 0 {
		return 0, errBoom
	}
	k := copy(p[:min(len(p), f.n)], f.data)
	f.data, f.n = f.data[k:], f.n-k
	return k, nil
}

func TestTarGzReaderError(t *testing.T) {
	data := tarGz(t, append([]ent{file("go/big", strings.Repeat("text that compresses, mostly ", 100000), 0o644)}, tree1...)...)
	for _, n := range []int{0, 5, 100, len(data) / 2, len(data) - 1} {
		_, dest := sandbox(t)
		before := runtime.NumGoroutine()
		_, err := TarGz(context.Background(), &failingReader{data: data, n: n}, dest, Options{Prefix: "go/"})
		if !errors.Is(err, errBoom) {
			t.Errorf("failing after %d bytes: %v, want errBoom", n, err)
		}
		checkNoLeak(t, before)
	}
}

// failingReaderAt fails any read that reaches past off.
type failingReaderAt struct {
	r   *bytes.Reader
	off int64
}

func (f failingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.off && off < f.r.Size()-1024 { // the central directory stays readable
		return 0, errBoom
	}
	return f.r.ReadAt(p, off)
}

func TestZipReaderError(t *testing.T) {
	data := zipBytes(t, append([]ent{file("go/big", strings.Repeat("text that compresses, mostly ", 100000), 0o644)}, tree1...)...)
	for _, off := range []int64{0, 1000} {
		_, dest := sandbox(t)
		before := runtime.NumGoroutine()
		_, _, err := Zip(context.Background(), failingReaderAt{bytes.NewReader(data), off}, int64(len(data)), dest, Options{Prefix: "go/"})
		if !errors.Is(err, errBoom) {
			t.Errorf("failing past %d: %v, want errBoom", off, err)
		}
		checkNoLeak(t, before)
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, dest := sandbox(t)
	if _, err := TarGz(ctx, bytes.NewReader(tarGz(t, tree1...)), dest, Options{Prefix: "go/"}); err != context.Canceled {
		t.Errorf("TarGz = %v, want context.Canceled", err)
	}
	data := zipBytes(t, tree1...)
	if _, _, err := Zip(ctx, bytes.NewReader(data), int64(len(data)), dest, Options{Prefix: "go/"}); err != context.Canceled {
		t.Errorf("Zip = %v, want context.Canceled", err)
	}
	if names, _ := readDirNames(dest); len(names) != 0 {
		t.Errorf("dest holds %q", names)
	}
}

// endlessTarGz streams a tar.gz that never ends until the returned stop is called.
func endlessTarGz(t *testing.T) (io.Reader, func()) {
	pr, pw := io.Pipe()
	var wg sync.WaitGroup
	wg.Go(func() {
		zw := gzip.NewWriter(pw)
		tw := tar.NewWriter(zw)
		body := bytes.Repeat([]byte("endless "), 4096)
		for i := 0; ; i++ {
			if tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("go/d%d/f%d", i%50, i), Mode: 0o644, Size: int64(len(body))}) != nil {
				return
			}
			if _, err := tw.Write(body); err != nil {
				return
			}
		}
	})
	return pr, func() { pr.CloseWithError(errors.New("test over")); wg.Wait() }
}

func TestTarGzCancel(t *testing.T) {
	r, stop := endlessTarGz(t)
	defer stop()
	ctx, cancel := context.WithCancel(context.Background())
	_, dest := sandbox(t)
	before := runtime.NumGoroutine()
	var cancelled time.Time
	time.AfterFunc(200*time.Millisecond, func() { cancelled = time.Now(); cancel() })
	_, err := TarGz(ctx, r, dest, Options{Prefix: "go/"})
	if err != context.Canceled {
		t.Errorf("TarGz = %v, want context.Canceled", err)
	}
	if d := time.Since(cancelled); d > time.Second {
		t.Errorf("returned %v after cancel", d)
	}
	checkNoLeak(t, before)
}

// cancellingReaderAt cancels its context once a read reaches past off.
type cancellingReaderAt struct {
	r      *bytes.Reader
	off    int64
	cancel context.CancelFunc
}

func (c cancellingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off > c.off && off < c.r.Size()-4096 {
		c.cancel()
	}
	return c.r.ReadAt(p, off)
}

func TestZipCancel(t *testing.T) {
	var ents []ent
	for i := range 200 {
		ents = append(ents, file(fmt.Sprintf("go/d%d/f%d", i%10, i), strings.Repeat(fmt.Sprint(i), 50000), 0o644))
	}
	data := zipBytes(t, ents...)
	ctx, cancel := context.WithCancel(context.Background())
	top, dest := sandbox(t)
	before := runtime.NumGoroutine()
	_, _, err := Zip(ctx, cancellingReaderAt{bytes.NewReader(data), int64(len(data)) / 10, cancel}, int64(len(data)), dest, Options{Prefix: "go/", Workers: 4})
	if err != context.Canceled {
		t.Errorf("Zip = %v, want context.Canceled", err)
	}
	checkNoLeak(t, before)
	checkConfined(t, top)
}

// TestHugeMaxBytes: a limit near the int64 maximum must not wrap into a tiny one.
func TestHugeMaxBytes(t *testing.T) {
	_, dest := sandbox(t)
	if _, err := TarGz(context.Background(), bytes.NewReader(tarGz(t, tree1...)), dest, Options{Prefix: "go/", MaxBytes: 1<<63 - 1}); err != nil {
		t.Error(err)
	}
}

// TestTarGzHugeHeaderSize: a PAX size near the int64 maximum must not wrap the running total.
func TestTarGzHugeHeaderSize(t *testing.T) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "go/a", Typeflag: tar.TypeReg, Mode: 0o644, Size: 10})
	tw.Write([]byte("0123456789"))
	tw.WriteHeader(&tar.Header{Name: "go/huge", Typeflag: tar.TypeReg, Mode: 0o644, Size: 1<<63 - 5, Format: tar.FormatPAX})
	_, dest := sandbox(t)
	_, err := TarGz(context.Background(), bytes.NewReader(gz(t, buf.Bytes())), dest, Options{Prefix: "go/", MaxBytes: 1 << 20})
	checkEntryError(t, err, "go/huge", ErrTooLarge)
}
