package installer

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/goverdev/gover/installer/unpack"

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
	identity, err := in.unpackedIdentity(ctx, art, part)
	if err != nil {
		return nil, resumed, err
	}
	return append(proofs, identity), resumed, nil
}

// unpackedIdentity unpacks a proven download into a temporary folder
// beside it, only to prove what it holds (proveIdentity) as an install
// would, and removes the folder: a mirror publishes no archive an install
// would refuse.
func (in *Installer) unpackedIdentity(ctx context.Context, art *Artifact, file string) (verify.Proof, error) {
	tmp, err := mkdirTree(filepath.Dir(file), ".tree-")
	if err != nil {
		return verify.Proof{}, err
	}
	defer os.RemoveAll(tmp)
	opts := unpackOptions(art)
	switch art.Format {
	case TarGz:
		f, err := os.Open(file)
		if err != nil {
			return verify.Proof{}, err
		}
		_, err = unpack.TarGz(ctx, f, tmp, opts)
		f.Close()
		if err != nil {
			return verify.Proof{}, fmt.Errorf("%s: %w", art.Filename, err)
		}
	default:
		if _, _, err := unzipFile(ctx, file, tmp, opts); err != nil {
			return verify.Proof{}, fmt.Errorf("%s: %w", art.Filename, err)
		}
	}
	return proveIdentity(tmp, art)
}
