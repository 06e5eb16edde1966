package verify

import (
	"bytes"
	"context"
	"crypto"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/testdist"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

const year = 365 * 24 * time.Hour

// testKeys are made once: RSA key generation is slow.
type testKeys struct {
	// release is shaped like Google's key: a certify-only RSA primary
	// made 2020-01-01 and signing subkeys that expire after three years:
	// sub[0] 2020-01-01 (RSA, from NewSigningKey), sub[1] 2022-06-01.
	release *openpgp.Entity
	// stranger is another key of the same shape.
	stranger *openpgp.Entity
}

var keysOnce = sync.OnceValues(func() (*testKeys, error) {
	release, err := testdist.NewSigningKey("Test Release (Linux Packages Signing Authority) <keymaster@example.invalid>", date("2020-01-01"), 3*year)
	if err != nil {
		return nil, err
	}
	if err := addSubkey(release, date("2022-06-01"), 3*year); err != nil {
		return nil, err
	}
	stranger, err := testdist.NewSigningKey("Mallory <mallory@example.invalid>", date("2020-01-01"), 3*year)
	if err != nil {
		return nil, err
	}
	return &testKeys{release: release, stranger: stranger}, nil
})

func keys(t *testing.T) *testKeys {
	t.Helper()
	k, err := keysOnce()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// addSubkey adds an Ed25519 signing subkey (quick to make) created at
// created, expiring after life.
func addSubkey(e *openpgp.Entity, created time.Time, life time.Duration) error {
	return e.AddSigningSubkey(&packet.Config{
		Algorithm:       packet.PubKeyAlgoEdDSA,
		Time:            func() time.Time { return created },
		KeyLifetimeSecs: uint32(life / time.Second),
		DefaultHash:     crypto.SHA256,
	})
}

// copyKey returns a copy of e that can be revoked or extended without
// touching e.
func copyKey(e *openpgp.Entity) *openpgp.Entity {
	c := *e
	c.Revocations = slices.Clone(e.Revocations)
	c.Subkeys = slices.Clone(e.Subkeys)
	for i := range c.Subkeys {
		c.Subkeys[i].Revocations = slices.Clone(c.Subkeys[i].Revocations)
	}
	return &c
}

func at(t time.Time) *packet.Config {
	return &packet.Config{Time: func() time.Time { return t }, DefaultHash: crypto.SHA256}
}

// signAt signs data with priv as if at time when, with no regard for the
// key's validity then: the checker must be the one to refuse.
func signAt(t *testing.T, priv *packet.PrivateKey, data []byte, when time.Time, h crypto.Hash) []byte {
	t.Helper()
	sig := &packet.Signature{
		Version:      4,
		SigType:      packet.SigTypeBinary,
		PubKeyAlgo:   priv.PubKeyAlgo,
		Hash:         h,
		CreationTime: when,
		IssuerKeyId:  &priv.KeyId,
	}
	cfg := at(when)
	if h == crypto.SHA1 {
		// The salt notation has no size for SHA-1; old signatures had none.
		no := false
		cfg.NonDeterministicSignaturesViaNotation = &no
	}
	hh, err := sig.PrepareSign(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hh.Write(data)
	if err := sig.Sign(hh, priv, cfg); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.SignatureType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sig.Serialize(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return buf.Bytes()
}

// keyring writes the public parts of es to a file, as GOVER_KEYRING names.
func keyring(t *testing.T, es ...*openpgp.Entity) string {
	t.Helper()
	var buf bytes.Buffer
	for _, e := range es {
		if err := writeArmoredKey(&buf, e); err != nil {
			t.Fatal(err)
		}
	}
	p := filepath.Join(t.TempDir(), "keyring.asc")
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// check runs a signature check over data, written in pieces as a download
// arrives, and returns the proof or the error from Check or Finish.
func check(sigs Signatures, asc, data []byte) (Proof, error) {
	c, err := sigs.Check(context.Background(), "go1.22.5.linux-amd64.tar.gz", asc)
	if err != nil {
		return Proof{}, err
	}
	for len(data) > 0 {
		n := min(len(data), 7)
		c.Write(data[:n])
		data = data[n:]
	}
	return c.Finish()
}

func TestOpenPGP(t *testing.T) {
	k := keys(t)
	rel := k.release
	sub0, sub1 := rel.Subkeys[0].PrivateKey, rel.Subkeys[1].PrivateKey
	data := bytes.Repeat([]byte("go toolchain archive "), 1000)

	hardRevoked := copyKey(rel)
	if err := hardRevoked.RevokeSubkey(&hardRevoked.Subkeys[0], packet.KeyCompromised, "leaked", at(date("2024-06-01"))); err != nil {
		t.Fatal(err)
	}
	retired := copyKey(rel)
	if err := retired.RevokeSubkey(&retired.Subkeys[0], packet.KeyRetired, "", at(date("2021-06-01"))); err != nil {
		t.Fatal(err)
	}
	primaryRevoked := copyKey(rel)
	if err := primaryRevoked.RevokeKey(packet.NoReason, "", at(date("2025-01-01"))); err != nil {
		t.Fatal(err)
	}
	var pubKeyAsc bytes.Buffer
	writeArmoredKey(&pubKeyAsc, rel)
	good := signAt(t, sub0, data, date("2021-03-04"), crypto.SHA512)

	tests := []struct {
		name    string
		keyring *openpgp.Entity
		asc     []byte
		data    []byte
		want    error // nil: accepted
		subkey  *packet.PrivateKey
		signed  string
	}{
		{name: "valid when made, expired since", asc: good, subkey: sub0, signed: "2021-03-04T00:00:00Z"},
		{name: "the newer subkey", asc: signAt(t, sub1, data, date("2025-01-01"), crypto.SHA256), subkey: sub1},
		{name: "as testdist signs", asc: must(testdist.Sign(rel, data, date("2022-01-01"))), subkey: sub0},
		{name: "made after the subkey expired", asc: signAt(t, sub0, data, date("2023-01-02"), crypto.SHA256), want: errKeyInvalid},
		{name: "made before the subkey existed", asc: signAt(t, sub1, data, date("2021-01-01"), crypto.SHA256), want: errKeyInvalid},
		{name: "made by the certify-only primary", asc: signAt(t, rel.PrivateKey, data, date("2021-01-01"), crypto.SHA256), want: errKeyInvalid},
		{name: "made before the primary existed", asc: signAt(t, rel.PrivateKey, data, date("2019-01-01"), crypto.SHA256), want: errKeyInvalid},
		{name: "subkey revoked as compromised, even before", keyring: hardRevoked, asc: good, want: errKeyInvalid},
		{name: "subkey retired after signing", keyring: retired, asc: good, subkey: sub0},
		{name: "subkey retired before signing", keyring: retired, asc: signAt(t, sub0, data, date("2021-07-01"), crypto.SHA256), want: errKeyInvalid},
		{name: "primary revoked", keyring: primaryRevoked, asc: good, want: errKeyInvalid},
		{name: "other subkeys still good", keyring: hardRevoked, asc: signAt(t, sub1, data, date("2023-01-01"), crypto.SHA256), subkey: sub1},
		{name: "a stranger's key", asc: signAt(t, k.stranger.Subkeys[0].PrivateKey, data, date("2021-01-01"), crypto.SHA256), want: errUnknownKey},
		{name: "different bytes", asc: good, data: append(bytes.Clone(data), '!'), want: errMismatch},
		{name: "SHA-1", asc: signAt(t, sub0, data, date("2021-01-01"), crypto.SHA1), want: errMalformed},
		{name: "truncated", asc: good[:len(good)/2], want: errMalformed},
		{name: "cut after the armor header", asc: good[:40], want: errMalformed},
		{name: "HTML page", asc: []byte("<!DOCTYPE html>\n<html><head><title>Downloads - The Go Programming Language</title></head><body>…</body></html>"), want: errMalformed},
		{name: "empty", asc: nil, want: errMalformed},
		{name: "a key, not a signature", asc: pubKeyAsc.Bytes(), want: errMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ring := tt.keyring
			if ring == nil {
				ring = rel
			}
			d := tt.data
			if d == nil {
				d = data
			}
			o := NewOpenPGP(OpenPGPConfig{KeyringFile: keyring(t, ring)})
			p, err := check(o, tt.asc, d)
			if tt.want != nil {
				if !errors.Is(err, tt.want) || !errors.Is(err, ErrFailed) {
					t.Fatalf("err = %v, want %v (and ErrFailed)", err, tt.want)
				}
				t.Log(err)
				var se *SignatureError
				if !errors.As(err, &se) || se.What != "go1.22.5.linux-amd64.tar.gz" {
					t.Fatalf("err = %#v, want a *SignatureError naming the file", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			want := Proof{
				Kind:      "openpgp",
				Value:     fingerprint(rel.PrimaryKey),
				Authority: "Test Release (Linux Packages Signing Authority) <keymaster@example.invalid>",
				Key:       fingerprint(rel.PrimaryKey),
				Subkey:    fingerprint(&tt.subkey.PublicKey),
				Signed:    tt.signed,
			}
			if tt.signed == "" {
				p.Signed = ""
			}
			if p != want {
				t.Fatalf("proof = %+v\nwant %+v", p, want)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestReleaseKey parses the embedded key: Google's primary, and the seven
// signing subkeys FACTS.md lists, each checked at the time it could sign.
func TestReleaseKey(t *testing.T) {
	keys, err := readKeys(releaseKey)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 {
		t.Fatalf("the embedded key file holds %d keys, want 1", len(keys))
	}
	e := keys[0]
	if got := fingerprint(e.PrimaryKey); got != GoReleaseKey {
		t.Fatalf("primary fingerprint %s, want %s", got, GoReleaseKey)
	}
	if id := e.PrimaryIdentity(); id == nil || id.Name != "Google Inc. (Linux Packages Signing Authority) <linux-packages-keymaster@google.com>" {
		t.Fatalf("primary identity %+v", id)
	}
	want := []struct {
		id               string
		created, expires int
	}{
		{"1397BC53640DB551", 2016, 2019},
		{"6494C6D6997C215E", 2017, 2020},
		{"78BD65473CB3BD13", 2019, 2022},
		{"4EB27DB2A3B88B8B", 2021, 2024},
		{"E88979FB9B30ACF2", 2023, 2026},
		{"32EE5355A6BC6E42", 2024, 2027},
		{"FD533C07C264648F", 2025, 2028},
	}
	if len(e.Subkeys) != len(want) {
		t.Fatalf("%d subkeys, want %d", len(e.Subkeys), len(want))
	}
	for i, w := range want {
		s := &e.Subkeys[i]
		id := fingerprint(s.PublicKey)[24:]
		exp, ok := expiry(s.PublicKey.CreationTime, s.Sig.KeyLifetimeSecs)
		if id != w.id || s.PublicKey.CreationTime.Year() != w.created || !ok || exp.Year() != w.expires {
			t.Errorf("subkey %d: %s %d→%v, want %s %d→%d", i, id, s.PublicKey.CreationTime.Year(), exp, w.id, w.created, w.expires)
			continue
		}
		k := signer{entity: e, sub: s}
		// A release signed a month after the subkey was made verifies,
		// whatever the date today; one signed after it expired does not.
		if err := usableAt(k, s.PublicKey.CreationTime.AddDate(0, 1, 0)); err != nil {
			t.Errorf("subkey %s, a month after it was made: %v", id, err)
		}
		if err := usableAt(k, exp.AddDate(0, 0, 1)); !errors.Is(err, errKeyInvalid) {
			t.Errorf("subkey %s, a day after it expired: err = %v, want errKeyInvalid", id, err)
		}
	}
}

// TestOpenPGPEmbedded checks the default configuration: the embedded key,
// which the test distribution's throwaway key is not.
func TestOpenPGPEmbedded(t *testing.T) {
	k := keys(t)
	data := []byte("archive")
	_, err := check(NewOpenPGP(OpenPGPConfig{}), signAt(t, k.release.Subkeys[0].PrivateKey, data, date("2021-01-01"), crypto.SHA256), data)
	if !errors.Is(err, errUnknownKey) || !strings.Contains(err.Error(), "not the Go release key "+GoReleaseKey) {
		t.Fatalf("err = %v, want an unknown signer, naming the Go release key", err)
	}
}

// keyServer serves a key file and counts the requests.
func keyServer(t *testing.T, key []byte) (url string, requests *atomic.Int32) {
	t.Helper()
	requests = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Path != "/linux_signing_key.pub" || key == nil {
			http.NotFound(w, r)
			return
		}
		w.Write(key)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/linux_signing_key.pub", requests
}

// TestKeyRotation: a release signed by a subkey added after gover's key
// copy verifies with the published key when its primary is the pinned one,
// which is then cached; a published key with another primary is refused.
func TestKeyRotation(t *testing.T) {
	k := keys(t)
	old := copyKey(k.release)
	old.Subkeys = old.Subkeys[:1] // gover's copy predates the second subkey
	oldRing := keyring(t, old)
	pin := fingerprint(k.release.PrimaryKey)
	data := []byte("go1.30.0.linux-amd64.tar.gz")
	asc := signAt(t, k.release.Subkeys[1].PrivateKey, data, date("2024-02-01"), crypto.SHA256)
	client := fetch.New("gover-test")
	client.Backoff = func(int) time.Duration { return time.Millisecond }

	var published bytes.Buffer
	if err := writeArmoredKey(&published, k.release); err != nil {
		t.Fatal(err)
	}
	url, requests := keyServer(t, published.Bytes())
	cache := filepath.Join(t.TempDir(), "keys")
	cfg := OpenPGPConfig{KeyringFile: oldRing, Pin: pin, KeyURL: url, Fetch: client, CacheDir: cache}

	// Without the pin, nothing is fetched (GOVER_KEYRING is all there is).
	noPin := cfg
	noPin.Pin = ""
	if _, err := check(NewOpenPGP(noPin), asc, data); !errors.Is(err, errUnknownKey) {
		t.Fatalf("without a pin: err = %v, want an unknown signer", err)
	}
	if n := requests.Load(); n != 0 {
		t.Fatalf("without a pin the key was fetched %d times", n)
	}

	p, err := check(NewOpenPGP(cfg), asc, data)
	if err != nil {
		t.Fatalf("with the published key: %v", err)
	}
	if p.Subkey != fingerprint(k.release.Subkeys[1].PublicKey) || p.Key != pin {
		t.Fatalf("proof %+v, want the new subkey of %s", p, pin)
	}
	if n := requests.Load(); n != 1 {
		t.Fatalf("the key was fetched %d times, want 1", n)
	}
	if _, err := os.Stat(filepath.Join(cache, pin+".asc")); err != nil {
		t.Fatalf("the fetched key was not cached: %v", err)
	}

	// Next time the cached copy is used: no fetch.
	if _, err := check(NewOpenPGP(cfg), asc, data); err != nil {
		t.Fatalf("with the cached key: %v", err)
	}
	if n := requests.Load(); n != 1 {
		t.Fatalf("the key was fetched again (%d requests) despite the cache", n)
	}

	// A key served with another primary is refused and not cached.
	var stranger bytes.Buffer
	if err := writeArmoredKey(&stranger, k.stranger); err != nil {
		t.Fatal(err)
	}
	strangerURL, _ := keyServer(t, stranger.Bytes())
	bad := cfg
	bad.KeyURL, bad.CacheDir = strangerURL, filepath.Join(t.TempDir(), "keys")
	strangerAsc := signAt(t, k.stranger.Subkeys[0].PrivateKey, data, date("2021-01-01"), crypto.SHA256)
	for _, sig := range [][]byte{asc, strangerAsc} {
		_, err := check(NewOpenPGP(bad), sig, data)
		if !errors.Is(err, errUnknownKey) || !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "not the pinned "+pin) {
			t.Fatalf("key with another primary: err = %v, want an unknown signer, the key refused", err)
		}
	}
	if _, err := os.Stat(bad.CacheDir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused key was cached (%v)", err)
	}

	// An unreachable key URL leaves the signature unproven.
	gone := cfg
	gone.KeyURL, gone.CacheDir = url+".missing", filepath.Join(t.TempDir(), "keys")
	before := requests.Load()
	o := NewOpenPGP(gone)
	for range 2 { // the installer checks once up front and once per download attempt
		if _, err := check(o, asc, data); !errors.Is(err, errUnknownKey) || !strings.Contains(err.Error(), "fetch the published key") || !strings.Contains(err.Error(), "404") {
			t.Fatalf("key URL 404: err = %v, want an unknown signer, saying the fetch failed", err)
		}
	}
	if n := requests.Load() - before; n != 1 {
		t.Fatalf("one checker fetched the key %d times, want once", n)
	}
}

// TestOpenPGPDistKey is the configuration gover runs with by default,
// against the test distribution: the embedded key, rotation from the
// distribution's published key. The distribution's key has another
// primary, so nothing it signs is accepted.
func TestOpenPGPDistKey(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	name, data := d.Archive("go1.22.5", "linux", "amd64")
	o := NewOpenPGP(OpenPGPConfig{Pin: GoReleaseKey, KeyURL: d.DownloadURL + "/linux_signing_key.pub", Fetch: fetch.New("gover-test"), CacheDir: t.TempDir()})
	_, err := check(o, d.Signature(name), data)
	if !errors.Is(err, errUnknownKey) || !strings.Contains(err.Error(), "not the pinned "+GoReleaseKey) {
		t.Fatalf("err = %v, want the distribution's key refused", err)
	}
	if n := d.Requests("/dl/linux_signing_key.pub"); n != 1 {
		t.Fatalf("the published key was fetched %d times, want 1", n)
	}
	// With its key as the keyring (GOVER_KEYRING), the same signature is good.
	p, err := check(NewOpenPGP(OpenPGPConfig{KeyringFile: d.KeyringPath}), d.Signature(name), data)
	if err != nil || p.Authority != testdist.SignerName {
		t.Fatalf("with the distribution's keyring: %+v, %v", p, err)
	}
}

func TestMergeKeys(t *testing.T) {
	k := keys(t)
	a := copyKey(k.release)
	a.Subkeys = a.Subkeys[:1]
	b := copyKey(k.release)
	if err := b.RevokeSubkey(&b.Subkeys[0], packet.KeyCompromised, "", at(date("2024-01-01"))); err != nil {
		t.Fatal(err)
	}
	merged := mergeKeys(openpgp.EntityList{a, k.stranger, b})
	if len(merged) != 2 {
		t.Fatalf("%d keys after merging, want 2", len(merged))
	}
	m := merged[0]
	if len(m.Subkeys) != 2 || len(m.Subkeys[0].Revocations) != 1 {
		t.Fatalf("merged key: %d subkeys, first with %d revocations; want 2 and 1", len(m.Subkeys), len(m.Subkeys[0].Revocations))
	}
	if len(a.Subkeys) != 1 || len(a.Subkeys[0].Revocations) != 0 {
		t.Fatal("merging changed its input")
	}
	// The revocation from the second copy applies.
	if err := usableAt(signer{entity: m, sub: &m.Subkeys[0]}, date("2021-01-01")); !errors.Is(err, errKeyInvalid) {
		t.Fatalf("revoked subkey after merge: %v", err)
	}
}

// TestReadKeys reads keyrings as people make them: one armored block with
// several keys, blocks one after another, binary.
func TestReadKeys(t *testing.T) {
	k := keys(t)
	var one, two, bin bytes.Buffer
	writeArmoredKey(&one, k.release)
	writeArmoredKey(&two, k.stranger)
	k.release.Serialize(&bin)
	k.stranger.Serialize(&bin)
	var both bytes.Buffer
	w, _ := armor.Encode(&both, openpgp.PublicKeyType, nil)
	k.release.Serialize(w)
	k.stranger.Serialize(w)
	w.Close()
	for name, data := range map[string][]byte{
		"one block":  both.Bytes(),
		"two blocks": append(append(one.Bytes(), '\n'), two.Bytes()...),
		"binary":     bin.Bytes(),
	} {
		keys, err := readKeys(data)
		if err != nil || len(keys) != 2 {
			t.Errorf("%s: %d keys, %v; want 2", name, len(keys), err)
		}
	}
	if _, err := readKeys([]byte("<html>")); err == nil {
		t.Error("read a keyring from an HTML page")
	}
}

// rebind gives e's subkey i a new binding signature made at when, with a
// new lifetime, as a key owner extending a subkey's life does.
func rebind(t *testing.T, e *openpgp.Entity, i int, when time.Time, life time.Duration) {
	t.Helper()
	s := &e.Subkeys[i]
	secs := uint32(life / time.Second)
	cfg := at(when)
	b := &packet.Signature{
		Version: 4, SigType: packet.SigTypeSubkeyBinding, PubKeyAlgo: e.PrimaryKey.PubKeyAlgo,
		Hash: crypto.SHA256, CreationTime: when, IssuerKeyId: &e.PrimaryKey.KeyId,
		KeyLifetimeSecs: &secs, FlagsValid: true, FlagSign: true,
		EmbeddedSignature: &packet.Signature{
			Version: 4, SigType: packet.SigTypePrimaryKeyBinding, PubKeyAlgo: s.PublicKey.PubKeyAlgo,
			Hash: crypto.SHA256, CreationTime: when, IssuerKeyId: &s.PublicKey.KeyId,
		},
	}
	if err := b.EmbeddedSignature.CrossSignKey(s.PublicKey, e.PrimaryKey, s.PrivateKey, cfg); err != nil {
		t.Fatal(err)
	}
	if err := b.SignKey(s.PublicKey, e.PrivateKey, cfg); err != nil {
		t.Fatal(err)
	}
	s.Sig = b
}

// TestRefreshedBinding: a subkey whose binding was re-signed later (to
// extend its life) still verifies signatures made before the new binding,
// and signatures made in the extended life.
func TestRefreshedBinding(t *testing.T) {
	k := keys(t)
	e := copyKey(k.release)
	rebind(t, e, 0, date("2022-06-01"), 5*year) // 2020-01-01 + 5 years
	ring := keyring(t, e)
	data := []byte("archive")
	for _, when := range []string{"2021-01-01", "2024-06-01"} {
		asc := signAt(t, k.release.Subkeys[0].PrivateKey, data, date(when), crypto.SHA256)
		if _, err := check(NewOpenPGP(OpenPGPConfig{KeyringFile: ring}), asc, data); err != nil {
			t.Errorf("signed %s: %v", when, err)
		}
	}
	asc := signAt(t, k.release.Subkeys[0].PrivateKey, data, date("2025-06-01"), crypto.SHA256)
	if _, err := check(NewOpenPGP(OpenPGPConfig{KeyringFile: ring}), asc, data); !errors.Is(err, errKeyInvalid) {
		t.Errorf("signed after the extended life: err = %v, want errKeyInvalid", err)
	}
}
