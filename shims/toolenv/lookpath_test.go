package toolenv

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestLookPathAndSystemProgram(t *testing.T) {
	dir := t.TempDir()
	mk := func(rel string, mode os.FileMode) string {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	shimExe := mk("bin/gover-shim"+ExeSuffix, 0o755)
	shims := filepath.Join(dir, "shims")
	mk("shims/go"+ExeSuffix, 0o755)
	if err := os.Mkdir(filepath.Join(dir, "dirgo"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dirgo", "go"+ExeSuffix), 0o755); err != nil { // a folder named go
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		mk("noexec/go", 0o644)
	}
	// The shim again under another name: a hard link.
	if err := os.MkdirAll(filepath.Join(dir, "linked"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(shimExe, filepath.Join(dir, "linked", "go"+ExeSuffix)); err != nil {
		t.Fatal(err)
	}
	// And a copy of it (Windows shims are copies where links cannot be made).
	mk("copied/go"+ExeSuffix, 0o755)
	sys := mk("sys/go"+ExeSuffix, 0o755)
	if err := os.WriteFile(sys, []byte("#!/bin/sh\necho the system go\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	pathList := func(dirs ...string) string {
		out := ""
		for i, d := range dirs {
			if i > 0 {
				out += string(os.PathListSeparator)
			}
			if d != "" {
				d = filepath.Join(dir, d)
			}
			out += d
		}
		return out
	}

	all := pathList("shims", "", "dirgo", "noexec", "linked", "copied", "sys")
	if got, ok := SystemProgram("go", all, shims, shimExe); !ok || got != sys {
		t.Errorf("SystemProgram = %q, %v; want %q", got, ok, sys)
	}
	// The shims folder spelled another way is still the shims folder.
	if got, ok := SystemProgram("go", pathList("shims")+string(filepath.Separator)+"."+string(os.PathListSeparator)+pathList("sys"), shims, ""); !ok || got != sys {
		t.Errorf("SystemProgram past shims/. = %q, %v; want %q", got, ok, sys)
	}
	if got, ok := SystemProgram("go", pathList("shims", "linked"), shims, shimExe); ok {
		t.Errorf("SystemProgram with only the shim on PATH = %q", got)
	}

	if got, err := LookPathIn("go"+ExeSuffix, pathList("dirgo", "noexec", "sys")); err != nil || got != sys {
		t.Errorf("LookPathIn = %q, %v; want %q", got, err, sys)
	}
	if got, err := LookPathIn("nosuch", all); !errors.Is(err, ErrNotOnPath) {
		t.Errorf("LookPathIn(nosuch) = %q, %v; want ErrNotOnPath", got, err)
	}
	if got, err := LookPathIn(sys, ""); err != nil || got != sys {
		t.Errorf("LookPathIn of a path = %q, %v", got, err)
	}
}
