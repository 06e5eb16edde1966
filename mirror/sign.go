package mirror

import (
	"bytes"
	"context"
	"crypto"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/verify"
)

// A Signer makes an organisation's signatures of mirrored archives
// (<archive>.org.asc). Clients trust them by putting the organisation's
// public key in GOVER_KEYRING; the official <archive>.asc stays as it was
// published, so gpg users holding Google's key alone still verify.
type Signer struct {
	entity *openpgp.Entity
	// Fingerprint is the primary key's fingerprint (upper-case hex).
	Fingerprint string
	// Name is the key's primary identity.
	Name string
}

// ReadSigner reads an OpenPGP secret key (armored, as 'gpg --export-secret-keys
// --armor' writes it, or binary), decrypting it with passphrase if it is
// protected.
func ReadSigner(key, passphrase []byte) (*Signer, error) {
	var keys openpgp.EntityList
	var err error
	if bytes.Contains(key[:min(len(key), 1024)], []byte("-----BEGIN PGP")) {
		keys, err = openpgp.ReadArmoredKeyRing(bytes.NewReader(key))
	} else {
		keys, err = openpgp.ReadKeyRing(bytes.NewReader(key))
	}
	if err != nil {
		return nil, fmt.Errorf("read signing key: %w (export it with 'gpg --export-secret-keys --armor KEYID')", err)
	}
	for _, e := range keys {
		if e.PrivateKey == nil {
			continue
		}
		if err := decrypt(e, passphrase); err != nil {
			return nil, err
		}
		if _, ok := e.SigningKey(time.Now()); !ok {
			continue
		}
		s := &Signer{entity: e, Fingerprint: strings.ToUpper(hex.EncodeToString(e.PrimaryKey.Fingerprint))}
		s.Name = s.Fingerprint
		if id := e.PrimaryIdentity(); id != nil {
			s.Name = id.Name
		}
		return s, nil
	}
	return nil, errors.New("read signing key: it holds no secret key that may sign now (a public key, or an expired one?)")
}

func decrypt(e *openpgp.Entity, passphrase []byte) error {
	encrypted := e.PrivateKey.Encrypted
	for _, sub := range e.Subkeys {
		encrypted = encrypted || sub.PrivateKey != nil && sub.PrivateKey.Encrypted
	}
	if !encrypted {
		return nil
	}
	if len(passphrase) == 0 {
		return errors.New("read signing key: it is protected by a passphrase (give it with --passphrase-file)")
	}
	if err := e.DecryptPrivateKeys(passphrase); err != nil {
		return fmt.Errorf("read signing key: %w (check the passphrase)", err)
	}
	return nil
}

// sign returns the armored detached signature of everything r holds.
func (s *Signer) sign(r io.Reader, now time.Time) ([]byte, error) {
	var out bytes.Buffer
	cfg := &packet.Config{DefaultHash: crypto.SHA512, Time: func() time.Time { return now }}
	if err := openpgp.ArmoredDetachSign(&out, s.entity, r, cfg); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// publicKey is the signer's armored public key.
func (s *Signer) publicKey() ([]byte, error) {
	var out bytes.Buffer
	w, err := armor.Encode(&out, openpgp.PublicKeyType, nil)
	if err != nil {
		return nil, err
	}
	if err := s.entity.Serialize(w); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// checker is gover's own signature checker trusting only the signer's
// key, exactly as a client with GOVER_KEYRING set to it: every signature
// is checked with it before it is published.
func (s *Signer) checker(dir string, now func() time.Time) (verify.Signatures, error) {
	pub, err := s.publicKey()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, stateDir, "org-key-"+s.Fingerprint+".asc")
	if err := atomicfile.Write(path, pub, 0o644); err != nil {
		return nil, err
	}
	return verify.NewOpenPGP(verify.OpenPGPConfig{KeyringFile: path, Now: now}), nil
}

// orgSign signs the archive at path and checks the result as a client
// would, returning the armored signature. check, if set, sees the bytes
// signed (the official checks when re-proving an archive).
func orgSign(ctx context.Context, s *Signer, clientCheck verify.Signatures, path, name string, now time.Time, check io.Writer) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if check != nil {
		r = io.TeeReader(f, check)
	}
	sig, err := s.sign(r, now)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c, err := clientCheck.Check(ctx, name, sig)
	if err != nil {
		return nil, fmt.Errorf("check the new signature of %s: %w (is the key one gover accepts: RSA, ECDSA or EdDSA, valid now?)", name, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if _, err := io.Copy(c, f); err != nil {
		return nil, err
	}
	if _, err := c.Finish(); err != nil {
		return nil, fmt.Errorf("check the new signature of %s: %w", name, err)
	}
	return sig, nil
}

// SignOptions configure Sign.
type SignOptions struct {
	// Official checks the official <archive>.asc again before the
	// organisation vouches for the archive.
	Official verify.Signatures
	// Force signs again archives the key has signed already.
	Force bool
	Say   func(format string, args ...any)
	Now   func() time.Time
}

// A SignReport says what Sign did.
type SignReport struct {
	Signed, Already int
}

// Sign adds signer's signature (<archive>.org.asc) beside every archive of
// the mirror in dir. Each archive is proven again first — its digest
// against the mirror's record and its official signature — so the
// organisation never vouches for bytes that changed on disk.
func Sign(ctx context.Context, dir string, signer *Signer, opts SignOptions) (*SignReport, error) {
	unlock, err := lockDir(ctx, dir, opts.Say)
	if err != nil {
		return nil, err
	}
	defer unlock()
	m, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	if len(m.Archives) == 0 {
		return nil, fmt.Errorf("%s holds no archive to sign (run 'gover mirror sync %s --formats archive' first)", dir, dir)
	}
	client, err := signer.checker(dir, opts.Now)
	if err != nil {
		return nil, err
	}
	rep := &SignReport{}
	for i := range m.Archives {
		a := &m.Archives[i]
		orgPath := filepath.Join(dir, a.File+installer.OrgSignatureSuffix)
		if _, err := os.Stat(orgPath); err == nil && a.OrgKey == signer.Fingerprint && !opts.Force {
			rep.Already++
			continue
		}
		asc, err := os.ReadFile(filepath.Join(dir, a.File+".asc"))
		if err != nil {
			return rep, fmt.Errorf("read the official signature of %s: %w (run 'gover mirror sync' again)", a.File, err)
		}
		official, err := opts.Official.Check(ctx, a.File, asc)
		if err != nil {
			return rep, fmt.Errorf("%w (sign checks the official signature first: the signing machine must trust Google's key, so leave GOVER_KEYRING unset or add that key to it)", err)
		}
		digest := verify.SHA256(a.File, a.SHA256, "the mirror's record "+ManifestFile)
		sig, err := orgSign(ctx, signer, client, filepath.Join(dir, a.File), a.File, opts.Now(), io.MultiWriter(official, digest))
		if err != nil {
			return rep, err
		}
		for _, c := range []verify.StreamCheck{digest, official} {
			if _, err := c.Finish(); err != nil {
				return rep, err
			}
		}
		if err := atomicfile.Write(orgPath, sig, 0o644); err != nil {
			return rep, err
		}
		a.OrgKey = signer.Fingerprint
		if err := writeManifest(dir, m); err != nil {
			return rep, err
		}
		rep.Signed++
		if opts.Say != nil {
			opts.Say("signed %s (%s)", a.File+installer.OrgSignatureSuffix, signer.Name)
		}
	}
	return rep, nil
}
