package verify

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The fixture: an Ed25519 key (testdata/fuzz-keyring.asc) and its detached
// signature (fuzz-signed.txt.asc) of fuzz-signed.txt, made once for these
// tests. Nothing else was ever signed by it, so any other bytes it accepts
// would be a forgery.
func fuzzFixture(tb testing.TB) (keyring string, signed, sig []byte) {
	tb.Helper()
	keyring = filepath.Join("testdata", "fuzz-keyring.asc")
	signed, err := os.ReadFile(filepath.Join("testdata", "fuzz-signed.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	sig, err = os.ReadFile(filepath.Join("testdata", "fuzz-signed.txt.asc"))
	if err != nil {
		tb.Fatal(err)
	}
	return keyring, signed, sig
}

func fuzzChecker(keyring string) *OpenPGP {
	return NewOpenPGP(OpenPGPConfig{KeyringFile: keyring, Now: func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }})
}

// checkSig runs one signature over data and returns the verdict.
func checkSig(o *OpenPGP, sig, data []byte) (Proof, error) {
	c, err := o.Check(context.Background(), "fixture", sig)
	if err != nil {
		return Proof{}, err
	}
	c.Write(data)
	return c.Finish()
}

// The property FuzzOpenPGPCheck relies on: the fixture verifies, so a
// fuzzer that never sees an acceptance is not merely failing to parse.
func TestFuzzFixtureVerifies(t *testing.T) {
	keyring, signed, sig := fuzzFixture(t)
	if p, err := checkSig(fuzzChecker(keyring), sig, signed); err != nil || p.Kind != "openpgp" {
		t.Fatalf("the fixture signature does not verify: %+v, %v", p, err)
	}
	if _, err := checkSig(fuzzChecker(keyring), sig, append(signed, 'x')); !errors.Is(err, ErrFailed) {
		t.Fatalf("the fixture signature verified other bytes: %v", err)
	}
}

// FuzzOpenPGPCheck feeds the checker any .asc a server could send, over any
// bytes. It must never panic, every refusal must be a verification failure
// (exit code 3), and it may accept only the one file the key signed.
func FuzzOpenPGPCheck(f *testing.F) {
	keyring, signed, sig := fuzzFixture(f)
	key, _ := os.ReadFile(keyring)
	for _, s := range [][]byte{
		sig, bytes.ReplaceAll(sig, []byte("\n"), []byte("\r\n")), sig[:len(sig)/2], key,
		[]byte("<!doctype html><html><body>Downloads</body></html>"), nil, []byte("-----BEGIN PGP SIGNATURE-----\n\n=AAAA\n-----END PGP SIGNATURE-----\n"),
		bytes.Replace(sig, []byte("SIGNATURE"), []byte("MESSAGE"), 2),
	} {
		f.Add(s, signed)
		f.Add(s, append(append([]byte(nil), signed...), '!'))
	}
	o := fuzzChecker(keyring)
	f.Fuzz(func(t *testing.T, asc, data []byte) {
		p, err := checkSig(o, asc, data)
		if err != nil {
			if !errors.Is(err, ErrFailed) {
				t.Fatalf("refusal %v (%T) is not a verification failure", err, err)
			}
			return
		}
		if !bytes.Equal(data, signed) {
			t.Fatalf("accepted a signature over bytes the key never signed: %q (proof %+v)", data, p)
		}
	})
}
