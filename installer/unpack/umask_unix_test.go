//go:build unix

package unpack

import (
	"bytes"
	"context"
	"testing"

	"github.com/goverdev/gover/internal/manifest"
)

// TestModeUnderUmask: the manifest records the mode the file got, not the one asked for.
func TestModeUnderUmask(t *testing.T) {
	_, dest := sandbox(t)
	var m *manifest.Manifest
	var err error
	withUmask(0o077, func() {
		m, err = TarGz(context.Background(), bytes.NewReader(tarGz(t, tree1...)), dest, Options{Prefix: "go/"})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		if !f.IsLink() && f.Mode&0o077 != 0 {
			t.Errorf("%s: manifest mode %v under umask 077", f.Path, f.Mode)
		}
	}
	checkTree(t, dest, m)
}
