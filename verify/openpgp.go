package verify

import (
	"bytes"
	"context"
	"crypto"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/internal/fetch"
)

// GoReleaseKey is the primary fingerprint of "Google Inc. (Linux Packages
// Signing Authority)", whose signing subkeys sign every Go release archive.
const GoReleaseKey = "EB4C1BFD4F042F6DDDCCEC917721F63BD38B4796"

// GoReleaseKeyURL is where Google publishes the current copy of that key,
// with every subkey it has added since.
const GoReleaseKeyURL = "https://dl.google.com/linux/linux_signing_key.pub"

// releaseKey is the Go release key as published in March 2026; its
// primary fingerprint is GoReleaseKey (a test checks it).
//
//go:embed keys/google-linux-packages-signing-key.asc
var releaseKey []byte

const (
	// maxPublishedKey bounds a fetched key: Google's is 17 kB and grows by
	// about 1 kB a year.
	maxPublishedKey = 1 << 20
	// maxSignatures bounds the signature packets one .asc may hold.
	maxSignatures = 16
	// fetchKeyTimeout bounds a key fetch started by Check, within its
	// caller's context: an install's context has no deadline of its own.
	fetchKeyTimeout = 2 * time.Minute
)

// Reasons a signature is refused; every refusal wraps one of them (tests
// tell them apart with errors.Is, people read the rest of the message).
var (
	errMalformed  = errors.New("not a usable OpenPGP signature")
	errUnknownKey = errors.New("unknown signer")
	errMismatch   = errors.New("does not match the file")
	errKeyInvalid = errors.New("the signing key was not valid when it signed")
)

// A KeyFetcher fetches a published public key; *fetch.Client is one.
type KeyFetcher interface {
	Get(ctx context.Context, url, what string, max int64) ([]byte, error)
}

// OpenPGPConfig says which keys an OpenPGP checker trusts.
type OpenPGPConfig struct {
	// KeyringFile, if set, holds the public keys to trust (armored or
	// binary), replacing the embedded Go release key: an organisation
	// that re-signs its mirror, or a test distribution (GOVER_KEYRING).
	KeyringFile string
	// Pin, if set, is the primary fingerprint (hex) of the key whose newer
	// copies may be fetched from KeyURL and cached in CacheDir, so that
	// subkeys added after this build still verify. A fetched or cached key
	// with any other primary is refused. Empty: the keyring is all there is.
	Pin      string
	KeyURL   string
	Fetch    KeyFetcher
	CacheDir string
	// Now is the clock a signature's own expiry (rarely set) is checked
	// against; nil means time.Now. Keys are checked at the time the
	// signature was made, not now.
	Now func() time.Time
}

// OpenPGP checks detached OpenPGP signatures (the .asc files Go publishes
// beside its archives) against a keyring: by default the embedded Go
// release key.
//
// A signature is accepted when it verifies with a signing subkey bound to a
// trusted primary key (or with a primary key whose self-signature allows
// signing), and that key was valid at the moment the signature says it was
// made: created before, not expired by then, and not revoked. A signature
// made while its subkey was valid therefore stays valid after the subkey
// expires, as with gpg; this is what lets releases signed by the subkeys
// that expired in 2019–2026 verify today.
type OpenPGP struct {
	cfg OpenPGPConfig

	mu       sync.Mutex
	keys     openpgp.EntityList // nil until first needed
	fetched  bool               // KeyURL was fetched already in this run
	fetchErr error              // why that fetch brought no key
}

// NewOpenPGP returns a checker for cfg. The keyring is read on first use,
// so a broken GOVER_KEYRING only fails the commands that check signatures.
func NewOpenPGP(cfg OpenPGPConfig) *OpenPGP {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Pin = strings.ToUpper(strings.ReplaceAll(cfg.Pin, " ", ""))
	return &OpenPGP{cfg: cfg}
}

