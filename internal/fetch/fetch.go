// Package fetch is gover's HTTP client: small fetches and resumable
// streaming downloads, with retries of transient failures, a stall timeout,
// and errors that tell an unreachable host, a missing file and an HTML page
// where data belongs apart.
package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	urlpkg "net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/goverdev/gover/internal/neterr"
)

// A Client fetches over HTTP(S) and file:// URLs.
type Client struct {
	HTTP      *http.Client
	UserAgent string
	// Attempts is how many times a transient failure (connection reset,
	// truncated body, 5xx, 429) is tried in all; for a download, in a row
	// without progress (see Download).
	Attempts int
	// Backoff is the wait before retry n (1-based).
	Backoff func(n int) time.Duration
	// StallTimeout aborts a response that sends nothing for this long.
	StallTimeout time.Duration
	// MinRate and RateWindow abort a response that sends fewer than
	// MinRate bytes a second, on average, over RateWindow (curl's
	// --speed-limit and --speed-time): a server trickling a byte now and
	// then never stalls, and would otherwise hold a download for ever.
	// Zero turns the check off.
	MinRate    int64
	RateWindow time.Duration
	// SmallDeadline bounds a whole Get, retries included: the index,
	// signatures, keys, module infos and checksum database answers are
	// small, and none may take longer. Zero means no deadline.
	SmallDeadline time.Duration
	// MaxRetryAfter caps how long a server's Retry-After is honoured.
	MaxRetryAfter time.Duration
	// Credentials adds to a request what it should carry — the netrc
	// credentials GOAUTH gives the go command for https URLs; nil adds
	// nothing.
	Credentials func(*http.Request)
}

// New returns a client with production settings: proxies from the
// environment (HTTPS_PROXY, NO_PROXY), short connect and TLS timeouts, and
// four attempts with exponential backoff.
func New(userAgent string) *Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
		MaxIdleConnsPerHost:   8,
		// Archives are already compressed; asking for gzip would only make
		// Content-Length and Range meaningless.
		DisableCompression: true,
	}
	tr.RegisterProtocol("file", fileTransport())
	return &Client{
		HTTP:          &http.Client{Transport: tr, CheckRedirect: checkRedirect},
		UserAgent:     userAgent,
		Attempts:      4,
		Backoff:       func(n int) time.Duration { return jitter(250 * time.Millisecond << n) },
		StallTimeout:  30 * time.Second,
		MinRate:       DefaultMinRate,
		RateWindow:    DefaultRateWindow,
		SmallDeadline: DefaultSmallDeadline,
		MaxRetryAfter: 30 * time.Second,
	}
}

// The defaults of the limits that keep every fetch finite (SPEC.md,
// "Additions": GOVER_SPEED_LIMIT, GOVER_SPEED_TIME, GOVER_FETCH_TIMEOUT).
const (
	DefaultMinRate       = 1024
	DefaultRateWindow    = 30 * time.Second
	DefaultSmallDeadline = 5 * time.Minute
)

// errRedirect is a redirect gover does not follow.
var errRedirect = errors.New("redirect refused")

// errTooManyRedirects is a chain of redirects longer than gover follows.
var errTooManyRedirects = errors.New("too many redirects (a redirect loop on the server)")

// checkRedirect follows at most 10 redirects, as Go's default does, and
// only to http and https: the file transport serves mirrors and proxies
// the user names, and a server must not be able to make gover read a
// local file by redirecting to it.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("%w: the server redirects to %s, and gover follows redirects only to http and https", errRedirect, req.URL.Redacted())
	}
	if len(via) >= 10 {
		return errTooManyRedirects
	}
	return nil
}

