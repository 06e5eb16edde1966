package installer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/verify"
)

const (
	// DefaultIndexURL is the official index of every release.
	DefaultIndexURL = "https://go.dev/dl/?mode=json&include=all"
	// DefaultDownloadURL is the official download host. The go.dev/dl/
	// page redirects archive names there, but answers an HTML page for
	// .sha256 and .asc names, so gover asks the host directly.
	DefaultDownloadURL = "https://dl.google.com/go/"
	// indexTTL is how long a fetched index is reused.
	indexTTL = 10 * time.Minute
	// maxIndex bounds the index (about 1.5 MB today).
	maxIndex = 64 << 20
)

// Official is the official site: its JSON index and download host. As the
// mirror source it downloads from mirrors instead, still proving every file
// with the official index's digest (and signature): a mirror is never
// trusted on its own say.
type Official struct {
	// IndexURLs are tried in order until one answers.
	IndexURLs []string
	// DownloadURL is the official download host (base URL ending in /).
	DownloadURL string
	// Mirrors, when set, replace the download host (base URLs ending in /).
	Mirrors []string
	Fetch   *fetch.Client
	// Cache is the folder the index is cached in.
	Cache string
	Now   func() time.Time
	// Signatures checks the .asc beside each archive. Nil skips it.
	Signatures verify.Signatures
	// EnvIndexURL is the index GOVER_INDEX_URL names, if any: proofs
	// name it as such, never as the official index.
	EnvIndexURL string
	// Partial marks a source that holds only some releases (a mirror
	// folder 'gover mirror sync' built): when it lacks a version, Sources
	// asks the next source instead of answering "not found".
	Partial bool
}

// Name is SourceMirror when the files come from mirrors, else SourceOfficial.
func (o *Official) Name() SourceName {
	if len(o.Mirrors) > 0 {
		return SourceMirror
	}
	return SourceOfficial
}

// Describe names the source for people: "official site", or "mirror"
// and the mirrors' URLs.
func (o *Official) Describe() string {
	if len(o.Mirrors) == 0 {
		return "official site"
	}
	urls := make([]string, len(o.Mirrors))
	for i, m := range o.Mirrors {
		urls[i] = fetch.Redact(m)
	}
	return "mirror " + strings.Join(urls, ", ")
}

// Releases lists the index's releases that have an archive for p.
func (o *Official) Releases(ctx context.Context, p Platform) ([]Release, error) {
	ix, _, err := o.index(ctx)
	if err != nil {
		return nil, err
	}
	return ix.releases(p), nil
}

// Locate finds version's archive for p in the index.
func (o *Official) Locate(ctx context.Context, version string, p Platform) (*Artifact, error) {
	ma, err := o.locate(ctx, version, p)
	if err != nil {
		return nil, err
	}
	return ma.Artifact, nil
}

// locate finds version's archive for p in the index, with its signature
// (and an organisation's, from mirrors built by gover), and the checks
// that prove it.
func (o *Official) locate(ctx context.Context, version string, p Platform) (*MirrorArchive, error) {
	ix, indexURL, err := o.index(ctx)
	if err != nil {
		return nil, err
	}
	r, f, ok := ix.lookup(version, p)
	if !ok {
		detail := "the index lists no such version"
		if r != nil {
			detail = "the index has no " + p.ArchiveName(version) + "; see 'gover list-remote --all'"
		}
		return nil, &NotFoundError{Version: version, Platform: p, Source: o.Name(), Detail: detail}
	}
	a := &Artifact{
		Version:  version,
		Platform: p,
		Source:   o.Name(),
		Filename: f.Filename,
		Size:     f.Size,
		Format:   TarGz,
		Prefix:   "go/",
	}
	if p.OS == "windows" {
		a.Format = Zip
	}
	for _, base := range o.bases() {
		a.URLs = append(a.URLs, base+f.Filename)
	}
	var sig []byte
	if o.Signatures != nil {
		if sig, err = o.signatureAndOrg(ctx, f.Filename); err != nil {
			return nil, err
		}
	}
	cache := o.indexCache(indexURL)
	a.Checks = func() ([]verify.StreamCheck, error) {
		sha := verify.SHA256(f.Filename, f.SHA256, o.describeIndex(indexURL))
		if indexURL != DefaultIndexURL && o.Signatures != nil {
			sha = verify.Hint(sha, "unsigned, so only a hint: the signature proves a genuine Go release, the tree's VERSION which one")
		}
		checks := []verify.StreamCheck{forgetOnMismatch{sha, cache}}
		if o.Signatures != nil {
			check, err := o.Signatures.Check(ctx, f.Filename, sig)
			if err != nil {
				return nil, err
			}
			checks = append(checks, check)
		}
		return checks, nil
	}
	// A signature that cannot be used fails now, before any download.
	if _, err := a.Checks(); err != nil {
		return nil, err
	}
	return &MirrorArchive{Artifact: a, Stable: r.Stable, SHA256: f.SHA256, Signature: sig}, nil
}

