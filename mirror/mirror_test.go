package mirror

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goproxy"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/internal/testdist"
	"github.com/goverdev/gover/verify"
)

var host = installer.Platform{OS: runtime.GOOS, Arch: runtime.GOARCH}

func testFetch() *fetch.Client {
	f := fetch.New("gover-test")
	f.Backoff = func(int) time.Duration { return time.Millisecond }
	return f
}

// startDist starts a distribution the test may close early (to show the
// mirror works without it). Its releases are on this machine's platform
// and windows/amd64 (zip archives).
func startDist(t *testing.T, opts testdist.Options) *testdist.Dist {
	t.Helper()
	if opts.Releases == nil {
		plats := []string{host.String()}
		if host.String() != "windows/amd64" {
			plats = append(plats, "windows/amd64")
		}
		for _, v := range []string{"go1.22.5", "go1.22.4", "go1.21.13"} {
			opts.Releases = append(opts.Releases, testdist.Release{Version: v, Stable: true, Platforms: plats})
		}
	}
	opts.KeyringDir = t.TempDir()
	d, err := testdist.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// sources are the official site and proxy of d, as the CLI builds them
// from d.Env(), with their own cache.
func sources(t *testing.T, d *testdist.Dist, f *fetch.Client) (*installer.Official, *installer.Proxy) {
	cache := t.TempDir()
	o := &installer.Official{
		IndexURLs: []string{d.IndexURL}, DownloadURL: d.DownloadURL + "/", Fetch: f, Cache: cache, Now: time.Now,
		Signatures: verify.NewOpenPGP(verify.OpenPGPConfig{KeyringFile: d.KeyringPath}),
	}
	return o, proxySource(t, d, d.ProxyURL, f, cache)
}

func proxySource(t *testing.T, d *testdist.Dist, goproxyList string, f *fetch.Client, cache string) *installer.Proxy {
	t.Helper()
	proxies, err := goproxy.Parse(goproxyList)
	if err != nil {
		t.Fatal(err)
	}
	db, err := goproxy.ParseGOSUMDB(d.SumDBKey)
	if err != nil {
		t.Fatal(err)
	}
	return &installer.Proxy{Proxies: proxies, SumDB: db, Fetch: f, SumDBDir: filepath.Join(cache, "sumdb")}
}

func newSyncer(t *testing.T, d *testdist.Dist, dir string) *Syncer {
	f := testFetch()
	o, p := sources(t, d, f)
	return &Syncer{Dir: dir, Official: o, Proxy: p, Installer: &installer.Installer{Fetch: f, Now: time.Now}, Fetch: f, Now: time.Now, GoverVersion: "test"}
}

func opts(t *testing.T, versions string, formats []Format, platforms ...installer.Platform) Options {
	t.Helper()
	sel, err := ParseVersions(versions)
	if err != nil {
		t.Fatal(err)
	}
	return Options{Versions: sel, Platforms: platforms, Formats: formats}
}

var both = []Format{Archive, Module}

// serve serves dir as a plain static server would and logs the requests.
type staticServer struct {
	URL string
	mu  sync.Mutex
	log []string
}

func serve(t *testing.T, dir string) *staticServer {
	s := &staticServer{}
	fs := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, code: 200}
		fs.ServeHTTP(rec, r)
		s.mu.Lock()
		s.log = append(s.log, r.URL.Path+" "+http.StatusText(rec.code))
		s.mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

func (s *staticServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

// fileURL is dir as a file:// URL.
func fileURL(dir string) string {
	p := filepath.ToSlash(dir)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return "file://" + (&url.URL{Path: p}).EscapedPath()
}

// install installs word on this platform from sources, into a fresh root.
func install(t *testing.T, word string, srcs ...installer.Source) *installer.Result {
	t.Helper()
	root := t.TempDir()
	in := &installer.Installer{
		Layout: paths.New(func(k string) string {
			if k == "GOVER_ROOT" {
				return root
			}
			return ""
		}, paths.Dirs{}),
		Fetch: testFetch(),
		Now:   time.Now,
	}
	res, err := in.Install(context.Background(), installer.Request{Word: goversion.MustParse(word), Platform: host, Host: true, Sources: srcs})
	if err != nil {
		t.Fatalf("install %s from %s: %v", word, srcs[0].Name(), err)
	}
	return res
}

// mirrorSources are what a client points at a mirror: the official site
// (unreachable here) with the mirror as its download mirror, whose
// index.json stands in for the official index; and GOPROXY=mirror.
func mirrorSources(t *testing.T, d *testdist.Dist, base string) (*installer.Official, *installer.Proxy) {
	f := testFetch()
	closed := d.ClosedURL()
	o := &installer.Official{
		IndexURLs: []string{closed + "/dl/?mode=json&include=all"}, DownloadURL: closed + "/dl/",
		Mirrors: []string{strings.TrimSuffix(base, "/") + "/"}, Fetch: f, Cache: t.TempDir(), Now: time.Now,
		Signatures: verify.NewOpenPGP(verify.OpenPGPConfig{KeyringFile: d.KeyringPath}),
	}
	o.UseMirrorIndexes()
	return o, proxySource(t, d, base, f, t.TempDir())
}

func proofKinds(r *installer.Result) string {
	var kinds []string
	for _, p := range r.Record.Proofs {
		kinds = append(kinds, string(p.Kind))
	}
	return strings.Join(kinds, "+")
}

// TestSyncThenInstallOffline builds a mirror of both formats, stops the
// distribution, and installs from the mirror served by a static server and
// as file://: with gover's official source (the mirror's index.json and
// the official signatures), with gover's proxy source, and with the go
// command's GOTOOLCHAIN switch (GOSUMDB left to its key, as by default).
func TestSyncThenInstallOffline(t *testing.T) {
	d := startDist(t, testdist.Options{})
	dir := filepath.Join(t.TempDir(), "mirror")
	s := newSyncer(t, d, dir)
	win := installer.Platform{OS: "windows", Arch: "amd64"}
	rep, err := s.Sync(context.Background(), opts(t, "1.22", both, host, win))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fetched != 4 {
		t.Errorf("fetched %d items, want 4", rep.Fetched)
	}
	arch := host.ArchiveName("go1.22.5")
	mv := host.ModuleVersion("go1.22.5")
	for _, f := range []string{
		arch, arch + ".sha256", arch + ".asc", "go1.22.5.windows-amd64.zip", "index.json", ManifestFile,
		"golang.org/toolchain/@v/list", "golang.org/toolchain/@v/" + mv + ".info", "golang.org/toolchain/@v/" + mv + ".mod",
		"golang.org/toolchain/@v/" + mv + ".zip", "golang.org/toolchain/@v/v0.0.1-go1.22.5.windows-amd64.zip",
		"sumdb/" + testdist.SumDBName + "/supported", "sumdb/" + testdist.SumDBName + "/latest",
		"sumdb/" + testdist.SumDBName + "/lookup/golang.org/toolchain@" + mv,
	} {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f))); err != nil {
			t.Errorf("mirror lacks %s: %v", f, err)
		}
	}
	// The official files are republished byte for byte.
	for name, want := range map[string][]byte{arch: d.File(arch), arch + ".asc": d.Signature(arch), arch + ".sha256": []byte(d.SHA256(arch))} {
		if got, _ := os.ReadFile(filepath.Join(dir, name)); !bytes.Equal(got, want) {
			t.Errorf("%s differs from the official one", name)
		}
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "golang.org/toolchain/@v/"+mv+".zip")); !bytes.Equal(got, d.ModuleZip("go1.22.5", host.OS, host.Arch)) {
		t.Error("the module zip differs from the proxy's")
	}
	if m, err := readManifest(dir); err != nil || len(m.Archives) != 2 || len(m.Modules) != 2 || m.SumDB == nil || len(m.SumDB.Heads) != 1 {
		t.Errorf("manifest: %+v, %v", m, err)
	}
	tmp, _ := os.ReadDir(filepath.Join(dir, stateDir, "tmp"))
	if len(tmp) != 0 {
		t.Errorf("leftovers in the state folder: %v", tmp)
	}

	d.Close() // from here on, only the mirror

	srv := serve(t, dir)
	for _, base := range []string{srv.URL, fileURL(dir)} {
		o, p := mirrorSources(t, d, base)
		res := install(t, "1.22", o)
		if res.Version != "go1.22.5" || res.Record.Source != "mirror" || proofKinds(res) != "sha256+openpgp+tree" {
			t.Errorf("install from %s's archives: %s from %s proven by %s", base, res.Version, res.Record.Source, proofKinds(res))
		}
		res = install(t, "1.22.5", p)
		if res.Record.Source != "proxy" || proofKinds(res) != "sumdb+tree" {
			t.Errorf("install from %s as GOPROXY: from %s proven by %s", base, res.Record.Source, proofKinds(res))
		}
	}

	if runtime.GOOS == "windows" {
		return // the fake toolchain's bin/go is a POSIX sh script
	}
	goCmd := goCommand(t)
	for _, base := range []string{srv.URL, fileURL(dir)} {
		out, stderr, err := switchToolchain(t, goCmd, d, base, t.TempDir(), "go1.22.5")
		if err != nil || strings.TrimSpace(out) != "go version go1.22.5 "+host.String() {
			t.Errorf("GOTOOLCHAIN=go1.22.5 GOPROXY=%s go version: %q, %v\n%s", base, out, err, stderr)
		}
	}
	// What the go command asked the static server for: the zip, the
	// checksum database's supported, lookup and tiles. Nothing missing but
	// the organisation signature gover looks for beside each archive (this
	// mirror is not signed by an organisation).
	var asked []string
	for _, r := range srv.requests() {
		if !strings.HasSuffix(r, " OK") && !strings.Contains(r, installer.OrgSignatureSuffix+" ") {
			t.Errorf("the mirror lacked %s", r)
		}
		asked = append(asked, r)
	}
	t.Logf("requests to the static server:\n%s", strings.Join(asked, "\n"))
}

