package doctor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goproxy"
	"github.com/goverdev/gover/internal/neterr"
)

// The doctor builds its own HTTP client instead of using internal/fetch's:
// it wants one attempt, a short deadline, the transport's own errors to
// tell a DNS failure, a refusal, a timeout and an untrusted certificate
// apart, and the HTTP proxy's answer to CONNECT (407 and how it wants to be
// authenticated), which net/http only hands out through
// OnProxyConnectResponse. Proxies come from Env.Proxy, by default
// http.ProxyFromEnvironment: HTTPS_PROXY, HTTP_PROXY and NO_PROXY read the
// way the go command reads them.

// httpClient is the network checks' client.
func (s *state) httpClient() *http.Client {
	proxy := s.env.Proxy
	if proxy == nil {
		proxy = http.ProxyFromEnvironment
	}
	tr := &http.Transport{
		Proxy:               proxy,
		DialContext:         (&net.Dialer{Timeout: s.opt.netTimeout()}).DialContext,
		TLSClientConfig:     s.env.TLS,
		TLSHandshakeTimeout: s.opt.netTimeout(),
		ForceAttemptHTTP2:   true,
		DisableKeepAlives:   true,
		OnProxyConnectResponse: func(ctx context.Context, proxyURL *url.URL, req *http.Request, resp *http.Response) error {
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			return &connectError{Code: resp.StatusCode, Status: resp.Status, Authenticate: resp.Header.Values("Proxy-Authenticate")}
		},
	}
	return &http.Client{
		Transport: tr,
		// A proxy that redirects somewhere else is worth knowing about,
		// but following a few hops is what the go command does too.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("more than 5 redirects")
			}
			return nil
		},
	}
}

// A connectError is the HTTP proxy's refusal of a CONNECT tunnel.
type connectError struct {
	Code         int
	Status       string
	Authenticate []string
}

func (e *connectError) Error() string { return "the HTTP proxy answered " + e.Status }

// An answer is what one GET found.
type answer struct {
	URL string
	// Via is the HTTP proxy the request went through; nil when direct.
	Via *url.URL
	// Code is the HTTP status; 0 when no answer came.
	Code int
	// Connect is the HTTP proxy's refusal of the tunnel to an https URL.
	Connect *connectError
	// Authenticate is a 407's Proxy-Authenticate.
	Authenticate []string
	HTML         bool
	Body         []byte
	// Sent is the netrc entry whose credentials went with the request.
	Sent    *goproxy.NetrcEntry
	Err     error
	Elapsed time.Duration
}

// get fetches rawURL once, within the network timeout, keeping at most max
// bytes of the body.
func (s *state) get(ctx context.Context, client *http.Client, rawURL string, max int64) (a answer) {
	a.URL = rawURL
	ctx, cancel := context.WithTimeout(ctx, s.opt.netTimeout())
	defer cancel()
	start := time.Now()
	defer func() { a.Elapsed = time.Since(start) }()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		a.Err = err
		return a
	}
	req.Header.Set("User-Agent", "gover-doctor")
	a.Sent = s.addCredentials(req)
	if p := client.Transport.(*http.Transport).Proxy; p != nil {
		a.Via, _ = p(req)
	}
	resp, err := client.Do(req)
	if err != nil {
		var ce *connectError
		if errors.As(err, &ce) {
			a.Connect, a.Authenticate = ce, ce.Authenticate
		}
		a.Err = err
		if ctx.Err() != nil {
			a.Err = context.DeadlineExceeded
		}
		return a
	}
	defer resp.Body.Close()
	a.Code = resp.StatusCode
	a.Authenticate = resp.Header.Values("Proxy-Authenticate")
	a.Body, err = io.ReadAll(io.LimitReader(resp.Body, max))
	if err != nil {
		a.Err = err
		if ctx.Err() != nil {
			a.Err = context.DeadlineExceeded
		}
	}
	ct := strings.ToLower(resp.Header.Get("Content-Type"))
	a.HTML = strings.HasPrefix(ct, "text/html") || strings.HasPrefix(ct, "application/xhtml") || fetch.LooksLikeHTML(a.Body)
	return a
}

// A problem is what went wrong with an answer, for people.
type problem struct {
	// Kind names the way it failed: "notfound", "proxy-auth", "auth",
	// "auth-unchecked" (refused, but GOAUTH runs commands only go runs),
	// "html", "dns", "refused", "timeout", "tls-ca", "tls", "proxy",
	// "status", "other"; "" means no problem.
	Kind string
	Msg  string
	Fix  string
}

// diagnose says what an answer means for a server that should serve
// what: a proxy's module list, a checksum database's tree head. The HTTP
// proxy's refusal of the tunnel, the server's HTTP answer, and a
// connection that failed are judged apart.
func (s *state) diagnose(a answer, what string) problem {
	if a.Connect != nil {
		return s.tunnelProblem(a)
	}
	if a.Code != 0 {
		if p, ok := s.statusProblem(a, what); ok {
			return p
		}
	}
	return s.transportProblem(a)
}

// via names the HTTP proxy an answer came through, for messages.
func (a answer) via() string {
	if a.Via == nil {
		return ""
	}
	return fmt.Sprintf(" (through the HTTP proxy %s)", fetch.Redact(a.Via.String()))
}

// tunnelProblem explains the HTTP proxy's refusal of CONNECT.
func (s *state) tunnelProblem(a answer) problem {
	if a.Connect.Code == http.StatusProxyAuthRequired {
		return s.proxyAuthProblem(a)
	}
	host := hostOf(a.URL)
	return problem{Kind: "proxy", Msg: fmt.Sprintf("the HTTP proxy %s refused the tunnel to %s: %s", fetch.Redact(a.Via.String()), host, a.Connect.Status),
		Fix: "ask whoever runs the proxy to allow " + host + ", or add it to NO_PROXY if it is reachable without the proxy"}
}

