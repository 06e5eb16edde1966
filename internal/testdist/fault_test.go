package testdist

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"
)

// faultDist is a small Dist of its own, since faults change it.
func faultDist(t *testing.T) (*Dist, string, []byte) {
	t.Helper()
	d := New(t, Options{ExtraFiles: 40, Releases: []Release{{Version: "go1.22.5", Stable: true, Platforms: []string{"linux/amd64", "windows/amd64"}}}})
	name, data := d.Archive("go1.22.5", "linux", "amd64")
	return d, "/dl/" + name, data
}

func TestTamper(t *testing.T) {
	d, p, data := faultDist(t)
	d.Fault(p, Tamper{})
	d.Fault(p+".sha256", Tamper{})
	body := getOK(t, d.URL+p)
	diff := 0
	for i := range body {
		if i < len(data) && body[i] != data[i] {
			diff++
		}
	}
	if len(body) != len(data) || diff != 1 || sum256(body) == sum256(data) {
		t.Errorf("tampered body: %d bytes (want %d), %d differ (want 1)", len(body), len(data), diff)
	}
	digest := string(getOK(t, d.URL+p+".sha256"))
	if digest == sum256(data) || len(digest) != 64 || strings.Trim(digest, "0123456789abcdef") != "" {
		t.Errorf("tampered digest %q: want 64 hex digits that differ", digest)
	}
}

func TestHTML(t *testing.T) {
	d, p, _ := faultDist(t)
	d.Fault(p+".sha256", HTML{})
	res, body := get(t, d.URL+p+".sha256")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/html; charset=utf-8" || !bytes.HasPrefix(body, []byte("<!DOCTYPE html>")) {
		t.Errorf("HTML: %s %s %q…", res.Status, res.Header.Get("Content-Type"), body[:min(20, len(body))])
	}
}

func TestStatus(t *testing.T) {
	d, p, _ := faultDist(t)
	for _, code := range []int{403, 404, 410, 500} {
		d.ClearFaults()
		d.Fault(p, Status(code))
		if res, _ := get(t, d.URL+p); res.StatusCode != code {
			t.Errorf("Status(%d) answered %s", code, res.Status)
		}
	}
	d.ClearFaults()
	d.Fault(p, Status(407))
	res, _ := get(t, d.URL+p)
	if res.StatusCode != 407 || res.Header.Get("Proxy-Authenticate") == "" {
		t.Errorf("Status(407): %s, Proxy-Authenticate %q", res.Status, res.Header.Get("Proxy-Authenticate"))
	}
	d.ClearFaults()
	if res, _ := get(t, d.URL+p); res.StatusCode != 200 {
		t.Errorf("after ClearFaults: %s", res.Status)
	}
}

func TestFailTimes(t *testing.T) {
	d, p, data := faultDist(t)
	d.Fault(p, FailTimes(2, 503))
	var codes []int
	for range 3 {
		res, body := get(t, d.URL+p)
		codes = append(codes, res.StatusCode)
		if res.StatusCode == 200 && !bytes.Equal(body, data) {
			t.Error("body after the failures differs")
		}
	}
	if codes[0] != 503 || codes[1] != 503 || codes[2] != 200 {
		t.Errorf("codes %v, want [503 503 200]", codes)
	}
	if n := d.Requests(p); n != 3 {
		t.Errorf("Requests = %d, want 3", n)
	}
}

func TestTooManyRequests(t *testing.T) {
	d, p, _ := faultDist(t)
	d.Fault(p, TooManyRequests(1500*time.Millisecond))
	res, _ := get(t, d.URL+p)
	if res.StatusCode != 429 || res.Header.Get("Retry-After") != "2" {
		t.Errorf("first answer %s, Retry-After %q; want 429, 2", res.Status, res.Header.Get("Retry-After"))
	}
	if res, _ := get(t, d.URL+p); res.StatusCode != 200 {
		t.Errorf("second answer %s, want 200", res.Status)
	}
}

// fetch does a GET and returns what the client read and how reading ended.
func fetch(t *testing.T, c *http.Client, u string) (*http.Response, []byte, error) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		return nil, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return res, body, err
}

func TestTruncate(t *testing.T) {
	d, p, data := faultDist(t)
	d.Fault(p, Truncate(100))
	res, body, err := fetch(t, http.DefaultClient, d.URL+p)
	if !errors.Is(err, io.ErrUnexpectedEOF) || len(body) != 100 || !bytes.Equal(body, data[:100]) {
		t.Errorf("read %d bytes, err %v; want the first 100 and io.ErrUnexpectedEOF", len(body), err)
	}
	if res != nil && res.ContentLength != int64(len(data)) {
		t.Errorf("Content-Length %d, want the full %d", res.ContentLength, len(data))
	}
}

