package neterr

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestExplain explains the errors real requests give: a name that never
// resolves, a closed port, an HTTP proxy that is down, a deadline, and
// certificate errors as crypto/x509 makes them.
func TestExplain(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	get := func(raw string, proxy *url.URL) error {
		tr := &http.Transport{}
		if proxy != nil {
			tr.Proxy = http.ProxyURL(proxy)
		}
		_, err := (&http.Client{Transport: tr}).Get(raw)
		if err == nil {
			t.Fatalf("GET %s succeeded", raw)
		}
		return err
	}
	for _, tc := range []struct {
		err    error
		kind   Kind
		reason string
		fix    string
	}{
		{get("http://gover-test.invalid/x", nil), DNS, "cannot resolve gover-test.invalid (DNS: ", "DNS"},
		{get("http://"+closed+"/x", nil), Refused, "connection refused", "nothing listens at " + closed},
		{get("https://example.invalid/x", &url.URL{Scheme: "http", Host: closed}), Proxy, "cannot reach the HTTP proxy " + closed + ": connection refused", "HTTPS_PROXY"},
		{fmt.Errorf("get: %w", context.DeadlineExceeded), Timeout, "timed out", "firewall"},
		{&url.Error{Op: "Get", URL: "https://x", Err: x509.UnknownAuthorityError{}}, UnknownCA, "unknown authority", "SSL_CERT_FILE"},
		{x509.HostnameError{Certificate: &x509.Certificate{}, Host: "proxy.corp"}, TLS, "for another host", "host name"},
		{x509.CertificateInvalidError{Reason: x509.Expired}, TLS, "rejected", "clock"},
		{errors.New("something else"), Other, "something else", "network"},
	} {
		e := Explain(tc.err, closed)
		if e.Kind != tc.kind || !strings.Contains(e.Reason, tc.reason) || !strings.Contains(e.Fix, tc.fix) {
			t.Errorf("Explain(%v) = %+v, want %s, reason with %q, fix with %q", tc.err, e, tc.kind, tc.reason, tc.fix)
		}
	}
}
