package doctor

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/goverdev/gover/internal/neterr"
)

// connectProbe is the tunnel a GOPROXY entry is asked for to tell an HTTP
// forward proxy from a module proxy: a name that never resolves, so a
// forward proxy answers with its own error (or 407), and nothing leaves.
const connectProbe = "gover-doctor.invalid:443"

// forwardProxy asks a GOPROXY entry that did not serve the module list
// whether it is an HTTP forward proxy (squid, tinyproxy, a corporate
// proxy's host:port) written into GOPROXY: it is when, spoken to in plain
// HTTP, it answers CONNECT as a proxy does — 407, or an error of its own
// about reaching the host. A module proxy (any web server) answers
// CONNECT with a client error.
func (s *state) forwardProxy(ctx context.Context, e proxyEntry, a answer, p problem) (problem, bool) {
	switch p.Kind {
	case "status", "html", "timeout", "other", "tls":
	case "proxy-auth":
		if a.Via != nil {
			return p, false
		}
	default:
		return p, false
	}
	u, err := url.Parse(e.URL)
	if err != nil || u.Scheme == "file" || u.Host == "" {
		return p, false
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
	}
	// A forward proxy answers CONNECT at once (with its own error for a
	// name that does not resolve); after a timeout, the entry most likely
	// drops packets, and half a second is enough to tell.
	limit := s.opt.netTimeout()
	if p.Kind == string(neterr.Timeout) {
		limit = min(limit, 500*time.Millisecond)
	}
	status, ok := s.answersConnect(ctx, addr, limit)
	if !ok {
		return p, false
	}
	proxyURL := "http://" + addr
	fix := fmt.Sprintf("set HTTPS_PROXY=%s and HTTP_PROXY=%s (the proxy the go command's requests go through), and GOPROXY=https://proxy.golang.org,direct or your company's module proxy", proxyURL, proxyURL)
	if where := s.origin(ctx, "GOPROXY"); where != "" {
		fix += " (GOPROXY is set in " + where + ")"
	}
	return problem{Kind: "forward-proxy",
		Msg: fmt.Sprintf("answers like an HTTP forward proxy, not a Go module proxy (asked to CONNECT %s, it answered %q): GOPROXY takes module proxies, which serve module paths; an HTTP proxy goes in HTTPS_PROXY", connectProbe, status),
		Fix: fix}, true
}

// answersConnect sends CONNECT to addr in plain HTTP and reports whether
// the answer is a forward proxy's, and its status line.
func (s *state) answersConnect(ctx context.Context, addr string, limit time.Duration) (string, bool) {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return "", false
	}
	defer conn.Close()
	if d, ok := ctx.Deadline(); ok {
		conn.SetDeadline(d)
	} else {
		conn.SetDeadline(time.Now().Add(limit))
	}
	fmt.Fprintf(conn, "CONNECT %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: gover-doctor\r\n\r\n", connectProbe, connectProbe)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: http.MethodConnect})
	if err != nil {
		return "", false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	return resp.Status, isProxyAnswer(resp, string(body))
}

// isProxyAnswer judges an answer to CONNECT a name that never resolves: a
// demand for proxy credentials is a proxy's; so is a refusal or gateway
// error that says so (a proxy's headers, or words about reaching the
// host). A tunnel (200) to that name is no proxy's: a captive portal
// answers everything with 200.
func isProxyAnswer(resp *http.Response, body string) bool {
	switch {
	case resp.StatusCode == http.StatusProxyAuthRequired:
		return true
	case resp.StatusCode != http.StatusForbidden && resp.StatusCode < 500:
		return false
	}
	for _, h := range []string{"Proxy-Agent", "X-Squid-Error"} {
		if resp.Header.Get(h) != "" {
			return true
		}
	}
	text := strings.ToLower(resp.Header.Get("Server") + " " + resp.Status + " " + body)
	for _, word := range []string{"proxy", "squid", "unable to connect", "resolve", "dns", "unknown host", "host not found"} {
		if strings.Contains(text, word) {
			return true
		}
	}
	return false
}
