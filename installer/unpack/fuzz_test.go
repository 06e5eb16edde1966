package unpack

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"
)

// fuzzSeeds are small valid archives' entries plus every refusal case.
func fuzzSeeds() [][]ent {
	seeds := [][]ent{tree1, {file("go/a", "a", 0o644)}, {dir("go/"), symlink("go/l", "a/b"), file("go/a/b", "x", 0o755)}}
	for _, r := range refusals {
		seeds = append(seeds, r.ents)
	}
	return seeds
}

// FuzzTarGz checks that, whatever the input, nothing lands outside dest, no link leads out
// of it, and a success lists exactly what is on disk. Inputs not starting with the gzip
// magic are gzipped first, so the fuzzer can work on the tar structure itself.
func FuzzTarGz(f *testing.F) {
	for _, ents := range fuzzSeeds() {
		if raw, ok := tryTar(ents); ok {
			f.Add(raw)
			f.Add(gz(f, raw))
		}
	}
	f.Add(gz(f, tarBytes(f, tree1...)[:1500]))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
			data = gz(t, data)
		}
		top, dest := sandbox(t)
		m, err := TarGz(context.Background(), bytes.NewReader(data), dest, Options{Prefix: "go/", MaxBytes: 1 << 20, Workers: 2})
		checkConfined(t, top)
		checkLinksInside(t, dest)
		if err == nil {
			checkTree(t, dest, m)
		}
	})
}

// FuzzZip checks FuzzTarGz's properties for zips, in module mode, and that a success's h1
// is what dirhash.HashZip computes.
func FuzzZip(f *testing.F) {
	for _, ents := range fuzzSeeds() {
		f.Add(zipBytes(f, ents...))
	}
	f.Add(fatZip(f, modTree...))
	f.Fuzz(func(t *testing.T, data []byte) {
		top, dest := sandbox(t)
		opt := Options{Prefix: "go/", MaxBytes: 1 << 20, Module: true, Workers: 2}
		if bytes.Contains(data, []byte(modPrefix)) {
			opt.Prefix = modPrefix
		}
		m, h1, err := Zip(context.Background(), bytes.NewReader(data), int64(len(data)), dest, opt)
		checkConfined(t, top)
		checkLinksInside(t, dest)
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
			t.Fatalf("Zip succeeded with h1 %s, dirhash.HashZip fails: %v", h1, err)
		}
		if h1 != want {
			t.Fatalf("h1 = %s, dirhash.HashZip says %s", h1, want)
		}
	})
}

// tryTar builds a tar of ents, if archive/tar can write it (it refuses NUL in names, sockets…).
func tryTar(ents []ent) (raw []byte, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return tarBytes(panicTB{}, ents...), true
}

// panicTB turns the builders' t.Fatal into a panic for tryTar.
type panicTB struct{ testing.TB }

func (panicTB) Helper()               {}
func (panicTB) Fatal(args ...any)     { panic("fatal") }
func (panicTB) Fatalf(string, ...any) { panic("fatal") }
