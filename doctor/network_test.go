//go:build !windows

package doctor_test

import (
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/goverdev/gover/doctor"
	"github.com/goverdev/gover/internal/testdist"
)

// blackhole is a loopback port that accepts connections (the kernel
// completes the handshake) and never answers: a dropped-packets firewall.
func blackhole(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return "http://" + l.Addr().String()
}

// answering is a loopback server that answers every request with h.
func answering(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// proxyAuthServer is an HTTP proxy that wants credentials: 407 to CONNECT
// and to plain requests alike, offering schemes.
func proxyAuthServer(t *testing.T, schemes ...string) *url.URL {
	srv := answering(t, func(w http.ResponseWriter, r *http.Request) {
		for _, s := range schemes {
			w.Header().Add("Proxy-Authenticate", s)
		}
		w.WriteHeader(http.StatusProxyAuthRequired)
	})
	u, _ := url.Parse(srv.URL)
	return u
}

func TestGOPROXYHealthy(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t)
	w.vars["GOPROXY"] = d.ProxyURL
	want(t, w.check("goproxy"), doctor.OK, d.ProxyURL+": ok, ", "toolchains listed")

	// A file:// proxy (a folder laid out like one) works too.
	dir := t.TempDir()
	w.write(dir+"/golang.org/toolchain/@v/list", "v0.0.1-go1.22.5.linux-amd64\n", 0o644)
	w.vars["GOPROXY"] = "file://" + dir
	want(t, w.check("goproxy"), doctor.OK, "ok, 1 toolchain listed")
}

func TestGOPROXYUnreachable(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t)

	// DNS: a name that never resolves.
	w.vars["GOPROXY"] = testdist.UnresolvableURL
	r := w.check("goproxy")
	want(t, r, doctor.Fail, "cannot resolve gover-test.invalid (DNS")
	wantFix(t, r, "DNS")

	// Refused: nothing listens.
	w.vars["GOPROXY"] = d.ClosedURL()
	r = w.check("goproxy")
	want(t, r, doctor.Fail, "connection refused")
	wantFix(t, r, "nothing listens")

	// Timeout: the per-request timeout is what ends it, not the runner's
	// deadline for the check.
	w.vars["GOPROXY"] = blackhole(t)
	start := time.Now()
	rep := w.run(doctor.Options{Only: []string{"goproxy"}, NetTimeout: 300 * time.Millisecond})
	elapsed := time.Since(start)
	want(t, rep.Checks[0], doctor.Fail, "no answer within 300ms")
	if elapsed > 2*time.Second {
		t.Errorf("a 300ms network timeout took %s", elapsed)
	}

	// After ",", go does not move on from an unreachable proxy; after "|"
	// it does.
	w.vars["GOPROXY"] = d.ClosedURL() + "," + d.ProxyURL
	want(t, w.check("goproxy"), doctor.Fail, "connection refused")
	w.vars["GOPROXY"] = d.ClosedURL() + "|" + d.ProxyURL
	want(t, w.check("goproxy"), doctor.OK, "connection refused", d.ProxyURL+": ok")
}

func TestGOPROXYAnswers(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t)

	// A captive portal answers 200 with a login page.
	portal := answering(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><body>Sign in to Hotel WiFi</body></html>")
	})
	w.vars["GOPROXY"] = portal.URL
	r := w.check("goproxy")
	want(t, r, doctor.Fail, "HTML page", "captive portal")

	// A proxy without the toolchain module: 404, go moves on.
	empty := answering(t, func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	w.vars["GOPROXY"] = empty.URL + "," + d.ProxyURL
	want(t, w.check("goproxy"), doctor.OK, "has no module list (404); go moves on", d.ProxyURL+": ok")
	w.vars["GOPROXY"] = empty.URL
	want(t, w.check("goproxy"), doctor.Warn, "no entry serves golang.org/toolchain")

	// 401: the module proxy itself wants credentials, which go sends only
	// over https (TestGOPROXYNetrc).
	private := answering(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusUnauthorized) })
	w.vars["GOPROXY"] = private.URL
	r = w.check("goproxy")
	want(t, r, doctor.Fail, "refused access (401", "only over https")
	wantFix(t, r, "https URL")
}

