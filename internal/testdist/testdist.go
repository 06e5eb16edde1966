// Package testdist fakes on loopback every service gover downloads from, and makes them misbehave on request.
//
// It serves the official JSON index and download host, community mirrors, a
// module proxy with golang.org/toolchain, and a real checksum database, all
// from one httptest.Server per Dist. Paths, relative to Dist.URL:
//
//	/dl/?mode=json&include=all       the official index (every release, newest first)
//	/dl/?mode=json                   newest patch of the two newest stable minors
//	/dl/                             the downloads HTML page (what you get without mode=json)
//	/dl/<file>                       archives, installers, source tarballs
//	/dl/<file>.sha256                64 hex digits, no newline
//	/dl/<file>.asc                   armored detached OpenPGP signature
//	/dl/linux_signing_key.pub        the armored public key that made the signatures
//	/mirror/<file>, /mirror2/<file>  flat mirrors of the same files (+ .sha256, .asc), no index
//	/proxy/golang.org/toolchain/@v/  a module proxy: list, <v>.info, <v>.mod, <v>.zip
//	/proxy/sumdb/<name>/…            the checksum database through the proxy (supported, lookup, tile)
//	/sumdb/…                         the checksum database itself (lookup, tile, latest)
//
// Everything is built in memory at start and is deterministic, except the
// signatures: the signing key is a throwaway made once per process. File
// answers go through http.ServeContent, so Range, If-Range, ETag and
// Last-Modified work as on a real host.
//
// Faults (see Fault) are attached to request paths and change the answers:
// wrong bytes, wrong status, broken connections, slowness, redirects, bombs.
// Every request is counted and logged so tests can assert what a client
// fetched, retried or resumed.
//
// Not faked: TLS (everything is plain http on 127.0.0.1), and the official
// site's habit of redirecting archive names to its download host while
// answering .sha256 names with HTML; compose that from RedirectHost and
// HTML where a test needs it.
package testdist

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
)

// SumDBName is the name of the fake checksum database, the part of GOSUMDB
// before the key. The .example name never resolves, so a client that
// derives https://<name> from it reaches nothing.
const SumDBName = "sum.testdist.example"

// UnresolvableURL never resolves: .invalid is reserved (RFC 2606).
const UnresolvableURL = "http://gover-test.invalid"

// Paths the fake serves, for Fault patterns and Requests.
const (
	IndexPath        = "/dl/"                               // the JSON index (and HTML page)
	ModulePathPrefix = "/proxy/" + ToolchainModule + "/@v/" // + list, <v>.info, <v>.mod, <v>.zip
)

// Options configure a Dist. The zero value serves DefaultReleases.
type Options struct {
	// Releases to serve; empty means DefaultReleases().
	Releases []Release
	// ModuleNoModes builds module zips without Unix modes, like older
	// real golang.org/toolchain zips: bin/go is then not executable until
	// the client sets the bits.
	ModuleNoModes bool
	// NoProxySumDB makes the proxy answer 404 to
	// /proxy/sumdb/<name>/supported (and everything under it), so clients
	// must reach the checksum database directly at /sumdb (see Env).
	NoProxySumDB bool
	// Signer signs every file instead of the process-wide DefaultSigner.
	Signer *openpgp.Entity
	// SignedAt is the creation time of every signature; zero means now.
	SignedAt time.Time
	// ExtraFiles adds that many small source files to every toolchain,
	// to make archives bigger.
	ExtraFiles int
	// WindowsGoExe, if set, is a file whose bytes become bin/go.exe in
	// Windows toolchains (for instance a real program, to run under Wine).
	WindowsGoExe string
	// KeyringDir is where the armored public key file goes; empty means a
	// temporary folder (New: t.TempDir(); Start: removed by Close).
	KeyringDir string
	// Addr is the listen address for Start, like "127.0.0.1:8080"; empty
	// means a free loopback port.
	Addr string
}

