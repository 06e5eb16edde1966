package testdist

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/dirhash"
	modzip "golang.org/x/mod/zip"
)

// shared is one Dist for the tests that do not change it (faults,
// publishing): starting one builds every archive.
var shared struct {
	once sync.Once
	d    *Dist
	err  error
}

func sharedDist(t *testing.T) *Dist {
	t.Helper()
	shared.once.Do(func() { shared.d, shared.err = Start(Options{}) })
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.d
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.d != nil {
		shared.d.Close()
	}
	os.Exit(code)
}

func get(t *testing.T, url string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: read body: %v", url, err)
	}
	return res, body
}

func getOK(t *testing.T, url string) []byte {
	t.Helper()
	res, body := get(t, url)
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %s: %s", url, res.Status, body)
	}
	return body
}

func TestIndexMatchesServedFiles(t *testing.T) {
	d := sharedDist(t)
	var index []IndexRelease
	if err := json.Unmarshal(getOK(t, d.IndexURL), &index); err != nil {
		t.Fatal(err)
	}
	if len(index) != len(DefaultReleases()) {
		t.Fatalf("index has %d releases, want %d", len(index), len(DefaultReleases()))
	}
	wantOrder := []string{"go1.23rc1", "go1.22.5", "go1.22.4", "go1.21.13", "go1.21.0", "go1.21rc2", "go1.20"}
	kinds := map[string]int{}
	for i, r := range index {
		if r.Version != wantOrder[i] {
			t.Errorf("release %d is %s, want %s (newest first)", i, r.Version, wantOrder[i])
		}
		if r.Stable == strings.Contains(r.Version, "rc") {
			t.Errorf("%s: stable = %v", r.Version, r.Stable)
		}
		for _, f := range r.Files {
			kinds[f.Kind]++
			if f.Version != r.Version {
				t.Errorf("%s: version %s in release %s", f.Filename, f.Version, r.Version)
			}
			body := getOK(t, d.DownloadURL+"/"+f.Filename)
			if int64(len(body)) != f.Size || sum256(body) != f.SHA256 {
				t.Errorf("%s: served %d bytes with sha256 %s; index says %d, %s", f.Filename, len(body), sum256(body), f.Size, f.SHA256)
			}
			if f.Kind == "source" && (f.OS != "" || f.Arch != "") {
				t.Errorf("%s: source file has os %q arch %q", f.Filename, f.OS, f.Arch)
			}
		}
	}
	if kinds["archive"] != 7*5 || kinds["source"] != 7 || kinds["installer"] != 7*2 {
		t.Errorf("file kinds = %v, want 35 archives, 7 sources, 14 installers", kinds)
	}

	var arm IndexFile
	for _, f := range index[1].Files {
		if f.OS == "linux" && f.Arch == "armv6l" {
			arm = f
		}
	}
	if arm.Filename != "go1.22.5.linux-armv6l.tar.gz" || arm.Kind != "archive" {
		t.Errorf("linux/arm entry = %+v, want go1.22.5.linux-armv6l.tar.gz", arm)
	}
}

func TestIndexCurrentOnly(t *testing.T) {
	d := sharedDist(t)
	var index []IndexRelease
	if err := json.Unmarshal(getOK(t, d.URL+"/dl/?mode=json"), &index); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range index {
		got = append(got, r.Version)
	}
	if strings.Join(got, " ") != "go1.22.5 go1.21.13" {
		t.Errorf("?mode=json lists %v, want [go1.22.5 go1.21.13]", got)
	}
	res, body := get(t, d.URL+"/dl/")
	if res.Header.Get("Content-Type") != "text/html; charset=utf-8" || !bytes.Contains(body, []byte("<!DOCTYPE html>")) {
		t.Errorf("/dl/ without mode=json: %s %q…", res.Header.Get("Content-Type"), body[:min(40, len(body))])
	}
}

