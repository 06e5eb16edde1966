package installer

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/testdist"
	"github.com/goverdev/gover/verify"
)

func TestUseMirrorIndexes(t *testing.T) {
	o := &Official{
		IndexURLs:  []string{DefaultIndexURL},
		Mirrors:    []string{"https://golang.google.cn/dl/", "https://mirrors.aliyun.com/golang/", "https://go.example.com/mirror/", "file:///srv/go/"},
		Signatures: verify.NewOpenPGP(verify.OpenPGPConfig{}),
	}
	o.UseMirrorIndexes()
	want := []string{DefaultIndexURL, "https://go.example.com/mirror/index.json", "file:///srv/go/index.json"}
	if !slices.Equal(o.IndexURLs, want) {
		t.Errorf("IndexURLs = %q, want %q", o.IndexURLs, want)
	}
	// Without signature checks a mirror's index would be trusted alone: never.
	o = &Official{IndexURLs: []string{DefaultIndexURL}, Mirrors: []string{"https://go.example.com/mirror/"}}
	o.UseMirrorIndexes()
	if len(o.IndexURLs) != 1 {
		t.Errorf("without signatures, IndexURLs = %q", o.IndexURLs)
	}
}

// TestSignatureAndOrg: installs through a mirror read the organisation's
// <archive>.org.asc beside the official .asc, so that either key suffices.
func TestSignatureAndOrg(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	name, data := d.Archive("go1.22.5", "linux", "amd64")

	org, err := openpgp.NewEntity("Example Corp Go Mirror", "", "go-mirror@example.invalid", &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA})
	if err != nil {
		t.Fatal(err)
	}
	var orgSig, orgPub bytes.Buffer
	if err := openpgp.ArmoredDetachSign(&orgSig, org, bytes.NewReader(data), nil); err != nil {
		t.Fatal(err)
	}
	w, _ := armor.Encode(&orgPub, openpgp.PublicKeyType, nil)
	org.Serialize(w)
	w.Close()
	orgKeyring := filepath.Join(t.TempDir(), "org.asc")
	os.WriteFile(orgKeyring, orgPub.Bytes(), 0o644)

	// A mirror with the organisation's signature, and one without.
	signed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/"+name+OrgSignatureSuffix {
			w.Write(orgSig.Bytes())
			return
		}
		http.NotFound(w, r)
	}))
	defer signed.Close()

	f := fetch.New("gover-test")
	official := func(mirrors ...string) *Official {
		return &Official{IndexURLs: []string{d.IndexURL}, DownloadURL: d.DownloadURL + "/", Mirrors: mirrors, Fetch: f, Cache: t.TempDir(), Now: time.Now}
	}
	ctx := context.Background()
	check := func(keyring string, sig []byte) error {
		c, err := verify.NewOpenPGP(verify.OpenPGPConfig{KeyringFile: keyring}).Check(ctx, name, sig)
		if err != nil {
			return err
		}
		c.Write(data)
		_, err = c.Finish()
		return err
	}

	sig, err := official(d.MirrorURL+"/", signed.URL+"/").signatureAndOrg(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	for _, keyring := range []string{orgKeyring, d.KeyringPath} {
		if err := check(keyring, sig); err != nil {
			t.Errorf("with keyring %s: %v", filepath.Base(keyring), err)
		}
	}
	// No organisation signature anywhere: the official one, unchanged.
	before := d.Requests("/mirror/*")
	sig, err = official(d.MirrorURL+"/").signatureAndOrg(ctx, name)
	if err != nil || !bytes.Equal(sig, d.Signature(name)) {
		t.Errorf("without .org.asc: %v, changed=%v", err, !bytes.Equal(sig, d.Signature(name)))
	}
	if d.Requests("/mirror/*") != before+1 {
		t.Errorf("the mirror was asked %d times for the organisation signature, want once", d.Requests("/mirror/*")-before)
	}
	if err := check(orgKeyring, sig); err == nil {
		t.Error("the organisation's key accepted the official signature alone")
	}
	// No mirror: nothing is asked beyond the official .asc.
	if sig, err = official().signatureAndOrg(ctx, name); err != nil || !bytes.Equal(sig, d.Signature(name)) {
		t.Errorf("without mirrors: %v", err)
	}
	// A broken organisation signature is refused, not skipped.
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("-----BEGIN PGP SIGNATURE-----\n\nxx\n")) }))
	defer bad.Close()
	if _, err := official(bad.URL+"/").signatureAndOrg(ctx, name); err == nil {
		t.Error("a malformed .org.asc was accepted")
	}
}

func TestMergeSignatures(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	name, _ := d.Archive("go1.22.5", "linux", "amd64")
	one := d.Signature(name)
	merged, err := MergeSignatures(one, one)
	if err != nil {
		t.Fatal(err)
	}
	block, err := armor.Decode(bytes.NewReader(merged))
	if err != nil || block.Type != openpgp.SignatureType {
		t.Fatalf("merged block: %v", err)
	}
	n := 0
	r := packet.NewReader(block.Body)
	for {
		if _, err := r.Next(); err != nil {
			break
		}
		n++
	}
	if n != 2 {
		t.Errorf("merged block holds %d packets, want 2", n)
	}
	if _, err := MergeSignatures(one, d.PublicKey()); err == nil {
		t.Error("a public key block was merged as a signature")
	}
}