// Check parses sig (armored) and returns a StreamCheck that verifies it
// over the bytes written to it. A signature that is malformed or made by no
// trusted key is refused here, before anything is downloaded. ctx bounds
// fetching the published key when the signer is new.
func (o *OpenPGP) Check(ctx context.Context, what string, sig []byte) (StreamCheck, error) {
	ctx, cancel := context.WithTimeout(ctx, fetchKeyTimeout)
	defer cancel()
	sigs, err := parseSignatures(sig)
	if err != nil {
		return nil, &SignatureError{What: what, Err: err}
	}
	keys, err := o.keyring()
	if err != nil {
		return nil, &SignatureError{What: what, Err: err}
	}
	var fetchErr error
	if !anyIssuerKnown(keys, sigs) && o.canFetch() {
		// Google adds a signing subkey about once a year: a release signed
		// by one this build does not know needs the published key.
		keys, fetchErr = o.refresh(ctx)
	}
	c := &sigCheck{what: what, now: o.cfg.Now}
	for _, s := range sigs {
		cands := candidates(keys, s)
		if len(cands) == 0 {
			continue
		}
		h, err := s.PrepareVerify()
		if err != nil {
			return nil, &SignatureError{What: what, Err: fmt.Errorf("%w: %v", errMalformed, err)}
		}
		c.pending = append(c.pending, pendingSig{sig: s, keys: cands, h: h})
	}
	if len(c.pending) == 0 {
		return nil, &SignatureError{What: what, Err: o.unknownIssuer(sigs[0], fetchErr)}
	}
	return c, nil
}

// canFetch reports whether a newer copy of the pinned key may be fetched.
func (o *OpenPGP) canFetch() bool {
	return o.cfg.Pin != "" && o.cfg.KeyURL != "" && o.cfg.Fetch != nil
}

// unknownIssuer explains a signature made by no trusted key.
func (o *OpenPGP) unknownIssuer(s *packet.Signature, fetchErr error) error {
	trusted := "the Go release key " + GoReleaseKey + " or one of its subkeys"
	if o.cfg.KeyringFile != "" {
		trusted = "in the keyring " + o.cfg.KeyringFile
	}
	msg := fmt.Sprintf("made by key %s, which is not %s", issuer(s), trusted)
	switch {
	case fetchErr != nil:
		msg += "; " + fetchErr.Error()
	case o.canFetch():
		msg += "; nor is it in the key published at " + fetch.Redact(o.cfg.KeyURL)
	}
	return fmt.Errorf("%w: %s", errUnknownKey, msg)
}

// keyring returns the trusted keys, reading them on first use.
func (o *OpenPGP) keyring() (openpgp.EntityList, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.keys != nil {
		return o.keys, nil
	}
	name, data := "the embedded Go release key", releaseKey
	if o.cfg.KeyringFile != "" {
		name = o.cfg.KeyringFile
		var err error
		if data, err = os.ReadFile(name); err != nil {
			return nil, fmt.Errorf("read keyring: %w (check GOVER_KEYRING)", err)
		}
	}
	keys, err := readKeys(data)
	if err != nil {
		return nil, fmt.Errorf("read keyring %s: %w", name, err)
	}
	if o.cfg.Pin != "" && o.cfg.CacheDir != "" {
		// A copy fetched earlier; re-checked, since it is only a file.
		if data, err := os.ReadFile(o.cachePath()); err == nil {
			if e, err := pinnedKey(data, o.cfg.Pin); err == nil {
				keys = append(keys, e)
			}
		}
	}
	o.keys = mergeKeys(keys)
	return o.keys, nil
}

func (o *OpenPGP) cachePath() string {
	return filepath.Join(o.cfg.CacheDir, o.cfg.Pin+".asc")
}