// A Dist is a running fake distribution. Its fields are set once by Start.
type Dist struct {
	URL         string // http://127.0.0.1:port, no trailing slash
	IndexURL    string // URL/dl/?mode=json&include=all: GOVER_INDEX_URL
	DownloadURL string // URL/dl (no trailing slash): GOVER_DOWNLOAD_URL
	MirrorURL   string // URL/mirror
	Mirror2URL  string // URL/mirror2, a second mirror for fall-through tests
	ProxyURL    string // URL/proxy: GOPROXY
	SumDBURL    string // URL/sumdb
	// SumDBKey is the checksum database's verifier key,
	// "sum.testdist.example+<hash>+<key>". As a GOSUMDB value it makes
	// cmd/go (and clients that follow it) reach the database through the
	// proxy: GET <proxy>/sumdb/<name>/supported, then lookups there; were
	// the proxy to answer 404, they would go to https://sum.testdist.example,
	// which never answers.
	SumDBKey string
	// GOSUMDB is "<SumDBKey> <SumDBURL>". cmd/go takes an explicit URL as
	// the way to the database and then asks no proxy.
	GOSUMDB string
	// KeyringPath is a file holding the armored public key (GOVER_KEYRING).
	KeyringPath string

	srv      *httptest.Server
	ctx      context.Context // canceled by Close, so stalled answers end
	cancel   context.CancelFunc
	signer   *openpgp.Entity
	pubKey   []byte
	signedAt time.Time
	sumdb    http.Handler
	proxyDB  bool
	tmpDir   string

	mu     sync.Mutex
	cat    *catalog
	faults []registered
	counts map[string]int
	log    []Request
}

// A Request is one logged request.
type Request struct {
	Method string
	Path   string
	Query  string
	Range  string // the Range header, if any
}

// New starts a Dist for a test and closes it when the test ends.
func New(t testing.TB, opts Options) *Dist {
	t.Helper()
	if opts.KeyringDir == "" {
		opts.KeyringDir = t.TempDir()
	}
	d, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// Start builds and starts a Dist without a testing.TB (for the testdist
// command and testscript setup); call Close when done.
func Start(opts Options) (*Dist, error) {
	d := &Dist{counts: map[string]int{}, proxyDB: !opts.NoProxySumDB, signedAt: opts.SignedAt}
	d.signer = opts.Signer
	if d.signer == nil {
		var err error
		if d.signer, err = DefaultSigner(); err != nil {
			return nil, fmt.Errorf("start testdist: %w", err)
		}
	}
	pub, err := ArmoredPublicKey(d.signer)
	if err != nil {
		return nil, fmt.Errorf("start testdist: %w", err)
	}
	d.pubKey = pub

	var goExe []byte
	if opts.WindowsGoExe != "" {
		if goExe, err = os.ReadFile(opts.WindowsGoExe); err != nil {
			return nil, fmt.Errorf("start testdist: read go.exe: %w", err)
		}
	}
	rels := opts.Releases
	if len(rels) == 0 {
		rels = DefaultReleases()
	}
	if d.cat, err = buildCatalog(rels, opts, goExe); err != nil {
		return nil, fmt.Errorf("start testdist: %w", err)
	}

	skey, vkey, err := note.GenerateKey(rand.Reader, SumDBName)
	if err != nil {
		return nil, fmt.Errorf("start testdist: generate checksum database key: %w", err)
	}
	d.SumDBKey = vkey
	d.sumdb = sumdb.NewServer(sumdb.NewTestServer(skey, d.goSum))

	dir := opts.KeyringDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "testdist-"); err != nil {
			return nil, fmt.Errorf("start testdist: %w", err)
		}
		d.tmpDir = dir
	}
	d.KeyringPath = filepath.Join(dir, "testdist-signing-key.asc")
	if err := os.WriteFile(d.KeyringPath, pub, 0o644); err != nil {
		d.removeTmp()
		return nil, fmt.Errorf("start testdist: write keyring: %w", err)
	}

	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.srv = httptest.NewUnstartedServer(http.HandlerFunc(d.serve))
	d.srv.Config.BaseContext = func(net.Listener) context.Context { return d.ctx }
	// Faults break connections on purpose; net/http's complaints about
	// that would only bury test output.
	d.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if opts.Addr != "" {
		l, err := net.Listen("tcp", opts.Addr)
		if err != nil {
			d.removeTmp()
			return nil, fmt.Errorf("start testdist: %w", err)
		}
		d.srv.Listener.Close()
		d.srv.Listener = l
	}
	d.srv.Start()

	d.URL = d.srv.URL
	d.IndexURL = d.URL + IndexPath + "?mode=json&include=all"
	d.DownloadURL = d.URL + "/dl"
	d.MirrorURL = d.URL + "/mirror"
	d.Mirror2URL = d.URL + "/mirror2"
	d.ProxyURL = d.URL + "/proxy"
	d.SumDBURL = d.URL + "/sumdb"
	d.GOSUMDB = d.SumDBKey + " " + d.SumDBURL
	return d, nil
}

