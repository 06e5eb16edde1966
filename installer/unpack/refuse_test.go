package unpack

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"strings"
	"testing"
)

var refusals = []struct {
	name     string
	ents     []ent
	entry    string // the entry the error names
	sentinel error
	only     string // "tar" or "zip" when the other format cannot hold the case
	maxBytes int64
}{
	{name: "absolute", ents: []ent{file("/etc/evil", "x", 0o644)}, entry: "/etc/evil", sentinel: ErrUnsafePath},
	{name: "absolute under prefix", ents: []ent{file("/go/evil", "x", 0o644)}, entry: "/go/evil", sentinel: ErrUnsafePath},
	{name: "dotdot", ents: []ent{file("go/../evil.txt", "x", 0o644)}, entry: "go/../evil.txt", sentinel: ErrUnsafePath},
	{name: "deep dotdot", ents: []ent{file("go/a/x", "x", 0o644), file("go/a/../../../evil.txt", "x", 0o644)}, entry: "go/a/../../../evil.txt", sentinel: ErrUnsafePath},
	{name: "backslash", ents: []ent{file(`go\..\..\evil.txt`, "x", 0o644)}, entry: `go\..\..\evil.txt`, sentinel: ErrUnsafePath},
	{name: "drive letter", ents: []ent{file("C:/evil.txt", "x", 0o644)}, entry: "C:/evil.txt", sentinel: ErrUnsafePath},
	{name: "colon", ents: []ent{file("go/x:evil", "x", 0o644)}, entry: "go/x:evil", sentinel: ErrUnsafePath},
	{name: "NUL", ents: []ent{file("go/a\x00/../../evil", "x", 0o644)}, entry: "go/a\x00/../../evil", sentinel: ErrUnsafePath, only: "zip"},
	{name: "newline", ents: []ent{file("go/a\nb", "x", 0o644)}, entry: "go/a\nb", sentinel: ErrUnsafePath},
	{name: "outside prefix", ents: []ent{file("go/x", "x", 0o644), file("evil.txt", "x", 0o644)}, entry: "evil.txt", sentinel: ErrUnsafePath},
	{name: "folder beside prefix", ents: []ent{dir("go/"), dir("other/")}, entry: "other/", sentinel: ErrUnsafePath},
	{name: "prefix lookalike", ents: []ent{file("gox/evil", "x", 0o644)}, entry: "gox/evil", sentinel: ErrUnsafePath},
	{name: "duplicate", ents: []ent{file("go/a", "first", 0o644), file("go/a", "second", 0o644)}, entry: "go/a", sentinel: ErrUnsafePath},
	{name: "case collision", ents: []ent{file("go/README", "x", 0o644), file("go/readme", "x", 0o644)}, entry: "go/readme", sentinel: ErrUnsafePath},
	{name: "folder case collision", ents: []ent{file("go/Src/a", "x", 0o644), file("go/src/b", "x", 0o644)}, entry: "go/src/b", sentinel: ErrUnsafePath},
	{name: "inside a file", ents: []ent{file("go/a", "x", 0o644), file("go/a/b", "x", 0o644)}, entry: "go/a/b", sentinel: ErrUnsafePath},
	{name: "file over folder", ents: []ent{file("go/a/b", "x", 0o644), file("go/a", "x", 0o644)}, entry: "go/a", sentinel: ErrUnsafePath},
	{name: "char device", ents: []ent{{name: "go/null", mode: fs.ModeDevice | fs.ModeCharDevice | 0o666}}, entry: "go/null", sentinel: ErrUnsupported},
	{name: "block device", ents: []ent{{name: "go/sda", mode: fs.ModeDevice | 0o660}}, entry: "go/sda", sentinel: ErrUnsupported},
	{name: "FIFO", ents: []ent{{name: "go/fifo", mode: fs.ModeNamedPipe | 0o644}}, entry: "go/fifo", sentinel: ErrUnsupported},
	{name: "socket", ents: []ent{{name: "go/sock", mode: fs.ModeSocket | 0o644}}, entry: "go/sock", sentinel: ErrUnsupported, only: "zip"},
	{name: "hard link", ents: []ent{file("go/a", "x", 0o644), {name: "go/b", link: "go/a", hard: true}}, entry: "go/b", sentinel: ErrUnsupported, only: "tar"},
	{name: "hard link outside", ents: []ent{{name: "go/passwd", link: "/etc/passwd", hard: true}}, entry: "go/passwd", sentinel: ErrUnsupported, only: "tar"},
	{name: "link to absolute", ents: []ent{symlink("go/etc", "/etc")}, entry: "go/etc", sentinel: ErrUnsafePath},
	{name: "link climbing out", ents: []ent{symlink("go/a/up", "../../x")}, entry: "go/a/up", sentinel: ErrUnsafePath},
	{name: "empty link target", ents: []ent{symlink("go/l", "")}, entry: "go/l", sentinel: ErrUnsafePath},
	{name: "write through link", ents: []ent{dir("go/sub/"), symlink("go/l", "sub"), file("go/l/evil", "x", 0o644)}, entry: "go/l/evil", sentinel: ErrUnsafePath},
	{name: "write through link up", ents: []ent{symlink("go/l", "."), file("go/l/evil", "x", 0o644)}, entry: "go/l/evil", sentinel: ErrUnsafePath},
	{name: "write through link, other case", ents: []ent{symlink("go/l", "."), file("go/L/evil", "x", 0o644)}, entry: "go/L/evil", sentinel: ErrUnsafePath},
	{name: "link over file", ents: []ent{file("go/l", "x", 0o644), symlink("go/l", "x")}, entry: "go/l", sentinel: ErrUnsafePath},
	{name: "link chain climbs out", ents: []ent{symlink("go/a/b", ".."), symlink("go/c", "a/b/../..")}, entry: "go/c", sentinel: ErrUnsafePath},
	{name: "link chain climbs out, reversed", ents: []ent{symlink("go/c", "a/b/../.."), symlink("go/a/b", "..")}, entry: "go/c", sentinel: ErrUnsafePath},
	{name: "link chain through case", ents: []ent{symlink("go/x/L", ".."), symlink("go/y", "x/l/..")}, entry: "go/y", sentinel: ErrUnsafePath},
	{name: "over MaxBytes", ents: []ent{file("go/a", strings.Repeat("a", 60), 0o644), file("go/b", strings.Repeat("b", 41), 0o644)}, entry: "go/b", sentinel: ErrTooLarge, maxBytes: 100},
}