func jitter(d time.Duration) time.Duration {
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// A StatusError is a final non-success HTTP answer.
type StatusError struct {
	URL    string
	Code   int
	Status string
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s: %s", redact(e.URL), e.Status)
	switch e.Code {
	case http.StatusProxyAuthRequired:
		msg += " (the HTTP proxy wants credentials: put them in HTTPS_PROXY as https://user:pass@host:port)"
	case http.StatusUnauthorized, http.StatusForbidden:
		msg += " (the server refused access: gover sends what go sends, the netrc file's credentials for https URLs ($NETRC, else ~/.netrc; 'machine HOST:PORT login USER password TOKEN') or those in the URL; 'gover doctor goproxy' says what was sent)"
	}
	return msg
}

// NotFound reports whether the server said the file does not exist.
func (e *StatusError) NotFound() bool {
	return e.Code == http.StatusNotFound || e.Code == http.StatusGone
}

// IsNotFound reports whether err is a 404 or 410 answer.
func IsNotFound(err error) bool {
	var se *StatusError
	return errors.As(err, &se) && se.NotFound()
}

// An UnreachableError means no answer came: DNS failure, connection
// refused, timeout, TLS failure, or repeated resets.
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string {
	return redact(e.URL) + ": " + e.Cause()
}

// Cause says why, without the URL: "cannot resolve go.dev (DNS: no such
// host)" (neterr's explanation).
func (e *UnreachableError) Cause() string {
	if addr, err, ok := neterr.ProxyConnect(e.Err); ok {
		v := "HTTPS_PROXY"
		if strings.HasPrefix(e.URL, "http://") {
			v = "HTTP_PROXY"
		}
		return fmt.Sprintf("cannot reach the HTTP proxy %s that %s names: %s (fix %s, or list the host in NO_PROXY)",
			addr, v, describeNetErr(err), v)
	}
	return describeNetErr(e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// IsUnreachable reports whether err means the server could not be reached
// (or kept failing with 5xx/429 through every retry).
func IsUnreachable(err error) bool {
	var ue *UnreachableError
	if errors.As(err, &ue) {
		return true
	}
	var se *StatusError
	return errors.As(err, &se) && (se.Code >= 500 || se.Code == http.StatusTooManyRequests)
}

// An HTMLError is an HTML page served where a file belongs: a captive
// portal, a proxy's login page, or the official site's page for a name it
// does not redirect.
type HTMLError struct {
	URL  string
	What string
}

func (e *HTMLError) Error() string {
	return fmt.Sprintf("%s: got an HTML page where the %s belongs (a login page or captive portal? check the URL and any HTTP proxy)", redact(e.URL), e.What)
}

// ErrTooLarge is returned when a body is larger than allowed or promised.
var ErrTooLarge = errors.New("larger than expected")

// Get fetches a small body of at most max bytes. what names it in errors
// ("release index"). An HTML page is an *HTMLError.
func (c *Client) Get(ctx context.Context, url, what string, max int64) ([]byte, error) {
	if c.SmallDeadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, c.SmallDeadline, deadlineError{c.SmallDeadline})
		defer cancel()
	}
	body, err := c.get(ctx, url, what, max)
	var de deadlineError
	if err != nil && errors.As(context.Cause(ctx), &de) {
		// Ours, not the caller's: the host is as good as unreachable.
		return nil, &UnreachableError{URL: url, Err: fmt.Errorf("%s: %w", what, de)}
	}
	return body, err
}

func (c *Client) get(ctx context.Context, url, what string, max int64) ([]byte, error) {
	var body []byte
	err := c.retry(ctx, url, func(ctx context.Context) error {
		resp, err := c.do(ctx, url, nil)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if err := checkResponse(url, resp); err != nil {
			return err
		}
		if isHTMLType(resp.Header.Get("Content-Type")) {
			return &HTMLError{URL: url, What: what}
		}
		if resp.ContentLength > max {
			return fmt.Errorf("%s: %s of %d bytes: %w (at most %d)", redact(url), what, resp.ContentLength, ErrTooLarge, max)
		}
		b, err := io.ReadAll(io.LimitReader(c.watch(ctx, resp), max+1))
		if errors.As(err, new(slowError)) {
			return &UnreachableError{URL: url, Err: err}
		}
		if err != nil {
			return transient(err)
		}
		if int64(len(b)) > max {
			return fmt.Errorf("%s: %s: %w (at most %d bytes)", redact(url), what, ErrTooLarge, max)
		}
		if resp.ContentLength >= 0 && int64(len(b)) != resp.ContentLength {
			return transient(io.ErrUnexpectedEOF)
		}
		if LooksLikeHTML(b) {
			return &HTMLError{URL: url, What: what}
		}
		body = b
		return nil
	})
	return body, err
}

// do sends one GET.
func (c *Client) do(ctx context.Context, url string, hdr http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", redact(url), err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	if c.Credentials != nil {
		c.Credentials(req)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, classify(url, err)
	}
	return resp, nil
}

// checkResponse turns a non-2xx answer into an error; 5xx and 429 are transient.
func checkResponse(url string, resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	err := &StatusError{URL: url, Code: resp.StatusCode, Status: resp.Status}
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
		return &retryable{err: err, after: retryAfter(resp.Header.Get("Retry-After"))}
	}
	return err
}

