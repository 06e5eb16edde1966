package paths

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/adrg/xdg"
)

// The shim's copy of the XDG rules must agree with adrg/xdg, which the CLI uses.
func TestDefaultDirsAgreeWithXDG(t *testing.T) {
	tmp := t.TempDir()
	for _, env := range []map[string]string{
		{},
		{"XDG_DATA_HOME": filepath.Join(tmp, "d"), "XDG_CONFIG_HOME": filepath.Join(tmp, "c"), "XDG_CACHE_HOME": filepath.Join(tmp, "k")},
		{"XDG_DATA_HOME": "relative/ignored", "XDG_CACHE_HOME": "~/cachehere"},
	} {
		for _, k := range []string{"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"} {
			t.Setenv(k, env[k])
		}
		xdg.Reload()
		got := DefaultDirs(os.Getenv)
		want := Dirs{DataHome: xdg.DataHome, ConfigHome: xdg.ConfigHome, CacheHome: xdg.CacheHome}
		if got != want {
			t.Errorf("env %v: DefaultDirs = %+v, adrg/xdg says %+v", env, got, want)
		}
	}
}

func TestNew(t *testing.T) {
	root := filepath.Join(t.TempDir(), "r")
	getenv := func(k string) string {
		if k == "GOVER_ROOT" {
			return root
		}
		return ""
	}
	l := New(getenv, Dirs{DataHome: "/d", ConfigHome: "/c", CacheHome: "/k"})
	want := Layout{
		Versions:   filepath.Join(root, "versions"),
		Shims:      filepath.Join(root, "shims"),
		Cache:      filepath.Join(root, "cache"),
		GlobalFile: filepath.Join(root, "version"),
	}
	if l != want {
		t.Errorf("GOVER_ROOT layout = %+v, want %+v", l, want)
	}
	l = New(func(string) string { return "" }, Dirs{DataHome: "/d", ConfigHome: "/c", CacheHome: "/k"})
	want = Layout{
		Versions:   filepath.FromSlash("/d/gover/versions"),
		Shims:      filepath.FromSlash("/d/gover/shims"),
		Cache:      filepath.FromSlash("/k/gover"),
		GlobalFile: filepath.FromSlash("/c/gover/version"),
	}
	if l != want {
		t.Errorf("XDG layout = %+v, want %+v", l, want)
	}
	if got := l.Record("go1.22.5"); got != filepath.FromSlash("/d/gover/versions/go1.22.5.json") {
		t.Errorf("Record = %s", got)
	}
}