func TestIndexFormatIsOfficial(t *testing.T) {
	d := sharedDist(t)
	body := getOK(t, d.IndexURL)
	// The exact field order and one-space indent of the official index.
	want := "[\n {\n  \"version\": \"go1.23rc1\",\n  \"stable\": false,\n  \"files\": [\n   {\n    \"filename\": \"go1.23rc1.src.tar.gz\",\n    \"os\": \"\",\n    \"arch\": \"\",\n    \"version\": \"go1.23rc1\",\n    \"sha256\": \""
	if !strings.HasPrefix(string(body), want) {
		t.Errorf("index starts\n%s\nwant\n%s", body[:len(want)], want)
	}
}

func TestDigestAndSignatureFiles(t *testing.T) {
	d := sharedDist(t)
	name, data := d.Archive("go1.22.5", "linux", "amd64")
	if name != "go1.22.5.linux-amd64.tar.gz" {
		t.Fatalf("archive name %s", name)
	}
	for _, base := range []string{d.DownloadURL, d.MirrorURL, d.Mirror2URL} {
		digest := getOK(t, base+"/"+name+".sha256")
		if string(digest) != sum256(data) {
			t.Errorf("%s/%s.sha256 = %q, want %s with no newline", base, name, digest, sum256(data))
		}
		if !bytes.Equal(getOK(t, base+"/"+name), data) {
			t.Errorf("%s/%s: bytes differ from Archive", base, name)
		}
		sig := getOK(t, base+"/"+name+".asc")
		keyring, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(getOK(t, d.DownloadURL+"/linux_signing_key.pub")))
		if err != nil {
			t.Fatal(err)
		}
		signer, err := openpgp.CheckArmoredDetachedSignature(keyring, bytes.NewReader(data), bytes.NewReader(sig), nil)
		if err != nil {
			t.Fatalf("%s.asc does not verify: %v", name, err)
		}
		if signer.PrimaryKey.KeyId != d.Signer().PrimaryKey.KeyId {
			t.Errorf("signed by %X, want %X", signer.PrimaryKey.KeyId, d.Signer().PrimaryKey.KeyId)
		}
		if _, err := openpgp.CheckArmoredDetachedSignature(keyring, bytes.NewReader(append(data, 0)), bytes.NewReader(sig), nil); err == nil {
			t.Error("signature also verifies other bytes")
		}
	}
	onDisk, err := os.ReadFile(d.KeyringPath)
	if err != nil || !bytes.Equal(onDisk, d.PublicKey()) {
		t.Errorf("KeyringPath holds %d bytes (%v), want the public key", len(onDisk), err)
	}
}