func goCommand(t *testing.T) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command must be on PATH to run this test (go test puts it there): %v", err)
	}
	return goCmd
}

// switchToolchain runs 'GOTOOLCHAIN=version go version' with GOPROXY=proxy,
// GOSUMDB set to the database's key only (so the go command asks the proxy
// whether it serves the database, as with the default sum.golang.org), and
// gopath as GOPATH (which remembers the newest tree head seen). Proxies
// for the internet point nowhere.
func switchToolchain(t *testing.T, goCmd string, d *testdist.Dist, proxy, gopath, version string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := testdist.GoCommand(t, goCmd, true, []string{"version"},
		"GOTOOLCHAIN="+version, "GOPROXY="+proxy, "GOSUMDB="+d.SumDBKey, "GOPATH="+gopath)
	var errBuf strings.Builder
	cmd.Stderr = &errBuf
	out, err := cmd.Output()
	return string(out), errBuf.String(), err
}

// TestSyncIsIncremental: a second sync fetches nothing; a new version
// fetches only its files; and clients that remember the mirror's earlier
// tree head (the go command's GOPATH/pkg/sumdb, gover's cache) accept the
// grown mirror, because the earlier head is proven part of the new one.
func TestSyncIsIncremental(t *testing.T) {
	d := startDist(t, testdist.Options{})
	dir := filepath.Join(t.TempDir(), "mirror")
	ctx := context.Background()
	if _, err := newSyncer(t, d, dir).Sync(ctx, opts(t, "1.22.5", both, host)); err != nil {
		t.Fatal(err)
	}
	srv := serve(t, dir)
	gopath := t.TempDir()
	goCmd := ""
	if runtime.GOOS != "windows" {
		goCmd = goCommand(t)
		if out, stderr, err := switchToolchain(t, goCmd, d, srv.URL, gopath, "go1.22.5"); err != nil {
			t.Fatalf("go command, first version: %q, %v\n%s", out, err, stderr)
		}
	}
	goverCache := t.TempDir()
	f := testFetch()
	install(t, "1.22.5", proxySource(t, d, srv.URL, f, goverCache))
	firstHead, _ := os.ReadFile(filepath.Join(dir, "sumdb", testdist.SumDBName, "latest"))

	// Nothing new: no archive, zip, signature or lookup is fetched.
	before := len(d.Log())
	rep, err := newSyncer(t, d, dir).Sync(ctx, opts(t, "1.22.5", both, host))
	if err != nil || rep.Fetched != 0 || rep.Kept != 2 {
		t.Fatalf("second sync: %+v, %v", rep, err)
	}
	for _, r := range d.Log()[before:] {
		if r.Path != testdist.IndexPath && r.Path != testdist.ModulePathPrefix+"list" {
			t.Errorf("an up-to-date sync fetched %s", r.Path)
		}
	}

	// A new version: only its files.
	before = len(d.Log())
	rep, err = newSyncer(t, d, dir).Sync(ctx, opts(t, "1.22.5,1.21.13", both, host))
	if err != nil || rep.Fetched != 2 || rep.Kept != 2 {
		t.Fatalf("third sync: %+v, %v", rep, err)
	}
	for _, r := range d.Log()[before:] {
		if strings.Contains(r.Path, "go1.22.5") && !strings.Contains(r.Path, "/sumdb/") {
			t.Errorf("adding go1.21.13 fetched %s again", r.Path)
		}
	}
	newHead, _ := os.ReadFile(filepath.Join(dir, "sumdb", testdist.SumDBName, "latest"))
	if bytes.Equal(firstHead, newHead) {
		t.Fatal("the checksum database's tree did not grow; the test proves nothing")
	}
	// Every answer carries the new head.
	for _, v := range []string{"go1.22.5", "go1.21.13"} {
		a, err := readAnswer(dir, testdist.SumDBName, host.ModuleVersion(v))
		if err != nil || !bytes.HasSuffix(a, newHead) {
			t.Errorf("answer for %s: not re-headed (%v)", v, err)
		}
	}
	d.Close()
	if goCmd != "" {
		if out, stderr, err := switchToolchain(t, goCmd, d, srv.URL, gopath, "go1.21.13"); err != nil {
			t.Errorf("go command remembering the earlier head: %q, %v\n%s", out, err, stderr)
		}
	}
	install(t, "1.21.13", proxySource(t, d, srv.URL, f, goverCache))
	for _, r := range srv.requests() {
		if !strings.HasSuffix(r, " OK") {
			t.Errorf("the mirror lacked %s", r)
		}
	}
}

