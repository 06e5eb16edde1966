package unpack

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/goverdev/gover/internal/manifest"
)

// tree1 is a small toolchain-like tree: exec bits, nesting, an empty file, a setuid bit to
// drop, and a safe relative link.
var tree1 = []ent{
	dir("go/"),
	file("go/VERSION", "go1.22.5\n", 0o644),
	dir("go/bin/"),
	file("go/bin/go", "\x7fELF go binary", 0o755),
	file("go/bin/gofmt", "\x7fELF gofmt binary", 0o4755),
	file("go/src/cmd/go/main.go", "package main\n", 0o644),
	file("go/src/cmd/go/testdata/empty", "", 0o644),
	file("go/src/cmd/go.mod", "module cmd\n", 0o644),
	file("go/lib/time/update.bash", "#!/bin/sh\n", 0o755),
	symlink("go/misc/cmd", "../src/cmd"),
}

var tree1Manifest = []manifest.File{
	want("VERSION", "go1.22.5\n", 0o644),
	want("bin/go", "\x7fELF go binary", 0o755),
	want("bin/gofmt", "\x7fELF gofmt binary", 0o755),
	want("lib/time/update.bash", "#!/bin/sh\n", 0o755),
	wantLink("misc/cmd", "../src/cmd"),
	want("src/cmd/go.mod", "module cmd\n", 0o644),
	want("src/cmd/go/main.go", "package main\n", 0o644),
	want("src/cmd/go/testdata/empty", "", 0o644),
}

func TestTarGzRoundTrip(t *testing.T) {
	for _, workers := range []int{0, 1, 3} {
		top, dest := sandbox(t)
		archive := bytes.NewReader(tarGz(t, tree1...))
		m, err := TarGz(context.Background(), archive, dest, Options{Prefix: "go/", Workers: workers})
		if err != nil {
			t.Fatalf("Workers=%d: %v", workers, err)
		}
		if !slices.Equal(m.Files, tree1Manifest) {
			t.Errorf("Workers=%d: manifest\n%+v\nwant\n%+v", workers, m.Files, tree1Manifest)
		}
		if archive.Len() != 0 {
			t.Errorf("Workers=%d: %d bytes of the archive left unread", workers, archive.Len())
		}
		checkTree(t, dest, m)
		checkConfined(t, top)
	}
}

func TestZipRoundTrip(t *testing.T) {
	top, dest := sandbox(t)
	data := zipBytes(t, tree1...)
	m, h1, err := Zip(context.Background(), bytes.NewReader(data), int64(len(data)), dest, Options{Prefix: "go/"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Files, tree1Manifest) {
		t.Errorf("manifest\n%+v\nwant\n%+v", m.Files, tree1Manifest)
	}
	checkTree(t, dest, m)
	checkConfined(t, top)
	if want := hashZipFile(t, data); h1 != want {
		t.Errorf("h1 = %s, dirhash.HashZip says %s", h1, want)
	}
}

// TestBigAndMany pushes files larger than a slab, and more small ones than two slabs hold,
// through a pool of two slabs, so the reader waits for the writers to free them.
func TestBigAndMany(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 3*slabSize/16+1000)
	mid := strings.Repeat("m", smallFile+1)
	ents := []ent{file("go/bin/big", big, 0o755), file("go/mid", mid, 0o644)}
	wantFiles := []manifest.File{want("bin/big", big, 0o755), want("mid", mid, 0o644), want("bin/big2", big[:slabSize*2], 0o755)}
	for i := range 600 {
		name := fmt.Sprintf("d%d/f%d", i%7, i)
		body := strings.Repeat(name, i*5)
		ents = append(ents, file("go/"+name, body, 0o644))
		wantFiles = append(wantFiles, want(name, body, 0o644))
	}
	ents = append(ents, file("go/bin/big2", big[:slabSize*2], 0o755))
	(&manifest.Manifest{Files: wantFiles}).Sort()
	archive := tarGz(t, ents...)
	for _, workers := range []int{1, 4} {
		top, dest := sandbox(t)
		cfg := Options{Prefix: "go/", Workers: workers}.config()
		cfg.slabs = 2
		m, err := unpackTarGz(context.Background(), bytes.NewReader(archive), dest, cfg)
		if err != nil {
			t.Fatalf("Workers=%d: %v", workers, err)
		}
		if !slices.Equal(m.Files, wantFiles) {
			t.Errorf("Workers=%d: manifest differs", workers)
		}
		checkTree(t, dest, m)
		checkConfined(t, top)
	}

	top, dest := sandbox(t)
	data := zipBytes(t, ents...)
	m, h1, err := Zip(context.Background(), bytes.NewReader(data), int64(len(data)), dest, Options{Prefix: "go/"})
	if err != nil {
		t.Fatalf("Zip: %v", err)
	}
	if !slices.Equal(m.Files, wantFiles) {
		t.Errorf("Zip: manifest differs")
	}
	if want := hashZipFile(t, data); h1 != want {
		t.Errorf("Zip: h1 = %s, dirhash.HashZip says %s", h1, want)
	}
	checkTree(t, dest, m)
	checkConfined(t, top)
}

