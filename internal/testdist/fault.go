package testdist

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"sync/atomic"
	"time"
)

// A Fault makes the answers for some paths misbehave. Each is a small value;
// several on one path combine. Whatever order they were registered in, they
// apply in three layers, outermost first:
//
//   - gates decide whether the request is answered at all: Status,
//     FailTimes, TooManyRequests, RedirectTo, RedirectHost, RedirectLoop;
//   - delivery faults break how the bytes travel: Truncate, ResetAfter,
//     ShorterBody, LongerBody, Stall, Slow;
//   - content faults change what the bytes are: Tamper, HTML, WrongDigest,
//     Bomb, LyingZip, IgnoreRange, Respond.
//
// Within a layer the first registered is the outermost.
type Fault interface {
	// Wrap returns a handler that answers in place of next, calling next
	// when it needs the well-behaved answer.
	Wrap(next http.Handler) http.Handler
}

// Layers, outermost first.
const (
	layerGate = iota
	layerDelivery
	layerContent
)

// layered is implemented by the faults of this package; others count as
// content faults.
type layered interface{ layer() int }

func layerOf(f Fault) int {
	if l, ok := f.(layered); ok {
		return l.layer()
	}
	return layerContent
}

type registered struct {
	pattern string
	fault   Fault
	seq     int
}

// Fault attaches faults to the requests whose path matches pattern: an exact
// path ("/dl/go1.22.5.linux-amd64.tar.gz", IndexPath) or, ending in "*", a
// prefix ("/mirror/*"). Safe to call while requests are being served.
func (d *Dist) Fault(pattern string, faults ...Fault) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, f := range faults {
		d.faults = append(d.faults, registered{pattern: pattern, fault: f, seq: len(d.faults)})
	}
}

// ClearFaults removes every fault; the Dist behaves again.
func (d *Dist) ClearFaults() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.faults = nil
}

// faultsFor returns the faults for a path, outermost first. d.mu is held.
func (d *Dist) faultsFor(p string) []Fault {
	var rs []registered
	for _, r := range d.faults {
		if matchPath(r.pattern, p) {
			rs = append(rs, r)
		}
	}
	sort.SliceStable(rs, func(i, j int) bool { return layerOf(rs[i].fault) < layerOf(rs[j].fault) })
	out := make([]Fault, len(rs))
	for i, r := range rs {
		out[i] = r.fault
	}
	return out
}

// --- gates ---

// Status answers every request with this HTTP status and a short text
// body. 401 and 407 come with the matching authenticate header, so clients
// can tell a proxy asking for credentials apart from a refusal.
type Status int

func (Status) layer() int { return layerGate }

func (s Status) Wrap(http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeStatus(w, int(s)) })
}