// TestSyncResumes: a sync that dies mid-download publishes nothing of that
// file, and the next one resumes it with a Range request.
func TestSyncResumes(t *testing.T) {
	d := startDist(t, testdist.Options{ExtraFiles: 200})
	dir := filepath.Join(t.TempDir(), "mirror")
	arch := host.ArchiveName("go1.22.5")
	d.Fault("/dl/"+arch, testdist.Stall{After: 4000, For: time.Minute})
	s := newSyncer(t, d, dir)
	s.Fetch.StallTimeout = 200 * time.Millisecond
	s.Fetch.Attempts = 1
	_, err := s.Sync(context.Background(), opts(t, "1.22.5", []Format{Archive}, host))
	if err == nil || !fetch.IsUnreachable(err) {
		t.Fatalf("sync through a stalled download: %v", err)
	}
	for _, f := range []string{arch, arch + ".asc", "index.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s published after a failed download", f)
		}
	}
	part, err := os.Stat(filepath.Join(dir, stateDir, "tmp", arch+".part"))
	if err != nil || part.Size() < 4000 {
		t.Fatalf("no partial download to resume: %v", err)
	}
	d.ClearFaults()
	before := len(d.Log())
	if _, err := newSyncer(t, d, dir).Sync(context.Background(), opts(t, "1.22.5", []Format{Archive}, host)); err != nil {
		t.Fatal(err)
	}
	resumed := false
	for _, r := range d.Log()[before:] {
		if r.Path == "/dl/"+arch && strings.HasPrefix(r.Range, "bytes=") {
			resumed = true
		}
	}
	if !resumed {
		t.Error("the second sync did not resume the partial download")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, arch)); !bytes.Equal(got, d.File(arch)) {
		t.Error("the resumed archive differs from the official one")
	}
}

