package installer

// What 'gover mirror' (package mirror) needs from the sources, and the two
// places where installs read what a mirror built by gover publishes
// beside the official files: its index.json and organisation signatures.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"

	"github.com/goverdev/gover/verify"
)

const (
	// MirrorIndexFile is the official-format index a mirror built by gover
	// serves at its root, listing only the archives it holds.
	MirrorIndexFile = "index.json"
	// OrgSignatureSuffix names an organisation's signature of an archive,
	// beside the official <archive>.asc ('gover mirror sign'). It is a
	// separate file because gpg --verify fails (exit 2) on a block holding
	// a signature whose key it lacks, which would break scripts that check
	// the official signature with Google's key alone.
	OrgSignatureSuffix = ".org.asc"
)

// A MirrorArchive is an official archive located for republishing: the
// artifact Download proves, and what the index and signature said, so a
// mirror publishes exactly what was proven.
type MirrorArchive struct {
	*Artifact
	// Stable is the index's word on the release.
	Stable bool
	// SHA256 is the digest the official index lists.
	SHA256 string
	// Signature is the armored <archive>.asc the artifact's checks verify.
	Signature []byte
}

// LocateArchive is Locate for mirrors: it also returns the index entry and
// the signature the artifact is checked with. Signatures are mandatory: a
// mirror never republishes an archive only its digest vouches for.
func (o *Official) LocateArchive(ctx context.Context, version string, p Platform) (*MirrorArchive, error) {
	if o.Signatures == nil {
		return nil, errors.New("mirror archives: no signature checker configured")
	}
	return o.locate(ctx, version, p)
}

// UseMirrorIndexes lets installs through mirrors go on when the official
// index cannot be reached: the index.json a mirror built by 'gover mirror
// sync' serves is tried after the configured indexes. It is used for
// release names and digests only; every archive must still carry a good
// signature, so nothing changes without a checker. Preset mirrors serve no
// index.json and are skipped (google-cn's official index is already listed).

func (o *Official) UseMirrorIndexes() {
	if o.Signatures == nil {
		return
	}
	for _, base := range o.Mirrors {
		if isPresetURL(base) {
			continue
		}
		o.IndexURLs = append(o.IndexURLs, base+MirrorIndexFile)
	}
}

// LocalMirror is the source a mirror folder on disk (a file:// URL) is
// read as: its index.json first, its archives and their signatures, and
// nothing from the network unless the folder has no index.json (then the
// indexes o lists name the releases). It is Partial: a version the folder
// lacks is asked of the next source. o configures everything but where
// files come from; it is not changed.
func (o *Official) LocalMirror(base string) *Official {
	m := *o
	m.Mirrors = []string{base}
	m.DownloadURL = ""
	m.IndexURLs = append([]string{base + MirrorIndexFile}, o.IndexURLs...)
	m.Partial = true
	return &m
}

// SplitLocalMirrors separates the mirrors that are folders on disk
// (file:// URLs, each read as a LocalMirror) from the others.
func SplitLocalMirrors(bases []string) (local, remote []string) {
	for _, b := range bases {
		if isFileURL(b) {
			local = append(local, b)
		} else {
			remote = append(remote, b)
		}
	}
	return local, remote
}

func isFileURL(u string) bool { return strings.HasPrefix(u, "file:") }

func isPresetURL(base string) bool {
	for _, p := range MirrorPresets {
		if p.URL == base {
			return true
		}
	}
	return false
}

// signatureAndOrg is signature plus, for files from mirrors, the first
// organisation signature a mirror publishes (<archive>.org.asc, from
// 'gover mirror sign'), in one armored block: the checker accepts the
// block when any signature in it is by a trusted key, so clients whose
// GOVER_KEYRING holds the organisation's key, Google's, or both, all
// verify. Most mirrors have no such file; the 404 costs one small request.

func (o *Official) signatureAndOrg(ctx context.Context, filename string) ([]byte, error) {
	sig, err := o.signature(ctx, filename)
	if err != nil || len(o.Mirrors) == 0 {
		return sig, err
	}
	for _, base := range o.Mirrors {
		org, err := o.Fetch.Get(ctx, base+filename+OrgSignatureSuffix, "organisation signature "+filename+OrgSignatureSuffix, 64<<10)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			continue
		}
		merged, err := MergeSignatures(sig, org)
		if err != nil {
			return nil, &verify.SignatureError{What: filename, Err: fmt.Errorf("read %s%s: %w", filename, OrgSignatureSuffix, err)}
		}
		return merged, nil
	}
	return sig, nil
}

// MergeSignatures joins armored detached signatures into one armored block
// holding every signature packet, in order.
func MergeSignatures(blocks ...[]byte) ([]byte, error) {
	var packets bytes.Buffer
	for _, b := range blocks {
		block, err := armor.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("read armor: %w", err)
		}
		if block.Type != openpgp.SignatureType {
			return nil, fmt.Errorf("the armor holds a %q block, not a signature", block.Type)
		}
		body, err := io.ReadAll(block.Body)
		if err != nil {
			return nil, fmt.Errorf("read armor: %w", err)
		}
		// Only whole signature packets are carried over.
		r := packet.NewReader(bytes.NewReader(body))
		for {
			p, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, err
			}
			if _, ok := p.(*packet.Signature); !ok {
				return nil, fmt.Errorf("it holds a %T packet", p)
			}
		}
		packets.Write(body)
	}
	var out bytes.Buffer
	w, err := armor.Encode(&out, openpgp.SignatureType, nil)
	if err != nil {
		return nil, err
	}
	w.Write(packets.Bytes())
	if err := w.Close(); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// ArchiveSizes maps each release the index lists for p to its archive's size.
func (o *Official) ArchiveSizes(ctx context.Context, p Platform) (map[string]int64, error) {
	ix, _, err := o.index(ctx)
	if err != nil {
		return nil, err
	}
	sizes := map[string]int64{}
	for _, r := range ix.Releases {
		if f, ok := ix.file(r, p); ok {
			sizes[r.Version] = f.Size
		}
	}
	return sizes, nil
}