func TestSigningKeyShape(t *testing.T) {
	d := sharedDist(t)
	keyring, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(d.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	if len(keyring) != 1 {
		t.Fatalf("%d entities, want 1", len(keyring))
	}
	e := keyring[0]
	if e.PrivateKey != nil {
		t.Error("public key file carries a private key")
	}
	sig, _ := e.PrimarySelfSignature()
	if !sig.FlagsValid || !sig.FlagCertify || sig.FlagSign {
		t.Errorf("primary key flags: certify %v sign %v, want certify only", sig.FlagCertify, sig.FlagSign)
	}
	if len(e.Subkeys) != 1 || !e.Subkeys[0].Sig.FlagSign || e.Subkeys[0].Sig.FlagEncryptCommunications {
		t.Fatalf("want exactly one signing subkey, got %d", len(e.Subkeys))
	}
	if e.Subkeys[0].Sig.KeyLifetimeSecs == nil || *e.Subkeys[0].Sig.KeyLifetimeSecs == 0 {
		t.Error("signing subkey never expires; Google's expire after three years")
	}
	// The signature must come from the subkey, not the primary key.
	p, err := packet.Read(armorBody(t, d.Signature("go1.22.5.linux-amd64.tar.gz")))
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := p.(*packet.Signature); !ok || *s.IssuerKeyId != e.Subkeys[0].PublicKey.KeyId {
		t.Errorf("signature packet %T not issued by the subkey %X", p, e.Subkeys[0].PublicKey.KeyId)
	}
}

func armorBody(t *testing.T, armored []byte) io.Reader {
	t.Helper()
	if !bytes.HasPrefix(armored, []byte("-----BEGIN PGP SIGNATURE-----")) {
		t.Fatalf("not an armored signature: %q", armored)
	}
	block, err := armor.Decode(bytes.NewReader(armored))
	if err != nil {
		t.Fatal(err)
	}
	return block.Body
}

func TestOwnSignerAndSignTime(t *testing.T) {
	created := time.Date(2021, 10, 26, 0, 0, 0, 0, time.UTC)
	e, err := NewSigningKey("Old Key <old@testdist.invalid>", created, 3*365*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	signedAt := created.Add(24 * time.Hour)
	d := New(t, Options{Signer: e, SignedAt: signedAt, Releases: []Release{{Version: "go1.22.5", Stable: true, Platforms: []string{"linux/amd64"}}}})
	name, data := d.Archive("go1.22.5", "linux", "amd64")
	keyring, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(getOK(t, d.DownloadURL+"/linux_signing_key.pub")))
	if err != nil {
		t.Fatal(err)
	}
	sig := getOK(t, d.DownloadURL+"/"+name+".asc")
	// Checked now, the subkey has expired…
	if _, err := openpgp.CheckArmoredDetachedSignature(keyring, bytes.NewReader(data), bytes.NewReader(sig), nil); err == nil {
		t.Error("signature by an expired subkey verifies at the current time")
	}
	// …checked when the signature was made, it was valid.
	cfg := &packet.Config{Time: func() time.Time { return signedAt }}
	if _, err := openpgp.CheckArmoredDetachedSignature(keyring, bytes.NewReader(data), bytes.NewReader(sig), cfg); err != nil {
		t.Errorf("signature does not verify at its creation time: %v", err)
	}
}

func TestArchiveContents(t *testing.T) {
	d := sharedDist(t)
	_, tgz := d.Archive("go1.22.5", "linux", "arm")
	files := readTarGz(t, tgz)
	if got := string(files["go/VERSION"].body); got != "go1.22.5\ntime 2024-07-02T17:00:00Z\n" {
		t.Errorf("go/VERSION = %q", got)
	}
	for _, name := range []string{"go/bin/go", "go/bin/gofmt", "go/pkg/tool/linux_arm/compile"} {
		if files[name].mode&0o111 == 0 {
			t.Errorf("%s mode %v, want executable", name, files[name].mode)
		}
	}
	for _, name := range []string{"go/src/go.mod", "go/src/cmd/go.mod", "go/api/go1.txt", "go/doc/go_spec.html", "go/misc/wasm/wasm_exec.js", "go/test/helloworld.go", "go/", "go/bin/"} {
		if _, ok := files[name]; !ok {
			t.Errorf("archive lacks %s", name)
		}
	}
	if got := string(files["go/src/go.mod"].body); got != "module std\n\ngo 1.22\n" {
		t.Errorf("go/src/go.mod = %q", got)
	}

	_, old := d.Archive("go1.20", "linux", "amd64")
	if got := string(readTarGz(t, old)["go/VERSION"].body); got != "go1.20" {
		t.Errorf("go1.20 VERSION = %q, want the bare pre-1.21 form", got)
	}

	name, z := d.Archive("go1.22.5", "windows", "amd64")
	if name != "go1.22.5.windows-amd64.zip" {
		t.Errorf("windows archive named %s", name)
	}
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	all := strings.Join(names, " ")
	if !strings.Contains(all, "go/bin/go.exe") || !strings.Contains(all, "go/bin/gofmt.exe") || strings.Contains(all, "go/bin/go ") {
		t.Errorf("windows archive files: %s", all)
	}
}

func TestExtraFilesAndWindowsGoExe(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "go.exe")
	if err := os.WriteFile(exe, []byte("MZ real enough"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := New(t, Options{ExtraFiles: 250, WindowsGoExe: exe, Releases: []Release{{Version: "go1.22.5", Stable: true, Platforms: []string{"linux/amd64", "windows/amd64"}}}})
	_, tgz := d.Archive("go1.22.5", "linux", "amd64")
	n := 0
	for name := range readTarGz(t, tgz) {
		if strings.HasPrefix(name, "go/src/bulk/") && !strings.HasSuffix(name, "/") {
			n++
		}
	}
	if n != 250 {
		t.Errorf("%d bulk files, want 250", n)
	}
	_, z := d.Archive("go1.22.5", "windows", "amd64")
	zr, _ := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	for _, f := range zr.File {
		if f.Name == "go/bin/go.exe" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			if string(b) != "MZ real enough" {
				t.Errorf("go.exe = %q, want the WindowsGoExe file", b)
			}
		}
	}
}

type tarFile struct {
	mode os.FileMode
	body []byte
}

func readTarGz(t *testing.T, data []byte) map[string]tarFile {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	files := map[string]tarFile{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		files[h.Name] = tarFile{h.FileInfo().Mode(), b}
	}
}

func TestArchivesAreDeterministic(t *testing.T) {
	rels := []Release{{Version: "go1.22.5", Stable: true, Platforms: []string{"linux/amd64", "windows/amd64"}}}
	a, err := buildCatalog(rels, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := buildCatalog(rels, Options{}, nil)
	for name, f := range a.files {
		if f.sha256 != b.files[name].sha256 {
			t.Errorf("%s differs between two builds", name)
		}
	}
}

func TestModuleZip(t *testing.T) {
	d := sharedDist(t)
	mv := ModuleVersion("go1.22.5", "linux", "amd64")
	if mv != "v0.0.1-go1.22.5.linux-amd64" {
		t.Fatalf("module version %s", mv)
	}
	z := getOK(t, d.ProxyURL+"/golang.org/toolchain/@v/"+mv+".zip")
	if !bytes.Equal(z, d.ModuleZip("go1.22.5", "linux", "amd64")) {
		t.Fatal("proxy zip differs from ModuleZip")
	}
	zipPath := filepath.Join(t.TempDir(), "m.zip")
	os.WriteFile(zipPath, z, 0o644)
	mod := module.Version{Path: "golang.org/toolchain", Version: mv}
	cf, err := modzip.CheckZip(mod, zipPath)
	if err != nil {
		t.Fatalf("CheckZip: %v", err)
	}
	if err := cf.Err(); err != nil {
		t.Fatalf("CheckZip: %v", err)
	}

	zr, _ := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	prefix := "golang.org/toolchain@" + mv + "/"
	seen := map[string]os.FileMode{}
	for _, f := range zr.File {
		rel, ok := strings.CutPrefix(f.Name, prefix)
		if !ok {
			t.Errorf("entry %s lacks prefix %s", f.Name, prefix)
		}
		seen[rel] = f.Mode()
	}
	for _, gone := range []string{"api/go1.txt", "doc/go_spec.html", "misc/wasm/wasm_exec.js", "test/helloworld.go", "src/go.mod", "src/cmd/go.mod"} {
		if _, ok := seen[gone]; ok {
			t.Errorf("module zip has %s", gone)
		}
	}
	for _, want := range []string{"src/_go.mod", "src/cmd/_go.mod", "bin/go", "VERSION"} {
		if _, ok := seen[want]; !ok {
			t.Errorf("module zip lacks %s", want)
		}
	}
	if seen["bin/go"]&0o111 == 0 {
		t.Errorf("bin/go mode %v, want executable", seen["bin/go"])
	}

	want, err := dirhash.HashZip(zipPath, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	lines := d.ModuleSum("go1.22.5", "linux", "amd64")
	if !strings.HasPrefix(lines, "golang.org/toolchain "+mv+" "+want+"\n") {
		t.Errorf("go.sum lines\n%s\ndo not carry HashZip %s", lines, want)
	}

	if got := string(getOK(t, d.ProxyURL+"/golang.org/toolchain/@v/"+mv+".mod")); got != "module golang.org/toolchain\n" {
		t.Errorf(".mod = %q", got)
	}
	var info struct{ Version, Time string }
	if err := json.Unmarshal(getOK(t, d.ProxyURL+"/golang.org/toolchain/@v/"+mv+".info"), &info); err != nil || info.Version != mv || info.Time != "2024-07-02T17:00:00Z" {
		t.Errorf(".info = %+v (%v)", info, err)
	}
	list := string(getOK(t, d.ProxyURL+"/golang.org/toolchain/@v/list"))
	if !strings.Contains(list, "\nv0.0.1-go1.22.5.linux-amd64\n") || !strings.Contains(list, "v0.0.1-go1.22.5.linux-arm\n") || strings.Contains(list, "armv6l") {
		t.Errorf("list:\n%s", list)
	}
	res, body := get(t, d.ProxyURL+"/golang.org/toolchain/@v/v0.0.1-go1.99.0.linux-amd64.zip")
	if res.StatusCode != 404 || !strings.HasPrefix(string(body), "not found: ") {
		t.Errorf("unknown version: %s %q", res.Status, body)
	}
}

func TestModuleNoModes(t *testing.T) {
	d := New(t, Options{ModuleNoModes: true, Releases: []Release{{Version: "go1.21.0", Stable: true, Platforms: []string{"linux/amd64"}}}})
	z := d.ModuleZip("go1.21.0", "linux", "amd64")
	zr, _ := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	for _, f := range zr.File {
		if f.CreatorVersion>>8 == 3 || f.ExternalAttrs != 0 {
			t.Errorf("%s carries Unix modes (creator %d, attrs %o)", f.Name, f.CreatorVersion>>8, f.ExternalAttrs>>16)
		}
	}
}

// memOps is a minimal sumdb.ClientOps over HTTP, with config and cache in
// memory.
type memOps struct {
	base string
	key  string
	mu   sync.Mutex
	cfg  map[string][]byte
	c    map[string][]byte
	t    *testing.T
}

func (o *memOps) ReadRemote(path string) ([]byte, error) {
	res, err := http.Get(o.base + path)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %s: %s", path, res.Status, b)
	}
	return b, err
}

func (o *memOps) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.key), nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.cfg[file], nil
}

