package cli

import (
	"path/filepath"
	"strings"

	"github.com/goverdev/gover/verify"
)

// signatures is the OpenPGP checker for official and mirror archives: the
// embedded Go release key, updated from its published copy when a release
// is signed by a subkey newer than this build; or, with GOVER_KEYRING, the
// keys in that file and nothing else.
func (e *Env) signatures() verify.Signatures {
	if f := e.Getenv("GOVER_KEYRING"); f != "" {
		return verify.NewOpenPGP(verify.OpenPGPConfig{KeyringFile: f, Now: e.Now})
	}
	return verify.NewOpenPGP(verify.OpenPGPConfig{
		Pin:      verify.GoReleaseKey,
		KeyURL:   releaseKeyURL(e.Getenv),
		Fetch:    e.Fetch(),
		CacheDir: filepath.Join(e.Layout().Cache, "keys"),
		Now:      e.Now,
	})
}

// releaseKeyURL is where the published release key is fetched from:
// GOVER_KEY_URL; else beside the files of GOVER_DOWNLOAD_URL (a test
// distribution, a private copy of the download host); else Google's.
func releaseKeyURL(getenv func(string) string) string {
	if u := getenv("GOVER_KEY_URL"); u != "" {
		return u
	}
	if u := getenv("GOVER_DOWNLOAD_URL"); u != "" {
		return strings.TrimSuffix(u, "/") + "/linux_signing_key.pub"
	}
	return verify.GoReleaseKeyURL
}
