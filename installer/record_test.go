package installer

import (
	"path/filepath"
	"reflect"
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
