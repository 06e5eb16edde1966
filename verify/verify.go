// Package verify proves toolchains genuine: downloads before anything is installed, and installed trees against their records.
//
// A download is proven by the SHA-256 from the official index, the OpenPGP
// signature Go publishes beside each archive (type OpenPGP, checked against the
// embedded Go release key at the time the signature was made), and the
// checksum database's h1: hash for module zips. Checks that see the bytes
// as they stream past implement StreamCheck; each says how it proved them
// in a Proof, which goes into the install record. Every way of failing
// wraps ErrFailed, so callers tell "not proven" (exit code 3) from "could
// not fetch" with one errors.Is.
//
// An installed tree is checked by Tree, which re-hashes it against the
// manifest its install recorded (gover verify, gover doctor).
package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
)

// ErrFailed is wrapped by every verification failure.
var ErrFailed = errors.New("verification failed")

// A ProofKind names one way of proving an artifact; records and JSON say it.
type ProofKind string

const (
	ProofSHA256  ProofKind = "sha256"  // a SHA-256 digest from the official index
	ProofOpenPGP ProofKind = "openpgp" // an OpenPGP signature by a release key
	ProofSumDB   ProofKind = "sumdb"   // the checksum database's h1: hash of a module zip
)

// A Proof records one way an artifact was proven.
type Proof struct {
	Kind ProofKind `json:"kind"`
	// Value is the digest, h1: hash, or the signing key's fingerprint.
	Value string `json:"value"`
	// Authority says where the expected value came from: the official
	// index's URL, the checksum database's name, the key's owner.
	Authority string `json:"authority"`
	// Key and Subkey are the primary and signing-subkey fingerprints of an
	// OpenPGP signature.
	Key    string `json:"key,omitempty"`
	Subkey string `json:"subkey,omitempty"`
	// Signed is when an OpenPGP signature was made (RFC 3339).
	Signed string `json:"signed,omitempty"`
	// Hint says why the proof is only a hint (a digest from an unsigned
	// mirror index, which the signature and the tree's VERSION overrule).
	Hint string `json:"hint,omitempty"`
	// Covers says which files a checksum database proof of an archive
	// install covers: its module's, the archive's less api/, doc/, misc/
	// and test/.
	Covers string `json:"covers,omitempty"`
}

func (p Proof) String() string {
	switch p.Kind {
	case ProofSHA256:
		if p.Hint != "" {
			return "SHA-256 from " + p.Authority + " (" + p.Hint + ")"
		}
		return "SHA-256 from " + p.Authority
	case ProofOpenPGP:
		return "signature by " + p.Authority
	case ProofSumDB:
		if p.Covers != "" {
			return "checksum database " + p.Authority + " (its module's " + p.Covers + ")"
		}
		return "checksum database " + p.Authority
	case ProofTree:
		return "its own VERSION and programs (" + p.Value + ")"
	}
	return string(p.Kind)
}

// A StreamCheck proves bytes as they are written to it.
type StreamCheck interface {
	io.Writer
	// Finish checks everything written and says how it was proven.
	Finish() (Proof, error)
}

// A MismatchError is a digest or hash that differs from the expected one.
type MismatchError struct {
	What      string // "go1.22.5.linux-amd64.tar.gz"
	Kind      string // "SHA-256", "h1"
	Got, Want string
	Authority string // who said Want
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("%s %s is %s but %s says %s (the download was altered or corrupted; nothing was installed)",
		e.What, e.Kind, e.Got, e.Authority, e.Want)
}

func (e *MismatchError) Is(target error) bool { return target == ErrFailed }

// SHA256 returns a check that the bytes hash to want (hex), as authority says.
func SHA256(what, want, authority string) StreamCheck {
	return &sha256Check{h: sha256.New(), what: what, want: strings.ToLower(want), authority: authority}
}

type sha256Check struct {
	h                     hash.Hash
	what, want, authority string
}

func (c *sha256Check) Write(p []byte) (int, error) { return c.h.Write(p) }

func (c *sha256Check) Finish() (Proof, error) {
	got := hex.EncodeToString(c.h.Sum(nil))
	if got != c.want {
		return Proof{}, &MismatchError{What: c.what, Kind: "SHA-256", Got: got, Want: c.want, Authority: c.authority}
	}
	return Proof{Kind: ProofSHA256, Value: got, Authority: c.authority}, nil
}

// Hint marks the proofs of check as only a hint, saying why.
func Hint(check StreamCheck, why string) StreamCheck { return hinted{check, why} }

type hinted struct {
	StreamCheck
	why string
}

func (h hinted) Finish() (Proof, error) {
	p, err := h.StreamCheck.Finish()
	if err == nil {
		p.Hint = h.why
	}
	return p, err
}

// ValidSHA256 reports whether s is 64 hex digits.
func ValidSHA256(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == sha256.Size
}