func TestRefusals(t *testing.T) {
	for _, tt := range refusals {
		opt := Options{Prefix: "go/", MaxBytes: tt.maxBytes}
		if tt.only != "zip" {
			t.Run("tar/"+tt.name, func(t *testing.T) {
				top, dest := sandbox(t)
				_, err := TarGz(context.Background(), bytes.NewReader(tarGz(t, tt.ents...)), dest, opt)
				checkEntryError(t, err, tt.entry, tt.sentinel)
				checkConfined(t, top)
				checkLinksInside(t, dest)
			})
		}
		if tt.only != "tar" {
			t.Run("zip/"+tt.name, func(t *testing.T) {
				top, dest := sandbox(t)
				data := zipBytes(t, tt.ents...)
				_, _, err := Zip(context.Background(), bytes.NewReader(data), int64(len(data)), dest, opt)
				checkEntryError(t, err, tt.entry, tt.sentinel)
				checkConfined(t, top)
				checkLinksInside(t, dest)
			})
		}
	}
}

// TestTarEmptyAfterPrefix: a regular file named "go/" would be the tree's root itself.
// archive/tar refuses to write one, so the header is patched by hand.
func TestTarEmptyAfterPrefix(t *testing.T) {
	raw := tarBytes(t, file("go/x", "x", 0o644))
	if !bytes.HasPrefix(raw, []byte("go/x\x00")) {
		t.Fatal("unexpected tar layout")
	}
	raw[3] = 0 // the name field now says "go/"
	copy(raw[148:156], "        ")
	var sum int
	for _, b := range raw[:512] {
		sum += int(b)
	}
	copy(raw[148:156], fmt.Sprintf("%06o\x00 ", sum))
	top, dest := sandbox(t)
	_, err := TarGz(context.Background(), bytes.NewReader(gz(t, raw)), dest, Options{Prefix: "go/"})
	checkEntryError(t, err, "go/", ErrUnsafePath)
	checkConfined(t, top)
}

