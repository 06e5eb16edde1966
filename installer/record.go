package installer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/internal/manifest"
	"github.com/goverdev/gover/verify"
)

// A Record is what gover wrote about an install, beside the toolchain
// (versions/go1.22.5.json): where it came from, how it was proven, and a
// manifest of every file for `gover verify`.
type Record struct {
	Version string     `json:"version"`
	OS      string     `json:"os"`
	Arch    string     `json:"arch"`
	Source  SourceName `json:"source"`
	URL     string     `json:"url"`
	File    string     `json:"file"`
	Size    int64      `json:"size"`
	// SHA256 is the digest of the downloaded file.
	SHA256 string `json:"sha256"`
	// Proofs say how the download was proven.
	Proofs []verify.Proof `json:"proofs"`
	// ModuleProof says why an archive install has no second proof by
	// the checksum database (a release before Go 1.21; the database could
	// not be asked); empty when it has one, or came from the module.
	ModuleProof  string            `json:"module_proof,omitempty"`
	InstalledAt  time.Time         `json:"installed_at"`
	GoverVersion string            `json:"gover_version"`
	Manifest     manifest.Manifest `json:"manifest"`
}

// FromProxy reports whether the tree was unpacked from the toolchain
// module, whose h1: hash the checksum database can vouch for again.
func (r *Record) FromProxy() bool { return r.Source == SourceProxy }

// Proven summarises the proofs for people: "SHA-256 from the official index …, signature by …".
func (r *Record) Proven() string {
	s := ""
	for i, p := range r.Proofs {
		if i > 0 {
			s += ", "
		}
		s += p.String()
	}
	return s
}

func writeRecord(path string, r *Record) error {
	data, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(data, '\n'), 0o644)
}

// ReadRecord reads an install record.
func ReadRecord(path string) (*Record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Record
	// The manifest, nearly all of a record's bytes, is decoded as a plain
	// field (manifest.Wire), in the one pass over the record: doctor reads
	// every record on every run.
	type plain Record
	w := struct {
		*plain
		Manifest *manifest.Wire `json:"manifest"`
	}{plain: (*plain)(&r)}
	err = json.Unmarshal(data, &w)
	if err == nil && w.Manifest != nil { // none: a record that lists no files
		r.Manifest, err = w.Manifest.Manifest()
	}
	if err != nil {
		return nil, fmt.Errorf("install record %s: %w (reinstall with 'gover install --force')", path, err)
	}
	return &r, nil
}

// A Summary is a record without its manifest, cheap to read for listings.
type Summary struct {
	Version     string         `json:"version"`
	OS          string         `json:"os"`
	Arch        string         `json:"arch"`
	Source      SourceName     `json:"source"`
	URL         string         `json:"url"`
	Proofs      []verify.Proof `json:"proofs"`
	InstalledAt time.Time      `json:"installed_at"`
}

// ReadSummary reads an install record's summary fields.
func ReadSummary(path string) (*Summary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := readSummary(data)
	if err != nil {
		return nil, fmt.Errorf("install record %s: %w", path, err)
	}
	return s, nil
}

// readSummary decodes a record's fields up to its manifest, which comes
// last and holds nearly all of its bytes: listings read every record, and
// need none of it.
func readSummary(data []byte) (*Summary, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	fields := map[string]json.RawMessage{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := t.(string)
		if key == "manifest" {
			break
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		fields[key] = v
	}
	b, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	return &s, nil
}
