package goproxy

import (
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// goProxySpec and goProxyList copy the go command's reading of GOPROXY
// (cmd/go/internal/modfetch/proxy.go, proxyList and newProxyRepo, Go 1.26),
// which cannot be imported: the reference the fuzzer holds Parse to.
type goProxySpec struct {
	url             string
	fallBackOnError bool
}

func goProxyList(goproxy string) ([]goProxySpec, error) {
	var list []goProxySpec
	for goproxy != "" {
		var u string
		fallBackOnError := false
		if i := strings.IndexAny(goproxy, ",|"); i >= 0 {
			u = goproxy[:i]
			fallBackOnError = goproxy[i] == '|'
			goproxy = goproxy[i+1:]
		} else {
			u = goproxy
			goproxy = ""
		}
		u = strings.TrimSpace(u)
		if u == "" {
			continue
		}
		if u == "off" {
			list = append(list, goProxySpec{url: "off"})
			break
		}
		if u == "direct" {
			list = append(list, goProxySpec{url: "direct"})
			break
		}
		if strings.ContainsAny(u, ".:/") && !strings.Contains(u, ":/") && !filepath.IsAbs(u) && !path.IsAbs(u) {
			u = "https://" + u
		}
		// newProxyRepo(u, "check")
		base, err := url.Parse(u)
		if err != nil {
			return nil, err
		}
		switch base.Scheme {
		case "file":
			if *base != (url.URL{Scheme: base.Scheme, Path: base.Path, RawPath: base.RawPath}) {
				return nil, fmt.Errorf("invalid file:// proxy URL with non-path elements: %s", u)
			}
		case "":
			return nil, fmt.Errorf("invalid proxy URL missing scheme: %s", u)
		}
		list = append(list, goProxySpec{url: u, fallBackOnError: fallBackOnError})
	}
	if len(list) == 0 || len(list) == 1 && list[0].url == "noproxy" {
		return nil, fmt.Errorf("GOPROXY list is not the empty string, but contains no entries")
	}
	return list, nil
}

// FuzzParse holds Parse to the go command's rules: whatever gover accepts,
// the go command accepts as the same list; whatever it refuses, gover
// refuses. gover may refuse more (schemes other than http, https and file;
// http URLs without a host), failing early instead of at the first fetch.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"https://proxy.golang.org,direct", "https://goproxy.cn/|https://proxy.golang.org,direct,https://late.example",
		"goproxy.io , off", "goproxy.example:8080/x", "*.corp.example", "file:///srv/goproxy,proxy,ftp://x.example",
		"file://host/srv", ",", " ", "noproxy", "direct,::bad", "off|direct", "https://user:pass@p.example/", "/abs/path",
		"C:\\proxy", "https://", "http://[::1]:3000", "https://p.example?x=1#f", "a|b|c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		if strings.TrimSpace(list) == "" {
			return // both read an empty GOPROXY as the default
		}
		got, err := Parse(list)
		want, werr := goProxyList(list)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("Parse(%q): error is not one line: %q", list, err)
			}
			return
		}
		if werr != nil {
			t.Fatalf("Parse(%q) = %+v; the go command refuses it: %v", list, got, werr)
		}
		if len(got) != len(want) {
			t.Fatalf("Parse(%q) = %+v; the go command reads %+v", list, got, want)
		}
		for i, e := range got {
			w := want[i]
			var same bool
			switch {
			case e.Direct:
				same = w.url == "direct" && e.URL == ToolchainDirect
			case e.Off:
				same = w.url == "off"
			default:
				same = e.URL == strings.TrimSuffix(w.url, "/") && e.AnyError == w.fallBackOnError
			}
			if !same {
				t.Fatalf("Parse(%q)[%d] = %+v; the go command reads %+v", list, i, e, w)
			}
		}
	})
}

// goSumDB copies the go command's reading of GOSUMDB
// (cmd/go/internal/modfetch/sumdb.go, dbDial): the database's name, key
// and, when given, the URL used instead of the proxies.
func goSumDB(gosumdb string) (name, key, explicitURL string, err error) {
	if gosumdb == "sum.golang.google.cn" {
		gosumdb = "sum.golang.org https://sum.golang.google.cn"
	}
	if gosumdb == "off" {
		return "", "", "", fmt.Errorf("checksum database disabled by GOSUMDB=off")
	}
	fields := strings.Fields(gosumdb)
	if len(fields) >= 1 && fields[0] == "sum.golang.org" {
		fields[0] = sumGolangOrgKey
	}
	if len(fields) == 0 {
		return "", "", "", fmt.Errorf("missing GOSUMDB")
	}
	if len(fields) > 2 {
		return "", "", "", fmt.Errorf("invalid GOSUMDB: too many fields")
	}
	vkey, err := note.NewVerifier(fields[0])
	if err != nil {
		return "", "", "", fmt.Errorf("invalid GOSUMDB: %v", err)
	}
	name = vkey.Name()
	direct, err := url.Parse("https://" + name)
	if err != nil || strings.HasSuffix(name, "/") || *direct != (url.URL{Scheme: "https", Host: direct.Host, Path: direct.Path, RawPath: direct.RawPath}) || direct.RawPath != "" || direct.Host == "" {
		return "", "", "", fmt.Errorf("invalid sumdb name (must be host[/path]): %s", name)
	}
	if len(fields) == 2 {
		u, err := url.Parse(fields[1])
		if err != nil {
			return "", "", "", fmt.Errorf("invalid GOSUMDB URL: %v", err)
		}
		explicitURL = u.String()
	}
	return name, fields[0], explicitURL, nil
}

// FuzzParseGOSUMDB holds ParseGOSUMDB to the go command's rules, except
// that "off" and an empty value mean sum.golang.org: the go command checks
// the toolchain module even then.
func FuzzParseGOSUMDB(f *testing.F) {
	for _, s := range []string{
		"sum.golang.org", "off", "", "sum.golang.google.cn", sumGolangOrgKey + " https://sum.golang.google.cn",
		"sum.testdist.example+4a6d8b1c+AbCd", "a b c", "sum.golang.org http://", "x.example/path+01234567+AQ==",
		sumGolangOrgKey + " file:///srv/sumdb", "name#frag+01234567+AQ==",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		db, err := ParseGOSUMDB(v)
		if trimmed := strings.TrimSpace(v); trimmed == "" || trimmed == "off" {
			if err != nil || db.Name != "sum.golang.org" {
				t.Fatalf("ParseGOSUMDB(%q) = %+v, %v; want sum.golang.org", v, db, err)
			}
			return
		}
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("ParseGOSUMDB(%q): error is not one line: %q", v, err)
			}
			return
		}
		name, key, explicit, werr := goSumDB(strings.TrimSpace(v))
		if werr != nil {
			t.Fatalf("ParseGOSUMDB(%q) = %+v; the go command refuses it: %v", v, db, werr)
		}
		if db.Name != name || db.Key != key || db.Explicit != (explicit != "") || db.Explicit && db.URL != strings.TrimSuffix(explicit, "/") {
			t.Fatalf("ParseGOSUMDB(%q) = %+v; the go command reads name %q key %q url %q", v, db, name, key, explicit)
		}
	})
}