const modPrefix = "golang.org/toolchain@v0.0.1-go1.22.5.linux-amd64/"

// modTree is an older toolchain module zip: no Unix modes, nested go.mod files as _go.mod.
var modTree = []ent{
	file(modPrefix+"VERSION", "go1.22.5\n", 0),
	file(modPrefix+"_go.mod", "module golang.org/toolchain\n", 0),
	file(modPrefix+"bin/go", "go binary", 0),
	file(modPrefix+"bin/gofmt", "gofmt binary", 0),
	file(modPrefix+"pkg/tool/linux_amd64/compile", "compile binary", 0),
	file(modPrefix+"pkg/tool/linux_amd64/vet", "vet binary", 0),
	file(modPrefix+"pkg/include/asm_amd64.h", "#define X\n", 0),
	file(modPrefix+"src/cmd/_go.mod", "module cmd\n", 0),
	file(modPrefix+"src/cmd/go/main.go", "package main\n", 0),
	file(modPrefix+"lib/time/update.bash", "#!/bin/sh\n", 0),
}

var modManifest = []manifest.File{
	want("VERSION", "go1.22.5\n", 0o644),
	want("bin/go", "go binary", 0o755),
	want("bin/gofmt", "gofmt binary", 0o755),
	want("go.mod", "module golang.org/toolchain\n", 0o644),
	want("lib/time/update.bash", "#!/bin/sh\n", 0o755),
	want("pkg/include/asm_amd64.h", "#define X\n", 0o644),
	want("pkg/tool/linux_amd64/compile", "compile binary", 0o755),
	want("pkg/tool/linux_amd64/vet", "vet binary", 0o755),
	want("src/cmd/go.mod", "module cmd\n", 0o644),
	want("src/cmd/go/main.go", "package main\n", 0o644),
}

func TestZipModule(t *testing.T) {
	top, dest := sandbox(t)
	data := fatZip(t, modTree...)
	m, h1, err := Zip(context.Background(), bytes.NewReader(data), int64(len(data)), dest, Options{Prefix: modPrefix, Module: true})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Files, modManifest) {
		t.Errorf("manifest\n%+v\nwant\n%+v", m.Files, modManifest)
	}
	checkTree(t, dest, m)
	checkConfined(t, top)
	// The hash covers the names as stored, _go.mod included.
	if want := hashZipFile(t, data); h1 != want {
		t.Errorf("h1 = %s, dirhash.HashZip says %s", h1, want)
	}
	if _, err := os.Stat(filepath.Join(dest, "src/cmd/_go.mod")); err == nil {
		t.Errorf("src/cmd/_go.mod written under its stored name")
	}
	// The manifest alone gives the zip's hash back, and any change to it
	// (a file's content, a name) gives another.
	if got := ModuleZipHash(m, modPrefix); got != h1 {
		t.Errorf("ModuleZipHash = %s, the zip's h1 is %s", got, h1)
	}
	changed := *m
	changed.Files = slices.Clone(m.Files)
	changed.Files[1].SHA256[0] ^= 1
	renamed := *m
	renamed.Files = slices.Clone(m.Files)
	renamed.Files[0].Path = "VERSION.txt"
	for _, bad := range []*manifest.Manifest{&changed, &renamed} {
		if ModuleZipHash(bad, modPrefix) == h1 {
			t.Errorf("a changed manifest hashes to the zip's h1")
		}
	}
}