// TestSyncRefusesUnproven: altered archives, signatures, module zips and
// checksum database tiles are never published; what is proven still is.
func TestSyncRefusesUnproven(t *testing.T) {
	win := installer.Platform{OS: "windows", Arch: "amd64"}
	for _, tt := range []struct {
		name    string
		fault   func(d *testdist.Dist)
		formats []Format
		missing []string
		kept    string // published anyway
	}{
		{name: "tampered archive", formats: []Format{Archive},
			fault:   func(d *testdist.Dist) { d.Fault("/dl/"+host.ArchiveName("go1.22.5"), testdist.Tamper{}) },
			missing: []string{host.ArchiveName("go1.22.5"), host.ArchiveName("go1.22.5") + ".asc"}, kept: "go1.22.5.windows-amd64.zip"},
		{name: "tampered signature", formats: []Format{Archive},
			fault:   func(d *testdist.Dist) { d.Fault("/dl/"+host.ArchiveName("go1.22.5")+".asc", testdist.Tamper{}) },
			missing: []string{host.ArchiveName("go1.22.5")}, kept: "go1.22.5.windows-amd64.zip"},
		{name: "swapped module zip", formats: []Format{Module},
			fault: func(d *testdist.Dist) {
				// The database records the genuine zip first, as the real one has.
				resp, err := http.Get(d.SumDBURL + "/lookup/golang.org/toolchain@" + host.ModuleVersion("go1.22.5"))
				if err != nil || resp.StatusCode != 200 {
					panic("lookup failed")
				}
				resp.Body.Close()
				d.PublishModule("go1.22.5", host.OS, host.Arch, d.ModuleZip("go1.21.13", host.OS, host.Arch))
			},
			missing: []string{"golang.org/toolchain/@v/" + host.ModuleVersion("go1.22.5") + ".zip"},
			kept:    "golang.org/toolchain/@v/v0.0.1-go1.22.5.windows-amd64.zip"},
		{name: "tampered checksum database tiles", formats: []Format{Module},
			fault:   func(d *testdist.Dist) { d.Fault("/proxy/sumdb/"+testdist.SumDBName+"/tile/*", testdist.Tamper{}) },
			missing: []string{"golang.org/toolchain/@v/" + host.ModuleVersion("go1.22.5") + ".zip", "sumdb/" + testdist.SumDBName + "/latest"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := startDist(t, testdist.Options{})
			tt.fault(d)
			dir := filepath.Join(t.TempDir(), "mirror")
			_, err := newSyncer(t, d, dir).Sync(context.Background(), opts(t, "1.22.5", tt.formats, host, win))
			if !errors.Is(err, verify.ErrFailed) {
				t.Fatalf("sync: %v, want a verification failure", err)
			}
			for _, f := range tt.missing {
				if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(f))); err == nil {
					t.Errorf("%s published unproven", f)
				}
			}
			if tt.kept != "" {
				if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(tt.kept))); err != nil {
					t.Errorf("the proven %s was not published: %v", tt.kept, err)
				}
			}
			m, _ := readManifest(dir)
			ix, _ := os.ReadFile(filepath.Join(dir, "index.json"))
			for _, f := range tt.missing {
				if bytes.Contains(ix, []byte(filepath.Base(f))) {
					t.Errorf("index.json lists the unproven %s", f)
				}
				for _, a := range m.Archives {
					if a.File == f {
						t.Errorf("the manifest records the unproven %s", f)
					}
				}
			}
		})
	}
}

