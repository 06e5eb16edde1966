package testdist

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/version"
	"io"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/dirhash"
)

// A Release is one Go release the fake distribution serves.
type Release struct {
	// Version is the go command's spelling: go1.22.5, go1.23rc1, go1.20.
	Version string
	// Stable is false for release candidates and betas.
	Stable bool
	// Platforms are Go GOOS/GOARCH pairs: "linux/amd64", "linux/arm".
	Platforms []string
	// Date is when the release was cut: the time line of go/VERSION and the
	// Last-Modified of its files. Zero means 2024-06-27T20:11:12Z.
	Date time.Time
}

func (r Release) date() time.Time {
	if r.Date.IsZero() {
		return time.Date(2024, 6, 27, 20, 11, 12, 0, time.UTC)
	}
	return r.Date
}

// defaultPlatforms are the platforms of the default releases: the common
// ones, plus linux/arm because its download name (armv6l) differs.
var defaultPlatforms = []string{"linux/amd64", "linux/arm64", "linux/arm", "darwin/arm64", "windows/amd64"}

// DefaultReleases is the release set used when Options.Releases is empty:
// an unstable release newer than every stable one, two patches of a minor,
// a minor's .0 and the last release named without a .0 (go1.20), plus an
// old release candidate that only include=all lists.
func DefaultReleases() []Release {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 17, 0, 0, 0, time.UTC) }
	rels := []Release{
		{Version: "go1.23rc1", Stable: false, Date: day(2024, 6, 21)},
		{Version: "go1.22.5", Stable: true, Date: day(2024, 7, 2)},
		{Version: "go1.22.4", Stable: true, Date: day(2024, 6, 4)},
		{Version: "go1.21.13", Stable: true, Date: day(2024, 8, 6)},
		{Version: "go1.21.0", Stable: true, Date: day(2023, 8, 8)},
		{Version: "go1.21rc2", Stable: false, Date: day(2023, 6, 21)},
		{Version: "go1.20", Stable: true, Date: day(2023, 2, 1)},
	}
	for i := range rels {
		rels[i].Platforms = append([]string(nil), defaultPlatforms...)
	}
	return rels
}

// A file is one thing served under /dl/ and the mirrors.
type file struct {
	name    string
	data    []byte
	sha256  string
	modTime time.Time
	// sig is the armored signature, made on first request (signing every
	// file up front would slow every test down).
	sig []byte
}

// IndexFile is a file entry of the official JSON index.
type IndexFile struct {
	Filename string `json:"filename"`
	OS       string `json:"os"`
	Arch     string `json:"arch"`
	Version  string `json:"version"`
	SHA256   string `json:"sha256"`
	Size     int64  `json:"size"`
	Kind     string `json:"kind"` // "archive", "installer" or "source"
}

// IndexRelease is a release entry of the official JSON index.
type IndexRelease struct {
	Version string      `json:"version"`
	Stable  bool        `json:"stable"`
	Files   []IndexFile `json:"files"`
}

// A toolchainModule is one golang.org/toolchain module version.
type toolchainModule struct {
	version string // v0.0.1-go1.22.5.linux-amd64
	zip     []byte
	time    time.Time
}

// modFile is the .mod every golang.org/toolchain version has.
const modFile = "module golang.org/toolchain\n"

// catalog is everything a Dist serves, built once at start.
type catalog struct {
	releases []Release // newest first
	index    []IndexRelease
	files    map[string]*file
	modules  map[string]*toolchainModule
}