// TestZipModuleIgnoresAttributes plays a proxy that re-serves a module zip's proven bytes
// (the same h1) with its attributes changed: an entry typed as a symbolic link, one as a
// FIFO, the exec bit taken from bin/gofmt and given to a source file. The h1 hash does not
// cover attributes, so the tree must come out as x/mod/zip and distpack would lay it out:
// regular files only, modes decided by name.
func TestZipModuleIgnoresAttributes(t *testing.T) {
	honest := []ent{
		file(modPrefix+"bin/go", "go", 0o755),
		file(modPrefix+"bin/gofmt", "gofmt", 0o755),
		file(modPrefix+"lib/time/update.bash", "#!/bin/sh\n", 0o755),
		file(modPrefix+"src/cmd/_go.mod", "module cmd\n", 0o644),
		file(modPrefix+"src/fmt/print.go", "package fmt\n", 0o644),
		file(modPrefix+"src/os/file.go", "package os\n", 0o644),
	}
	hostile := []ent{
		{name: modPrefix + "bin/go", link: "go", mode: fs.ModeSymlink | 0o777}, // a link whose target is the bytes "go"
		file(modPrefix+"bin/gofmt", "gofmt", 0o644),
		file(modPrefix+"lib/time/update.bash", "#!/bin/sh\n", 0o4755),
		file(modPrefix+"src/cmd/_go.mod", "module cmd\n", 0o777),
		file(modPrefix+"src/fmt/print.go", "package fmt\n", 0o755),
		file(modPrefix+"src/os/file.go", "package os\n", fs.ModeNamedPipe|0o644),
	}
	wantFiles := []manifest.File{
		want("bin/go", "go", 0o755),
		want("bin/gofmt", "gofmt", 0o755),
		want("lib/time/update.bash", "#!/bin/sh\n", 0o755),
		want("src/cmd/go.mod", "module cmd\n", 0o644),
		want("src/fmt/print.go", "package fmt\n", 0o644),
		want("src/os/file.go", "package os\n", 0o644),
	}
	// Both unpackers: Zip (random access) and ZipStream (as the bytes
	// arrive, then confirmed by the central directory).
	unpackers := map[string]func(data []byte, dest string) (*manifest.Manifest, string, error){
		"Zip": func(data []byte, dest string) (*manifest.Manifest, string, error) {
			return Zip(context.Background(), bytes.NewReader(data), int64(len(data)), dest, Options{Prefix: modPrefix, Module: true})
		},
		"ZipStream": func(data []byte, dest string) (*manifest.Manifest, string, error) {
			return streamZip(t, data, dest, modOptions())
		},
	}
	for name, unzip := range unpackers {
		t.Run(name, func(t *testing.T) {
			var h1s []string
			for _, ents := range [][]ent{honest, hostile} {
				_, dest := sandbox(t)
				m, h1, err := unzip(zipBytes(t, ents...), dest)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(m.Files, wantFiles) {
					t.Errorf("manifest\n%+v\nwant\n%+v", m.Files, wantFiles)
				}
				checkTree(t, dest, m)
				if got := ModuleZipHash(m, modPrefix); got != h1 {
					t.Errorf("ModuleZipHash = %s, the zip's h1 is %s", got, h1)
				}
				h1s = append(h1s, h1)
			}
			if h1s[0] != h1s[1] {
				t.Fatalf("the two zips hash differently (%s, %s): the test does not show what it means to", h1s[0], h1s[1])
			}
		})
	}
}

