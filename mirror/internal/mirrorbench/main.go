// Command mirrorbench measures how many installs per second one static
// server sustains when it serves a mirror built by 'gover mirror sync'.
//
//	mirrorbench prepare -dir DIR -tgz FILE -zip FILE
//	    builds DIR from a loopback distribution serving the real go1.22.5
//	    linux-amd64 archive and module zip (vouched for by a throwaway key
//	    and checksum database), and writes DIR.env: the key file and the
//	    database key the clients need.
//	mirrorbench run -env DIR.env [-url URL | -dir DIR] -clients 20 -each 5 -mode archive|module
//	    runs the clients against URL (any static server: nginx, …) or, with
//	    -dir, against net/http's FileServer started here. Every client
//	    installs -each times; the figure is all installs over the time until
//	    the last one is done.
//
// One install is what a gover client makes the server do, with every
// proof checked: for "archive", index.json, the .asc and the archive,
// proven by SHA-256 and the OpenPGP signature ('gover install --mirror');
// for "module", the .info, the checksum database's supported, lookup and
// tiles (a fresh client each time, like a new CI runner) and the zip,
// proven by its h1: hash (GOPROXY=mirror, and what GOTOOLCHAIN fetches).
// Nothing is unpacked: that is the client's disk, not the server's load.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goproxy"
	"github.com/goverdev/gover/internal/testdist"
	"github.com/goverdev/gover/mirror"
	"github.com/goverdev/gover/verify"
)

var linux = installer.Platform{OS: "linux", Arch: "amd64"}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: mirrorbench prepare|run [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "prepare":
		err = prepare(os.Args[2:])
	case "run":
		err = run(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q (prepare or run)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mirrorbench:", err)
		os.Exit(1)
	}
}

func prepare(args []string) error {
	fs := flag.NewFlagSet("prepare", flag.ExitOnError)
	dir := fs.String("dir", "", "mirror folder to build")
	tgz := fs.String("tgz", "", "the real go1.22.5.linux-amd64.tar.gz")
	zip := fs.String("zip", "", "the real v0.0.1-go1.22.5.linux-amd64.zip")
	fs.Parse(args)
	if *dir == "" || *tgz == "" || *zip == "" {
		return errors.New("prepare needs -dir, -tgz and -zip")
	}
	keyDir := *dir + ".key"
	if err := os.MkdirAll(keyDir, 0o755); err != nil {
		return err
	}
	d, err := testdist.Start(testdist.Options{KeyringDir: keyDir,
		Releases: []testdist.Release{{Version: "go1.22.5", Stable: true, Platforms: []string{"linux/amd64"}}}})
	if err != nil {
		return err
	}
	defer d.Close()
	tgzData, err := os.ReadFile(*tgz)
	if err != nil {
		return err
	}
	zipData, err := os.ReadFile(*zip)
	if err != nil {
		return err
	}
	d.Publish("go1.22.5.linux-amd64.tar.gz", tgzData)
	// Before any lookup, so the database vouches for the real zip.
	d.PublishModule("go1.22.5", "linux", "amd64", zipData)

	f := fetch.New("mirrorbench")
	cache, err := os.MkdirTemp("", "mirrorbench-cache-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(cache)
	proxies, _ := goproxy.Parse(d.ProxyURL)
	db, _ := goproxy.ParseGOSUMDB(d.SumDBKey)
	s := &mirror.Syncer{
		Dir: *dir,
		Official: &installer.Official{IndexURLs: []string{d.IndexURL}, DownloadURL: d.DownloadURL + "/", Fetch: f, Cache: cache, Now: time.Now,
			Signatures: verify.NewOpenPGP(verify.OpenPGPConfig{KeyringFile: d.KeyringPath})},
		Proxy:     &installer.Proxy{Proxies: proxies, SumDB: db, Fetch: f, SumDBDir: filepath.Join(cache, "sumdb")},
		Installer: &installer.Installer{Fetch: f, Now: time.Now},
		Fetch:     f,
		Now:       time.Now,
		Say:       func(format string, a ...any) { fmt.Fprintf(os.Stderr, format+"\n", a...) },
	}
	sel, _ := mirror.ParseVersions("1.22.5")
	if _, err := s.Sync(context.Background(), mirror.Options{Versions: sel, Platforms: []installer.Platform{linux}, Formats: []mirror.Format{mirror.Archive, mirror.Module}}); err != nil {
		return err
	}
	env := fmt.Sprintf("KEYRING=%s\nSUMDB=%s\n", d.KeyringPath, d.SumDBKey)
	return os.WriteFile(*dir+".env", []byte(env), 0o644)
}

func readEnv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	env := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			env[k] = v
		}
	}
	return env, sc.Err()
}

