package installer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/verify"
)

// IndexRelease and IndexFile are the official JSON index's shapes
// (go.dev/dl/?mode=json&include=all).
type IndexRelease struct {
	Version string      `json:"version"`
	Stable  bool        `json:"stable"`
	Files   []IndexFile `json:"files"`
}

type IndexFile struct {
	Filename string `json:"filename"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Version  string `json:"version"`
	SHA256   string `json:"sha256"`
	Size     int64  `json:"size"`
	Kind     string `json:"kind"`
}

// An Index is a parsed, checked official release index.
type Index struct {
	Releases []IndexRelease
}

// An IndexError is an index that cannot be used.
type IndexError struct {
	URL string
	Err error
}

func (e *IndexError) Error() string {
	return fmt.Sprintf("release index %s: %v (check GOVER_INDEX_URL, or use --source proxy)", e.URL, e.Err)
}

func (e *IndexError) Unwrap() error { return e.Err }

// ParseIndex reads and checks an index. Entries gover would use (archives)
// must have a well-formed name, size and digest; other kinds are skipped.
func ParseIndex(data []byte) (*Index, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '[' {
		return nil, errors.New("not a JSON list of releases")
	}
	var releases []IndexRelease
	if err := json.Unmarshal(data, &releases); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	if len(releases) == 0 {
		return nil, errors.New("lists no releases")
	}
	for _, r := range releases {
		if !goversion.IsValid(r.Version) {
			return nil, fmt.Errorf("release %q is not a Go version", r.Version)
		}
		for _, f := range r.Files {
			if f.Kind != "archive" {
				continue
			}
			if f.Version != "" && f.Version != r.Version {
				return nil, fmt.Errorf("file %q is listed under %s but says %s", f.Filename, r.Version, f.Version)
			}
			if f.Filename == "" || path.Base(f.Filename) != f.Filename || strings.ContainsAny(f.Filename, `\:?#%`) || strings.HasPrefix(f.Filename, ".") {
				return nil, fmt.Errorf("file name %q is not a plain file name", f.Filename)
			}
			if !verify.ValidSHA256(f.SHA256) {
				return nil, fmt.Errorf("file %s has no valid sha256 (%q)", f.Filename, f.SHA256)
			}
			if f.Size <= 0 {
				return nil, fmt.Errorf("file %s has no size", f.Filename)
			}
		}
	}
	return &Index{Releases: releases}, nil
}

// Releases lists the releases with an archive for p, newest first.
func (ix *Index) releases(p Platform) []Release {
	var out []Release
	for _, r := range ix.Releases {
		if _, ok := ix.file(r, p); ok {
			out = append(out, Release{Version: r.Version, Stable: r.Stable && goversion.IsStable(r.Version)})
		}
	}
	sortNewestFirst(out)
	return out
}

// lookup finds version's release and its archive for p; the release is
// nil when the index does not list the version.
func (ix *Index) lookup(version string, p Platform) (*IndexRelease, IndexFile, bool) {
	for i, r := range ix.Releases {
		if r.Version == version {
			f, ok := ix.file(r, p)
			return &ix.Releases[i], f, ok
		}
	}
	return nil, IndexFile{}, false
}

func (ix *Index) file(r IndexRelease, p Platform) (IndexFile, bool) {
	want := p.ArchiveName(r.Version)
	for _, f := range r.Files {
		if f.Kind == "archive" && f.OS == p.OS && f.Arch == p.DownloadArch() && f.Filename == want {
			return f, true
		}
	}
	return IndexFile{}, false
}