// TestSyncArchivesNeedOfficial: with only the module proxy reachable, the
// module layout is built and the archive format fails as unreachable,
// saying why the proxy cannot stand in.
func TestSyncArchivesNeedOfficial(t *testing.T) {
	d := startDist(t, testdist.Options{})
	dir := filepath.Join(t.TempDir(), "mirror")
	s := newSyncer(t, d, dir)
	s.Official.IndexURLs = []string{d.ClosedURL() + "/dl/?mode=json&include=all"}
	rep, err := s.Sync(context.Background(), opts(t, "1.22.5", both, host))
	if !errors.Is(err, ErrArchivesNeedOfficial) || !installer.Unreachable(err) || !strings.Contains(err.Error(), "--formats module") {
		t.Fatalf("sync with the official site unreachable: %v", err)
	}
	if rep == nil || rep.Fetched != 1 {
		t.Fatalf("the module layout was not built: %+v", rep)
	}
	if _, err := os.Stat(filepath.Join(dir, "index.json")); err == nil {
		t.Error("an index.json without archives")
	}
	// Prune never drops a format that could not be listed.
	if _, err := newSyncer(t, d, dir).Sync(context.Background(), opts(t, "1.22.5", []Format{Archive}, host)); err != nil {
		t.Fatal(err)
	}
	s = newSyncer(t, d, dir)
	s.Official.IndexURLs = []string{d.ClosedURL() + "/x"}
	o := opts(t, "1.21.13", both, host)
	o.Prune = true
	if _, err := s.Sync(context.Background(), o); !errors.Is(err, ErrArchivesNeedOfficial) {
		t.Fatalf("sync: %v", err)
	}
	m, _ := readManifest(dir)
	if len(m.Archives) != 1 || len(m.Modules) != 1 || m.Modules[0].Version != "go1.21.13" {
		t.Errorf("after a pruning sync without the official site: archives %v, modules %v", m.Archives, m.Modules)
	}
}

