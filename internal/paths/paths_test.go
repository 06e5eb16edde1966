package paths

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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
		got, err := DefaultDirs(os.Getenv)
		if err != nil {
			t.Fatal(err)
		}
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

// Every path FromEnv gives is absolute: a relative GOVER_ROOT is refused,
// relative XDG variables are ignored, and a missing or relative HOME is
// replaced by the user database's answer — never resolved against the
// folder go runs in, where a repository could plant a toolchain.
func TestFromEnvIsAbsolute(t *testing.T) {
	tmp := t.TempDir()
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	var rel *RelativeError
	if _, err := FromEnv(env("GOVER_ROOT", "relative/root")); !errors.As(err, &rel) || !strings.Contains(err.Error(), "GOVER_ROOT=relative/root is not an absolute path") {
		t.Errorf("relative GOVER_ROOT: %v, want a RelativeError naming it", err)
	}
	if l, err := FromEnv(env("GOVER_ROOT", tmp, homeVar, "")); err != nil || l.Versions != filepath.Join(tmp, "versions") {
		t.Errorf("absolute GOVER_ROOT without a home: %+v, %v", l, err)
	}
	dbHome, dbErr := userDatabaseHome()
	for _, home := range []string{"", "relative/home"} {
		l, err := FromEnv(env(homeVar, home, "XDG_DATA_HOME", ".local/share", "XDG_CONFIG_HOME", "cfg", "XDG_CACHE_HOME", ""))
		if dbErr != nil {
			var nh *NoHomeError
			if !errors.As(err, &nh) {
				t.Errorf("%s=%q and no user database entry: %v, want a NoHomeError", homeVar, home, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s=%q: %v", homeVar, home, err)
		}
		for _, p := range []string{l.Versions, l.Shims, l.Cache, l.GlobalFile} {
			if !filepath.IsAbs(p) || !strings.HasPrefix(p, dbHome) {
				t.Errorf("%s=%q: %s is not under the user database's home %s", homeVar, home, p, dbHome)
			}
		}
	}
}
