package installer

import (
	"context"
	"io"

	"github.com/goverdev/gover/internal/robustio"
	"github.com/goverdev/gover/verify"
)

// Download fetches an artifact to the file dst and proves it exactly as
// Install does — stream checks (SHA-256 and signature) for archives, the
// checksum database's h1: hash for module zips — without unpacking it. The
// file appears at dst, by rename, only once proven; a download that fails
// verification is deleted. It returns the URL used and the proofs.
func (in *Installer) Download(ctx context.Context, art *Artifact, dst string) (string, []verify.Proof, error) {
	part := dst + ".part"
	var proofs []verify.Proof
	url, err := tryURLs(ctx, art, part, func(url string) (resumed bool, err error) {
		proofs, resumed, err = in.downloadOnce(ctx, art, url, part)
		return resumed, err
	})
	if err != nil {
		return "", nil, err
	}
	if err := robustio.Rename(part, dst); err != nil {
		return "", nil, err
	}
	return url, proofs, nil
}

func (in *Installer) downloadOnce(ctx context.Context, art *Artifact, url, part string) ([]verify.Proof, bool, error) {
	checks, dl, err := in.start(art, url, part, io.Discard)
	if err != nil {
		return nil, false, err
	}
	resumed, err := in.Fetch.Download(ctx, dl)
	if err != nil {
		return nil, resumed, err
	}
	proofs, err := finishChecks(checks)
	if err != nil {
		return nil, resumed, err
	}
	if art.Format == ModuleZip {
		p, err := zipHashProof(art, part)
		if err != nil {
			return nil, resumed, err
		}
		proofs = append(proofs, p)
	}
	if len(proofs) == 0 {
		return nil, resumed, errNoProof(art)
	}
	return proofs, resumed, nil
}