// Close stops the server, ending stalled answers, and removes the
// temporary keyring folder Start made.
func (d *Dist) Close() {
	d.cancel()
	d.srv.Close()
	d.removeTmp()
}

func (d *Dist) removeTmp() {
	if d.tmpDir != "" {
		os.RemoveAll(d.tmpDir)
	}
}

// Env returns KEY=value pairs that point gover at this Dist: the index,
// the download host, the proxy, the checksum database and the keyring.
// GOSUMDB takes the route real users take: the bare key, so the database
// is reached through the proxy; with Options.NoProxySumDB, the key and the
// direct URL (GOSUMDB field), the only way left to it. GONOSUMDB,
// GONOSUMCHECK and GOPRIVATE are emptied so an inherited value cannot turn
// the checksum database off.
func (d *Dist) Env() []string {
	gosumdb := d.SumDBKey
	if !d.proxyDB {
		gosumdb = d.GOSUMDB
	}
	return []string{
		"GOVER_INDEX_URL=" + d.IndexURL,
		"GOVER_DOWNLOAD_URL=" + d.DownloadURL,
		"GOPROXY=" + d.ProxyURL,
		"GOSUMDB=" + gosumdb,
		"GOVER_KEYRING=" + d.KeyringPath,
		"GONOSUMDB=",
		"GONOSUMCHECK=",
		"GOPRIVATE=",
	}
}

// Signer is the entity whose signing subkey signs every file.
func (d *Dist) Signer() *openpgp.Entity { return d.signer }

// PublicKey is the armored public key served at /dl/linux_signing_key.pub
// and written to KeyringPath.
func (d *Dist) PublicKey() []byte { return d.pubKey }

// Releases returns the served releases, newest first.
func (d *Dist) Releases() []Release {
	return append([]Release(nil), d.cat.releases...)
}

// Index returns the full index as served (include=all).
func (d *Dist) Index() []IndexRelease {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]IndexRelease, len(d.cat.index))
	for i, r := range d.cat.index {
		r.Files = append([]IndexFile(nil), r.Files...)
		out[i] = r
	}
	return out
}

// Archive returns a release archive's file name and bytes. It panics if
// the release or platform is not served (a mistake in the test).
func (d *Dist) Archive(goVersion, goos, goarch string) (filename string, data []byte) {
	name := ArchiveName(goVersion, goos, goarch)
	return name, d.File(name)
}

// File returns the bytes served for a file name (archive, installer,
// source); it panics if there is no such file.
func (d *Dist) File(filename string) []byte {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.cat.files[filename]
	if f == nil {
		panic("testdist: no file " + filename)
	}
	return f.data
}

// SHA256 returns the hex SHA-256 the index lists for a file name; it
// panics if there is no such file.
func (d *Dist) SHA256(filename string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.cat.files[filename]
	if f == nil {
		panic("testdist: no file " + filename)
	}
	return f.sha256
}

// Signature returns the armored signature served as <filename>.asc.
func (d *Dist) Signature(filename string) []byte {
	sig, err := d.signature(filename)
	if err != nil {
		panic("testdist: " + err.Error())
	}
	return sig
}

// ModuleZip returns the golang.org/toolchain zip of a release and platform;
// it panics if the module is not served.
func (d *Dist) ModuleZip(goVersion, goos, goarch string) []byte {
	mv := ModuleVersion(goVersion, goos, goarch)
	d.mu.Lock()
	defer d.mu.Unlock()
	m := d.cat.modules[mv]
	if m == nil {
		panic("testdist: no module version " + mv)
	}
	return m.zip
}

// ModuleSum returns the go.sum lines of a toolchain module (zip h1 and
// go.mod h1), what the checksum database answers for it.
func (d *Dist) ModuleSum(goVersion, goos, goarch string) string {
	mv := ModuleVersion(goVersion, goos, goarch)
	b, err := d.goSum(ToolchainModule, mv)
	if err != nil {
		panic("testdist: " + err.Error())
	}
	return string(b)
}

