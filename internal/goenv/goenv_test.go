package goenv

import (
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestRead(t *testing.T) {
	file := filepath.Join(t.TempDir(), "env")
	content := "GOPROXY=https://p.example\n" +
		" GOSUMDB=off\n" + // not A–Z first: cmd/go ignores it
		"# GOFLAGS=-x\n" +
		"gotoolchain=auto\n" +
		"GOTOOLCHAIN=auto\n" +
		"GOTOOLCHAIN=go1.22.5+auto\n" + // the later line wins
		"GOFLAGS= -mod=mod \n" + // the value as written
		"GOPRIVATE=a\r\n" + // cmd/go keeps the \r
		"NOEQUALS\n" +
		"GOAUTH=netrc" // no final newline
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"GOPROXY": "https://p.example", "GOTOOLCHAIN": "go1.22.5+auto", "GOFLAGS": " -mod=mod ",
		"GOPRIVATE": "a\r", "GOAUTH": "netrc",
	}
	if got := Read(file); !maps.Equal(got, want) {
		t.Errorf("Read = %q, want %q", got, want)
	}
	if got := Read(filepath.Join(t.TempDir(), "missing")); len(got) != 0 {
		t.Errorf("a missing file reads as %q", got)
	}
}

func TestFileAndLookup(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("the XDG_CONFIG_HOME rules are those of Unix other than macOS")
	}
	dir := t.TempDir()
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	env["HOME"] = "/h"
	if got := File(getenv); got != "/h/.config/go/env" {
		t.Errorf("HOME only: File = %q", got)
	}
	env["XDG_CONFIG_HOME"] = "rel"
	if got := File(getenv); got != "" {
		t.Errorf("relative XDG_CONFIG_HOME (os.UserConfigDir refuses it): File = %q, want none", got)
	}
	env["XDG_CONFIG_HOME"] = dir
	if got := File(getenv); got != filepath.Join(dir, "go", "env") {
		t.Errorf("XDG_CONFIG_HOME: File = %q", got)
	}
	env["GOENV"] = "off"
	if got := File(getenv); got != "" {
		t.Errorf("GOENV=off: File = %q", got)
	}
	env["GOENV"] = "rel/env"
	if wd, _ := os.Getwd(); File(getenv) != filepath.Join(wd, "rel", "env") {
		t.Errorf("relative GOENV: File = %q, want it made absolute", File(getenv))
	}

	env["GOENV"] = filepath.Join(dir, "goenv")
	if err := os.WriteFile(env["GOENV"], []byte("GOTOOLCHAIN=auto\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if v, from := Lookup(getenv, "GOTOOLCHAIN"); v != "auto" || from != env["GOENV"] {
		t.Errorf("Lookup = %q from %q", v, from)
	}
	env["GOTOOLCHAIN"] = "local"
	if v, from := Lookup(getenv, "GOTOOLCHAIN"); v != "local" || from != FromEnvironment {
		t.Errorf("Lookup with the environment set = %q from %q", v, from)
	}
	if v, from := Lookup(getenv, "GOFLAGS"); v != "" || from != "" {
		t.Errorf("Lookup of what nothing sets = %q from %q", v, from)
	}
}
