package manifest

import (
	"crypto/sha256"
	"io"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"
)

// H1 is dirhash.Hash1 given the same files in the same (sorted) order.
func TestH1IsDirhash(t *testing.T) {
	files := map[string]string{"go/VERSION": "go1.22.5\n", "go/bin/go": "\x7fELF…", "go/src/a b.go": ""}
	names := []string{"go/VERSION", "go/bin/go", "go/src/a b.go"}
	want, err := dirhash.Hash1(names, func(n string) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(files[n])), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h := NewH1()
	for _, n := range names {
		h.Add(n, sha256.Sum256([]byte(files[n])))
	}
	if got := h.String(); got != want {
		t.Errorf("H1 = %s, dirhash.Hash1 = %s", got, want)
	}
	if empty := NewH1().String(); empty != "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" {
		t.Errorf("empty H1 = %s", empty)
	}
}
