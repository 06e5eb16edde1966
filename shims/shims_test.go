package shims

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/shims/toolenv"
)

func TestReshim(t *testing.T) {
	root := t.TempDir()
	l := paths.New(func(k string) string {
		if k == "GOVER_ROOT" {
			return root
		}
		return ""
	}, paths.Dirs{})
	shimExe := filepath.Join(t.TempDir(), "gover-shim"+toolenv.ExeSuffix)
	write := func(p, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(shimExe, "shim v1")
	write(filepath.Join(l.Toolchain("go1.22.5"), "bin", "go"+toolenv.ExeSuffix), "")
	write(filepath.Join(l.Toolchain("go1.22.5"), "bin", "vet-helper"+toolenv.ExeSuffix), "")
	write(filepath.Join(l.Toolchain("go1.21.0.windows-amd64"), "bin", "foreign"+toolenv.ExeSuffix), "")
	write(filepath.Join(l.Shims, "stale"+toolenv.ExeSuffix), "old shim")

	changed, err := Reshim(l, shimExe)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(changed)
	if want := []string{"go", "gofmt", "stale", "vet-helper"}; !slices.Equal(changed, want) {
		t.Errorf("first reshim changed %q, want %q", changed, want)
	}
	entries, _ := os.ReadDir(l.Shims)
	var names []string
	for _, e := range entries {
		if e.Name()[0] != '.' {
			names = append(names, e.Name())
		}
	}
	if want := []string{"go" + toolenv.ExeSuffix, "gofmt" + toolenv.ExeSuffix, "vet-helper" + toolenv.ExeSuffix}; !slices.Equal(names, want) {
		t.Errorf("shims folder holds %q, want %q (nothing for other platforms' toolchains)", names, want)
	}
	if data, _ := os.ReadFile(filepath.Join(l.Shims, "go"+toolenv.ExeSuffix)); string(data) != "shim v1" {
		t.Errorf("go shim holds %q", data)
	}
	if changed, err := Reshim(l, shimExe); err != nil || len(changed) != 0 {
		t.Errorf("second reshim changed %q, %v; want nothing", changed, err)
	}
	// A new gover-shim (an upgrade writes a new file) replaces every shim.
	os.Remove(shimExe)
	write(shimExe, "shim v2")
	if changed, err := Reshim(l, shimExe); err != nil || len(changed) != 3 {
		t.Errorf("reshim after upgrade changed %q, %v; want all three", changed, err)
	}
	if data, _ := os.ReadFile(filepath.Join(l.Shims, "gofmt"+toolenv.ExeSuffix)); string(data) != "shim v2" {
		t.Errorf("gofmt shim holds %q after upgrade", data)
	}
}