func (o *memOps) WriteConfig(file string, old, new []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !bytes.Equal(o.cfg[file], old) {
		return sumdb.ErrWriteConflict
	}
	o.cfg[file] = new
	return nil
}

func (o *memOps) ReadCache(file string) ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if b, ok := o.c[file]; ok {
		return b, nil
	}
	return nil, os.ErrNotExist
}

func (o *memOps) WriteCache(file string, data []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.c[file] = data
}

func (o *memOps) Log(msg string)           {}
func (o *memOps) SecurityError(msg string) { o.t.Errorf("sumdb security error: %s", msg) }

func newMemOps(t *testing.T, base, key string) *memOps {
	return &memOps{base: base, key: key, cfg: map[string][]byte{}, c: map[string][]byte{}, t: t}
}

func TestSumDBThroughProxyAndDirect(t *testing.T) {
	d := sharedDist(t)
	if !strings.HasPrefix(d.GOSUMDB, SumDBName+"+") || !strings.HasSuffix(d.GOSUMDB, " "+d.URL+"/sumdb") {
		t.Errorf("GOSUMDB = %q", d.GOSUMDB)
	}
	res, _ := get(t, d.ProxyURL+"/sumdb/"+SumDBName+"/supported")
	if res.StatusCode != 200 {
		t.Errorf("proxy supported: %s", res.Status)
	}
	if res, _ := get(t, d.ProxyURL+"/sumdb/sum.golang.org/supported"); res.StatusCode != 404 {
		t.Errorf("proxy supported for another database: %s, want 404", res.Status)
	}

	want := d.ModuleSum("go1.22.5", "linux", "amd64")
	for _, base := range []string{d.ProxyURL + "/sumdb/" + SumDBName, d.SumDBURL} {
		c := sumdb.NewClient(newMemOps(t, base, d.SumDBKey))
		for _, v := range []string{"go1.22.5.linux-amd64", "go1.21.0.windows-amd64", "go1.22.5.darwin-arm64"} {
			lines, err := c.Lookup("golang.org/toolchain", "v0.0.1-"+v)
			if err != nil {
				t.Fatalf("Lookup via %s: %v", base, err)
			}
			if v != "go1.22.5.linux-amd64" {
				continue
			}
			modLines, err := c.Lookup("golang.org/toolchain", "v0.0.1-"+v+"/go.mod")
			if err != nil {
				t.Fatalf("Lookup go.mod via %s: %v", base, err)
			}
			if got := strings.Join(append(lines, modLines...), "\n") + "\n"; got != want {
				t.Errorf("Lookup via %s:\n%s\nwant\n%s", base, got, want)
			}
		}
		if _, err := c.Lookup("golang.org/toolchain", "v0.0.1-go1.99.0.linux-amd64"); err == nil || !strings.Contains(err.Error(), "404") {
			t.Errorf("Lookup of an unknown version: %v, want a 404", err)
		}
	}

	nd := New(t, Options{NoProxySumDB: true, Releases: []Release{{Version: "go1.22.5", Stable: true, Platforms: []string{"linux/amd64"}}}})
	if res, _ := get(t, nd.ProxyURL+"/sumdb/"+SumDBName+"/supported"); res.StatusCode != 404 {
		t.Errorf("NoProxySumDB: supported answers %s", res.Status)
	}
	if _, err := sumdb.NewClient(newMemOps(t, nd.SumDBURL, nd.SumDBKey)).Lookup("golang.org/toolchain", "v0.0.1-go1.22.5.linux-amd64"); err != nil {
		t.Errorf("NoProxySumDB: direct lookup: %v", err)
	}
}

