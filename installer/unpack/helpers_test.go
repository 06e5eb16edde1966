package unpack

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goverdev/gover/internal/manifest"
)

// An ent is one archive entry for the builders below.
type ent struct {
	name string
	body string
	mode fs.FileMode // permission bits, plus fs.ModeDir, fs.ModeSymlink, a device bit…
	link string      // symlink target or hard link source
	hard bool        // a tar hard link
}

func file(name, body string, perm fs.FileMode) ent { return ent{name: name, body: body, mode: perm} }
func dir(name string) ent                          { return ent{name: name, mode: fs.ModeDir | 0o755} }
func symlink(name, target string) ent {
	return ent{name: name, mode: fs.ModeSymlink | 0o777, link: target}
}

// tarBytes builds an uncompressed tar, with its end-of-archive marker.
func tarBytes(t testing.TB, ents ...ent) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range ents {
		h := &tar.Header{Name: e.name, Mode: int64(e.mode.Perm()), Size: int64(len(e.body)), Format: tar.FormatPAX}
		if e.mode&fs.ModeSetuid != 0 {
			h.Mode |= 0o4000
		}
		switch {
		case e.hard:
			h.Typeflag, h.Linkname, h.Size = tar.TypeLink, e.link, 0
		case e.mode&fs.ModeDir != 0:
			h.Typeflag, h.Size = tar.TypeDir, 0
		case e.mode&fs.ModeSymlink != 0:
			h.Typeflag, h.Linkname, h.Size = tar.TypeSymlink, e.link, 0
		case e.mode&fs.ModeCharDevice != 0:
			h.Typeflag, h.Size = tar.TypeChar, 0
		case e.mode&fs.ModeDevice != 0:
			h.Typeflag, h.Size = tar.TypeBlock, 0
		case e.mode&fs.ModeNamedPipe != 0:
			h.Typeflag, h.Size = tar.TypeFifo, 0
		default:
			h.Typeflag = tar.TypeReg
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatalf("write tar header %q: %v", e.name, err)
		}
		if _, err := io.WriteString(tw, e.body); err != nil && h.Size > 0 {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(t testing.TB, raw []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(raw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func tarGz(t testing.TB, ents ...ent) []byte { return gz(t, tarBytes(t, ents...)) }

// zipBytes builds a zip whose entries carry Unix modes, as the toolchain's do.
func zipBytes(t testing.TB, ents ...ent) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range ents {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		h.SetMode(e.mode)
		body := e.body
		if e.mode&fs.ModeSymlink != 0 {
			body = e.link
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// fatZip builds a zip as Windows tools and older module zips do: no Unix modes.
func fatZip(t testing.TB, ents ...ent) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range ents {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, CreatorVersion: 20} // host 0: FAT
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, e.body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sandbox returns a fresh, empty dest two levels below a folder that holds nothing else,
// so that an entry escaping dest (by up to two levels) shows up in checkConfined.
func sandbox(t testing.TB) (top, dest string) {
	t.Helper()
	top = t.TempDir()
	dest = filepath.Join(top, "a", "dest")
	if err := os.MkdirAll(dest, 0o755); err != nil {
		t.Fatal(err)
	}
	return top, dest
}

// checkConfined fails if anything but top/a/dest (and what is inside it) exists under top.
func checkConfined(t testing.TB, top string) {
	t.Helper()
	var stray []string
	filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(top, p)
		switch filepath.ToSlash(rel) {
		case ".", "a":
			return nil
		case "a/dest":
			return fs.SkipDir
		}
		stray = append(stray, rel)
		return nil
	})
	if len(stray) > 0 {
		t.Errorf("written outside dest: %q", stray)
	}
}

// checkTree fails unless the files and links under dest are exactly those of m, with their
// sizes, digests, modes and targets, and no link leads out of dest.
func checkTree(t testing.TB, dest string, m *manifest.Manifest) {
	t.Helper()
	if !slices.IsSortedFunc(m.Files, func(a, b manifest.File) int { return strings.Compare(a.Path, b.Path) }) {
		t.Errorf("manifest not sorted by path")
	}
	onDisk := map[string]manifest.File{}
	err := filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dest, p)
		rel = filepath.ToSlash(rel)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		f := manifest.File{Path: rel}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			f.Mode = fs.ModeSymlink
			f.Target, err = os.Readlink(p)
		case fi.Mode().IsRegular():
			var b []byte
			b, err = os.ReadFile(p)
			f.Size, f.SHA256, f.Mode = int64(len(b)), sha256.Sum256(b), diskPerm(fi)
		default:
			t.Errorf("%s on disk is %v", rel, fi.Mode())
		}
		onDisk[rel] = f
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		d, ok := onDisk[f.Path]
		if !ok {
			t.Errorf("manifest lists %s, not on disk", f.Path)
			continue
		}
		delete(onDisk, f.Path)
		if f.IsLink() {
			f.Mode = fs.ModeSymlink // the manifest may keep a link's permission bits; the disk has none
		} else {
			f.Mode = manifestPerm(f.Mode)
		}
		if d != f {
			t.Errorf("%s: manifest says %+v, disk has %+v", f.Path, f, d)
		}
	}
	for p := range onDisk {
		t.Errorf("%s on disk, not in the manifest", p)
	}
	checkLinksInside(t, dest)
}

// checkLinksInside fails if any link under dest resolves outside it, as the OS follows them.
func checkLinksInside(t testing.TB, dest string) {
	t.Helper()
	root, err := os.OpenRoot(dest)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	filepath.WalkDir(dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		rel, _ := filepath.Rel(dest, p)
		if _, err := root.Stat(rel); err != nil && strings.Contains(err.Error(), "escapes") {
			t.Errorf("link %s leads outside dest: %v", rel, err)
		}
		return nil
	})
}

// want builds the manifest entry of a regular file as the tests expect it (umask 022).
func want(path, body string, perm fs.FileMode) manifest.File {
	return manifest.File{Path: path, Size: int64(len(body)), Mode: perm, SHA256: sha256.Sum256([]byte(body))}
}

func wantLink(path, target string) manifest.File {
	return manifest.File{Path: path, Mode: fs.ModeSymlink, Target: target}
}

// checkEntryError fails unless err is an *EntryError for name that wraps sentinel.
func checkEntryError(t testing.TB, err error, name string, sentinel error) {
	t.Helper()
	var ee *EntryError
	switch {
	case err == nil:
		t.Fatalf("no error, want %v for %q", sentinel, name)
	case !errors.As(err, &ee):
		t.Fatalf("error %q (%T) is not an *EntryError", err, err)
	case ee.Name != name:
		t.Errorf("error %q names %q, want %q", err, ee.Name, name)
	}
	if sentinel != nil && !errors.Is(err, sentinel) {
		t.Errorf("error %q is not %v", err, sentinel)
	}
}

// checkNoLeak fails if goroutines started during the test are still running shortly after.
func checkNoLeak(t testing.TB, before int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left running:\n%s", runtime.NumGoroutine()-before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func readDirNames(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names, err
}