func TestGOPROXYMistakes(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t)

	// A wildcard, as if GOPROXY took GOPRIVATE's patterns: wrong even
	// behind a working proxy.
	w.vars["GOPROXY"] = d.ProxyURL + ",*.corp.example"
	r := w.check("goproxy")
	want(t, r, doctor.Fail, "*.corp.example (read as https://*.corp.example): Go does not expand wildcards")
	wantFix(t, r, "*.corp.example")
	w.vars["GOPROXY"] = "https://*.corp.example/proxy"
	want(t, w.check("goproxy"), doctor.Fail, "wildcards")

	// A scheme Go does not speak, and a bare word.
	w.vars["GOPROXY"] = "ftp://mirror.example/go"
	want(t, w.check("goproxy"), doctor.Fail, "scheme ftp")
	w.vars["GOPROXY"] = "proxy"
	want(t, w.check("goproxy"), doctor.Fail, "not a URL")

	// Entries after off (or direct) are never read.
	w.vars["GOPROXY"] = d.ProxyURL + ",off," + d.MirrorURL
	r = w.check("goproxy")
	want(t, r, doctor.Warn, d.MirrorURL+": never used")

	// off.
	w.vars["GOPROXY"] = "off"
	want(t, w.check("goproxy"), doctor.Warn, "off: go downloads no modules")

	// Set with 'go env -w': the fix says where.
	delete(w.vars, "GOPROXY")
	w.write(w.vars["GOENV"], "GOPROXY=https://*.corp.example\n", 0o644)
	r = w.check("goproxy")
	want(t, r, doctor.Fail, "written by 'go env -w'")
	wantFix(t, r, "go env -w")
}

func TestGOPROXYProxyAuth(t *testing.T) {
	w := newWorld(t)
	// The module proxy's name is never looked up: the HTTP proxy is asked
	// for it (CONNECT for https, a plain GET for http).
	w.vars["GOPROXY"] = "https://goproxy.corp.example"

	p := proxyAuthServer(t, `Basic realm="corp"`)
	w.proxy = http.ProxyURL(p)
	r := w.check("goproxy")
	want(t, r, doctor.Fail, "the HTTP proxy "+p.String()+" wants credentials (407 Proxy Authentication Required) and HTTPS_PROXY has none")
	wantFix(t, r, "https_proxy=http://USER:PASSWORD@"+p.Host)

	// Credentials where Go does not look for proxy credentials.
	w.vars["ALL_PROXY"] = "http://me:secret@" + p.Host
	want(t, w.check("goproxy"), doctor.Fail, "ALL_PROXY has credentials, but Go ignores ALL_PROXY")
	delete(w.vars, "ALL_PROXY")
	w.vars["GOPROXY"] = "https://me:secret@goproxy.corp.example"
	want(t, w.check("goproxy"), doctor.Fail, "those go to the server, not to the HTTP proxy")
	if strings.Contains(w.check("goproxy").Message, "secret") {
		t.Error("a password in GOPROXY made it into the message")
	}

	// Credentials sent and refused; plain http through the proxy.
	w.vars["GOPROXY"] = "http://goproxy.corp.example"
	withCreds := *p
	withCreds.User = url.UserPassword("me", "wrong")
	w.proxy = http.ProxyURL(&withCreds)
	r = w.check("goproxy")
	want(t, r, doctor.Fail, "rejected the credentials in HTTP_PROXY")
	wantFix(t, r, "percent-encode")

	// A proxy that wants NTLM, which Go's client cannot do.
	w.vars["GOPROXY"] = "https://goproxy.corp.example"
	w.proxy = http.ProxyURL(proxyAuthServer(t, "NTLM", "Negotiate"))
	r = w.check("goproxy")
	want(t, r, doctor.Fail, "wants NTLM or Negotiate authentication (407), which Go cannot do")
	wantFix(t, r, "cntlm")

	// The HTTP proxy itself is down.
	w.proxy = http.ProxyURL(&url.URL{Scheme: "http", Host: strings.TrimPrefix(testdist.New(t, testdist.Options{}).ClosedURL(), "http://")})
	want(t, w.check("goproxy"), doctor.Fail, "cannot reach the HTTP proxy", "connection refused")
}