func TestRange(t *testing.T) {
	d := sharedDist(t)
	name, data := d.Archive("go1.22.5", "linux", "amd64")
	url := d.DownloadURL + "/" + name
	res, body := get(t, url, "Range", "bytes=100-")
	if res.StatusCode != 206 || !bytes.Equal(body, data[100:]) {
		t.Fatalf("Range bytes=100-: %s, %d bytes", res.Status, len(body))
	}
	if got, want := res.Header.Get("Content-Range"), fmt.Sprintf("bytes 100-%d/%d", len(data)-1, len(data)); got != want {
		t.Errorf("Content-Range %q, want %q", got, want)
	}
	full, _ := get(t, url)
	if full.Header.Get("Content-Length") != fmt.Sprint(len(data)) || full.Header.Get("ETag") == "" || full.Header.Get("Last-Modified") == "" || full.Header.Get("Accept-Ranges") != "bytes" {
		t.Errorf("headers %v", full.Header)
	}
	// A resume whose If-Range no longer matches gets the whole file.
	res, body = get(t, url, "Range", "bytes=100-", "If-Range", `"stale"`)
	if res.StatusCode != 200 || !bytes.Equal(body, data) {
		t.Errorf("stale If-Range: %s, %d bytes", res.Status, len(body))
	}
	res, body = get(t, url, "Range", "bytes=100-", "If-Range", full.Header.Get("ETag"))
	if res.StatusCode != 206 || len(body) != len(data)-100 {
		t.Errorf("matching If-Range: %s, %d bytes", res.Status, len(body))
	}
	mz := d.ModuleZip("go1.22.5", "linux", "amd64")
	res, body = get(t, d.ProxyURL+"/golang.org/toolchain/@v/v0.0.1-go1.22.5.linux-amd64.zip", "Range", "bytes=0-9")
	if res.StatusCode != 206 || !bytes.Equal(body, mz[:10]) {
		t.Errorf("module zip range: %s", res.Status)
	}
}

