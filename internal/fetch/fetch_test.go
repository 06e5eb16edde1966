package fetch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func testClient() *Client {
	c := New("gover-test")
	c.Backoff = func(int) time.Duration { return time.Millisecond }
	c.StallTimeout = 300 * time.Millisecond
	return c
}

var payload = bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB

func serve(t *testing.T, h http.HandlerFunc) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestGetRetriesThenSucceeds(t *testing.T) {
	var n atomic.Int32
	url := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			http.Error(w, "busy", http.StatusServiceUnavailable)
		case 2:
			w.Header().Set("Retry-After", "0")
			http.Error(w, "slow down", http.StatusTooManyRequests)
		default:
			w.Write([]byte(`{"ok":true}`))
		}
	})
	b, err := testClient().Get(context.Background(), url, "index", 1<<20)
	if err != nil || string(b) != `{"ok":true}` || n.Load() != 3 {
		t.Fatalf("Get = %q, %v after %d requests", b, err, n.Load())
	}
}

func TestGetErrors(t *testing.T) {
	for _, tt := range []struct {
		name  string
		h     http.HandlerFunc
		check func(error) bool
		words string
	}{
		{"404", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }, IsNotFound, "404"},
		{"html by type", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte("<p>hi"))
		}, func(err error) bool { var h *HTMLError; return errors.As(err, &h) }, "HTML page where the index belongs"},
		{"html by content", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.Write([]byte("\n  <!DOCTYPE html><html>login</html>"))
		}, func(err error) bool { var h *HTMLError; return errors.As(err, &h) }, "HTML page"},
		{"always 502", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "bad gateway", http.StatusBadGateway) },
			IsUnreachable, "502"},
		{"407", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusProxyAuthRequired) },
			func(err error) bool { var s *StatusError; return errors.As(err, &s) && s.Code == 407 }, "HTTPS_PROXY"},
		{"too big", func(w http.ResponseWriter, r *http.Request) { w.Write(payload) },
			func(err error) bool { return errors.Is(err, ErrTooLarge) }, "at most"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := testClient().Get(context.Background(), serve(t, tt.h), "index", 1000)
			if err == nil || !tt.check(err) || !strings.Contains(err.Error(), tt.words) {
				t.Fatalf("err = %v (%T), want one mentioning %q", err, err, tt.words)
			}
		})
	}
}

func TestUnreachable(t *testing.T) {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + l.Addr().String()
	l.Close()
	for _, url := range []string{closed, "http://gover-test.invalid/x"} {
		start := time.Now()
		_, err := testClient().Get(context.Background(), url, "index", 100)
		if !IsUnreachable(err) {
			t.Errorf("Get(%s) = %v, want unreachable", url, err)
		}
		if time.Since(start) > 3*time.Second {
			t.Errorf("Get(%s) took %v; unreachable hosts must fail fast", url, time.Since(start))
		}
	}
}

// An HTTP proxy that cannot be reached is named as the proxy, with the
// variable that chose it, not blamed on the server.
func TestUnreachableHTTPProxy(t *testing.T) {
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := l.Addr().String()
	l.Close()
	for proxy, words := range map[string]string{
		"http://" + closed:               "cannot reach the HTTP proxy " + closed + " that HTTPS_PROXY names: connection refused (fix HTTPS_PROXY, or list the host in NO_PROXY)",
		"http://gover-test.invalid:3128": "cannot reach the HTTP proxy gover-test.invalid that HTTPS_PROXY names: cannot resolve gover-test.invalid (DNS: ",
	} {
		c := testClient()
		u, err := url.Parse(proxy)
		if err != nil {
			t.Fatal(err)
		}
		c.HTTP.Transport.(*http.Transport).Proxy = http.ProxyURL(u)
		_, err = c.Get(context.Background(), "https://proxy.golang.example/x", "module list", 100)
		if !IsUnreachable(err) || !strings.Contains(err.Error(), words) {
			t.Errorf("through %s: %v; want unreachable saying %q", proxy, err, words)
		}
	}
}

// download runs a Download into a fresh part file and returns what the sink got.
func download(t *testing.T, c *Client, url, part string, size int64) ([]byte, bool, error) {
	var sink bytes.Buffer
	resumed, err := c.Download(context.Background(), Download{URL: url, What: "archive", Part: part, Size: size, Sink: &sink})
	return sink.Bytes(), resumed, err
}

func TestDownloadResumesPartFile(t *testing.T) {
	var ranges []string
	url := serve(t, func(w http.ResponseWriter, r *http.Request) {
		ranges = append(ranges, r.Header.Get("Range"))
		http.ServeContent(w, r, "a.tar.gz", time.Time{}, bytes.NewReader(payload))
	})
	part := filepath.Join(t.TempDir(), "a.part")
	os.WriteFile(part, payload[:300000], 0o644)
	got, resumed, err := download(t, testClient(), url, part, int64(len(payload)))
	if err != nil || !resumed || !bytes.Equal(got, payload) {
		t.Fatalf("resume: %v, resumed=%v, %d bytes", err, resumed, len(got))
	}
	if len(ranges) != 1 || ranges[0] != "bytes=300000-" {
		t.Fatalf("ranges asked = %q", ranges)
	}
	if disk, _ := os.ReadFile(part); !bytes.Equal(disk, payload) {
		t.Fatal("part file does not hold the whole payload")
	}
}

func TestDownloadServerIgnoresRange(t *testing.T) {
	url := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write(payload) })
	part := filepath.Join(t.TempDir(), "a.part")
	os.WriteFile(part, []byte("stale bytes from another file"), 0o644)
	got, _, err := download(t, testClient(), url, part, int64(len(payload)))
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("got %d bytes, %v", len(got), err)
	}
}

