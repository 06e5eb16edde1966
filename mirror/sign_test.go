package mirror

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/testdist"
	"github.com/goverdev/gover/verify"
)

// orgKey makes an organisation's Ed25519 key and returns it armored
// (secret, encrypted with passphrase when set) and its public key file.
func orgKey(t *testing.T, passphrase string) (secret []byte, pubFile string) {
	t.Helper()
	e, err := openpgp.NewEntity("Example Corp Go Mirror", "", "go-mirror@example.invalid", &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA})
	if err != nil {
		t.Fatal(err)
	}
	var pub bytes.Buffer
	w, _ := armor.Encode(&pub, openpgp.PublicKeyType, nil)
	e.Serialize(w)
	w.Close()
	pubFile = filepath.Join(t.TempDir(), "org.asc")
	os.WriteFile(pubFile, pub.Bytes(), 0o644)
	if passphrase != "" {
		if err := e.EncryptPrivateKeys([]byte(passphrase), nil); err != nil {
			t.Fatal(err)
		}
	}
	var sec bytes.Buffer
	w, _ = armor.Encode(&sec, openpgp.PrivateKeyType, nil)
	if err := e.SerializePrivateWithoutSigning(w, nil); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return sec.Bytes(), pubFile
}

// checkWith proves file with sig as a client trusting only keyring does.
func checkWith(t *testing.T, keyring, file string, sig []byte) (verify.Proof, error) {
	t.Helper()
	c, err := verify.NewOpenPGP(verify.OpenPGPConfig{KeyringFile: keyring}).Check(context.Background(), filepath.Base(file), sig)
	if err != nil {
		return verify.Proof{}, err
	}
	data, _ := os.ReadFile(file)
	c.Write(data)
	return c.Finish()
}

func TestReadSigner(t *testing.T) {
	secret, _ := orgKey(t, "")
	s, err := ReadSigner(secret, nil)
	if err != nil || s.Name != "Example Corp Go Mirror <go-mirror@example.invalid>" || len(s.Fingerprint) != 40 {
		t.Fatalf("ReadSigner = %+v, %v", s, err)
	}
	locked, _ := orgKey(t, "correct horse")
	if _, err := ReadSigner(locked, nil); err == nil || !strings.Contains(err.Error(), "--passphrase-file") {
		t.Errorf("a protected key without its passphrase: %v", err)
	}
	if _, err := ReadSigner(locked, []byte("wrong")); err == nil || !strings.Contains(err.Error(), "passphrase") {
		t.Errorf("a protected key with a wrong passphrase: %v", err)
	}
	if _, err := ReadSigner(locked, []byte("correct horse")); err != nil {
		t.Errorf("a protected key with its passphrase: %v", err)
	}
	d := startDist(t, testdist.Options{})
	if _, err := ReadSigner(d.PublicKey(), nil); err == nil {
		t.Error("a public key was taken for a signing key")
	}
}

// TestSign: 'gover mirror sign' writes <archive>.org.asc, which a client
// trusting only the organisation's key accepts, and leaves the official
// .asc as published, which a client trusting only the release key still
// accepts. An archive altered on disk is refused, not signed.
func TestSign(t *testing.T) {
	d := startDist(t, testdist.Options{})
	dir := filepath.Join(t.TempDir(), "mirror")
	if _, err := newSyncer(t, d, dir).Sync(context.Background(), opts(t, "1.22.5", []Format{Archive}, host)); err != nil {
		t.Fatal(err)
	}
	secret, orgPub := orgKey(t, "")
	signer, err := ReadSigner(secret, nil)
	if err != nil {
		t.Fatal(err)
	}
	official := verify.NewOpenPGP(verify.OpenPGPConfig{KeyringFile: d.KeyringPath})
	so := SignOptions{Official: official, Now: time.Now}
	rep, err := Sign(context.Background(), dir, signer, so)
	if err != nil || rep.Signed != 1 {
		t.Fatalf("Sign = %+v, %v", rep, err)
	}
	arch := filepath.Join(dir, host.ArchiveName("go1.22.5"))
	org, err := os.ReadFile(arch + installer.OrgSignatureSuffix)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := checkWith(t, orgPub, arch, org); err != nil || p.Key != signer.Fingerprint {
		t.Errorf("the organisation's signature: %+v, %v", p, err)
	}
	asc, _ := os.ReadFile(arch + ".asc")
	if !bytes.Equal(asc, d.Signature(host.ArchiveName("go1.22.5"))) {
		t.Error("the official signature changed")
	}
	if _, err := checkWith(t, d.KeyringPath, arch, asc); err != nil {
		t.Errorf("the official signature: %v", err)
	}
	// Both in one block, as an install through the mirror reads them:
	// either key alone suffices.
	merged, err := installer.MergeSignatures(asc, org)
	if err != nil {
		t.Fatal(err)
	}
	for _, keyring := range []string{orgPub, d.KeyringPath} {
		if _, err := checkWith(t, keyring, arch, merged); err != nil {
			t.Errorf("merged signatures with keyring %s: %v", keyring, err)
		}
	}
	if m, _ := readManifest(dir); m.Archives[0].OrgKey != signer.Fingerprint {
		t.Errorf("manifest org key = %q", m.Archives[0].OrgKey)
	}

	// Again: nothing to do.
	if rep, err := Sign(context.Background(), dir, signer, so); err != nil || rep.Signed != 0 || rep.Already != 1 {
		t.Errorf("second Sign = %+v, %v", rep, err)
	}
	// An archive changed on disk is not vouched for.
	data, _ := os.ReadFile(arch)
	data[len(data)/2] ^= 1
	os.WriteFile(arch, data, 0o644)
	so.Force = true
	if _, err := Sign(context.Background(), dir, signer, so); !errors.Is(err, verify.ErrFailed) {
		t.Errorf("Sign of an altered archive: %v", err)
	}
	if now, _ := os.ReadFile(arch + installer.OrgSignatureSuffix); !bytes.Equal(now, org) {
		t.Error("the organisation signature was rewritten for an altered archive")
	}
}

// TestSyncSigns: with a signer, each new archive gets its .org.asc before
// the index lists it.
func TestSyncSigns(t *testing.T) {
	d := startDist(t, testdist.Options{})
	dir := filepath.Join(t.TempDir(), "mirror")
	secret, orgPub := orgKey(t, "")
	s := newSyncer(t, d, dir)
	if s.Signer, _ = ReadSigner(secret, nil); s.Signer == nil {
		t.Fatal("no signer")
	}
	if _, err := s.Sync(context.Background(), opts(t, "1.22.5", []Format{Archive}, host)); err != nil {
		t.Fatal(err)
	}
	arch := filepath.Join(dir, host.ArchiveName("go1.22.5"))
	org, err := os.ReadFile(arch + installer.OrgSignatureSuffix)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := checkWith(t, orgPub, arch, org); err != nil {
		t.Error(err)
	}
}