// refresh fetches the published copy of the pinned key, keeps it only if
// its primary is the pinned one, caches it and merges it into the keyring.
func (o *OpenPGP) refresh(ctx context.Context) (openpgp.EntityList, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fetched {
		return o.keys, o.fetchErr
	}
	o.fetched = true
	url := fetch.Redact(o.cfg.KeyURL)
	data, err := o.cfg.Fetch.Get(ctx, o.cfg.KeyURL, "release signing key", maxPublishedKey)
	if err != nil {
		o.fetchErr = fmt.Errorf("fetch the published key for new subkeys: %w", err)
		return o.keys, o.fetchErr
	}
	e, err := pinnedKey(data, o.cfg.Pin)
	if err != nil {
		o.fetchErr = fmt.Errorf("refuse the key published at %s: %w", url, err)
		return o.keys, o.fetchErr
	}
	if o.cfg.CacheDir != "" {
		var buf bytes.Buffer
		if err := writeArmoredKey(&buf, e); err == nil {
			// A failed cache write only costs a fetch next time.
			_ = atomicfile.Write(o.cachePath(), buf.Bytes(), 0o644)
		}
	}
	o.keys = mergeKeys(append(o.keys, e))
	return o.keys, nil
}

// readKeys reads a keyring: binary, or one or more armored blocks (as
// `cat a.asc b.asc` makes).
func readKeys(data []byte) (openpgp.EntityList, error) {
	begin := []byte("-----BEGIN PGP PUBLIC KEY BLOCK-----")
	if !bytes.Contains(data, begin) {
		keys, err := openpgp.ReadKeyRing(bytes.NewReader(data))
		if err == nil && len(keys) == 0 {
			err = errors.New("no public key in it")
		}
		return keys, err
	}
	var keys openpgp.EntityList
	blocks := bytes.Split(data, begin)
	for _, b := range blocks[1:] {
		el, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(append(append([]byte(nil), begin...), b...)))
		if err != nil {
			return nil, err
		}
		keys = append(keys, el...)
	}
	if len(keys) == 0 {
		return nil, errors.New("no usable public key in it")
	}
	return keys, nil
}

// pinnedKey returns the key in data whose primary fingerprint is pin.
func pinnedKey(data []byte, pin string) (*openpgp.Entity, error) {
	keys, err := readKeys(data)
	if err != nil {
		return nil, err
	}
	var others []string
	for _, e := range keys {
		f := fingerprint(e.PrimaryKey)
		if f == pin {
			return e, nil
		}
		others = append(others, f)
	}
	return nil, fmt.Errorf("its primary key is %s, not the pinned %s", strings.Join(others, ", "), pin)
}

func writeArmoredKey(w io.Writer, e *openpgp.Entity) error {
	aw, err := armor.Encode(w, openpgp.PublicKeyType, nil)
	if err != nil {
		return err
	}
	if err := e.Serialize(aw); err != nil {
		return err
	}
	return aw.Close()
}

// mergeKeys folds copies of the same primary key into one entity: the
// union of their subkeys and revocations, the newest binding of each
// subkey. A later copy adds subkeys; a revocation in any copy counts.
func mergeKeys(keys openpgp.EntityList) openpgp.EntityList {
	var out openpgp.EntityList
	seen := map[string]*openpgp.Entity{}
	for _, e := range keys {
		m, ok := seen[string(e.PrimaryKey.Fingerprint)]
		if !ok {
			c := *e
			c.Revocations = append([]*packet.Signature(nil), e.Revocations...)
			c.Subkeys = append([]openpgp.Subkey(nil), e.Subkeys...)
			c.Identities = make(map[string]*openpgp.Identity, len(e.Identities))
			for name, id := range e.Identities {
				idc := *id
				c.Identities[name] = &idc
			}
			seen[string(e.PrimaryKey.Fingerprint)] = &c
			out = append(out, &c)
			continue
		}
		m.Revocations = append(m.Revocations, e.Revocations...)
		for name, id := range e.Identities {
			mid, ok := m.Identities[name]
			if !ok {
				idc := *id
				m.Identities[name] = &idc
				continue
			}
			mid.Revocations = append(mid.Revocations, id.Revocations...)
			if id.SelfSignature != nil && (mid.SelfSignature == nil || id.SelfSignature.CreationTime.After(mid.SelfSignature.CreationTime)) {
				mid.SelfSignature = id.SelfSignature
			}
		}
	subkeys:
		for _, s := range e.Subkeys {
			for i := range m.Subkeys {
				ms := &m.Subkeys[i]
				if bytes.Equal(ms.PublicKey.Fingerprint, s.PublicKey.Fingerprint) {
					ms.Revocations = append(append([]*packet.Signature(nil), ms.Revocations...), s.Revocations...)
					if s.Sig.CreationTime.After(ms.Sig.CreationTime) {
						ms.Sig = s.Sig
					}
					continue subkeys
				}
			}
			m.Subkeys = append(m.Subkeys, s)
		}
	}
	return out
}

