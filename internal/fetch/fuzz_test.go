package fetch

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzRedact: URLs are printed in errors and install records after Redact,
// so whatever the URL, the password it carries must not come out.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{
		"https://user:hunter22@proxy.example/go", "http://a:b@c:d@host/x", "https://host/p?token=secret",
		"file:///srv/mirror", "https://u:p%40ss@h/", "https://u:pass@/path", "https://u:pass@", "//:0000@",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		out := Redact(raw)
		u, err := url.Parse(raw)
		if err != nil || u.User == nil || u.Scheme == "" {
			return // gover only fetches URLs with a scheme
		}
		pw, ok := u.User.Password()
		if !ok || len(pw) < 4 || strings.Contains(strings.Replace(raw, u.User.String()+"@", "", 1), pw) {
			return // too short to tell apart, or the same text sits elsewhere in the URL
		}
		if strings.Contains(out, pw) || strings.Contains(out, url.PathEscape(pw)) {
			t.Fatalf("Redact(%q) = %q leaks the password %q", raw, out, pw)
		}
	})
}

// FuzzHeaders: Content-Range and Retry-After come from servers.
func FuzzHeaders(f *testing.F) {
	for _, s := range []string{"bytes 100-199/200", "bytes */200", "bytes -1-2/3", "120", "Wed, 21 Oct 2015 07:28:00 GMT", "", "-5", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if start, err := contentRangeStart(v); err == nil && !strings.HasPrefix(v, "bytes ") {
			t.Fatalf("contentRangeStart(%q) = %d without a bytes unit", v, start)
		}
		if d := retryAfter(v); d < 0 && !strings.Contains(v, ",") {
			t.Fatalf("retryAfter(%q) = %v", v, d)
		}
		LooksLikeHTML([]byte(v))
	})
}