// rawZip builds a zip of one entry from h and raw, already compressed, bytes.
func rawZip(t *testing.T, h zip.FileHeader, raw []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&h)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func deflate(t *testing.T, data []byte) []byte {
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	fw.Write(data)
	fw.Close()
	return buf.Bytes()
}

func TestZipRefusals(t *testing.T) {
	body := bytes.Repeat([]byte("all work and no play "), 5000) // 105,000 bytes
	packed := deflate(t, body)
	entry := func(method uint16, declared uint64, crc uint32) zip.FileHeader {
		return zip.FileHeader{
			Name:               "go/bin/go",
			Method:             method,
			CRC32:              crc,
			CompressedSize64:   uint64(len(packed)),
			UncompressedSize64: declared,
		}
	}
	good := crc32.ChecksumIEEE(body)
	encrypted := entry(zip.Deflate, uint64(len(body)), good)
	encrypted.Flags |= 1
	tests := []struct {
		name     string
		data     []byte
		sentinel error // nil: any error naming the entry
		maxBytes int64
	}{
		{"Deflate64", rawZip(t, entry(9, uint64(len(body)), good), packed), ErrUnsupported, 0},
		{"bzip2", rawZip(t, entry(12, uint64(len(body)), good), packed), ErrUnsupported, 0},
		{"encrypted", rawZip(t, encrypted, packed), ErrUnsupported, 0},
		{"declares less than it holds", rawZip(t, entry(zip.Deflate, 1000, good), packed), ErrTooLarge, 0},
		{"declares a zero size", rawZip(t, entry(zip.Deflate, 0, good), packed), ErrTooLarge, 0},
		{"declares more than it holds", rawZip(t, entry(zip.Deflate, uint64(len(body))+1, good), packed), nil, 0},
		{"bad CRC", rawZip(t, entry(zip.Deflate, uint64(len(body)), good+1), packed), zip.ErrChecksum, 0},
		{"corrupt deflate data", rawZip(t, entry(zip.Deflate, uint64(len(body)), good), append([]byte{0xff, 0xff}, packed...)), nil, 0},
		{"truncated deflate data", rawZip(t, entry(zip.Deflate, uint64(len(body)), good), packed[:len(packed)/2]), nil, 0},
		{"declared sizes over MaxBytes", rawZip(t, entry(zip.Deflate, uint64(len(body)), good), packed), ErrTooLarge, int64(len(body)) - 1},
		{"folder with data", rawZip(t, zip.FileHeader{Name: "go/bin/go/", Method: zip.Store, UncompressedSize64: 3, CompressedSize64: 3}, []byte("abc")), zip.ErrFormat, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top, dest := sandbox(t)
			m, _, err := Zip(context.Background(), bytes.NewReader(tt.data), int64(len(tt.data)), dest, Options{Prefix: "go/", MaxBytes: tt.maxBytes})
			if err == nil {
				t.Fatalf("no error; unpacked %+v", m.Files)
			}
			name := "go/bin/go"
			if tt.name == "folder with data" {
				name += "/"
			}
			checkEntryError(t, err, name, tt.sentinel)
			checkConfined(t, top)
		})
	}
}

// TestZipChecksBeforeWriting: a bad entry at the end of the central directory stops the
// unpack before the good ones are written.
func TestZipChecksBeforeWriting(t *testing.T) {
	_, dest := sandbox(t)
	data := zipBytes(t, file("go/a", "a", 0o644), file("go/b", "b", 0o644), file("../evil", "x", 0o644))
	_, _, err := Zip(context.Background(), bytes.NewReader(data), int64(len(data)), dest, Options{Prefix: "go/"})
	if !errors.Is(err, ErrUnsafePath) {
		t.Fatalf("Zip = %v, want ErrUnsafePath", err)
	}
	if entries, _ := readDirNames(dest); len(entries) != 0 {
		t.Errorf("dest holds %q after a refused zip", entries)
	}
}