func TestTarGzModule(t *testing.T) {
	_, dest := sandbox(t)
	ents := []ent{file("go/src/cmd/_go.mod", "module cmd\n", 0o644), file("go/bin/go", "go", 0o755)}
	m, err := TarGz(context.Background(), bytes.NewReader(tarGz(t, ents...)), dest, Options{Prefix: "go/", Module: true})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []manifest.File{want("bin/go", "go", 0o755), want("src/cmd/go.mod", "module cmd\n", 0o644)}
	if !slices.Equal(m.Files, wantFiles) {
		t.Errorf("manifest\n%+v\nwant\n%+v", m.Files, wantFiles)
	}
	checkTree(t, dest, m)
}

// TestPlainKeepsUnderscoreGoMod: without Module, _go.mod is an ordinary name.
func TestPlainKeepsUnderscoreGoMod(t *testing.T) {
	_, dest := sandbox(t)
	m, err := TarGz(context.Background(), bytes.NewReader(tarGz(t, file("go/_go.mod", "x", 0o644))), dest, Options{Prefix: "go/"})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != 1 || m.Files[0].Path != "_go.mod" {
		t.Errorf("manifest %+v, want _go.mod", m.Files)
	}
}

func TestDest(t *testing.T) {
	ctx := context.Background()
	archive := tarGz(t, file("go/x", "x", 0o644))
	zipped := zipBytes(t, file("go/x", "x", 0o644))
	full := t.TempDir()
	os.WriteFile(filepath.Join(full, "old"), nil, 0o644)
	notDir := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notDir, nil, 0o644)
	for _, dest := range []string{filepath.Join(t.TempDir(), "missing"), full, notDir} {
		if _, err := TarGz(ctx, bytes.NewReader(archive), dest, Options{Prefix: "go/"}); err == nil || !strings.Contains(err.Error(), dest) {
			t.Errorf("TarGz into %s: %v, want an error naming it", dest, err)
		}
		if _, _, err := Zip(ctx, bytes.NewReader(zipped), int64(len(zipped)), dest, Options{Prefix: "go/"}); err == nil || !strings.Contains(err.Error(), dest) {
			t.Errorf("Zip into %s: %v, want an error naming it", dest, err)
		}
	}
	if names, _ := os.ReadDir(full); len(names) != 1 {
		t.Errorf("the non-empty dest was written to: %v", names)
	}
}

func hashZipFile(t testing.TB, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "m.zip")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	h1, err := dirhash.HashZip(p, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	return h1
}

// A tree unpacked, before the module rules, from a zip whose attributes were
// changed still hashes to the module's h1, and ModuleAttributes names what
// is wrong with it.
func TestModuleAttributes(t *testing.T) {
	m := &manifest.Manifest{Files: []manifest.File{
		wantLink("bin/go", "go"),
		want("bin/gofmt", "gofmt", 0o644),
		want("src/fmt/print.go", "package fmt\n", 0o755),
		want("src/os/file.go", "package os\n", 0o644),
	}}
	good := &manifest.Manifest{Files: []manifest.File{
		want("bin/go", "go", 0o755),
		want("bin/gofmt", "gofmt", 0o755),
		want("src/fmt/print.go", "package fmt\n", 0o644),
		want("src/os/file.go", "package os\n", 0o644),
	}}
	if ModuleZipHash(m, modPrefix) != ModuleZipHash(good, modPrefix) {
		t.Errorf("a link counts otherwise than the file the zip held")
	}
	got := ModuleAttributes(m, true)
	wantProblems := []string{"bin/go is a symbolic link", "bin/gofmt is not executable", "src/fmt/print.go is executable"}
	if !slices.Equal(got, wantProblems) {
		t.Errorf("ModuleAttributes = %q, want %q", got, wantProblems)
	}
	if got := ModuleAttributes(m, false); !slices.Equal(got, wantProblems[:1]) {
		t.Errorf("ModuleAttributes without modes = %q, want %q", got, wantProblems[:1])
	}
	if got := ModuleAttributes(good, true); len(got) != 0 {
		t.Errorf("ModuleAttributes of a sound tree = %q", got)
	}
}
