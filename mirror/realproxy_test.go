package mirror

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/goproxy"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/internal/testdist"
)

// TestRealProxyMirror syncs one real toolchain from the Go module proxy
// and the real checksum database (sum.golang.org, through the proxy), then
// serves the folder with a plain static server and installs from it, with
// every way out to the internet closed: with gover's proxy source, and
// with the go command's own GOTOOLCHAIN switch, GOSUMDB left at its
// default. The official download site is not reachable on these machines,
// so the archive format cannot be tried for real here.
func TestRealProxyMirror(t *testing.T) {
	settings := goproxy.Load(os.Getenv)
	proxies, err := goproxy.Parse(settings.GOPROXY)
	if err != nil {
		t.Fatal(err)
	}
	db, err := goproxy.ParseGOSUMDB(settings.GOSUMDB)
	if err != nil {
		t.Fatal(err)
	}
	f := testFetch()
	dir := filepath.Join(t.TempDir(), "mirror")
	s := &Syncer{
		Dir:       dir,
		Proxy:     &installer.Proxy{Proxies: proxies, SumDB: db, Fetch: f, SumDBDir: filepath.Join(t.TempDir(), "sumdb")},
		Installer: &installer.Installer{Fetch: f, Now: time.Now},
		Fetch:     f,
		Now:       time.Now,
		Say:       t.Logf,
	}
	start := time.Now()
	rep, err := s.Sync(context.Background(), opts(t, "1.22.5", []Format{Module}, host))
	if err != nil {
		t.Fatalf("sync from the real module proxy (%s): %v", settings.GOPROXY, err)
	}
	t.Logf("synced %d item(s), %d bytes, in %v", rep.Fetched, rep.Bytes, time.Since(start).Round(time.Millisecond))
	m, err := readManifest(dir)
	if err != nil || len(m.Modules) != 1 || m.SumDB == nil || m.SumDB.Name != "sum.golang.org" {
		t.Fatalf("manifest: %+v, %v", m, err)
	}
	tiles := 0
	for _, f := range m.SumDB.Files {
		if strings.HasPrefix(f, "tile/") {
			tiles++
		}
	}
	t.Logf("checksum database: %d tiles, tree head:\n%s", tiles, m.SumDB.Tree)

	srv := serve(t, dir)

	// gover, GOPROXY=the mirror, a fresh cache.
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
	mp, _ := goproxy.Parse(srv.URL)
	dbDefault, _ := goproxy.ParseGOSUMDB("")
	src := &installer.Proxy{Proxies: mp, SumDB: dbDefault, Fetch: in.Fetch, SumDBDir: filepath.Join(t.TempDir(), "sumdb")}
	res, err := in.Install(context.Background(), installer.Request{Word: goversion.MustParse("1.22.5"), Platform: host, Host: true, Sources: []installer.Source{src}})
	if err != nil {
		t.Fatalf("gover install from the mirror: %v", err)
	}
	out, err := testdist.GoCommand(t, filepath.Join(res.Dir, "bin", "go"+exeSuffix()), false, []string{"version"}).Output()
	want := "go version go1.22.5 " + host.String()
	if err != nil || strings.TrimSpace(string(out)) != want {
		t.Errorf("installed go version = %q, %v", out, err)
	}

	// The go command, GOSUMDB at its default (sum.golang.org), which it
	// reaches through the mirror's sumdb/sum.golang.org/supported.
	goCmd := goCommand(t)
	cmd := testdist.GoCommand(t, goCmd, true, []string{"version"}, "GOTOOLCHAIN=go1.22.5", "GOPROXY="+srv.URL)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err = cmd.Output()
	if err != nil || strings.TrimSpace(string(out)) != want {
		t.Errorf("GOTOOLCHAIN=go1.22.5 GOPROXY=<mirror> go version = %q, %v\n%s", out, err, stderr.String())
	}
	for _, r := range srv.requests() {
		if !strings.HasSuffix(r, " OK") {
			t.Errorf("the mirror lacked %s", r)
		}
	}
	t.Logf("requests to the static server:\n%s", strings.Join(srv.requests(), "\n"))
}

func exeSuffix() string {
	if host.OS == "windows" {
		return ".exe"
	}
	return ""
}