// statusProblem judges the server's HTTP answer; ok is false for a 2xx
// whose body broke off, which is the connection's problem.
func (s *state) statusProblem(a answer, what string) (p problem, ok bool) {
	switch {
	case a.Code == http.StatusProxyAuthRequired:
		return s.proxyAuthProblem(a), true
	case a.Code >= 200 && a.Code < 300 && a.HTML:
		return problem{Kind: "html", Msg: fmt.Sprintf("answered with an HTML page where the %s belongs%s: a captive portal, a login page, or not a proxy at all", what, a.via()),
			Fix: "open " + fetch.Redact(a.URL) + " in a browser to see what answers; log in to the network, or fix the URL"}, true
	case a.Code >= 200 && a.Code < 300 && a.Err == nil:
		return problem{}, true
	case a.Code == http.StatusNotFound || a.Code == http.StatusGone:
		return problem{Kind: "notfound", Msg: fmt.Sprintf("has no %s (%d)", what, a.Code)}, true
	case a.Code == http.StatusUnauthorized || a.Code == http.StatusForbidden:
		return s.authProblem(a, a.via()), true
	case a.Err == nil:
		return problem{Kind: "status", Msg: fmt.Sprintf("answered %d %s%s", a.Code, http.StatusText(a.Code), a.via()),
			Fix: "try again later; if it persists, ask whoever runs " + hostOf(a.URL)}, true
	}
	return problem{}, false
}

// transportProblem explains a connection that failed, with the words
// gover's downloads use (neterr); a timeout is the doctor's own, one
// short attempt.
func (s *state) transportProblem(a answer) problem {
	e := neterr.Explain(a.Err, hostOf(a.URL))
	msg := e.Reason
	switch e.Kind {
	case neterr.Timeout:
		msg = fmt.Sprintf("no answer within %s", s.opt.netTimeout())
	case neterr.Proxy:
		return problem{Kind: string(e.Kind), Msg: msg, Fix: e.Fix}
	}
	return problem{Kind: string(e.Kind), Msg: msg + a.via(), Fix: e.Fix}
}

// proxyAuthProblem explains a 407: whether credentials were sent, where Go
// looks for them, and what the proxy wants.
func (s *state) proxyAuthProblem(a answer) problem {
	proxyName := "the HTTP proxy"
	if a.Via != nil {
		proxyName += " " + fetch.Redact(a.Via.String())
	}
	p := problem{Kind: "proxy-auth"}
	target, _ := url.Parse(a.URL)
	varName := "HTTPS_PROXY"
	if target != nil && target.Scheme == "http" {
		varName = "HTTP_PROXY"
	}
	schemes := authSchemes(a.Authenticate)
	basic := len(schemes) == 0 || containsFold(schemes, "Basic")
	switch {
	case !basic:
		p.Msg = fmt.Sprintf("%s wants %s authentication (407), which Go cannot do", proxyName, strings.Join(schemes, " or "))
		p.Fix = "run a local forwarding proxy that speaks it (cntlm, px) and set " + varName + " to that, or ask for Basic authentication"
	case a.Via != nil && a.Via.User != nil:
		p.Msg = fmt.Sprintf("%s rejected the credentials in %s (407 Proxy Authentication Required)", proxyName, varName)
		p.Fix = "check the user and password in " + varName + "; percent-encode special characters in them (@ as %40, : as %3A, # as %23)"
	default:
		p.Msg = fmt.Sprintf("%s wants credentials (407 Proxy Authentication Required) and %s has none", proxyName, varName)
		p.Fix = "put them in " + varName + ": " + strings.ToLower(varName) + "=http://USER:PASSWORD@" + hostPortOf(a.Via) + " (percent-encode special characters)"
	}
	if ignored := s.ignoredProxyCredentials(a, target, varName); len(ignored) > 0 {
		p.Msg += " (" + strings.Join(ignored, "; ") + ")"
	}
	return p
}

// ignoredProxyCredentials lists credentials written where Go does not look
// for the HTTP proxy's: in the server's URL, in ALL_PROXY (which Go
// ignores), in HTTP_PROXY for an https URL.
func (s *state) ignoredProxyCredentials(a answer, target *url.URL, varName string) []string {
	hasUser := func(keys ...string) string {
		for _, k := range keys {
			if u, err := url.Parse(s.env.Getenv(k)); err == nil && u.User != nil {
				return k
			}
		}
		return ""
	}
	var ignored []string
	if target != nil && target.User != nil {
		ignored = append(ignored, "the URL itself has credentials, but those go to the server, not to the HTTP proxy")
	}
	if k := hasUser("ALL_PROXY", "all_proxy"); k != "" {
		ignored = append(ignored, k+" has credentials, but Go ignores "+k)
	}
	if varName == "HTTPS_PROXY" && (a.Via == nil || a.Via.User == nil) {
		if k := hasUser("HTTP_PROXY", "http_proxy"); k != "" {
			ignored = append(ignored, k+" has credentials, but Go uses HTTPS_PROXY for https URLs")
		}
	}
	return ignored
}

// authSchemes are the schemes a Proxy-Authenticate header offers.
func authSchemes(values []string) []string {
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			f := strings.Fields(part)
			// "Basic realm=x, charset=y": parameters have '='.
			if len(f) > 0 && !strings.Contains(f[0], "=") {
				out = append(out, f[0])
			}
		}
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

func hostPortOf(u *url.URL) string {
	if u == nil {
		return "proxy.example:3128"
	}
	return u.Host
}