// parseSignatures reads the signature packets of an armored .asc; anything
// else in it (an HTML page, a key, a truncated block) makes it unusable.
func parseSignatures(asc []byte) ([]*packet.Signature, error) {
	if fetch.LooksLikeHTML(asc) {
		return nil, fmt.Errorf("%w: got an HTML page instead", errMalformed)
	}
	block, err := armor.Decode(bytes.NewReader(asc))
	if err != nil {
		return nil, fmt.Errorf("%w: read armor: %v", errMalformed, err)
	}
	if block.Type != openpgp.SignatureType {
		return nil, fmt.Errorf("%w: the armor holds a %q block", errMalformed, block.Type)
	}
	var sigs []*packet.Signature
	r := packet.NewReader(block.Body)
	for {
		p, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", errMalformed, err)
		}
		s, ok := p.(*packet.Signature)
		if !ok {
			return nil, fmt.Errorf("%w: it holds a %T packet", errMalformed, p)
		}
		if err := usableSignature(s); err != nil {
			return nil, fmt.Errorf("%w: %v", errMalformed, err)
		}
		if sigs = append(sigs, s); len(sigs) > maxSignatures {
			return nil, fmt.Errorf("%w: more than %d signatures", errMalformed, maxSignatures)
		}
	}
	if len(sigs) == 0 {
		return nil, fmt.Errorf("%w: it holds no signature", errMalformed)
	}
	return sigs, nil
}

// usableSignature checks what can be checked of a signature alone: a
// binary-document signature, by a known issuer, with an unbroken hash.
func usableSignature(s *packet.Signature) error {
	switch {
	case s.Version != 4 && s.Version != 6:
		return fmt.Errorf("version %d signature (gover reads versions 4 and 6)", s.Version)
	case s.SigType != packet.SigTypeBinary:
		return fmt.Errorf("signature type %#x, not a binary document signature", int(s.SigType))
	case s.IssuerKeyId == nil && len(s.IssuerFingerprint) == 0:
		return errors.New("the signature names no issuer")
	case weakHash(s.Hash):
		return fmt.Errorf("made with the broken hash %v", s.Hash)
	}
	if n := criticalNotation(s); n != "" {
		return fmt.Errorf("unknown critical notation %q", n)
	}
	return nil
}

func weakHash(h crypto.Hash) bool {
	return h == crypto.MD5 || h == crypto.SHA1 || h == crypto.RIPEMD160 || !h.Available()
}

// criticalNotation names a notation a verifier must understand; gover
// understands none.
func criticalNotation(s *packet.Signature) string {
	if s == nil {
		return ""
	}
	for _, n := range s.Notations {
		if n.IsCritical {
			return n.Name
		}
	}
	return ""
}

// A signer is a key that may have made a signature: a subkey of a trusted
// primary key, or the primary itself (sub nil).
type signer struct {
	entity *openpgp.Entity
	sub    *openpgp.Subkey
}

func (k signer) public() *packet.PublicKey {
	if k.sub != nil {
		return k.sub.PublicKey
	}
	return k.entity.PrimaryKey
}

// candidates are the trusted keys a signature names as its issuer.
func candidates(keys openpgp.EntityList, s *packet.Signature) []signer {
	var out []signer
	for _, e := range keys {
		if issuedBy(s, e.PrimaryKey) {
			out = append(out, signer{entity: e})
		}
		for i := range e.Subkeys {
			if issuedBy(s, e.Subkeys[i].PublicKey) {
				out = append(out, signer{entity: e, sub: &e.Subkeys[i]})
			}
		}
	}
	return out
}

