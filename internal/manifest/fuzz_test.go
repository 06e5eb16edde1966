package manifest

import (
	"crypto/sha256"
	"encoding/json"
	"io/fs"
	"reflect"
	"testing"
)

// FuzzManifestJSON reads install-record manifests as a damaged or edited
// record could hold them. Whatever is accepted must write back to JSON that
// reads again as the same manifest with the same tree hash, so `gover
// verify` never judges a tree by a list it misread.
func FuzzManifestJSON(f *testing.F) {
	m := Manifest{Files: []File{
		{Path: "bin/go", Size: 3, Mode: 0o755, SHA256: sha256.Sum256([]byte("abc"))},
		{Path: "VERSION", Size: 1, Mode: 0o644, SHA256: sha256.Sum256([]byte("x"))},
		{Path: "lib/link", Mode: fs.ModeSymlink, Target: "../VERSION"},
	}}
	m.Sort()
	good, _ := json.Marshal(m)
	for _, s := range []string{
		string(good), `{"files":[]}`, `{}`, `null`, `{"tree_hash":"h1:x","files":null}`,
		`{"files":[{"path":"a","mode":"0644","sha256":"00"}]}`, `{"files":[{"path":"a","mode":"7777","sha256":""}]}`,
		`{"files":[{"path":"a","mode":"link","target":"/etc/passwd"}]}`, `{"files":[{"path":"a","mode":"-1"}]}`,
		`{"files":[{"path":"a","mode":"0644junk","sha256":"` + "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" + `"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got Manifest
		if err := json.Unmarshal(data, &got); err != nil {
			return
		}
		for _, file := range got.Files {
			if !file.IsLink() && file.Mode&^fs.ModePerm != 0 {
				t.Fatalf("entry %q read with mode %v, more than permission bits", file.Path, file.Mode)
			}
		}
		b, err := json.Marshal(got)
		if err != nil {
			t.Fatalf("cannot write back what was read: %v", err)
		}
		var again Manifest
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatalf("cannot read back %s: %v", b, err)
		}
		if again.TreeHash() != got.TreeHash() || !reflect.DeepEqual(normal(again), normal(got)) {
			t.Fatalf("round trip changed the manifest:\n%+v\n%+v", got, again)
		}
	})
}

// normal makes an empty file list and a nil one compare equal.
func normal(m Manifest) []File {
	if len(m.Files) == 0 {
		return nil
	}
	return m.Files
}
