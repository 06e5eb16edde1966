package testdist

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// SignerName is the user ID of the throwaway release key, modelled on
// Google's "Google Inc. (Linux Packages Signing Authority)
// <linux-packages-keymaster@google.com>".
const SignerName = "Testdist Inc. (Linux Packages Signing Authority) <linux-packages-keymaster@testdist.invalid>"

// subkeyLife matches Google's habit of signing subkeys that expire after
// three years.
const subkeyLife = 3 * 365 * 24 * time.Hour

// keyBits is smaller than the real key's 4096 bits because generating two
// 4096-bit keys takes seconds; verifiers must not care.
const keyBits = 2048

var defaultKey struct {
	once sync.Once
	e    *openpgp.Entity
	err  error
}

// DefaultSigner returns the process-wide throwaway release key, made on
// first use (key generation is slow, so every Dist shares it). It was created
// an hour ago and its signing subkey is valid for three years.
func DefaultSigner() (*openpgp.Entity, error) {
	defaultKey.once.Do(func() {
		created := time.Now().Add(-time.Hour).Truncate(time.Second)
		defaultKey.e, defaultKey.err = NewSigningKey(SignerName, created, subkeyLife)
	})
	return defaultKey.e, defaultKey.err
}

// NewSigningKey makes a key shaped like Google's Linux packages signing key:
// an RSA primary key and one RSA signing subkey, both created at created.
// Unlike the real primary key (flags SC), this one may only certify, so every
// signature it makes comes from the subkey, as Go's release signatures do.
// The subkey expires after life (0: never). Add more subkeys with
// e.AddSigningSubkey and a packet.Config whose Time and KeyLifetimeSecs say
// when.
func NewSigningKey(userID string, created time.Time, life time.Duration) (*openpgp.Entity, error) {
	at := func() time.Time { return created }
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoRSA, RSABits: keyBits, Time: at, DefaultHash: crypto.SHA256}

	// NewEntity would also generate an encryption subkey we would throw
	// away, so the primary key is assembled by hand.
	raw, err := rsa.GenerateKey(rand.Reader, keyBits)
	if err != nil {
		return nil, fmt.Errorf("generate primary key: %w", err)
	}
	primary := packet.NewSignerPrivateKey(created, raw)
	e := &openpgp.Entity{
		PrimaryKey: &primary.PublicKey,
		PrivateKey: primary,
		Identities: map[string]*openpgp.Identity{},
	}
	name, comment, email := splitUserID(userID)
	if err := e.AddUserId(name, comment, email, cfg); err != nil {
		return nil, fmt.Errorf("add user id: %w", err)
	}
	for _, id := range e.Identities {
		id.SelfSignature.FlagSign = false
		if err := id.SelfSignature.SignUserId(id.UserId.Id, e.PrimaryKey, e.PrivateKey, cfg); err != nil {
			return nil, fmt.Errorf("sign user id: %w", err)
		}
	}
	cfg.KeyLifetimeSecs = uint32(life / time.Second)
	if err := e.AddSigningSubkey(cfg); err != nil {
		return nil, fmt.Errorf("add signing subkey: %w", err)
	}
	return e, nil
}

// splitUserID splits "Name (Comment) <email>" into its parts, each
// optional.
func splitUserID(id string) (name, comment, email string) {
	if i, j := strings.LastIndex(id, "<"), strings.LastIndex(id, ">"); i >= 0 && j > i {
		email, id = id[i+1:j], id[:i]+id[j+1:]
	}
	if i, j := strings.Index(id, "("), strings.LastIndex(id, ")"); i >= 0 && j > i {
		comment, id = id[i+1:j], id[:i]+id[j+1:]
	}
	return strings.TrimSpace(id), comment, email
}

// ArmoredPublicKey returns e's public key (primary, user IDs, subkeys) in
// ASCII armor, as Google publishes linux_signing_key.pub.
func ArmoredPublicKey(e *openpgp.Entity) ([]byte, error) {
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, openpgp.PublicKeyType, nil)
	if err != nil {
		return nil, fmt.Errorf("armor public key: %w", err)
	}
	if err := e.Serialize(w); err != nil {
		return nil, fmt.Errorf("serialize public key: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("armor public key: %w", err)
	}
	return buf.Bytes(), nil
}

// Sign returns an armored detached signature of data made by e at time at,
// with the newest signing subkey valid then (what the real .asc files are).
func Sign(e *openpgp.Entity, data []byte, at time.Time) ([]byte, error) {
	var buf bytes.Buffer
	cfg := &packet.Config{DefaultHash: crypto.SHA256, Time: func() time.Time { return at }}
	if err := openpgp.ArmoredDetachSign(&buf, e, bytes.NewReader(data), cfg); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return buf.Bytes(), nil
}
