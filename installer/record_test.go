package installer

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goverdev/gover/internal/manifest"
	"github.com/goverdev/gover/verify"
)

// ReadSummary stops at the manifest, yet reads every field a record holds
// before it, as a full decode would.
func TestReadSummary(t *testing.T) {
	rec := &Record{
		Version: "go1.22.5", OS: "linux", Arch: "amd64", Source: SourceProxy,
		URL: "https://proxy.golang.org/x.zip", File: "x.zip", Size: 7, SHA256: "ab",
		Proofs:      []verify.Proof{{Kind: verify.ProofSumDB, Value: "h1:x", Authority: "sum.golang.org"}},
		InstalledAt: time.Date(2026, 12, 2, 20, 0, 0, 0, time.UTC), GoverVersion: "test",
		Manifest: manifest.Manifest{Files: []manifest.File{{Path: "bin/go", Size: 1, Mode: 0o755}}},
	}
	p := filepath.Join(t.TempDir(), "go1.22.5.json")
	if err := writeRecord(p, rec); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSummary(p)
	if err != nil {
		t.Fatal(err)
	}
	want := &Summary{Version: rec.Version, OS: rec.OS, Arch: rec.Arch, Source: rec.Source, URL: rec.URL, Proofs: rec.Proofs, InstalledAt: rec.InstalledAt}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadSummary = %+v, want %+v", got, want)
	}
	if _, err := readSummary([]byte(`["not", "a record"]`)); err == nil {
		t.Error("no error for a record that is not an object")
	}
}

// ReadRecord reads back what writeRecord wrote, manifest included, and
// refuses a manifest whose files do not match its tree hash.
func TestReadRecordRoundTrip(t *testing.T) {
	rec := &Record{Version: "go1.22.5", OS: "linux", Arch: "amd64", Source: SourceOfficial,
		Manifest: manifest.Manifest{Files: []manifest.File{
			{Path: "bin/go", Size: 3, Mode: 0o755, SHA256: [32]byte{1}},
			{Path: "misc/link", Mode: fs.ModeSymlink, Target: "../bin/go"},
		}}}
	p := filepath.Join(t.TempDir(), "go1.22.5.json")
	if err := writeRecord(p, rec); err != nil {
		t.Fatal(err)
	}
	got, err := ReadRecord(p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rec) {
		t.Errorf("ReadRecord = %+v, want %+v", got, rec)
	}
	data, _ := os.ReadFile(p)
	os.WriteFile(p, bytes.Replace(data, []byte(`"01`+strings.Repeat("0", 62)+`"`), []byte(`"02`+strings.Repeat("0", 62)+`"`), 1), 0o644)
	data2, _ := os.ReadFile(p)
	if bytes.Equal(data, data2) {
		t.Fatal("the test did not change the record")
	}
	if _, err := ReadRecord(p); err == nil {
		t.Error("a manifest that no longer matches its tree hash was accepted")
	}
}