func issuedBy(s *packet.Signature, pk *packet.PublicKey) bool {
	if len(s.IssuerFingerprint) > 0 {
		return bytes.Equal(s.IssuerFingerprint, pk.Fingerprint)
	}
	return s.IssuerKeyId != nil && *s.IssuerKeyId == pk.KeyId
}

func anyIssuerKnown(keys openpgp.EntityList, sigs []*packet.Signature) bool {
	for _, s := range sigs {
		if len(candidates(keys, s)) > 0 {
			return true
		}
	}
	return false
}

// issuer names a signature's issuer for people: its fingerprint, or its
// key ID when that is all the signature says.
func issuer(s *packet.Signature) string {
	if len(s.IssuerFingerprint) > 0 {
		return strings.ToUpper(hex.EncodeToString(s.IssuerFingerprint))
	}
	return fmt.Sprintf("%016X", *s.IssuerKeyId)
}

func fingerprint(pk *packet.PublicKey) string {
	return strings.ToUpper(hex.EncodeToString(pk.Fingerprint))
}

// usableAt says why k could not have made a signature at t, or nil if it
// could: the primary key and (for a subkey) its binding were in force at t,
// the key may sign, and no revocation applies at t.
func usableAt(k signer, t time.Time) error {
	e := k.entity
	self, _ := e.PrimarySelfSignature()
	if self == nil {
		return fmt.Errorf("%w: key %s has no valid self-signature", errKeyInvalid, fingerprint(e.PrimaryKey))
	}
	if err := inForce("key", e.PrimaryKey, self, e.Revocations, t); err != nil {
		return err
	}
	if n := criticalNotation(self); n != "" {
		return fmt.Errorf("%w: key %s carries the unknown critical notation %q", errKeyInvalid, fingerprint(e.PrimaryKey), n)
	}
	if k.sub == nil {
		if !self.FlagsValid || !self.FlagSign {
			return fmt.Errorf("%w: key %s may only certify subkeys, not sign files", errKeyInvalid, fingerprint(e.PrimaryKey))
		}
		return nil
	}
	b := k.sub.Sig
	if !b.FlagsValid || !b.FlagSign {
		return fmt.Errorf("%w: subkey %s is not bound as a signing key", errKeyInvalid, fingerprint(k.sub.PublicKey))
	}
	if n := criticalNotation(b); n != "" || criticalNotation(b.EmbeddedSignature) != "" {
		return fmt.Errorf("%w: subkey %s's binding carries an unknown critical notation", errKeyInvalid, fingerprint(k.sub.PublicKey))
	}
	return inForce("subkey", k.sub.PublicKey, b, k.sub.Revocations, t)
}

// inForce checks one key at time t: created by then, not expired by then
// (its lifetime comes from self, its self-signature or binding), and not
// revoked. A hard revocation (compromised, or no reason given) voids every
// signature whenever made; a soft one (superseded, retired) only those made
// after it (RFC 9580, 5.2.3.31).
func inForce(what string, pk *packet.PublicKey, self *packet.Signature, revs []*packet.Signature, t time.Time) error {
	id := fingerprint(pk)
	if t.Before(pk.CreationTime) {
		return fmt.Errorf("%w: signed %s, before %s %s was created on %s", errKeyInvalid, day(t), what, id, day(pk.CreationTime))
	}
	if exp, ok := expiry(pk.CreationTime, self.KeyLifetimeSecs); ok && t.After(exp) {
		return fmt.Errorf("%w: signed %s, after %s %s expired on %s", errKeyInvalid, day(t), what, id, day(exp))
	}
	if exp, ok := expiry(self.CreationTime, self.SigLifetimeSecs); ok && t.After(exp) {
		return fmt.Errorf("%w: signed %s, after the self-signature of %s %s expired on %s", errKeyInvalid, day(t), what, id, day(exp))
	}
	for _, r := range revs {
		if hardRevocation(r) {
			return fmt.Errorf("%w: %s %s is revoked (%s)", errKeyInvalid, what, id, revocationReason(r))
		}
		if !t.Before(r.CreationTime) {
			return fmt.Errorf("%w: signed %s, after %s %s was revoked (%s) on %s", errKeyInvalid, day(t), what, id, revocationReason(r), day(r.CreationTime))
		}
	}
	return nil
}

