package installer_test

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/cli"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/testdist"
)

// Hostile archives that the index, the signature or the checksum database
// vouch for (a publisher gone bad, a mirror re-signed by a careless
// organisation): proofs pass, so only the unpacker and the installer's own
// checks stand between them and the disk. Each must be refused with a
// one-line error naming what is wrong, install nothing, and write nothing
// outside the temporary tree.

var mtime = time.Date(2024, 6, 27, 20, 11, 12, 0, time.UTC)

func TestHostileArchives(t *testing.T) {
	outside := t.TempDir() // what an escaping entry would write into
	escaped := filepath.Join(outside, "escaped")
	for _, tc := range []struct {
		name    string
		entries []testdist.Entry
		msg     string
	}{
		{"dot-dot entry", []testdist.Entry{goBin(), {Name: "go/../../../../../../../../.." + escaped, Mode: 0o644, Body: []byte("x")}}, `".." element`},
		{"absolute entry", []testdist.Entry{goBin(), {Name: escaped, Mode: 0o644, Body: []byte("x")}}, "absolute path"},
		{"symlink to an absolute path", []testdist.Entry{goBin(), {Name: "go/lib", Mode: fs.ModeSymlink | 0o777, Link: outside}, {Name: "go/lib/escaped", Mode: 0o644, Body: []byte("x")}}, "absolute path"},
		{"symlink out by dot-dot", []testdist.Entry{goBin(), {Name: "go/lib", Mode: fs.ModeSymlink | 0o777, Link: "../../../../../../../../.." + outside}}, "go/lib"},
		{"file through a symlink in the tree", []testdist.Entry{goBin(), {Name: "go/lib", Mode: fs.ModeSymlink | 0o777, Link: "."}, {Name: "go/lib/x", Mode: 0o644, Body: []byte("x")}}, "go/lib"},
		{"hard link to a system file", []testdist.Entry{goBin(), {Name: "go/passwd", Hardlink: true, Link: "/etc/passwd"}}, "hard link"},
		{"backslash", []testdist.Entry{{Name: `go\bin\go`, Mode: 0o755, Body: []byte("x")}}, "backslash"},
		{"names equal but for case", []testdist.Entry{goBin(), {Name: "go/BIN/go", Mode: 0o755, Body: []byte("y")}}, "case-insensitive"},
		{"the same name twice", []testdist.Entry{goBin(), goBin()}, "go/bin/go"},
		{"outside the go/ folder", []testdist.Entry{{Name: "other/bin/go", Mode: 0o755, Body: []byte("x")}}, "outside go/"},
		{"no go command", []testdist.Entry{{Name: "go/VERSION", Mode: 0o644, Body: []byte("go1.22.5")}}, "holds no bin/go"},
		{"go command is a link", []testdist.Entry{{Name: "go/bin/real", Mode: 0o755, Body: []byte("x")}, {Name: "go/bin/go", Mode: fs.ModeSymlink | 0o777, Link: "real"}}, "holds no bin/go"},
		{"empty archive", nil, "holds no bin/go"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			faultsTried.Add(1)
			h := newHarness(t, "official", linux)
			h.d.Publish(h.file, testdist.TarGz(tc.entries, mtime))
			_, err := h.installNow()
			checkRefused(t, h, err, cli.ExitFailure, tc.msg)
			if _, err := os.Lstat(escaped); err == nil {
				t.Fatalf("an entry escaped the tree: %s exists", escaped)
			}
		})
	}
	t.Run("not gzip", func(t *testing.T) {
		h := newHarness(t, "official", linux)
		h.d.Publish(h.file, []byte("this is no gzip stream"))
		_, err := h.installNow()
		checkRefused(t, h, err, cli.ExitFailure, "gzip")
	})
	t.Run("setuid bits", func(t *testing.T) {
		h := newHarness(t, "official", linux)
		elf, err := testdist.ExeHeader("linux", "amd64")
		if err != nil {
			t.Fatal(err)
		}
		h.d.Publish(h.file, testdist.TarGz([]testdist.Entry{
			{Name: "go/VERSION", Mode: 0o644, Body: []byte("go1.22.5")},
			{Name: "go/bin/go", Mode: fs.ModeSetuid | fs.ModeSetgid | 0o4755, Body: elf},
			{Name: "go/pkg/tool/linux_amd64/compile", Mode: 0o755, Body: elf},
		}, mtime))
		res, err := h.installNow()
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(filepath.Join(res.Dir, "bin", "go"))
		if err != nil || fi.Mode()&(fs.ModeSetuid|fs.ModeSetgid) != 0 {
			t.Fatalf("bin/go installed as %v, %v; setuid and setgid must go", fi.Mode(), err)
		}
	})
}