func writeStatus(w http.ResponseWriter, code int) {
	switch code {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Basic realm="testdist"`)
	case http.StatusProxyAuthRequired:
		w.Header().Set("Proxy-Authenticate", `Basic realm="corporate proxy"`)
	}
	http.Error(w, fmt.Sprintf("%d %s", code, http.StatusText(code)), code)
}

// FailTimes answers the first n requests with code (say 503), then lets
// requests through: for retry tests. Registered on a prefix, the n
// failures are shared by every path under it.
func FailTimes(n int, code int) Fault { return &failTimes{n: int64(n), code: code} }

type failTimes struct {
	n, seen int64
	code    int
}

func (*failTimes) layer() int { return layerGate }

func (f *failTimes) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if atomic.AddInt64(&f.seen, 1) <= f.n {
			writeStatus(w, f.code)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// TooManyRequests answers the first request with 429 and a Retry-After of
// retryAfter (whole seconds, rounded up), then lets requests through.
func TooManyRequests(retryAfter time.Duration) Fault { return &tooMany{after: retryAfter} }

type tooMany struct {
	after time.Duration
	used  atomic.Bool
}

func (*tooMany) layer() int { return layerGate }

func (f *tooMany) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if f.used.CompareAndSwap(false, true) {
			secs := (f.after + time.Second - 1) / time.Second
			w.Header().Set("Retry-After", strconv.Itoa(int(secs)))
			writeStatus(w, http.StatusTooManyRequests)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// RedirectTo answers 302 with this exact Location.
type RedirectTo string

func (RedirectTo) layer() int { return layerGate }

func (u RedirectTo) Wrap(http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, string(u), http.StatusFound)
	})
}

// RedirectHost answers 302 to the same path and query on another base URL
// (like "http://127.0.0.1:1234"), as the official site sends archive names
// to its download host.
type RedirectHost string

func (RedirectHost) layer() int { return layerGate }

func (u RedirectHost) Wrap(http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, string(u)+r.URL.RequestURI(), http.StatusFound)
	})
}

// RedirectLoop answers 302 to the request's own URL, forever.
type RedirectLoop struct{}

func (RedirectLoop) layer() int { return layerGate }

func (RedirectLoop) Wrap(http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
	})
}

// --- delivery ---

// captured is the well-behaved answer a fault works from.
type captured struct {
	status int
	header http.Header
	body   []byte
}

func capture(next http.Handler, r *http.Request) captured {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	res := rec.Result()
	return captured{status: res.StatusCode, header: res.Header, body: rec.Body.Bytes()}
}

// replay sends c as is; with fixLength the Content-Length is recomputed
// (not for HEAD, whose empty body says nothing about the length).
func replay(w http.ResponseWriter, r *http.Request, c captured, fixLength bool) {
	h := w.Header()
	for k, v := range c.header {
		h[k] = v
	}
	if fixLength && r.Method != http.MethodHead {
		h.Set("Content-Length", strconv.Itoa(len(c.body)))
	}
	w.WriteHeader(c.status)
	w.Write(c.body)
}

// rawRespond takes the connection over and writes a response by hand:
// the status and headers of c, Content-Length set to length (none if
// negative), then body. It returns the connection for the caller to end.
func rawRespond(w http.ResponseWriter, c captured, length int64, body []byte) (net.Conn, error) {
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, err
	}
	h := c.header.Clone()
	h.Del("Content-Length")
	h.Del("Transfer-Encoding")
	if length >= 0 {
		h.Set("Content-Length", strconv.FormatInt(length, 10))
	}
	h.Set("Connection", "close")
	h.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	fmt.Fprintf(brw, "HTTP/1.1 %03d %s\r\n", c.status, http.StatusText(c.status))
	h.Write(brw)
	brw.WriteString("\r\n")
	brw.Write(body)
	if err := brw.Flush(); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

func clampLen(n int64, body []byte) int64 {
	return max(0, min(n, int64(len(body))))
}

// Truncate announces the full Content-Length but closes the connection
// after this many body bytes: clients see an unexpected EOF.
type Truncate int64

func (Truncate) layer() int { return layerDelivery }

func (n Truncate) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := capture(next, r)
		conn, err := rawRespond(w, c, int64(len(c.body)), c.body[:clampLen(int64(n), c.body)])
		if err == nil {
			conn.Close()
		}
	})
}

// ResetAfter announces the full Content-Length, sends this many body bytes,
// then resets the connection (TCP RST): clients see "connection reset by
// peer".
type ResetAfter int64

func (ResetAfter) layer() int { return layerDelivery }

func (n ResetAfter) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := capture(next, r)
		conn, err := rawRespond(w, c, int64(len(c.body)), c.body[:clampLen(int64(n), c.body)])
		if err != nil {
			return
		}
		// Give the client a moment to take the bytes: an RST can make the
		// peer's kernel drop data it has not read yet.
		time.Sleep(20 * time.Millisecond)
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0)
		}
		conn.Close()
	})
}

// ShorterBody sends the body without Content-Length, ends it by closing the
// connection, and leaves out its last this-many bytes: the client sees a
// clean EOF, so only the size or digest from the index reveals the loss.
type ShorterBody int64

func (ShorterBody) layer() int { return layerDelivery }

func (n ShorterBody) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := capture(next, r)
		conn, err := rawRespond(w, c, -1, c.body[:int64(len(c.body))-clampLen(int64(n), c.body)])
		if err == nil {
			conn.Close()
		}
	})
}

// LongerBody announces the true Content-Length, then sends this many junk
// bytes after the body before closing. A correct HTTP client stops at
// Content-Length and never sees them.
type LongerBody int64

func (LongerBody) layer() int { return layerDelivery }

func (n LongerBody) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := capture(next, r)
		body := append(c.body[:len(c.body):len(c.body)], make([]byte, max(0, int64(n)))...)
		for i := len(c.body); i < len(body); i++ {
			body[i] = 'J'
		}
		conn, err := rawRespond(w, c, int64(len(c.body)), body)
		if err == nil {
			conn.Close()
		}
	})
}

// Stall sends the headers and the first After body bytes, waits For (or
// until the client goes away or the Dist closes), then sends the rest.
type Stall struct {
	After int64
	For   time.Duration
}

func (Stall) layer() int { return layerDelivery }

func (s Stall) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := capture(next, r)
		for k, v := range c.header {
			w.Header()[k] = v
		}
		w.WriteHeader(c.status)
		n := clampLen(s.After, c.body)
		w.Write(c.body[:n])
		http.NewResponseController(w).Flush()
		t := time.NewTimer(s.For)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
		w.Write(c.body[n:])
	})
}

// Slow sends the body at about this many bytes per second.
type Slow int

func (Slow) layer() int { return layerDelivery }

func (bps Slow) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := capture(next, r)
		for k, v := range c.header {
			w.Header()[k] = v
		}
		w.WriteHeader(c.status)
		const tick = 50 * time.Millisecond
		chunk := max(1, int(bps)/int(time.Second/tick))
		rc := http.NewResponseController(w)
		t := time.NewTicker(tick)
		defer t.Stop()
		for body := c.body; len(body) > 0; {
			n := min(chunk, len(body))
			if _, err := w.Write(body[:n]); err != nil {
				return
			}
			rc.Flush()
			body = body[n:]
			select {
			case <-t.C:
			case <-r.Context().Done():
				return
			}
		}
	})
}

// --- content ---

// Tamper changes one byte in the middle of the body, keeping its length.
// Letters and digits become another digit, so a tampered .sha256 still
// looks like a digest and a tampered armor still looks like armor.
type Tamper struct{}

func (Tamper) layer() int { return layerContent }

func (Tamper) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := capture(next, r)
		if len(c.body) > 0 {
			body := append([]byte(nil), c.body...)
			i := len(body) / 2
			switch b := body[i]; {
			case b == '0':
				body[i] = '1'
			case '0' <= b && b <= '9', 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z':
				body[i] = '0'
			default:
				body[i] = b ^ 0xff
			}
			c.body = body
		}
		replay(w, r, c, false)
	})
}

// HTML answers 200 text/html with the official downloads page: what the
// official site returns for .sha256 and .asc names it does not redirect,
// and what a captive portal looks like to a client.
type HTML struct{}

func (HTML) layer() int { return layerContent }

func (HTML) Wrap(http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeHTML(w, http.StatusOK, downloadsPage)
	})
}

// WrongDigest, attached to IndexPath, makes the JSON index list a wrong
// (but well-formed) sha256 for this file name.
type WrongDigest string

func (WrongDigest) layer() int { return layerContent }

func (name WrongDigest) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := capture(next, r)
		var index []IndexRelease
		if c.status == http.StatusOK && json.Unmarshal(c.body, &index) == nil {
			wrong := sha256.Sum256([]byte("testdist: wrong digest for " + string(name)))
			for i := range index {
				for j := range index[i].Files {
					if index[i].Files[j].Filename == string(name) {
						index[i].Files[j].SHA256 = hex.EncodeToString(wrong[:])
					}
				}
			}
			b, _ := json.MarshalIndent(index, "", " ")
			c.body = append(b, '\n')
		}
		replay(w, r, c, true)
	})
}

// IgnoreRange answers a Range request with 200 and the whole body, and
// advertises no Accept-Ranges, like servers that do not do ranges.
type IgnoreRange struct{}

func (IgnoreRange) layer() int { return layerContent }

func (IgnoreRange) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.Header.Del("Range")
		r2.Header.Del("If-Range")
		c := capture(next, r2)
		c.header.Del("Accept-Ranges")
		replay(w, r, c, false)
	})
}

// Respond answers with h instead of the well-behaved handler: an escape
// hatch for answers no other fault gives.
func Respond(h http.Handler) Fault { return respond{h} }

type respond struct{ h http.Handler }

func (respond) layer() int { return layerContent }

func (f respond) Wrap(http.Handler) http.Handler { return f.h }