// expiry is when a lifetime counted from start ends; ok is false for none.
func expiry(start time.Time, lifetime *uint32) (time.Time, bool) {
	if lifetime == nil || *lifetime == 0 {
		return time.Time{}, false
	}
	return start.Add(time.Duration(*lifetime) * time.Second), true
}

func hardRevocation(r *packet.Signature) bool {
	if r.RevocationReason == nil {
		return true
	}
	switch *r.RevocationReason {
	case packet.KeySuperseded, packet.KeyRetired:
		return false
	}
	return true
}

func revocationReason(r *packet.Signature) string {
	reason := "no reason given"
	if r.RevocationReason != nil {
		switch *r.RevocationReason {
		case packet.KeySuperseded:
			reason = "superseded"
		case packet.KeyCompromised:
			reason = "compromised"
		case packet.KeyRetired:
			reason = "retired"
		case packet.NoReason:
		default:
			reason = fmt.Sprintf("reason %d", *r.RevocationReason)
		}
	}
	if r.RevocationReasonText != "" {
		reason += ": " + r.RevocationReasonText
	}
	return reason
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// A pendingSig is one signature of the .asc with the trusted keys it names
// and the hash of the bytes seen so far.
type pendingSig struct {
	sig  *packet.Signature
	keys []signer
	h    hash.Hash
}

// sigCheck is the StreamCheck Check returns.
type sigCheck struct {
	what    string
	now     func() time.Time
	pending []pendingSig

	done  bool
	proof Proof
	err   error
}

func (c *sigCheck) Write(p []byte) (int, error) {
	for _, s := range c.pending {
		s.h.Write(p)
	}
	return len(p), nil
}

// Finish accepts the first signature that verifies with a key valid when it
// was made; otherwise it reports the first reason one did not.
func (c *sigCheck) Finish() (Proof, error) {
	if c.done {
		return c.proof, c.err
	}
	c.done = true
	var first error
	note := func(err error) {
		if first == nil {
			first = err
		}
	}
	for _, s := range c.pending {
		for i, k := range s.keys {
			h := s.h
			if i < len(s.keys)-1 {
				// VerifySignature consumes the hash; a key ID two keys share
				// needs a copy for each.
				cl, ok := s.h.(hash.Cloner)
				if !ok {
					continue
				}
				var err error
				if h, err = cl.Clone(); err != nil {
					continue
				}
			}
			if err := k.public().VerifySignature(h, s.sig); err != nil {
				note(fmt.Errorf("signature by %s %w: the file was altered after it was signed, or the signature belongs to another file", fingerprint(k.public()), errMismatch))
				continue
			}
			if err := usableAt(k, s.sig.CreationTime); err != nil {
				note(err)
				continue
			}
			if exp, ok := expiry(s.sig.CreationTime, s.sig.SigLifetimeSecs); ok && c.now().After(exp) {
				note(fmt.Errorf("%w: signature expired on %s", errKeyInvalid, day(exp)))
				continue
			}
			c.proof = proofFor(k, s.sig)
			return c.proof, nil
		}
	}
	c.err = &SignatureError{What: c.what, Err: first}
	return Proof{}, c.err
}

func proofFor(k signer, s *packet.Signature) Proof {
	primary := fingerprint(k.entity.PrimaryKey)
	owner := primary
	if id := k.entity.PrimaryIdentity(); id != nil {
		owner = id.Name
	}
	return Proof{
		Kind:      ProofOpenPGP,
		Value:     primary,
		Authority: owner,
		Key:       primary,
		Subkey:    fingerprint(k.public()),
		Signed:    s.CreationTime.UTC().Format(time.RFC3339),
	}
}
