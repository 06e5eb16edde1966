// Package neterr explains why a connection failed — the name did not
// resolve, nothing listened, no answer came, the certificate was not
// trusted, the HTTP proxy could not be reached — in words a user can act
// on, with the fix. It is the one explanation gover's downloads
// (internal/fetch) and the doctor's network checks give.
package neterr

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"syscall"
)

// A Kind is a way a connection fails.
type Kind string

// The kinds, as Explain tells them apart.
const (
	DNS     Kind = "dns"
	Refused Kind = "refused"
	Timeout Kind = "timeout"
	// UnknownCA is a certificate signed by an authority the system does
	// not trust: a TLS-inspecting proxy, or a private CA.
	UnknownCA Kind = "tls-ca"
	// TLS is any other certificate problem: another host's, expired.
	TLS Kind = "tls"
	// Proxy is the HTTP proxy (HTTPS_PROXY, HTTP_PROXY) not reached.
	Proxy Kind = "proxy"
	Other Kind = "other"
)

// An Explanation says why a connection failed and what to do.
type Explanation struct {
	Kind Kind
	// Reason is what happened, without the URL: "cannot resolve go.dev
	// (DNS: no such host)".
	Reason string
	// Fix is what to do about it.
	Fix string
}

// Explain explains err, the failure of a request to host ("go.dev",
// "proxy.corp:3128"; used in the fix).
func Explain(err error, host string) Explanation {
	if addr, inner, ok := ProxyConnect(err); ok {
		in := Explain(inner, addr)
		return Explanation{Kind: Proxy, Reason: "cannot reach the HTTP proxy " + addr + ": " + in.Reason,
			Fix: "check HTTPS_PROXY (and HTTP_PROXY, NO_PROXY): is the proxy running, and is that its address?"}
	}
	var dns *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var certErr *tls.CertificateVerificationError
	switch {
	case errors.As(err, &dns):
		return Explanation{Kind: DNS, Reason: fmt.Sprintf("cannot resolve %s (DNS: %s)", dns.Name, dnsReason(dns)),
			Fix: "check the host name and your DNS; behind a corporate proxy, set HTTPS_PROXY so the proxy resolves names"}
	case IsTimeout(err):
		return Explanation{Kind: Timeout, Reason: "timed out",
			Fix: "check the network path to " + host + " (a firewall that drops packets, a proxy the network requires: set HTTPS_PROXY)"}
	case errors.Is(err, syscall.ECONNREFUSED):
		return Explanation{Kind: Refused, Reason: "connection refused",
			Fix: "nothing listens at " + host + ": check the URL and port, or start the server"}
	case errors.As(err, &unknownCA):
		issuer := ""
		if unknownCA.Cert != nil {
			issuer = fmt.Sprintf(" (issued by %q)", unknownCA.Cert.Issuer.String())
		}
		return Explanation{Kind: UnknownCA, Reason: "TLS certificate signed by an unknown authority" + issuer + ": a TLS-inspecting proxy, or a private CA",
			Fix: "add that CA to the system's trust store (update-ca-certificates, Keychain Access, certmgr), or point SSL_CERT_FILE at a bundle that has it"}
	case errors.As(err, &hostErr):
		return Explanation{Kind: TLS, Reason: "TLS certificate is for another host: " + hostErr.Error(),
			Fix: "check the URL's host name; a TLS-inspecting proxy may be answering for it"}
	case errors.As(err, &invalid):
		return Explanation{Kind: TLS, Reason: "TLS certificate rejected: " + invalid.Error(),
			Fix: "check the system clock, then the server's certificate"}
	case errors.As(err, &certErr):
		return Explanation{Kind: TLS, Reason: "TLS certificate rejected: " + certErr.Err.Error(),
			Fix: "check the system clock, then the server's certificate"}
	}
	reason := err.Error()
	var ue *url.Error
	if errors.As(err, &ue) {
		reason = ue.Err.Error()
	}
	return Explanation{Kind: Other, Reason: reason, Fix: "check the URL and the network"}
}

// ProxyConnect tells a failure to reach the HTTP proxy (net/http's
// "proxyconnect" error) from one of the server itself: the proxy's
// address (when the error holds it) and the underlying error.
func ProxyConnect(err error) (addr string, inner error, ok bool) {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "proxyconnect" {
		return "", nil, false
	}
	addr = "(HTTPS_PROXY/HTTP_PROXY)"
	var dial *net.OpError
	if errors.As(op.Err, &dial) && dial.Addr != nil {
		addr = dial.Addr.String()
	}
	var dnsErr *net.DNSError
	if errors.As(op.Err, &dnsErr) {
		addr = dnsErr.Name
	}
	return addr, op.Err, true
}

// IsTimeout reports whether err is a deadline passing: the context's, or
// the network's own.
func IsTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

func dnsReason(e *net.DNSError) string {
	switch {
	case e.IsNotFound:
		return "no such host"
	case e.IsTimeout:
		return "the DNS server did not answer"
	}
	return e.Err
}