func TestNotFoundPages(t *testing.T) {
	d := sharedDist(t)
	for _, url := range []string{d.DownloadURL + "/go1.99.0.linux-amd64.tar.gz", d.MirrorURL + "/go1.99.0.linux-amd64.tar.gz.sha256"} {
		res, body := get(t, url)
		if res.StatusCode != 404 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || len(body) == 0 {
			t.Errorf("%s: %s %s", url, res.Status, res.Header.Get("Content-Type"))
		}
	}
	res, body := get(t, d.MirrorURL+"/")
	if res.StatusCode != 200 || !bytes.Contains(body, []byte(`href="go1.22.5.linux-amd64.tar.gz.sha256"`)) {
		t.Errorf("mirror listing: %s", res.Status)
	}
	if res, _ := get(t, d.MirrorURL+"/?mode=json"); res.Header.Get("Content-Type") == "application/json" {
		t.Error("a mirror serves a JSON index")
	}
}

func TestRequestsAndLog(t *testing.T) {
	d := New(t, Options{Releases: []Release{{Version: "go1.22.5", Stable: true, Platforms: []string{"linux/amd64"}}}})
	name, _ := d.Archive("go1.22.5", "linux", "amd64")
	getOK(t, d.DownloadURL+"/"+name)
	getOK(t, d.DownloadURL+"/"+name)
	getOK(t, d.DownloadURL+"/"+name+".sha256")
	get(t, d.MirrorURL+"/"+name, "Range", "bytes=5-")
	getOK(t, d.IndexURL)
	for pattern, want := range map[string]int{
		"/dl/" + name: 2, "/dl/" + name + ".sha256": 1, "/dl/*": 4, "/mirror/*": 1, IndexPath: 1, "/proxy/*": 0,
	} {
		if got := d.Requests(pattern); got != want {
			t.Errorf("Requests(%q) = %d, want %d", pattern, got, want)
		}
	}
	log := d.Log()
	if len(log) != 5 || log[3].Range != "bytes=5-" || log[4].Query != "mode=json&include=all" {
		t.Errorf("log = %+v", log)
	}
}

