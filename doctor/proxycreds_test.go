//go:build !windows

package doctor_test

import (
	"encoding/base64"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goverdev/gover/doctor"
	"github.com/goverdev/gover/internal/testdist"
)

// TestGOPROXYCredentials runs the real go against loopback proxies with
// credentials in GOPROXY: over http it refuses to send them (and asks
// nothing), over https it sends them as Basic authentication.
func TestGOPROXYCredentials(t *testing.T) {
	w := newWorld(t)
	want(t, w.check("goproxy-credentials"), doctor.OK, "no credentials")
	w.write(filepath.Join(w.work, "go.mod"), "module example.com/app\n\ngo 1.22\n\nrequire example.org/pub v1.0.0\n", 0o644)
	w.vars["GOSUMDB"] = "off"
	w.vars["PATH"] = filepath.Dir(realGo(t)) + ":" + w.bin + ":" + w.tools
	download := []string{"mod", "download", "all"}

	plain := testdist.NewModProxy(t)
	plain.Add(t, "example.org/pub", "v1.0.0", map[string]string{"pub.go": "package pub\n"})
	u, _ := url.Parse(plain.URL)
	u.User = url.UserPassword("me", "s3cret")
	w.vars["GOPROXY"] = u.String()
	w.goFails(download, "refusing to pass credentials to insecure URL")
	if n := plain.Requests("example.org/pub"); n != 0 {
		t.Errorf("go asked the http proxy %d times", n)
	}
	r := w.check("goproxy-credentials")
	want(t, r, doctor.Fail, "has credentials in a plain http URL", "refuses to send them", "'refusing to pass credentials to insecure URL'")
	wantFix(t, r, "serve the proxy over https")
	if strings.Contains(r.Message, "s3cret") {
		t.Errorf("the message shows the password: %s", r.Message)
	}
	// The goproxy check does not call that entry fine either.
	want(t, w.check("goproxy"), doctor.Fail, "refusing to pass credentials to insecure URL")

	// Following the fix: the proxy over https, the same credentials.
	secure := testdist.NewModProxyTLS(t)
	secure.Add(t, "example.org/pub", "v1.0.0", map[string]string{"pub.go": "package pub\n"})
	u, _ = url.Parse(secure.URL)
	u.User = url.UserPassword("me", "s3cret")
	w.vars["GOPROXY"] = u.String()
	w.vars["SSL_CERT_FILE"] = secure.CertFile
	w.goWorks(download...)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("me:s3cret"))
	if !slices.Contains(secure.Authorizations(), basic) {
		t.Errorf("go over https sent Authorization %q, want %q", secure.Authorizations(), basic)
	}
	want(t, w.check("goproxy-credentials"), doctor.OK, "has credentials in an https URL", "sends them as HTTP Basic authentication")
}
