package goproxy

import (
	"crypto/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []Entry
	}{
		{"", []Entry{{URL: "https://proxy.golang.org"}, {URL: ToolchainDirect, Direct: true}}},
		{"https://goproxy.cn|https://proxy.golang.org/,direct", []Entry{
			{URL: "https://goproxy.cn", AnyError: true}, {URL: "https://proxy.golang.org"}, {URL: ToolchainDirect, Direct: true}}},
		{"off", []Entry{{Off: true}}},
		{"file:///srv/mirror", []Entry{{URL: "file:///srv/mirror"}}},
		{"goproxy.cn,direct", []Entry{{URL: "https://goproxy.cn"}, {URL: ToolchainDirect, Direct: true}}},
		{"goproxy.example:8080/x", []Entry{{URL: "https://goproxy.example:8080/x"}}},
		{" https://a.example , ,direct", []Entry{{URL: "https://a.example"}, {URL: ToolchainDirect, Direct: true}}},
	} {
		got, err := Parse(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"proxygolangorg", "ftp://x.example", ",", "noproxy"} {
		if _, err := Parse(bad); err == nil || !strings.Contains(err.Error(), "GOPROXY") {
			t.Errorf("Parse(%q) = %v, want an error naming GOPROXY", bad, err)
		}
	}
}

func TestParseGOSUMDB(t *testing.T) {
	_, vkey, err := note.GenerateKey(rand.Reader, "x.example")
	if err != nil {
		t.Fatal(err)
	}
	for in, want := range map[string]SumDB{
		"":                                     {"sum.golang.org", sumGolangOrgKey, "https://sum.golang.org", false},
		"off":                                  {"sum.golang.org", sumGolangOrgKey, "https://sum.golang.org", false},
		"sum.golang.google.cn":                 {"sum.golang.org", sumGolangOrgKey, "https://sum.golang.google.cn", true},
		vkey:                                   {"x.example", vkey, "https://x.example", false},
		vkey + " http://127.0.0.1:8080/sumdb/": {"x.example", vkey, "http://127.0.0.1:8080/sumdb", true},
	} {
		got, err := ParseGOSUMDB(in)
		if err != nil || got != want {
			t.Errorf("ParseGOSUMDB(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"sum.example.com", "a+b", vkey + " notaurl", vkey + " http://x y", "x.example+abcd1234+AAAA"} {
		if _, err := ParseGOSUMDB(bad); err == nil || !strings.Contains(err.Error(), "GOSUMDB") {
			t.Errorf("ParseGOSUMDB(%q) = %v, want an error naming GOSUMDB", bad, err)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	envFile := filepath.Join(dir, "go", "env")
	os.MkdirAll(filepath.Dir(envFile), 0o755)
	os.WriteFile(envFile, []byte("GOPROXY=https://goproxy.cn,direct\nGOSUMDB=sum.golang.google.cn\n"), 0o644)
	env := map[string]string{"XDG_CONFIG_HOME": dir, "HOME": "/nonexistent", "AppData": dir}
	getenv := func(k string) string { return env[k] }

	s := Load(getenv)
	if s.GOPROXY != "https://goproxy.cn,direct" || s.GOSUMDB != "sum.golang.google.cn" || s.From["GOPROXY"] != envFile {
		t.Errorf("from the go env file: %+v", s)
	}
	env["GOPROXY"] = "https://env.example"
	if s := Load(getenv); s.GOPROXY != "https://env.example" || s.From["GOPROXY"] != "environment" {
		t.Errorf("environment should win: %+v", s)
	}
	env["GOENV"] = filepath.Join(dir, "missing")
	delete(env, "GOPROXY")
	if s := Load(getenv); s.GOPROXY != DefaultGOPROXY || s.From["GOPROXY"] != "default" {
		t.Errorf("default when nothing is set: %+v", s)
	}
}