func TestEnv(t *testing.T) {
	d := sharedDist(t)
	env := map[string]string{}
	for _, kv := range d.Env() {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	for k, want := range map[string]string{
		"GOVER_INDEX_URL": d.URL + "/dl/?mode=json&include=all", "GOVER_DOWNLOAD_URL": d.URL + "/dl",
		"GOPROXY": d.URL + "/proxy", "GOSUMDB": d.SumDBKey, "GOVER_KEYRING": d.KeyringPath, "GONOSUMDB": "",
	} {
		if v, ok := env[k]; !ok || v != want {
			t.Errorf("Env %s = %q, want %q", k, v, want)
		}
	}
}

func TestUnreachable(t *testing.T) {
	d := sharedDist(t)
	_, err := http.Get(d.ClosedURL() + "/dl/")
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("ClosedURL: %v, want connection refused", err)
	}
	_, err = http.Get(UnresolvableURL + "/dl/")
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) {
		t.Errorf("UnresolvableURL: %v, want a DNS error", err)
	}
}

func TestStartWithoutT(t *testing.T) {
	d, err := Start(Options{Releases: []Release{{Version: "go1.22.5", Stable: true, Platforms: []string{"linux/amd64"}}}})
	if err != nil {
		t.Fatal(err)
	}
	keyDir := filepath.Dir(d.KeyringPath)
	getOK(t, d.IndexURL)
	d.Close()
	if _, err := os.Stat(keyDir); !os.IsNotExist(err) {
		t.Errorf("Close left %s behind (%v)", keyDir, err)
	}
	if _, err := http.Get(d.IndexURL); err == nil {
		t.Error("server still answers after Close")
	}

	_, err = Start(Options{Releases: []Release{{Version: "1.22.5", Platforms: []string{"linux/amd64"}}}})
	if err == nil || !strings.Contains(err.Error(), `"1.22.5"`) {
		t.Errorf("bad version: %v", err)
	}
	_, err = Start(Options{Releases: []Release{{Version: "go1.22.5", Platforms: []string{"linux-amd64"}}}})
	if err == nil || !strings.Contains(err.Error(), "GOOS/GOARCH") {
		t.Errorf("bad platform: %v", err)
	}
}

func checkSig(d *Dist, data, sig []byte) (*openpgp.Entity, error) {
	keyring, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(d.PublicKey()))
	if err != nil {
		return nil, err
	}
	return openpgp.CheckArmoredDetachedSignature(keyring, bytes.NewReader(data), bytes.NewReader(sig), nil)
}