func run(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	envFile := fs.String("env", "", "the .env file prepare wrote")
	url := fs.String("url", "", "base URL of a static server serving the mirror")
	dir := fs.String("dir", "", "serve this mirror folder with net/http's FileServer instead")
	clients := fs.Int("clients", 20, "concurrent clients")
	each := fs.Int("each", 5, "installs per client")
	mode := fs.String("mode", "archive", "archive or module")
	tmp := fs.String("tmp", os.TempDir(), "where module clients keep a zip while hashing it (a tmpfs keeps disks out of the figure)")
	fs.Parse(args)
	env, err := readEnv(*envFile)
	if err != nil {
		return err
	}
	base := strings.TrimSuffix(*url, "/")
	server := "static server at " + base
	if *dir != "" {
		srv := httptest.NewServer(http.FileServer(http.Dir(*dir)))
		defer srv.Close()
		base, server = srv.URL, "net/http FileServer (in this process)"
	}
	if base == "" {
		return errors.New("run needs -url or -dir")
	}
	var install func(ctx context.Context, c *client) (int64, error)
	switch *mode {
	case "archive":
		install = installArchive
	case "module":
		install = installModule
	default:
		return fmt.Errorf("-mode %q: archive or module", *mode)
	}

	ctx := context.Background()
	var done, failed atomic.Int64
	var bytes atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < *clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient(base, env, *tmp)
			for range *each {
				t0 := time.Now()
				n, err := install(ctx, c)
				if err != nil {
					failed.Add(1)
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				done.Add(1)
				bytes.Add(n)
				mu.Lock()
				lat = append(lat, time.Since(t0))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))].Round(time.Millisecond)
	}
	fmt.Printf("%s installs (%s), %d clients, %s: %d done, %d failed; %.2f installs/s, %.0f MB/s; latency p50 %s, p95 %s\n",
		*mode, server, *clients, el.Round(time.Second), done.Load(), failed.Load(),
		float64(done.Load())/el.Seconds(), float64(bytes.Load())/el.Seconds()/1e6, pct(0.5), pct(0.95))
	if firstErr != nil {
		return fmt.Errorf("first failure: %w", firstErr)
	}
	return nil
}

// A client is one machine installing again and again, with its own
// connections and keyring, and no cache kept between installs.
type client struct {
	base, tmp string
	fetch     *fetch.Client
	sigs      verify.Signatures
	sumdb     goproxy.SumDB
}

func newClient(base string, env map[string]string, tmp string) *client {
	f := fetch.New("mirrorbench")
	db, _ := goproxy.ParseGOSUMDB(env["SUMDB"])
	return &client{base: base, tmp: tmp, fetch: f, sigs: verify.NewOpenPGP(verify.OpenPGPConfig{KeyringFile: env["KEYRING"]}), sumdb: db}
}

// installArchive is 'gover install --mirror URL 1.22.5' without the unpack:
// index.json, the .asc, and the archive through SHA-256 and signature checks.
func installArchive(ctx context.Context, c *client) (int64, error) {
	cache, err := os.MkdirTemp(c.tmp, "mirrorbench-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(cache)
	o := &installer.Official{IndexURLs: []string{c.base + "/" + installer.MirrorIndexFile}, DownloadURL: c.base + "/",
		Fetch: c.fetch, Cache: cache, Now: time.Now, Signatures: c.sigs}
	art, err := o.Locate(ctx, "go1.22.5", linux)
	if err != nil {
		return 0, err
	}
	checks, err := art.Checks()
	if err != nil {
		return 0, err
	}
	ws := make([]io.Writer, len(checks))
	for i, ch := range checks {
		ws[i] = ch
	}
	n, err := get(ctx, c, art.URLs[0], io.MultiWriter(ws...))
	if err != nil {
		return 0, err
	}
	for _, ch := range checks {
		if _, err := ch.Finish(); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// installModule is what a fresh client of GOPROXY=URL fetches and checks:
// the .info, the checksum database's answers and tiles, and the zip's h1.
func installModule(ctx context.Context, c *client) (int64, error) {
	state, err := os.MkdirTemp(c.tmp, "mirrorbench-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(state)
	proxies, _ := goproxy.Parse(c.base)
	p := &installer.Proxy{Proxies: proxies, SumDB: c.sumdb, Fetch: c.fetch, SumDBDir: filepath.Join(state, "sumdb")}
	art, err := p.Locate(ctx, "go1.22.5", linux)
	if err != nil {
		return 0, err
	}
	zipFile := filepath.Join(state, "x.zip")
	f, err := os.Create(zipFile)
	if err != nil {
		return 0, err
	}
	n, err := get(ctx, c, art.URLs[0], f)
	f.Close()
	if err != nil {
		return 0, err
	}
	h1, err := dirhash.HashZip(zipFile, dirhash.Hash1)
	if err != nil {
		return 0, err
	}
	if _, err := verify.ZipHashCheck(art.Filename, h1, art.WantH1, art.SumDB); err != nil {
		return 0, err
	}
	return n, nil
}

// get streams a URL into w.
func get(ctx context.Context, c *client, url string, w io.Writer) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.fetch.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("%s: %s", url, resp.Status)
	}
	return io.CopyBuffer(w, resp.Body, make([]byte, 256<<10))
}
