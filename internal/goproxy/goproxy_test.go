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

func TestSplit(t *testing.T) {
	wildcard := "Go does not expand wildcards in GOPROXY: it looks the '*' up as a host name (patterns belong in GOPRIVATE and GONOPROXY)"
	for _, tc := range []struct {
		list string
		want []Entry
	}{
		{"", []Entry{
			{Raw: "https://proxy.golang.org", URL: "https://proxy.golang.org"},
			{Raw: "direct", URL: ToolchainDirect, Direct: true},
		}},
		{"https://goproxy.cn/|https://proxy.golang.org,direct,https://late.example", []Entry{
			{Raw: "https://goproxy.cn/", URL: "https://goproxy.cn", AnyError: true},
			{Raw: "https://proxy.golang.org", URL: "https://proxy.golang.org"},
			{Raw: "direct", URL: ToolchainDirect, Direct: true},
			{Raw: "https://late.example", URL: "https://late.example", Ignored: true},
		}},
		// cmd/go adds https:// to a host without a scheme.
		{"goproxy.io , off", []Entry{
			{Raw: "goproxy.io", URL: "https://goproxy.io"},
			{Raw: "off", Off: true},
		}},
		{"goproxy.example:8080/x", []Entry{{Raw: "goproxy.example:8080/x", URL: "https://goproxy.example:8080/x"}}},
		{"*.corp.example", []Entry{
			{Raw: "*.corp.example", URL: "https://*.corp.example", Problem: wildcard, Wildcard: true},
		}},
		{"file:///srv/goproxy,proxy,ftp://x.example", []Entry{
			{Raw: "file:///srv/goproxy", URL: "file:///srv/goproxy"},
			{Raw: "proxy", URL: "proxy", Problem: "not a URL (write https://host, direct or off)"},
			{Raw: "ftp://x.example", URL: "ftp://x.example", Problem: "scheme ftp is not one Go supports (https, http or file)"},
		}},
		{"file://host/srv", []Entry{
			{Raw: "file://host/srv", URL: "file://host/srv", Problem: "a file:// proxy URL may hold only a path"},
		}},
	} {
		if got := Split(tc.list); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Split(%q) =\n%+v\nwant\n%+v", tc.list, got, tc.want)
		}
	}
}

func TestParse(t *testing.T) {
	got, err := Parse("https://a.example|https://*.corp.example,direct,https://late.example")
	if err != nil || len(got) != 3 || !got[1].Wildcard || !got[2].Direct {
		t.Errorf("Parse keeps wildcards (they fail when reached) and drops what follows direct: %+v, %v", got, err)
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
		"":                                     {"sum.golang.org", sumGolangOrgKey, "https://sum.golang.org", false, false},
		"off":                                  {"sum.golang.org", sumGolangOrgKey, "https://sum.golang.org", false, true},
		"sum.golang.google.cn":                 {"sum.golang.org", sumGolangOrgKey, "https://sum.golang.google.cn", true, false},
		vkey:                                   {"x.example", vkey, "https://x.example", false, false},
		vkey + " http://127.0.0.1:8080/sumdb/": {"x.example", vkey, "http://127.0.0.1:8080/sumdb", true, false},
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