func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && s >= 0 {
		// Clamped: a huge value must stay huge (and be refused), not wrap.
		return time.Duration(min(s, int64(math.MaxInt64/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

// retryable marks an error worth another attempt.
type retryable struct {
	err   error
	after time.Duration // the server's Retry-After, if any
}

func (r *retryable) Error() string { return r.err.Error() }
func (r *retryable) Unwrap() error { return r.err }

func transient(err error) error {
	var r *retryable
	if errors.As(err, &r) {
		return err
	}
	return &retryable{err: err}
}

// retry runs attempt until it succeeds, fails for good, or runs out of tries.
func (c *Client) retry(ctx context.Context, url string, attempt func(context.Context) error) error {
	return c.retryProgress(ctx, url, nil, attempt)
}

// maxAttempts bounds the attempts of one download however much each one
// progresses, so a server that sends a trickle per connection still ends.
const maxAttempts = 100

// retryProgress is retry for downloads: an attempt that got further than
// the one before (progress grew) earns a fresh count of tries, so a
// connection that keeps breaking still finishes a large file by resuming.
func (c *Client) retryProgress(ctx context.Context, url string, progress func() int64, attempt func(context.Context) error) error {
	tries := max(c.Attempts, 1)
	var err error
	for n, total := 1, 1; ; n, total = n+1, total+1 {
		var before int64
		if progress != nil {
			before = progress()
		}
		err = attempt(ctx)
		var r *retryable
		if !errors.As(err, &r) {
			return err
		}
		if progress != nil && progress() > before {
			n = 1
		}
		if n >= tries || total >= maxAttempts || ctx.Err() != nil {
			break
		}
		wait := c.Backoff(n)
		if r.after > 0 {
			if r.after > c.MaxRetryAfter {
				break
			}
			wait = r.after
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var r *retryable
	errors.As(err, &r)
	var se *StatusError
	if errors.As(r.err, &se) {
		return se
	}
	var ue *UnreachableError
	if errors.As(r.err, &ue) {
		return ue
	}
	return &UnreachableError{URL: url, Err: r.err}
}

// classify sorts a transport error: resets and dropped connections are
// transient; DNS failures, refusals, timeouts and TLS trouble are final,
// so that an unreachable site is reported (and fallen back from) at once.
func classify(url string, err error) error {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.As(err, &dnsErr), errors.Is(err, syscall.ECONNREFUSED),
		errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr):
		return &UnreachableError{URL: url, Err: err}
	case isTimeout(err):
		return &UnreachableError{URL: url, Err: err}
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.EPIPE), strings.Contains(err.Error(), "connection reset"):
		return &retryable{err: &UnreachableError{URL: url, Err: err}}
	}
	if errors.Is(err, errRedirect) {
		var ue *urlpkg.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%s: %w", redact(url), err)
	}
	if errors.Is(err, errTooManyRedirects) {
		return &UnreachableError{URL: url, Err: errTooManyRedirects}
	}
	return &UnreachableError{URL: url, Err: err}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// describeNetErr says what went wrong in words a user can act on: a
// transfer's own failures (stalled, too slow, past its deadline) here,
// a connection's from neterr — with neterr's fix for certificates, which
// no caller has a better one for.
func describeNetErr(err error) string {
	var stall stallError
	var slow slowError
	var de deadlineError
	var ue *UnreachableError
	switch {
	case errors.As(err, &stall):
		return stall.Error()
	case errors.As(err, &slow):
		return slow.Error()
	case errors.As(err, &de):
		return err.Error()
	case errors.As(err, &ue):
		return describeNetErr(ue.Err)
	}
	e := neterr.Explain(err, "")
	switch e.Kind {
	case neterr.UnknownCA, neterr.TLS:
		return e.Reason + " (" + e.Fix + ")"
	case neterr.Other:
		return err.Error()
	}
	return e.Reason
}

// isHTMLType reports whether a Content-Type names an HTML page.
func isHTMLType(ct string) bool {
	ct = strings.ToLower(ct)
	return strings.HasPrefix(ct, "text/html") || strings.HasPrefix(ct, "application/xhtml")
}

// LooksLikeHTML reports whether b starts like an HTML document.
func LooksLikeHTML(b []byte) bool {
	s := strings.TrimLeft(string(b[:min(len(b), 512)]), " \t\r\n\uFEFF")
	s = strings.ToLower(s)
	return strings.HasPrefix(s, "<!doctype html") || strings.HasPrefix(s, "<html") ||
		strings.HasPrefix(s, "<head") || strings.HasPrefix(s, "<!--") && strings.Contains(s, "<html")
}

// redact hides credentials in a URL before it is printed.
func redact(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	host, path, _ := strings.Cut(rest, "/")
	if at := strings.LastIndex(host, "@"); at >= 0 {
		host = "xxxxx@" + host[at+1:]
	}
	if path == "" && !strings.Contains(rest, "/") {
		return scheme + "://" + host
	}
	return scheme + "://" + host + "/" + path
}

// Redact hides credentials in a URL before it is printed.
func Redact(u string) string { return redact(u) }