func sum256(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// buildCatalog builds every archive, installer, source tarball and module
// zip of rels (deterministic bytes).
func buildCatalog(rels []Release, o Options, goExe []byte) (*catalog, error) {
	c := &catalog{files: map[string]*file{}, modules: map[string]*toolchainModule{}}
	rels = append([]Release(nil), rels...)
	for _, r := range rels {
		if !version.IsValid(r.Version) {
			return nil, fmt.Errorf("build release %q: not a Go version (want go1.22.5, go1.23rc1, go1.20)", r.Version)
		}
	}
	sort.SliceStable(rels, func(i, j int) bool { return version.Compare(rels[i].Version, rels[j].Version) > 0 })
	c.releases = rels

	to := treeOptions{extraFiles: o.ExtraFiles, windowsGoExe: goExe}
	for _, r := range rels {
		ir := IndexRelease{Version: r.Version, Stable: r.Stable}
		add := func(name, goos, arch, kind string, data []byte) {
			c.files[name] = &file{name: name, data: data, sha256: sum256(data), modTime: r.date()}
			ir.Files = append(ir.Files, IndexFile{
				Filename: name, OS: goos, Arch: arch, Version: r.Version,
				SHA256: sum256(data), Size: int64(len(data)), Kind: kind,
			})
		}
		src := TarGz(withDirs([]Entry{
			{Name: "go/VERSION", Mode: 0o644, Body: []byte(r.Version)},
			{Name: "go/src/go.mod", Mode: 0o644, Body: []byte("module std\n")},
		}), r.date())
		add(r.Version+".src.tar.gz", "", "", "source", src)

		var plats []platform
		for _, s := range r.Platforms {
			p, err := parsePlatform(s)
			if err != nil {
				return nil, fmt.Errorf("build release %s: %w", r.Version, err)
			}
			plats = append(plats, p)
		}
		sort.Slice(plats, func(i, j int) bool { return plats[i].String() < plats[j].String() })
		for _, p := range plats {
			tree, err := toolchainTree(r, p, to)
			if err != nil {
				return nil, fmt.Errorf("build release %s: %w", r.Version, err)
			}
			name := ArchiveName(r.Version, p.goos, p.goarch)
			var data []byte
			if p.goos == "windows" {
				data = Zip(tree, r.date(), false)
			} else {
				data = TarGz(withDirs(tree), r.date())
			}
			arch := DownloadArch(p.goarch)
			add(name, p.goos, arch, "archive", data)
			// Installers are noise the installer must skip; their bytes
			// are never unpacked.
			switch p.goos {
			case "windows":
				add(strings.TrimSuffix(name, ".zip")+".msi", p.goos, arch, "installer", []byte("not an MSI: fake "+r.Version+" installer\n"))
			case "darwin":
				add(strings.TrimSuffix(name, ".tar.gz")+".pkg", p.goos, arch, "installer", []byte("not a pkg: fake "+r.Version+" installer\n"))
			}

			mv := ModuleVersion(r.Version, p.goos, p.goarch)
			withModes := !o.ModuleNoModes && p.goos != "windows"
			c.modules[mv] = &toolchainModule{version: mv, zip: Zip(moduleEntries(tree, mv), r.date(), withModes), time: r.date()}
		}
		c.index = append(c.index, ir)
	}
	return c, nil
}

// indexJSON renders the index as the official site does: releases newest
// first, one-space indentation. With all unset it lists only the newest
// stable patch of the two newest stable minors, like ?mode=json.
func indexJSON(index []IndexRelease, all bool) []byte {
	list := index
	if !all {
		list = currentReleases(index)
	}
	if list == nil {
		list = []IndexRelease{}
	}
	b, err := json.MarshalIndent(list, "", " ")
	if err != nil {
		panic(err) // plain structs always marshal
	}
	return append(b, '\n')
}

// currentReleases picks what ?mode=json lists from a newest-first index.
func currentReleases(index []IndexRelease) []IndexRelease {
	var out []IndexRelease
	seen := map[string]bool{}
	for _, r := range index {
		lang := version.Lang(r.Version)
		if !r.Stable || seen[lang] {
			continue
		}
		seen[lang] = true
		out = append(out, r)
		if len(out) == 2 {
			break
		}
	}
	return out
}

// goSum computes the go.sum lines the checksum database holds for a
// module zip: the h1 hash of its files and of its .mod.
func goSum(modVersion string, zipData []byte) ([]byte, error) {
	zh, err := zipHash(zipData)
	if err != nil {
		return nil, fmt.Errorf("hash module %s: %w", modVersion, err)
	}
	mh, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(modFile)), nil
	})
	if err != nil {
		return nil, fmt.Errorf("hash go.mod of %s: %w", modVersion, err)
	}
	return fmt.Appendf(nil, "%s %s %s\n%s %s/go.mod %s\n", ToolchainModule, modVersion, zh, ToolchainModule, modVersion, mh), nil
}

// zipHash is dirhash.HashZip for a zip held in memory.
func zipHash(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", err
	}
	// Same as dirhash.HashZip, duplicates included, so a published zip
	// hashes as cmd/go would hash it.
	var names []string
	byName := map[string]*zip.File{}
	for _, f := range zr.File {
		byName[f.Name] = f
		names = append(names, f.Name)
	}
	return dirhash.Hash1(names, func(name string) (io.ReadCloser, error) { return byName[name].Open() })
}