// Publish replaces a served file's bytes as its publisher would: the
// download host and mirrors serve data, and the index, .sha256 and .asc
// all vouch for it. Hardening tests use it to get hostile archives (".."
// entries, links out of the tree, bombs) past digest and signature checks.
// It panics if the file name is not served.
func (d *Dist) Publish(filename string, data []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.cat.files[filename]
	if f == nil {
		panic("testdist: no file " + filename)
	}
	nf := &file{name: filename, data: data, sha256: sum256(data), modTime: f.modTime}
	d.cat.files[filename] = nf
	for i := range d.cat.index {
		for j := range d.cat.index[i].Files {
			if e := &d.cat.index[i].Files[j]; e.Filename == filename {
				e.SHA256, e.Size = nf.sha256, int64(len(data))
			}
		}
	}
}

// PublishModule replaces a toolchain module zip on the proxy. The checksum
// database records a module the first time it is asked about it and never
// changes its answer (as the real one), so publish before any lookup for
// the zip to be vouched for, or after one to get a checksum mismatch.
func (d *Dist) PublishModule(goVersion, goos, goarch string, zip []byte) {
	mv := ModuleVersion(goVersion, goos, goarch)
	d.mu.Lock()
	defer d.mu.Unlock()
	m := d.cat.modules[mv]
	if m == nil {
		panic("testdist: no module version " + mv)
	}
	d.cat.modules[mv] = &toolchainModule{version: mv, zip: zip, time: m.time}
}

// Requests counts the requests whose path matches pattern: an exact path,
// or a prefix when pattern ends in "*" ("/mirror/*").
func (d *Dist) Requests(pattern string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for p, c := range d.counts {
		if matchPath(pattern, p) {
			n += c
		}
	}
	return n
}

// ForgetRequests clears the counts Requests reads and the Log, so a test
// can ask what one step alone requested.
func (d *Dist) ForgetRequests() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.counts = map[string]int{}
	d.log = nil
}

// Log returns every request so far, in arrival order.
func (d *Dist) Log() []Request {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Request(nil), d.log...)
}

// ClosedURL returns an http URL of a loopback port where nothing listens,
// so connecting is refused. The port was free a moment ago; another
// program could take it in between, which on a test machine is rare.
func (d *Dist) ClosedURL() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic("testdist: find a free port: " + err.Error())
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

func matchPath(pattern, p string) bool {
	if prefix, ok := strings.CutSuffix(pattern, "*"); ok {
		return strings.HasPrefix(p, prefix)
	}
	return p == pattern
}

// goSum is the checksum database's view of a module: the go.sum lines of
// the zip served now.
func (d *Dist) goSum(path, vers string) ([]byte, error) {
	d.mu.Lock()
	m := d.cat.modules[vers]
	d.mu.Unlock()
	if path != ToolchainModule || m == nil {
		// The sumdb server turns only a bare not-exist error into 404.
		return nil, os.ErrNotExist
	}
	return goSum(vers, m.zip)
}

// signature returns (making it on first use) the armored signature of a
// file. Two first requests may both sign; either result is valid.
func (d *Dist) signature(filename string) ([]byte, error) {
	d.mu.Lock()
	f := d.cat.files[filename]
	d.mu.Unlock()
	if f == nil {
		return nil, fmt.Errorf("no file %s", filename)
	}
	d.mu.Lock()
	sig := f.sig
	d.mu.Unlock()
	if sig != nil {
		return sig, nil
	}
	at := d.signedAt
	if at.IsZero() {
		at = time.Now()
	}
	sig, err := Sign(d.signer, f.data, at)
	if err != nil {
		return nil, fmt.Errorf("sign %s: %w", filename, err)
	}
	d.mu.Lock()
	f.sig = sig
	d.mu.Unlock()
	return sig, nil
}

// moduleVersions lists the served toolchain module versions, sorted.
func (d *Dist) moduleVersions() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	var vs []string
	for v := range d.cat.modules {
		vs = append(vs, v)
	}
	sort.Strings(vs)
	return vs
}

// moduleAt returns a served module version, or nil.
func (d *Dist) moduleAt(v string) *toolchainModule {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cat.modules[v]
}
