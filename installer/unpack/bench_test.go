package unpack

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
)

// benchArchives are one toolchain-like tree as a go/-rooted tar.gz and as a module zip.
type benchArchives struct {
	tgz       []byte
	zip       []byte
	zipPrefix string
	files     int
	unpacked  int64
	source    string
}

// loadBenchArchives builds the archives once per process: from the real toolchain module
// zip named by GOVER_BENCH_TOOLCHAIN_ZIP (see bench_tar.sh), else from a synthetic tree.
var loadBenchArchives = sync.OnceValues(func() (*benchArchives, error) {
	if p := os.Getenv("GOVER_BENCH_TOOLCHAIN_ZIP"); p != "" {
		return realArchives(p)
	}
	return syntheticArchives(), nil
})

func benchData(b *testing.B) *benchArchives {
	b.Helper()
	a, err := loadBenchArchives()
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: %d files, %d bytes unpacked; tar.gz %d bytes, zip %d bytes", a.source, a.files, a.unpacked, len(a.tgz), len(a.zip))
	return a
}

var benchWorkers = []int{0, 1, 2, 4, 8}

func BenchmarkTarGz(b *testing.B) {
	a := benchData(b)
	for _, w := range benchWorkers {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.SetBytes(a.unpacked)
			b.ReportAllocs()
			parent := b.TempDir()
			// Trees stay until the end: on ext4, deleting one makes the next run's file
			// creations scan past the freed inodes, and the benchmark would time that.
			for i := 0; b.Loop(); i++ {
				dest := filepath.Join(parent, fmt.Sprint(i))
				if err := os.Mkdir(dest, 0o755); err != nil {
					b.Fatal(err)
				}
				if _, err := TarGz(context.Background(), bytes.NewReader(a.tgz), dest, Options{Prefix: "go/", Workers: w}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkZip(b *testing.B) {
	a := benchData(b)
	for _, w := range benchWorkers {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.SetBytes(a.unpacked)
			b.ReportAllocs()
			parent := b.TempDir()
			for i := 0; b.Loop(); i++ {
				dest := filepath.Join(parent, fmt.Sprint(i))
				if err := os.Mkdir(dest, 0o755); err != nil {
					b.Fatal(err)
				}
				opt := Options{Prefix: a.zipPrefix, Module: true, Workers: w}
				if _, _, err := Zip(context.Background(), bytes.NewReader(a.zip), int64(len(a.zip)), dest, opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkZipStream is BenchmarkZip for the streamed path: one sequential pass over the
// zip (as it arrives), then the central directory's confirmation.
func BenchmarkZipStream(b *testing.B) {
	a := benchData(b)
	for _, w := range benchWorkers {
		b.Run(fmt.Sprintf("workers=%d", w), func(b *testing.B) {
			b.SetBytes(a.unpacked)
			b.ReportAllocs()
			parent := b.TempDir()
			for i := 0; b.Loop(); i++ {
				dest := filepath.Join(parent, fmt.Sprint(i))
				if err := os.Mkdir(dest, 0o755); err != nil {
					b.Fatal(err)
				}
				opt := Options{Prefix: a.zipPrefix, Module: true, Workers: w}
				sz, err := ZipStream(context.Background(), bytes.NewReader(a.zip), dest, opt)
				if err != nil {
					b.Fatal(err)
				}
				if _, _, err := sz.Confirm(bytes.NewReader(a.zip), int64(len(a.zip))); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchFile is one file of a benchmark tree.
type benchFile struct {
	name string
	mode int64
	body []byte
}

// realArchives reads a toolchain module zip and repacks it under go/ as the official
// tar.gz is laid out (go.mod files under their real names), at gzip level 6.
func realArchives(path string) (*benchArchives, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	prefix, _, _ := strings.Cut(zr.File[0].Name, "/")
	prefix += "/"
	var files []benchFile
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		name := "go/" + moduleRel(strings.TrimPrefix(f.Name, prefix))
		files = append(files, benchFile{name: name, mode: int64(f.Mode().Perm()), body: body})
	}
	a := packTarGz(files)
	a.zip, a.zipPrefix, a.source = data, prefix, path
	return a, nil
}

// syntheticArchives builds a tree shaped like go1.22.5 linux-amd64's: 11,000 files whose sizes
// follow a log-normal law fitted to the real one's (median 1.9 KB, mean 10.7 KB), plus 19
// binaries totalling 104 MB, 220 MB in all, compressing about as well as Go source and
// binaries do.
func syntheticArchives() *benchArchives {
	rng := rand.New(rand.NewPCG(1, 2))
	text := textCorpus(rng, 4<<20)
	binary := binaryCorpus(rng, text, 8<<20)
	var files []benchFile
	for i, mb := range []float64{19.3, 12.7, 9, 7.6, 6.1, 5.5, 5.2, 4.6, 4.3, 4.1, 3.8, 3.7, 3.1, 2.6, 2.5, 2.4, 2.4, 1.9, 1.9} {
		dir := "go/pkg/tool/linux_amd64/"
		if i < 2 {
			dir = "go/bin/"
		}
		files = append(files, benchFile{name: fmt.Sprintf("%stool%d", dir, i), mode: 0o755, body: slice(rng, binary, int(mb*1e6))})
	}
	for i := range 11000 {
		size := min(int(math.Exp(math.Log(1863)+1.87*rng.NormFloat64())), 2<<20)
		dir := fmt.Sprintf("go/src/pkg%d/sub%d/", i/300, i/40%8)
		files = append(files, benchFile{name: fmt.Sprintf("%sfile%d.go", dir, i), mode: 0o644, body: slice(rng, text, size)})
	}
	a := packTarGz(files)
	a.zipPrefix, a.source = "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/", "synthetic tree"
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, 6) })
	for _, f := range files {
		h := &zip.FileHeader{Name: a.zipPrefix + strings.TrimPrefix(f.name, "go/"), Method: zip.Deflate}
		h.SetMode(os.FileMode(f.mode))
		w, _ := zw.CreateHeader(h)
		w.Write(f.body)
	}
	zw.Close()
	a.zip = buf.Bytes()
	return a
}

func packTarGz(files []benchFile) *benchArchives {
	a := &benchArchives{files: len(files)}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, 6)
	tw := tar.NewWriter(zw)
	for _, f := range files {
		tw.WriteHeader(&tar.Header{Name: f.name, Mode: f.mode, Size: int64(len(f.body)), Typeflag: tar.TypeReg})
		tw.Write(f.body)
		a.unpacked += int64(len(f.body))
	}
	tw.Close()
	zw.Close()
	a.tgz = buf.Bytes()
	return a
}

// textCorpus is n bytes of Go-like text: lines of words from a small vocabulary, many of
// them repeated as source code repeats itself.
func textCorpus(rng *rand.Rand, n int) []byte {
	words := strings.Fields(`func return if else for range var const type struct interface map chan go defer
		err nil true false int string byte error ctx context Context package import fmt Errorf Sprintf
		:= = == != { } ( ) [ ] , . ; // the of a to in is that for it as with was be by on not this
		buf len cap append make new copy delete panic recover select case default switch break continue`)
	line := func(b *bytes.Buffer) {
		for i := rng.IntN(4); i > 0; i-- {
			b.WriteByte('\t')
		}
		for i := 1 + rng.IntN(10); i > 0; i-- {
			if rng.IntN(12) == 0 {
				fmt.Fprintf(b, "x%d ", rng.IntN(500)) // identifiers
			} else {
				b.WriteString(words[rng.IntN(len(words))])
				b.WriteByte(' ')
			}
		}
		b.WriteByte('\n')
	}
	var common []string
	for range 2000 {
		var b bytes.Buffer
		line(&b)
		common = append(common, b.String())
	}
	var b bytes.Buffer
	for b.Len() < n {
		if rng.IntN(10) < 6 {
			b.WriteString(common[rng.IntN(len(common))])
		} else {
			line(&b)
		}
	}
	return b.Bytes()[:n]
}

// binaryCorpus mixes random bytes and text, compressing to roughly 40%, as Go binaries do.
func binaryCorpus(rng *rand.Rand, text []byte, n int) []byte {
	b := make([]byte, 0, n)
	for len(b) < n {
		if rng.IntN(5) == 0 {
			for range 256 {
				b = append(b, byte(rng.Uint32()))
			}
		} else {
			b = append(b, slice(rng, text, 512)...)
		}
	}
	return b[:n]
}

func slice(rng *rand.Rand, corpus []byte, n int) []byte {
	if n >= len(corpus) {
		out := make([]byte, 0, n)
		for len(out) < n {
			out = append(out, corpus[:min(len(corpus), n-len(out))]...)
		}
		return out
	}
	off := rng.IntN(len(corpus) - n)
	return corpus[off : off+n]
}