func TestResetAfter(t *testing.T) {
	d, p, data := faultDist(t)
	d.Fault(p, ResetAfter(100))
	_, body, err := fetch(t, http.DefaultClient, d.URL+p)
	if !errors.Is(err, syscall.ECONNRESET) && !strings.Contains(fmtErr(err), "forcibly closed") {
		t.Errorf("err %v, want connection reset", err)
	}
	if len(body) > 100 || !bytes.Equal(body, data[:len(body)]) {
		t.Errorf("read %d bytes, want at most the first 100", len(body))
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestShorterBody(t *testing.T) {
	d, p, data := faultDist(t)
	d.Fault(p, ShorterBody(10))
	res, body, err := fetch(t, http.DefaultClient, d.URL+p)
	if err != nil || res.ContentLength != -1 || !bytes.Equal(body, data[:len(data)-10]) {
		t.Errorf("err %v, Content-Length %d, %d bytes; want a clean read of all but 10 bytes", err, res.ContentLength, len(body))
	}
}

func TestLongerBody(t *testing.T) {
	d, p, data := faultDist(t)
	d.Fault(p, LongerBody(50))
	if _, body, err := fetch(t, http.DefaultClient, d.URL+p); err != nil || !bytes.Equal(body, data) {
		t.Errorf("HTTP client read %d bytes, err %v; want exactly the body", len(body), err)
	}
	// On the wire, 50 junk bytes follow the announced length.
	conn, err := net.Dial("tcp", strings.TrimPrefix(d.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET "+p+" HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.ReadAll(res.Body)
	rest, _ := io.ReadAll(br)
	if string(rest) != strings.Repeat("J", 50) {
		t.Errorf("after the body: %q, want 50 junk bytes", rest)
	}
}

func TestStall(t *testing.T) {
	d, p, data := faultDist(t)
	d.Fault(p, Stall{After: 10, For: 300 * time.Millisecond})
	start := time.Now()
	_, body, err := fetch(t, http.DefaultClient, d.URL+p)
	if err != nil || !bytes.Equal(body, data) {
		t.Errorf("stalled fetch: %d bytes, %v", len(body), err)
	}
	if el := time.Since(start); el < 300*time.Millisecond {
		t.Errorf("took %v, want at least the 300ms stall", el)
	}
	c := &http.Client{Timeout: 100 * time.Millisecond}
	if _, _, err := fetch(t, c, d.URL+p); err == nil {
		t.Error("a client with a 100ms timeout read through a 300ms stall")
	}
}

func TestStallEndsOnClose(t *testing.T) {
	d, p, _ := faultDist(t)
	d.Fault(p, Stall{After: 10, For: time.Hour})
	got := make(chan error, 1)
	go func() {
		_, _, err := fetch(t, http.DefaultClient, d.URL+p)
		got <- err
	}()
	for d.Requests(p) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	d.Close()
	if el := time.Since(start); el > 2*time.Second {
		t.Errorf("Close took %v with a stalled answer", el)
	}
	if err := <-got; err == nil {
		t.Error("the stalled answer completed")
	}
}

func TestSlow(t *testing.T) {
	d, p, data := faultDist(t)
	bps := len(data) * 2 // about half a second
	d.Fault(p, Slow(bps))
	start := time.Now()
	_, body, err := fetch(t, http.DefaultClient, d.URL+p)
	if err != nil || !bytes.Equal(body, data) {
		t.Errorf("slow fetch: %d bytes, %v", len(body), err)
	}
	if el := time.Since(start); el < 350*time.Millisecond {
		t.Errorf("%d bytes at %d B/s took %v, want about 500ms", len(data), bps, el)
	}
}

func TestIgnoreRange(t *testing.T) {
	d, p, data := faultDist(t)
	d.Fault(p, IgnoreRange{})
	res, body := get(t, d.URL+p, "Range", "bytes=100-")
	if res.StatusCode != 200 || !bytes.Equal(body, data) || res.Header.Get("Accept-Ranges") != "" {
		t.Errorf("IgnoreRange: %s, %d bytes, Accept-Ranges %q", res.Status, len(body), res.Header.Get("Accept-Ranges"))
	}
}

func TestRedirects(t *testing.T) {
	d, p, data := faultDist(t)
	name := strings.TrimPrefix(p, "/dl/")
	d.Fault(p, RedirectTo(d.MirrorURL+"/"+name))
	if body := getOK(t, d.URL+p); !bytes.Equal(body, data) || d.Requests("/mirror/"+name) != 1 {
		t.Errorf("RedirectTo: %d bytes, mirror hit %d times", len(body), d.Requests("/mirror/"+name))
	}

	other := New(t, Options{Releases: []Release{{Version: "go1.22.5", Stable: true, Platforms: []string{"linux/amd64"}}}})
	d.ClearFaults()
	d.Fault("/dl/*", RedirectHost(other.URL))
	getOK(t, d.IndexURL)
	if other.Requests(IndexPath) != 1 || other.Log()[0].Query != "mode=json&include=all" {
		t.Errorf("RedirectHost: other host log %+v", other.Log())
	}

	d.ClearFaults()
	d.Fault(p, RedirectLoop{})
	_, err := http.Get(d.URL + p)
	var uerr *url.Error
	if !errors.As(err, &uerr) || !strings.Contains(err.Error(), "stopped after 10 redirects") {
		t.Errorf("RedirectLoop: %v", err)
	}
}

func TestWrongDigest(t *testing.T) {
	d, p, data := faultDist(t)
	name := strings.TrimPrefix(p, "/dl/")
	d.Fault(IndexPath, WrongDigest(name))
	res, body := get(t, d.IndexURL)
	var index []IndexRelease
	if err := json.Unmarshal(body, &index); err != nil {
		t.Fatal(err)
	}
	if res.ContentLength != int64(len(body)) {
		t.Errorf("Content-Length %d for %d bytes", res.ContentLength, len(body))
	}
	for _, f := range index[0].Files {
		switch {
		case f.Filename == name && (f.SHA256 == sum256(data) || len(f.SHA256) != 64):
			t.Errorf("%s lists %q, want another well-formed digest", name, f.SHA256)
		case f.Filename != name && f.SHA256 != d.SHA256(f.Filename):
			t.Errorf("%s changed too", f.Filename)
		}
	}
	if !bytes.Equal(getOK(t, d.URL+p), data) {
		t.Error("the file itself changed")
	}
}

func TestBomb(t *testing.T) {
	d, p, _ := faultDist(t)
	const size = 64 << 20
	d.Fault(p, Bomb(size))
	wire := getOK(t, d.URL+p)
	if len(wire) > 256<<10 {
		t.Errorf("bomb is %d bytes on the wire, want far less than %d", len(wire), size)
	}
	gz, err := gzip.NewReader(bytes.NewReader(wire))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	h, err := tr.Next()
	if err != nil || h.Name != "go/bin/go" || h.Size != size {
		t.Fatalf("first entry %+v, %v", h, err)
	}
	n, err := io.Copy(io.Discard, tr)
	if err != nil || n != size {
		t.Errorf("entry body: %d bytes, %v", n, err)
	}
	if _, err := tr.Next(); err != io.EOF {
		t.Errorf("after the entry: %v, want the end of the tar", err)
	}
	// Reading to the end checks the gzip CRC and length.
	if _, err := io.Copy(io.Discard, gz); err != nil {
		t.Errorf("gzip trailer: %v", err)
	}

	zname, _ := d.Archive("go1.22.5", "windows", "amd64")
	d.Fault("/dl/"+zname, Bomb(size))
	zwire := getOK(t, d.DownloadURL+"/"+zname)
	zr, err := zip.NewReader(bytes.NewReader(zwire), int64(len(zwire)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	// archive/zip checks size and CRC at EOF.
	if n, err := io.Copy(io.Discard, rc); err != nil || n != size || len(zwire) > 256<<10 {
		t.Errorf("zip bomb: %d bytes out of %d, %v", n, len(zwire), err)
	}
}

func TestBombSizesAreExact(t *testing.T) {
	for _, size := range []int64{0, 1, 511, 1 << 20, 2<<20 + 7, 3 << 20} {
		gz, err := gzip.NewReader(bytes.NewReader(BombTarGz(size)))
		if err != nil {
			t.Fatal(err)
		}
		all, err := io.ReadAll(gz)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if want := 512 + (size+511)/512*512 + 1024; int64(len(all)) != want {
			t.Errorf("size %d: tar stream %d bytes, want %d", size, len(all), want)
		}
	}
}

func TestLyingZip(t *testing.T) {
	d, _, _ := faultDist(t)
	p := ModulePathPrefix + ModuleVersion("go1.22.5", "linux", "amd64") + ".zip"
	d.Fault(p, LyingZip{})
	lying := getOK(t, d.URL+p)
	honest := d.ModuleZip("go1.22.5", "linux", "amd64")
	if len(lying) != len(honest) {
		t.Fatalf("lying zip is %d bytes, honest %d", len(lying), len(honest))
	}
	lr, err := zip.NewReader(bytes.NewReader(lying), int64(len(lying)))
	if err != nil {
		t.Fatal(err)
	}
	hr, _ := zip.NewReader(bytes.NewReader(honest), int64(len(honest)))
	for i, f := range lr.File {
		if f.UncompressedSize64 != hr.File[i].UncompressedSize64/2 {
			t.Errorf("%s claims %d bytes, holds %d", f.Name, f.UncompressedSize64, hr.File[i].UncompressedSize64)
		}
	}
	var big *zip.File
	for _, f := range lr.File {
		if strings.HasSuffix(f.Name, "/bin/go") {
			big = f
		}
	}
	rc, err := big.Open()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(rc); !errors.Is(err, zip.ErrFormat) {
		t.Errorf("reading a file bigger than its directory entry: %v, want zip.ErrFormat", err)
	}
	if binary.LittleEndian.Uint32(lying[len(lying)-22:]) != 0x06054b50 {
		t.Error("end of central directory moved")
	}
}

func TestRespond(t *testing.T) {
	d, p, _ := faultDist(t)
	d.Fault(p, Respond(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	})))
	if res, _ := get(t, d.URL+p); res.StatusCode != http.StatusTeapot {
		t.Errorf("Respond: %s", res.Status)
	}
}

func TestFaultsCombineInLayers(t *testing.T) {
	d, p, data := faultDist(t)
	// Registered innermost-first on purpose: layers put them in order.
	d.Fault(p, Tamper{}, Truncate(len64(data)/2+10), FailTimes(1, 500))
	if res, _ := get(t, d.URL+p); res.StatusCode != 500 {
		t.Fatalf("first answer %s, want the 500 gate", res.Status)
	}
	_, body, err := fetch(t, http.DefaultClient, d.URL+p)
	if !errors.Is(err, io.ErrUnexpectedEOF) || int64(len(body)) != len64(data)/2+10 {
		t.Fatalf("read %d bytes, %v; want a truncated body", len(body), err)
	}
	if bytes.Equal(body, data[:len(body)]) {
		t.Error("truncated body is not tampered")
	}
}

func len64(b []byte) int64 { return int64(len(b)) }

func TestPrefixFaults(t *testing.T) {
	d, p, _ := faultDist(t)
	name := strings.TrimPrefix(p, "/dl/")
	d.Fault("/mirror/*", Status(404))
	if res, _ := get(t, d.MirrorURL+"/"+name); res.StatusCode != 404 {
		t.Errorf("/mirror/: %s", res.Status)
	}
	if res, _ := get(t, d.Mirror2URL+"/"+name); res.StatusCode != 200 {
		t.Errorf("/mirror2/ caught by /mirror/*: %s", res.Status)
	}
}

func TestPublish(t *testing.T) {
	d, p, _ := faultDist(t)
	name := strings.TrimPrefix(p, "/dl/")
	evil := TarGz([]Entry{{Name: "go/../../escape", Mode: 0o644, Body: []byte("x")}}, time.Unix(0, 0))
	d.Publish(name, evil)
	if !bytes.Equal(getOK(t, d.URL+p), evil) || !bytes.Equal(getOK(t, d.MirrorURL+"/"+name), evil) {
		t.Error("published bytes not served")
	}
	if string(getOK(t, d.URL+p+".sha256")) != sum256(evil) {
		t.Error(".sha256 not updated")
	}
	var index []IndexRelease
	json.Unmarshal(getOK(t, d.IndexURL), &index)
	for _, f := range index[0].Files {
		if f.Filename == name && (f.SHA256 != sum256(evil) || f.Size != int64(len(evil))) {
			t.Errorf("index entry %+v not updated", f)
		}
	}
	assertSigned(t, d, evil, getOK(t, d.URL+p+".asc"))
}

func assertSigned(t *testing.T, d *Dist, data, sig []byte) {
	t.Helper()
	if _, err := checkSig(d, data, sig); err != nil {
		t.Errorf("signature: %v", err)
	}
}
