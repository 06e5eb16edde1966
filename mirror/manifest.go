package mirror

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/verify"
)

const (
	// ManifestFile is the mirror's own record, at its root: what it holds,
	// where each file came from and how it was proven.
	ManifestFile = "gover-mirror.json"
	// stateDir holds the lock and unfinished downloads; a server may serve
	// it, there is nothing secret in it.
	stateDir = ".gover-mirror"
	// manifestFormat is bumped when the manifest changes incompatibly.
	manifestFormat = 1
)

// A Manifest is what a mirror holds. Sync keeps it in step with the files,
// writing it after each file is in place.
type Manifest struct {
	Format       int            `json:"format"`
	Updated      time.Time      `json:"updated"`
	GoverVersion string         `json:"gover_version"`
	Archives     []ArchiveEntry `json:"archives"`
	Modules      []ModuleEntry  `json:"modules"`
	SumDB        *SumDBState    `json:"sumdb,omitempty"`
}

// An ArchiveEntry is an official archive in the mirror, with its
// <file>.sha256 and <file>.asc beside it.
type ArchiveEntry struct {
	Version string `json:"version"`
	Stable  bool   `json:"stable"`
	// OS and Arch are Go's names (arm, not armv6l).
	OS     string         `json:"os"`
	Arch   string         `json:"arch"`
	File   string         `json:"file"`
	Size   int64          `json:"size"`
	SHA256 string         `json:"sha256"`
	URL    string         `json:"url"`
	Proofs []verify.Proof `json:"proofs"`
	// OrgKey is the fingerprint of the organisation key whose signature
	// is beside the archive as <file>.org.asc ('gover mirror sign').
	OrgKey   string    `json:"org_key,omitempty"`
	SyncedAt time.Time `json:"synced_at"`
}

// A ModuleEntry is a golang.org/toolchain module version in the mirror:
// its .zip, .mod and .info.
type ModuleEntry struct {
	Version string `json:"version"`
	OS      string `json:"os"`
	Arch    string `json:"arch"`
	// Module is the module version, v0.0.1-go1.22.5.linux-amd64.
	Module   string         `json:"module"`
	Size     int64          `json:"size"`
	H1       string         `json:"h1"`
	GoModH1  string         `json:"gomod_h1"`
	URL      string         `json:"url"`
	Proofs   []verify.Proof `json:"proofs"`
	SyncedAt time.Time      `json:"synced_at"`
}

// SumDBState is what the mirror publishes of the checksum database under
// sumdb/<name>/: every lookup answer carries the one signed tree head
// Tree, and the tiles published prove each record in it, and prove every
// earlier head in Heads to be part of it (clients remember the newest
// head they saw).
type SumDBState struct {
	Name string `json:"name"`
	Key  string `json:"key"`
	// Tree is the signed tree head (a note) of the published answers.
	Tree string `json:"tree"`
	// Heads are every head the mirror has published, Tree included.
	Heads []string `json:"heads"`
	// Files are the published tiles and lookup answers, relative to sumdb/<name>/.
	Files []string `json:"files"`
	// Withdrawn is set once a sync stopped publishing answers
	// (NoSumDBAnswers): "supported" is gone, the rest is stale.
	Withdrawn bool `json:"withdrawn,omitempty"`
}

// key identifies an entry across syncs.
func (a ArchiveEntry) key() itemKey {
	return itemKey{Archive, a.Version, installer.Platform{OS: a.OS, Arch: a.Arch}}
}

func (m ModuleEntry) key() itemKey {
	return itemKey{Module, m.Version, installer.Platform{OS: m.OS, Arch: m.Arch}}
}

// readManifest reads dir's manifest; a mirror without one is empty.
func readManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if errors.Is(err, os.ErrNotExist) {
		return &Manifest{Format: manifestFormat}, nil
	}
	if err != nil {
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("read %s: %w (move it aside to rebuild the mirror's record)", filepath.Join(dir, ManifestFile), err)
	}
	if m.Format != manifestFormat {
		return nil, fmt.Errorf("read %s: format %d, this gover reads %d (use a newer gover)", filepath.Join(dir, ManifestFile), m.Format, manifestFormat)
	}
	return &m, nil
}

func writeManifest(dir string, m *Manifest) error {
	m.sort()
	data, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, ManifestFile), append(data, '\n'), 0o644)
}

func (m *Manifest) sort() {
	slices.SortFunc(m.Archives, func(a, b ArchiveEntry) int {
		if c := goversion.Compare(b.Version, a.Version); c != 0 {
			return c
		}
		return strings.Compare(a.File, b.File)
	})
	slices.SortFunc(m.Modules, func(a, b ModuleEntry) int {
		if c := goversion.Compare(b.Version, a.Version); c != 0 {
			return c
		}
		return strings.Compare(a.Module, b.Module)
	})
}

// putArchive adds or replaces an archive entry.
func (m *Manifest) putArchive(a ArchiveEntry) {
	m.Archives = slices.DeleteFunc(m.Archives, func(x ArchiveEntry) bool { return x.key() == a.key() })
	m.Archives = append(m.Archives, a)
}

// putModule adds or replaces a module entry.
func (m *Manifest) putModule(e ModuleEntry) {
	m.Modules = slices.DeleteFunc(m.Modules, func(x ModuleEntry) bool { return x.key() == e.key() })
	m.Modules = append(m.Modules, e)
}

// indexJSON is the mirror's index.json: the official format, listing only
// the archives the mirror holds, newest release first. It is nil when the
// mirror holds no archive (the official format has no empty index).
func indexJSON(archives []ArchiveEntry) ([]byte, error) {
	if len(archives) == 0 {
		return nil, nil
	}
	var rels []installer.IndexRelease
	byVersion := map[string]int{}
	for _, a := range archives {
		i, ok := byVersion[a.Version]
		if !ok {
			i = len(rels)
			byVersion[a.Version] = i
			rels = append(rels, installer.IndexRelease{Version: a.Version, Stable: a.Stable})
		}
		p := installer.Platform{OS: a.OS, Arch: a.Arch}
		rels[i].Files = append(rels[i].Files, installer.IndexFile{
			Filename: a.File, OS: a.OS, Arch: p.DownloadArch(), Version: a.Version,
			SHA256: a.SHA256, Size: a.Size, Kind: "archive",
		})
	}
	slices.SortFunc(rels, func(a, b installer.IndexRelease) int { return goversion.Compare(b.Version, a.Version) })
	for _, r := range rels {
		slices.SortFunc(r.Files, func(a, b installer.IndexFile) int { return strings.Compare(a.Filename, b.Filename) })
	}
	data, err := json.MarshalIndent(rels, "", " ")
	if err != nil {
		return nil, err
	}
	data = append(data, '\n')
	// What gover writes, gover must read: the same checks as any index.
	if _, err := installer.ParseIndex(data); err != nil {
		return nil, fmt.Errorf("mirror index: %w", err)
	}
	return data, nil
}

// versionList is golang.org/toolchain/@v/list: the module versions the
// mirror holds, one a line.
func versionList(modules []ModuleEntry) []byte {
	vs := slices.Clone(modules)
	slices.SortFunc(vs, func(a, b ModuleEntry) int {
		if c := goversion.Compare(a.Version, b.Version); c != 0 {
			return c
		}
		return strings.Compare(a.Module, b.Module)
	})
	var b strings.Builder
	for _, m := range vs {
		b.WriteString(m.Module + "\n")
	}
	return []byte(b.String())
}
