package manifest

import (
	"crypto/sha256"
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
)

func TestJSONRoundTrip(t *testing.T) {
	m := Manifest{Files: []File{
		{Path: "bin/go", Size: 3, Mode: 0o755, SHA256: sha256.Sum256([]byte("abc"))},
		{Path: "VERSION", Size: 1, Mode: 0o644, SHA256: sha256.Sum256([]byte("x"))},
		{Path: "lib/link", Mode: fs.ModeSymlink, Target: "../VERSION"},
	}}
	m.Sort()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var back Manifest
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.TreeHash() != m.TreeHash() || len(back.Files) != 3 || back.Files[0].Path != "VERSION" || !back.Files[2].IsLink() {
		t.Fatalf("round trip changed the manifest: %s\n%+v", b, back)
	}
	// A record whose file list was edited no longer matches its tree hash.
	tampered := strings.Replace(string(b), `"mode":"0755"`, `"mode":"0644"`, 1)
	if err := json.Unmarshal([]byte(tampered), &back); err != nil {
		t.Fatalf("mode change should still parse: %v", err)
	}
	tampered = strings.Replace(string(b), m.Files[0].Path, "bin/gx", 1)
	if err := json.Unmarshal([]byte(tampered), &back); err == nil {
		t.Fatalf("a renamed entry should break the tree hash")
	}
}