// A connection reset mid-body is retried from where it stopped, and the
// sink sees every byte exactly once.
func TestDownloadResetMidBodyResumes(t *testing.T) {
	var n atomic.Int32
	url := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Content-Length", fmt.Sprint(len(payload)))
			w.Write(payload[:400000])
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.(*net.TCPConn).SetLinger(0)
			conn.Close()
			return
		}
		http.ServeContent(w, r, "a", time.Time{}, bytes.NewReader(payload))
	})
	got, _, err := download(t, testClient(), url, filepath.Join(t.TempDir(), "p"), int64(len(payload)))
	if err != nil || sha256.Sum256(got) != sha256.Sum256(payload) {
		t.Fatalf("after reset: %v, %d bytes", err, len(got))
	}
}

func TestDownloadRestartWhenRangeIgnoredMidway(t *testing.T) {
	var n atomic.Int32
	url := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Content-Length", fmt.Sprint(len(payload)))
			w.Write(payload[:400000])
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.Write(payload) // ignores Range
	})
	part := filepath.Join(t.TempDir(), "p")
	_, _, err := download(t, testClient(), url, part, int64(len(payload)))
	if !errors.Is(err, ErrRestart) {
		t.Fatalf("err = %v, want ErrRestart", err)
	}
	// The caller starts again; the server's full answer now replaces the part.
	got, _, err := download(t, testClient(), url, part, int64(len(payload)))
	if err != nil || !bytes.Equal(got, payload) {
		t.Fatalf("second run: %v, %d bytes", err, len(got))
	}
}

func TestDownloadRefusesLongerAndHTML(t *testing.T) {
	url := serve(t, func(w http.ResponseWriter, r *http.Request) { w.Write(payload) })
	_, _, err := download(t, testClient(), url, filepath.Join(t.TempDir(), "p"), 1000)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	url = serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write([]byte("<html><body>Access denied</body></html>"))
	})
	var h *HTMLError
	if _, _, err := download(t, testClient(), url, filepath.Join(t.TempDir(), "p"), 0); !errors.As(err, &h) {
		t.Fatalf("err = %v, want HTMLError", err)
	}
}

func TestDownloadStallTimesOut(t *testing.T) {
	url := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Range") != "" {
			w.Header().Set("Content-Range", fmt.Sprintf("bytes 1000-%d/%d", len(payload)-1, len(payload)))
			w.Header().Set("Content-Length", fmt.Sprint(len(payload)-1000))
			w.WriteHeader(http.StatusPartialContent)
		} else {
			w.Header().Set("Content-Length", fmt.Sprint(len(payload)))
			w.Write(payload[:1000])
		}
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	c := testClient()
	c.Attempts = 2
	start := time.Now()
	_, _, err := download(t, c, url, filepath.Join(t.TempDir(), "p"), int64(len(payload)))
	if !IsUnreachable(err) || !strings.Contains(err.Error(), "stalled") {
		t.Fatalf("err = %v, want a stall", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("stall detection took %v", d)
	}
}

func TestRedact(t *testing.T) {
	if got := Redact("https://user:secret@proxy.example/x"); strings.Contains(got, "secret") {
		t.Fatalf("Redact leaked: %s", got)
	}
}

// trickle serves body a few bytes at a time, every tick, as a server does
// that keeps a connection alive without ever finishing.
func trickle(t *testing.T, body []byte, chunk int, tick time.Duration) string {
	return serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		for len(body) > 0 {
			n := min(chunk, len(body))
			if _, err := w.Write(body[:n]); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			body = body[n:]
			select {
			case <-r.Context().Done():
				return
			case <-time.After(tick):
			}
		}
	})
}

// A server that sends a byte now and then never stalls: the minimum rate
// over a window ends the download, once, naming the limit and its knobs.
func TestDownloadBelowMinimumRate(t *testing.T) {
	url := trickle(t, payload, 1, 20*time.Millisecond)
	c := testClient()
	c.MinRate, c.RateWindow = 1000, 300*time.Millisecond
	start := time.Now()
	_, _, err := download(t, c, url, filepath.Join(t.TempDir(), "p"), int64(len(payload)))
	if !IsUnreachable(err) || !strings.Contains(err.Error(), "too slow") || !strings.Contains(err.Error(), "GOVER_SPEED_LIMIT") {
		t.Fatalf("err = %v, want too slow, naming GOVER_SPEED_LIMIT", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("the slow download ended after %v: it was retried", d)
	}
}

// A small file fetched slower than the minimum rate fails too; one that
// keeps above it but takes longer than the deadline for small files fails
// at the deadline, naming it.
func TestGetLimits(t *testing.T) {
	body := bytes.Repeat([]byte("x"), 4000)
	c := testClient()
	c.MinRate, c.RateWindow = 1000, 300*time.Millisecond
	_, err := c.Get(context.Background(), trickle(t, body, 1, 20*time.Millisecond), "release index", 1<<20)
	if !IsUnreachable(err) || !strings.Contains(err.Error(), "too slow") {
		t.Fatalf("slow Get: err = %v, want too slow", err)
	}
	c = testClient()
	c.MinRate, c.SmallDeadline = 0, 400*time.Millisecond
	start := time.Now()
	_, err = c.Get(context.Background(), trickle(t, body, 100, 20*time.Millisecond), "release index", 1<<20)
	if !IsUnreachable(err) || !strings.Contains(err.Error(), "release index: not fetched within 400ms (GOVER_FETCH_TIMEOUT") {
		t.Fatalf("Get past the deadline: err = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("the deadline took %v", d)
	}
	// The caller's own cancellation stays a cancellation.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := c.Get(ctx, trickle(t, body, 100, 20*time.Millisecond), "release index", 1<<20); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Get cancelled by its caller: err = %v, want context.DeadlineExceeded", err)
	}
}