func goBin() testdist.Entry {
	return testdist.Entry{Name: "go/bin/go", Mode: 0o755, Body: []byte("#!/bin/sh\n")}
}

func checkRefused(t *testing.T, h *harness, err error, exit int, msg string) {
	t.Helper()
	if got := cli.ExitCode(err); got != exit {
		t.Fatalf("exit code %d, want %d; err = %v", got, exit, err)
	}
	if !strings.Contains(err.Error(), msg) || strings.ContainsAny(err.Error(), "\n\r") {
		t.Errorf("error %q: want one line containing %q", err, msg)
	}
	h.assertNothingInstalled()
}

// Bombs and lying zips past every proof: the unpacker's ceiling holds.
func TestVouchedBombs(t *testing.T) {
	t.Run("gzip bomb", func(t *testing.T) {
		faultsTried.Add(1)
		h := newHarness(t, "official", linux)
		h.d.Publish(h.file, testdist.BombTarGz(1<<30))
		_, err := h.installNow()
		checkRefused(t, h, err, cli.ExitFailure, "go/bin/go")
	})
	t.Run("zip bomb", func(t *testing.T) {
		faultsTried.Add(1)
		h := newHarness(t, "official", windows)
		h.d.Publish(h.file, testdist.BombZip(1<<30))
		_, err := h.installNow()
		checkRefused(t, h, err, cli.ExitFailure, "more than")
	})
	t.Run("lying zip", func(t *testing.T) {
		faultsTried.Add(1)
		h := newHarness(t, "official", windows)
		h.d.Publish(h.file, lyingZip(t, h.genuine))
		_, err := h.installNow()
		checkRefused(t, h, err, cli.ExitFailure, "more than")
	})
	// A module zip is unpacked before its h1: hash is checked (one pass
	// does both), so its size is held to x/mod's limit of 500 MiB before
	// anything is written: a bomb the database vouches for fills no disk.
	t.Run("module zip bomb", func(t *testing.T) {
		faultsTried.Add(1)
		h := newHarness(t, "proxy", linux)
		prefix := testdist.ToolchainModule + "@" + testdist.ModuleVersion("go1.22.5", "linux", "amd64") + "/"
		h.d.PublishModule("go1.22.5", "linux", "amd64", renameZipEntries(t, testdist.BombZip(600<<20), prefix+"bin/go"))
		_, err := h.installNow()
		checkRefused(t, h, err, cli.ExitFailure, "more than 524288000 bytes")
	})
}

// lyingZip runs zip bytes through testdist's LyingZip fault, as a
// publisher would ship them.
func lyingZip(t *testing.T, data []byte) []byte {
	d := testdist.New(t, testdist.Options{})
	name := testdist.ArchiveName("go1.21.13", "windows", "amd64")
	d.Publish(name, data)
	d.Fault("/dl/"+name, testdist.LyingZip{})
	resp, err := newEnv(t, testdist.Options{}).in.Fetch.HTTP.Get(d.DownloadURL + "/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || bytes.Equal(b, data) {
		t.Fatalf("LyingZip changed nothing: %v", err)
	}
	return b
}

// renameZipEntries rewrites a one-entry zip under another name, keeping the
// compressed bytes and the sizes it declares.
func renameZipEntries(t *testing.T, data []byte, name string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		raw, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		hdr := f.FileHeader
		hdr.Name = name
		w, err := zw.CreateRaw(&hdr)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, raw)
	}
	zw.Close()
	return buf.Bytes()
}