func TestGOPROXYTLS(t *testing.T) {
	w := newWorld(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "v0.0.1-go1.22.5.linux-amd64")
	}))
	// The refused handshake is the point; the server need not log it.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	w.vars["GOPROXY"] = srv.URL

	// Signed by a CA the system does not trust: a TLS-inspecting proxy.
	r := w.check("goproxy")
	want(t, r, doctor.Fail, "TLS certificate signed by an unknown authority", "Acme Co")
	wantFix(t, r, "SSL_CERT_FILE")

	// With that CA trusted, fine.
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	e := w.env()
	e.TLS = &tls.Config{RootCAs: pool}
	rep := doctor.Run(t.Context(), e, doctor.Options{Only: []string{"goproxy"}})
	want(t, rep.Checks[0], doctor.OK, "ok, 1 toolchain listed")
}

func TestGOSUMDB(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t)
	w.vars["GOPROXY"] = d.ProxyURL

	// Through the proxy, as cmd/go reaches it when the proxy supports it.
	w.vars["GOSUMDB"] = d.SumDBKey
	want(t, w.check("gosumdb"), doctor.OK, testdist.SumDBName+" reached through "+d.ProxyURL, "signed tree head verified")

	// At the URL GOSUMDB names.
	w.vars["GOSUMDB"] = d.GOSUMDB
	want(t, w.check("gosumdb"), doctor.OK, "reached directly ("+d.SumDBURL)

	// A key that does not match the database.
	_, vkey, err := note.GenerateKey(rand.Reader, testdist.SumDBName)
	if err != nil {
		t.Fatal(err)
	}
	w.vars["GOSUMDB"] = vkey + " " + d.SumDBURL
	want(t, w.check("gosumdb"), doctor.Fail, "does not verify with GOSUMDB's key")

	// The proxy cannot be asked: after "," that is the end.
	w.vars["GOSUMDB"] = d.SumDBKey
	w.vars["GOPROXY"] = d.ClosedURL()
	want(t, w.check("gosumdb"), doctor.Fail, "whether it proxies the database: connection refused")

	// Not a GOSUMDB value.
	w.vars["GOSUMDB"] = "sum.example.com+garbage"
	want(t, w.check("gosumdb"), doctor.Fail, "GOSUMDB")

	// off: the go command checks nothing (the database is still asked
	// for, as gover checks toolchains against it anyway).
	w.vars["GOSUMDB"] = "off"
	w.vars["GOPROXY"] = testdist.UnresolvableURL
	want(t, w.check("gosumdb"), doctor.Fail, "GOSUMDB=off: go checks no module download")
}

// TestNetworkDown: with every proxy unreachable, the network checks end
// at the network timeout, and the whole doctor with them.
func TestNetworkDown(t *testing.T) {
	w := newWorld(t)
	w.withSystemPath()
	w.vars["GOPROXY"] = testdist.UnresolvableURL + "," + blackhole(t)
	start := time.Now()
	rep := w.run(doctor.Options{NetTimeout: 300 * time.Millisecond})
	elapsed := time.Since(start)
	for _, c := range rep.Checks {
		if c.ID == "goproxy" || c.ID == "gosumdb" {
			want(t, c, doctor.Fail)
		}
		if strings.Contains(c.Message, "did not finish within") {
			t.Errorf("%s overran: %s", c.ID, c.Message)
		}
	}
	// 300ms per request; everything else is local. 3s is a margin of ten.
	if elapsed > 3*time.Second {
		t.Errorf("the doctor took %s with the network down", elapsed)
	}
}