// TestPrune drops what is no longer selected, files and checksum answers,
// after the index and list stop naming it.
func TestPrune(t *testing.T) {
	d := startDist(t, testdist.Options{})
	dir := filepath.Join(t.TempDir(), "mirror")
	ctx := context.Background()
	if _, err := newSyncer(t, d, dir).Sync(ctx, opts(t, ">=1.21", both, host)); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "README.txt"), []byte("our mirror"), 0o644)
	o := opts(t, "latest", both, host)
	o.Prune = true
	rep, err := newSyncer(t, d, dir).Sync(ctx, o)
	if err != nil || rep.Dropped != 4 || rep.Kept != 2 {
		t.Fatalf("prune: %+v, %v", rep, err)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && !strings.Contains(p, stateDir) {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	for _, f := range files {
		if strings.Contains(f, "go1.22.4") || strings.Contains(f, "go1.21.13") {
			t.Errorf("pruned %s is still there", f)
		}
	}
	if !slices.Contains(files, "README.txt") {
		t.Error("prune removed a file gover did not write")
	}
	list, _ := os.ReadFile(filepath.Join(dir, "golang.org/toolchain/@v/list"))
	if string(list) != host.ModuleVersion("go1.22.5")+"\n" {
		t.Errorf("@v/list after prune: %q", list)
	}
}

// TestNoSumDBAnswers: zips are still proven, but no answer is published
// and "supported" is withdrawn, so clients ask the database themselves;
// turning answers back on publishes them for every module held.
func TestNoSumDBAnswers(t *testing.T) {
	d := startDist(t, testdist.Options{})
	dir := filepath.Join(t.TempDir(), "mirror")
	ctx := context.Background()
	supported := filepath.Join(dir, "sumdb", testdist.SumDBName, "supported")
	if _, err := newSyncer(t, d, dir).Sync(ctx, opts(t, "1.22.5", []Format{Module}, host)); err != nil {
		t.Fatal(err)
	}
	o := opts(t, "1.22.5,1.21.13", []Format{Module}, host)
	o.NoSumDBAnswers = true
	if _, err := newSyncer(t, d, dir).Sync(ctx, o); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(supported); err == nil {
		t.Error("supported still published")
	}
	if _, err := readAnswer(dir, testdist.SumDBName, host.ModuleVersion("go1.21.13")); err == nil {
		t.Error("an answer was published")
	}
	// A client goes to the database itself (through the distribution's proxy).
	srv := serve(t, dir)
	install(t, "1.21.13", proxySource(t, d, srv.URL+","+d.ProxyURL, testFetch(), t.TempDir()))

	o.NoSumDBAnswers = false
	if _, err := newSyncer(t, d, dir).Sync(ctx, o); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"go1.22.5", "go1.21.13"} {
		if _, err := readAnswer(dir, testdist.SumDBName, host.ModuleVersion(v)); err != nil {
			t.Errorf("answer for %s not published again: %v", v, err)
		}
	}
	if _, err := os.Stat(supported); err != nil {
		t.Error("supported not published again")
	}
	d.Close()
	install(t, "1.21.13", proxySource(t, d, srv.URL, testFetch(), t.TempDir()))
}

// TestConcurrentSyncs: two syncs of one folder take turns (a file lock);
// both succeed and the mirror is whole.
func TestConcurrentSyncs(t *testing.T) {
	d := startDist(t, testdist.Options{})
	dir := filepath.Join(t.TempDir(), "mirror")
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, v := range []string{"1.22.5", "1.21.13"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = newSyncer(t, d, dir).Sync(context.Background(), opts(t, v, both, host))
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	m, _ := readManifest(dir)
	if len(m.Archives) != 2 || len(m.Modules) != 2 {
		t.Fatalf("manifest after two syncs: %d archives, %d modules", len(m.Archives), len(m.Modules))
	}
	list, _ := os.ReadFile(filepath.Join(dir, "golang.org/toolchain/@v/list"))
	ix, _ := os.ReadFile(filepath.Join(dir, "index.json"))
	for _, v := range []string{"go1.22.5", "go1.21.13"} {
		if !bytes.Contains(list, []byte(v)) || !bytes.Contains(ix, []byte(v)) {
			t.Errorf("%s missing from the list or index", v)
		}
		if _, err := readAnswer(dir, testdist.SumDBName, host.ModuleVersion(v)); err != nil {
			t.Errorf("no checksum answer for %s", v)
		}
	}
	d.Close()
	srv := serve(t, dir)
	for _, v := range []string{"1.22.5", "1.21.13"} {
		install(t, v, proxySource(t, d, srv.URL, testFetch(), t.TempDir()))
	}
}