// Genuine, vouched-for toolchains of another version or platform, served
// under go1.22.5's name (issue 12.1): the signature, the index digest or
// the checksum database prove "a genuine Go release", and only the tree's
// VERSION and programs say which. Each is refused with exit 3 and leaves
// nothing behind, for official .tar.gz, Windows .zip and module zips.
func TestVouchedToolchainOfAnotherVersionOrPlatform(t *testing.T) {
	windows := installer.Platform{OS: "windows", Arch: "amd64"}
	for _, tc := range []struct {
		name     string
		source   string
		platform installer.Platform
		real     [3]string // the version and platform really served
		msg      string
	}{
		{"tar.gz of go1.20", "official", linux, [3]string{"go1.20", "linux", "amd64"}, `its VERSION says "go1.20"`},
		{"tar.gz for linux/arm64", "official", linux, [3]string{"go1.22.5", "linux", "arm64"}, "it has no pkg/tool/linux_amd64/, but pkg/tool/linux_arm64"},
		{"zip of go1.22.4", "official", windows, [3]string{"go1.22.4", "windows", "amd64"}, `its VERSION says "go1.22.4"`},
		{"module zip of go1.21.13", "proxy", linux, [3]string{"go1.21.13", "linux", "amd64"}, `its VERSION says "go1.21.13"`},
		{"module zip for darwin/arm64", "proxy", linux, [3]string{"go1.22.5", "darwin", "arm64"}, "it has no pkg/tool/linux_amd64/, but pkg/tool/darwin_arm64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.source, tc.platform)
			if tc.source == "proxy" {
				// The database records what it is first asked about.
				real := h.d.ModuleZip(tc.real[0], tc.real[1], tc.real[2])
				h.d.PublishModule("go1.22.5", tc.platform.OS, tc.platform.Arch, rezip(t, real,
					testdist.ToolchainModule+"@"+testdist.ModuleVersion(tc.real[0], tc.real[1], tc.real[2])+"/",
					testdist.ToolchainModule+"@"+testdist.ModuleVersion("go1.22.5", tc.platform.OS, tc.platform.Arch)+"/"))
			} else {
				_, real := h.d.Archive(tc.real[0], tc.real[1], tc.real[2])
				h.d.Publish(h.file, real) // index digest and signature follow
			}
			_, err := h.installNow()
			checkRefused(t, h, err, cli.ExitVerify, h.file+" is not go1.22.5 for "+tc.platform.String()+": "+tc.msg)
			if _, err := os.Stat(h.part()); err == nil {
				t.Errorf("the download %s was kept", h.part())
			}
		})
	}
}

// rezip renames every entry of a zip from one prefix to another.
func rezip(t *testing.T, data []byte, from, to string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		hdr := f.FileHeader
		hdr.Name = to + strings.TrimPrefix(f.Name, from)
		w, err := zw.CreateHeader(&hdr)
		if err != nil {
			t.Fatal(err)
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, r)
		r.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A signed archive whose files are not its golang.org/toolchain module's
// (issue 12.2): a publisher gone bad, or an organisation re-signing what it
// changed. The index and the signature pass; the checksum database's h1:
// for the module, over the archive's files less api/, doc/, misc/ and
// test/ (cmd/distpack's one file list), does not: exit 3, nothing kept. A
// change outside the module's files (doc/) is not the database's to see:
// the install goes on, proven by the signature alone for those files.
func TestArchiveProvenByItsModule(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		refused    bool
	}{
		{"a source file changed", "go/src/fmt/print.go", true},
		{"a go.mod changed (_go.mod in the module)", "go/src/cmd/go.mod", true},
		{"a doc file changed", "go/doc/go_spec.html", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "official", linux)
			h.in.Vouch = h.proxy(h.d.SumDBKey).VouchLater
			h.d.Publish(h.file, retar(t, h.genuine, tc.file, "// changed by the publisher\n"))
			res, err := h.installNow()
			if !tc.refused {
				if err != nil {
					t.Fatal(err)
				}
				p := res.Record.Proofs[len(res.Record.Proofs)-1]
				if p.Kind != "sumdb" || !strings.Contains(p.Covers, "the archive's less api/, doc/, misc/, test/") {
					t.Fatalf("proofs %+v: want the checksum database's, covering the module's files", res.Record.Proofs)
				}
				return
			}
			checkRefused(t, h, err, cli.ExitVerify, "that its module holds (")
			if !strings.Contains(err.Error(), "but checksum database "+testdist.SumDBName+" holds") {
				t.Errorf("error %q: want the database's hash named", err)
			}
			if _, err := os.Stat(h.part()); err == nil {
				t.Errorf("the download %s was kept", h.part())
			}
		})
	}
	// Before Go 1.21 there is no module: the record says so.
	h := newHarness(t, "official", linux)
	h.in.Vouch = h.proxy(h.d.SumDBKey).VouchLater
	res, err := h.in.Install(context.Background(), installer.Request{Word: goversion.MustParse("1.20"), Platform: linux, Host: true, Sources: []installer.Source{h.src()}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.Record.ModuleProof, "none: go1.20: no golang.org/toolchain module: releases before Go 1.21 have none") {
		t.Errorf("go1.20's record says module_proof %q", res.Record.ModuleProof)
	}
}

// retar rewrites one file of a .tar.gz.
func retar(t *testing.T, tgz []byte, name, body string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	tw := tar.NewWriter(zw)
	found := false
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		if hdr.Name == name {
			data, found = []byte(body), true
			hdr.Size = int64(len(data))
		}
		tw.WriteHeader(hdr)
		tw.Write(data)
	}
	tw.Close()
	zw.Close()
	if !found {
		t.Fatalf("no %s in the archive", name)
	}
	return out.Bytes()
}
