package installer

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/verify"
)

// FuzzParseIndex feeds the official index parser what a broken or hostile
// server could send. Whatever it accepts, every archive gover could pick
// from it has a plain file name, a size and a well-formed digest, and the
// lookups answer without panicking.
func FuzzParseIndex(f *testing.F) {
	good := `[{"version":"go1.22.5","stable":true,"files":[` +
		`{"filename":"go1.22.5.linux-amd64.tar.gz","os":"linux","arch":"amd64","version":"go1.22.5","sha256":"` + strings.Repeat("ab", 32) + `","size":68958945,"kind":"archive"},` +
		`{"filename":"go1.22.5.src.tar.gz","os":"","arch":"","version":"go1.22.5","sha256":"","size":0,"kind":"source"},` +
		`{"filename":"go1.22.5.windows-amd64.zip","os":"windows","arch":"amd64","version":"go1.22.5","sha256":"` + strings.Repeat("0f", 32) + `","size":1,"kind":"archive"},` +
		`{"filename":"go1.22.5.linux-armv6l.tar.gz","os":"linux","arch":"armv6l","version":"go1.22.5","sha256":"` + strings.Repeat("01", 32) + `","size":2,"kind":"archive"}]},` +
		`{"version":"go1.23rc1","stable":false,"files":[]}]`
	for _, s := range []string{
		good, "[]", "{}", "", "[{}]", `[{"version":"go1.22.5","files":null}]`, "<!doctype html><html></html>",
		`[{"version":"go1.22.5","stable":true,"files":[{"filename":"../../etc/passwd","os":"linux","arch":"amd64","sha256":"` + strings.Repeat("ab", 32) + `","size":1,"kind":"archive"}]}]`,
		`[{"version":"go1.22.5","stable":true,"files":[{"filename":"go1.22.5.linux-amd64.tar.gz","os":"linux","arch":"amd64","sha256":"zz","size":-1,"kind":"archive"}]}]`,
		`[{"version":"1.22.5"}]`, ` [` + strings.Repeat(`{"version":"go1.2"},`, 3) + `{"version":"go1.3"}]`,
	} {
		f.Add([]byte(s))
	}
	platforms := []Platform{{"linux", "amd64"}, {"windows", "amd64"}, {"linux", "arm"}, {"darwin", "arm64"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, err := ParseIndex(data)
		if err != nil {
			if ix != nil {
				t.Fatal("an index and an error")
			}
			return
		}
		if len(ix.Releases) == 0 {
			t.Fatalf("accepted an index of no releases: %q", data)
		}
		for _, p := range platforms {
			for _, r := range ix.releases(p) {
				if !goversion.IsValid(r.Version) {
					t.Fatalf("release %q is not a Go version", r.Version)
				}
				rel, file, ok := ix.lookup(r.Version, p)
				if !ok || rel == nil {
					t.Fatalf("%s is listed for %s but has no archive", r.Version, p)
				}
				if file.Filename != p.ArchiveName(r.Version) || file.Size <= 0 || !verify.ValidSHA256(file.SHA256) {
					t.Fatalf("%s for %s: unusable archive entry %+v", r.Version, p, file)
				}
			}
			if _, _, ok := ix.lookup("go1.22.5", p); ok {
				if _, file, _ := ix.lookup("go1.22.5", p); strings.ContainsAny(file.Filename, `/\`) {
					t.Fatalf("file name %q is not plain", file.Filename)
				}
			}
		}
		// What was accepted survives a round trip unchanged.
		b, err := json.Marshal(ix.Releases)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseIndex(b); err != nil {
			t.Fatalf("re-encoded index refused: %v", err)
		}
	})
}

// FuzzParseMirrors: a --mirror or GOVER_MIRROR value never crashes gover,
// and every base it yields is an http(s) or file URL ending in "/".
func FuzzParseMirrors(f *testing.F) {
	for _, s := range []string{"aliyun", "https://m.example/golang", "google-cn,ustc", "file:///srv/go", "ftp://x", ",", "", "AliYun , https://x.example/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		bases, _, err := ParseMirrors(v)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") && !strings.ContainsAny(v, "\n\r") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		for _, b := range bases {
			u, err := url.Parse(b)
			ok := err == nil && strings.HasSuffix(b, "/")
			switch {
			case !ok:
			case u.Scheme == "http" || u.Scheme == "https":
				ok = u.Host != ""
			case u.Scheme == "file":
				ok = u.Opaque == "" && strings.HasPrefix(u.Path, "/")
			default:
				ok = false
			}
			if !ok {
				t.Fatalf("ParseMirrors(%q) gave base %q", v, b)
			}
		}
	})
}
