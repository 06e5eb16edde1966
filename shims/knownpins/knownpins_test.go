package knownpins

import (
	"path/filepath"
	"slices"
	"testing"
)

func TestAddListKeep(t *testing.T) {
	file := filepath.Join(t.TempDir(), "d", "known-pins")
	if pins, err := List(file); err != nil || pins != nil {
		t.Fatalf("List of a missing list = %v, %v; want nothing", pins, err)
	}
	a, b := filepath.Join(t.TempDir(), "a", ".go-version"), filepath.Join(t.TempDir(), "b b", "go.mod")
	for _, p := range []string{a, b, a, "relative/.go-version", "/x/y\nz/.go-version"} {
		if err := Add(file, p); err != nil {
			t.Fatal(err)
		}
	}
	if pins, err := List(file); err != nil || !slices.Equal(pins, []string{a, b}) {
		t.Fatalf("List = %q, %v; want %q (each once, absolute, one line each)", pins, err, []string{a, b})
	}
	if err := Keep(file, []string{b}); err != nil {
		t.Fatal(err)
	}
	if pins, _ := List(file); !slices.Equal(pins, []string{b}) {
		t.Fatalf("after Keep, List = %q; want %q", pins, []string{b})
	}
}
