package testdist

import (
	"bytes"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// A ModProxy is a loopback module proxy (the GOPROXY protocol: list,
// .info, .mod, .zip) for modules a test adds, so the real go command can
// download modules other than golang.org/toolchain. A module it does not
// have is a 404, as on proxy.golang.org; Gone makes it answer 410, as
// proxy.golang.org does for a module it cannot fetch from its origin (a
// private repository).
//
// It also answers as a VCS host's web server: a request for
// "http://HOST/PATH?go-get=1" that reaches it (as an HTTP proxy, through
// HTTP_PROXY) gets a go-import tag saying the module at PATH is served by
// this proxy ("mod" protocol). So the go command's direct mode — what
// GOPRIVATE and GONOPROXY send a module to — works for HOST without DNS or
// git, when HOST is in GOINSECURE.
type ModProxy struct {
	URL string
	// CertFile holds the server's certificate (PEM) for an https
	// ModProxy: SSL_CERT_FILE for the go command.
	CertFile string

	srv    *httptest.Server
	mu     sync.Mutex
	mods   map[string]map[string][]byte // path → version → zip
	gone   map[string]bool
	counts map[string]int // module path → requests for it
	auth   []string       // Authorization headers received
}

// NewModProxy starts a ModProxy for a test and closes it when the test ends.
func NewModProxy(t testing.TB) *ModProxy {
	p := newModProxy()
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	p.URL = p.srv.URL
	t.Cleanup(p.srv.Close)
	return p
}

// NewModProxyTLS starts an https ModProxy; CertFile holds its certificate.
func NewModProxyTLS(t testing.TB) *ModProxy {
	p := newModProxy()
	p.srv = httptest.NewTLSServer(http.HandlerFunc(p.serve))
	p.URL = p.srv.URL
	t.Cleanup(p.srv.Close)
	p.CertFile = filepath.Join(t.TempDir(), "cert.pem")
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.srv.Certificate().Raw})
	if err := os.WriteFile(p.CertFile, pemData, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func newModProxy() *ModProxy {
	return &ModProxy{mods: map[string]map[string][]byte{}, gone: map[string]bool{}, counts: map[string]int{}}
}

// Authorizations are the Authorization headers the proxy received, in
// order (empty ones left out).
func (p *ModProxy) Authorizations() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.auth...)
}

// Add serves module path at version with the given files (name → content,
// relative to the module root). A go.mod saying "module PATH" is added
// when files has none.
func (p *ModProxy) Add(t testing.TB, path, version string, files map[string]string) {
	t.Helper()
	if _, ok := files["go.mod"]; !ok {
		files["go.mod"] = "module " + path + "\n"
	}
	var zf []modzip.File
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		zf = append(zf, memFile{n, files[n]})
	}
	var buf bytes.Buffer
	if err := modzip.Create(&buf, module.Version{Path: path, Version: version}, zf); err != nil {
		t.Fatalf("module %s@%s: %v", path, version, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.mods[path] == nil {
		p.mods[path] = map[string][]byte{}
	}
	p.mods[path][version] = buf.Bytes()
	p.mods[path][version+".mod"] = []byte(files["go.mod"])
}

// Gone makes the proxy answer 410 Gone for module path.
func (p *ModProxy) Gone(path string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.gone[path] = true
}

// Requests counts the requests for module path so far.
func (p *ModProxy) Requests(path string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.counts[path]
}

func (p *ModProxy) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Host != "" && r.URL.Query().Get("go-get") == "1" {
		// Asked as an HTTP proxy for a VCS host's go-get page.
		path := r.URL.Host + strings.TrimSuffix(r.URL.Path, "/")
		fmt.Fprintf(w, "<html><head><meta name=\"go-import\" content=\"%s mod %s\"></head></html>\n", path, p.URL)
		return
	}
	esc, rest, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/@v/")
	path, err := module.UnescapePath(esc)
	if !ok || err != nil {
		http.NotFound(w, r)
		return
	}
	p.mu.Lock()
	p.counts[path]++
	if a := r.Header.Get("Authorization"); a != "" {
		p.auth = append(p.auth, a)
	}
	versions, gone := p.mods[path], p.gone[path]
	p.mu.Unlock()
	switch {
	case gone:
		http.Error(w, "not found: "+path+": unrecognized import path", http.StatusGone)
		return
	case rest == "list":
		for v := range versions {
			if !strings.HasSuffix(v, ".mod") {
				fmt.Fprintln(w, v)
			}
		}
		return
	}
	ext := rest[strings.LastIndex(rest, "."):]
	version, err := module.UnescapeVersion(strings.TrimSuffix(rest, ext))
	zip, have := versions[version]
	if err != nil || !have {
		http.Error(w, "not found: "+path+"@"+version, http.StatusNotFound)
		return
	}
	switch ext {
	case ".info":
		fmt.Fprintf(w, "{\"Version\":%q,\"Time\":%q}\n", version, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339))
	case ".mod":
		w.Write(versions[version+".mod"])
	case ".zip":
		w.Write(zip)
	default:
		http.NotFound(w, r)
	}
}

// memFile is a module zip entry held in memory.
type memFile struct{ name, content string }

func (f memFile) Path() string { return f.name }
func (f memFile) Lstat() (os.FileInfo, error) {
	return fileInfo{name: f.name, size: int64(len(f.content))}, nil
}
func (f memFile) Open() (io.ReadCloser, error) {
	return io.NopCloser(strings.NewReader(f.content)), nil
}

// fileInfo describes a memFile: a regular file, read-only.
type fileInfo struct {
	name string
	size int64
}

func (fi fileInfo) Name() string       { return fi.name }
func (fi fileInfo) Size() int64        { return fi.size }
func (fi fileInfo) Mode() os.FileMode  { return 0o444 }
func (fi fileInfo) ModTime() time.Time { return time.Time{} }
func (fi fileInfo) IsDir() bool        { return false }
func (fi fileInfo) Sys() any           { return nil }
