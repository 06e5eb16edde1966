package manifest

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
)

// An H1 computes an "h1:" hash, as golang.org/x/mod/sumdb/dirhash.Hash1
// does and go.sum holds: SHA-256 over one line "<file's SHA-256 in hex>
// <two spaces><name>\n" per file, base64-encoded. Files count in the order
// they are added; dirhash adds them sorted by name. It is the one place
// the format is written: module zips (unpack), the trees they leave
// (unpack.ModuleZipHash) and install records (Manifest.TreeHash) use it.
type H1 struct {
	h    hash.Hash
	line *[]byte // reused for each line
}

// NewH1 starts an empty hash.
func NewH1() H1 { return H1{sha256.New(), new([]byte)} }

// Add counts the file called name, whose content hashes to sum.
func (h H1) Add(name string, sum [sha256.Size]byte) {
	// Appended by hand into one buffer, not with Fprintf: records hash
	// every one of their ten thousand files each time they are read.
	line := hex.AppendEncode((*h.line)[:0], sum[:])
	line = append(line, "  "...)
	line = append(line, name...)
	line = append(line, '\n')
	h.h.Write(line)
	*h.line = line
}

// String is the hash of the files added so far: "h1:…".
func (h H1) String() string {
	return "h1:" + base64.StdEncoding.EncodeToString(h.h.Sum(nil))
}