// describeIndex names an index by its real origin, for proofs and
// messages: only DefaultIndexURL is "the official index".
func (o *Official) describeIndex(url string) string {
	shown := fetch.Redact(url)
	switch {
	case o.EnvIndexURL != "" && url == o.EnvIndexURL:
		return "the index GOVER_INDEX_URL names, " + shown
	case url == DefaultIndexURL:
		return "the official index " + shown
	}
	for _, p := range MirrorPresets {
		if p.IndexURL == url {
			return "the index of mirror " + p.Name + ", " + shown
		}
	}
	for _, base := range o.Mirrors {
		if url == base+MirrorIndexFile {
			return "the mirror index " + shown
		}
	}
	return "the index " + shown
}

// forgetOnMismatch drops the cached index when a digest it lists does not
// match the download: the next run fetches the index afresh instead of
// repeating a wrong digest (a bad answer, a republished file) for indexTTL.
type forgetOnMismatch struct {
	verify.StreamCheck
	cache string
}

func (c forgetOnMismatch) Finish() (verify.Proof, error) {
	p, err := c.StreamCheck.Finish()
	if err != nil {
		os.Remove(c.cache)
	}
	return p, err
}

// bases are where files are downloaded from, in order.
func (o *Official) bases() []string {
	if len(o.Mirrors) > 0 {
		return o.Mirrors
	}
	return []string{o.DownloadURL}
}

// signature fetches <file>.asc: from the official download host first, then
// from each mirror (a copy is as good, since the signature is checked).
// When no host answered at all, that is an unreachable source (the auto
// source moves on to the proxy), not a missing signature.
func (o *Official) signature(ctx context.Context, filename string) ([]byte, error) {
	var bases []string
	if o.DownloadURL != "" {
		bases = append(bases, o.DownloadURL)
	}
	bases = append(bases, o.Mirrors...)
	var firstErr error
	unreachable := true
	for _, base := range bases {
		b, err := o.Fetch.Get(ctx, base+filename+".asc", "signature "+filename+".asc", 64<<10)
		if err == nil {
			return b, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if firstErr == nil {
			firstErr = err
		}
		unreachable = unreachable && fetch.IsUnreachable(err)
	}
	err := fmt.Errorf("fetch %s.asc: %w", filename, firstErr)
	if unreachable {
		return nil, err
	}
	return nil, &verify.SignatureError{What: filename, Err: err}
}

// index returns the release index, from the cache when fresh.
func (o *Official) index(ctx context.Context) (*Index, string, error) {
	var errs []error
	for _, url := range o.IndexURLs {
		cache := o.indexCache(url)
		if fi, err := os.Stat(cache); err == nil && !isFileURL(url) && o.Now().Sub(fi.ModTime()) < indexTTL {
			if data, err := os.ReadFile(cache); err == nil {
				if ix, err := ParseIndex(data); err == nil {
					return ix, url, nil
				}
			}
		}
		data, err := o.Fetch.Get(ctx, url, "release index", maxIndex)
		if err != nil {
			if ctx.Err() != nil {
				return nil, "", ctx.Err()
			}
			errs = append(errs, err)
			continue
		}
		ix, err := ParseIndex(data)
		if err != nil {
			errs = append(errs, &IndexError{URL: fetch.Redact(url), Err: err})
			continue
		}
		// A failed cache write only costs a fetch next time. A folder's
		// index is not cached: reading it is as cheap, and a sync may
		// have just changed it.
		if !isFileURL(url) {
			_ = atomicfile.Write(cache, data, 0o644)
		}
		return ix, url, nil
	}
	return nil, "", &IndexUnavailableError{Errs: errs}
}

// indexCache is the file the index fetched from url is cached in.
func (o *Official) indexCache(url string) string {
	return filepath.Join(o.Cache, "index", urlKey(url)+".json")
}

// An IndexUnavailableError means no index could be fetched or used.
type IndexUnavailableError struct {
	Errs []error
}

func (e *IndexUnavailableError) Error() string {
	if len(e.Errs) == 0 {
		return "no release index configured"
	}
	return e.Errs[0].Error()
}

func (e *IndexUnavailableError) Unwrap() []error { return e.Errs }

// Cause says in a few words why each index could not be used: "no
// index.json; connection refused".
func (e *IndexUnavailableError) Cause() string {
	var parts []string
	for _, err := range e.Errs {
		var se *fetch.StatusError
		if errors.As(err, &se) && se.NotFound() {
			parts = append(parts, "no "+path.Base(strings.TrimSuffix(fetch.Redact(se.URL), "/")))
			continue
		}
		parts = append(parts, ShortCause(err))
	}
	return strings.Join(parts, "; ")
}

// urlKey names a cache file after a URL.
func urlKey(url string) string {
	sum := sha256.Sum256([]byte(url))
	return hex.EncodeToString(sum[:8])
}

// errIndexUnusable reports whether err means the official index could not
// be obtained, so the auto source moves on to the module proxy.
func errIndexUnusable(err error) bool {
	var iu *IndexUnavailableError
	return errors.As(err, &iu)
}
