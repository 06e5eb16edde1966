// Package mirror builds an organisation's mirror of Go toolchains: a folder any static web server, S3 bucket or file:// URL can serve, proven file by file.
//
// A mirror folder holds, for the selected versions and platforms:
//
//	go1.22.5.linux-amd64.tar.gz (.sha256, .asc)     the official layout (format "archive")
//	index.json                                       the official JSON index, of what the mirror holds
//	golang.org/toolchain/@v/list, <v>.info/.mod/.zip the module proxy layout (format "module")
//	sumdb/<name>/supported, latest, lookup/…, tile/… the checksum database's answers for those zips
//	gover-mirror.json                                the mirror's record: what it holds and how each file was proven
//	.gover-mirror/                                   lock and unfinished downloads
//
// so that 'gover install --mirror URL', GOVER_INDEX_URL=URL/index.json,
// GOPROXY=URL for gover and for the go command's GOTOOLCHAIN switch all
// work from it, offline.
//
// Invariants:
//   - every file is proven exactly as 'gover install' proves it before it
//     is published: archives by the official index's SHA-256 and their
//     OpenPGP signature, module zips by the checksum database's h1: hash
//     (and .mod files by its go.mod hash);
//   - files appear by rename; an archive's .sha256 and .asc, and a
//     module's checksum database answers, are in place before it; the
//     index.json and @v/list, which make things discoverable, come last;
//     so a server never serves a half-written mirror;
//   - a sync fetches only what the manifest lacks, resumes unfinished
//     downloads, and removes nothing it did not write (only with Prune);
//   - one sync or sign per folder at a time (a file lock).
package mirror

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/lockfile"
	"github.com/goverdev/gover/internal/robustio"
	"github.com/goverdev/gover/internal/toolchainmod"
	"github.com/goverdev/gover/verify"
)

// A Syncer fills a mirror folder from the official site and the module proxy.
type Syncer struct {
	Dir string
	// Official lists and locates archives; nil means the archive format
	// cannot be mirrored.
	Official *installer.Official
	// Proxy lists and locates module zips and reaches the checksum database.
	Proxy *installer.Proxy
	// Installer downloads and proves every file (its Fetch, Say and Progress).
	Installer *installer.Installer
	Fetch     *fetch.Client
	// Signer, if set, adds the organisation's signature beside each new
	// archive before the index lists it.
	Signer *Signer
	// Progress, if set, is told of each download of a sync, in turn.
	Progress     func(it Item) func(done, total int64)
	Say          func(format string, args ...any)
	Now          func() time.Time
	GoverVersion string
}

// Options say what a mirror holds.
type Options struct {
	Versions  Selector
	Platforms []installer.Platform
	Formats   []Format
	// Prune removes what the manifest holds that is no longer selected.
	Prune bool
	// NoSumDBAnswers proves module zips against the checksum database as
	// always, but publishes none of its answers, and withdraws
	// sumdb/<name>/supported: clients then ask the database themselves.
	// For networks that reach it, where clients remember tree heads newer
	// than any a static mirror holds (see docs/mirror.md).
	NoSumDBAnswers bool
}

// ErrArchivesNeedOfficial is wrapped when the archive format was asked
// for but the official index could not be reached.
var ErrArchivesNeedOfficial = errors.New("archives not mirrored")

// A Report says what a sync did, and what the mirror holds of what was
// asked for.
type Report struct {
	Fetched, Kept, Dropped int
	Bytes                  int64
	// Held are the items asked for that the mirror holds now.
	Held []Item
	// Missing are what was asked for and is not in the mirror: items that
	// failed, formats that could not be listed, words that matched no
	// release. A sync with anything missing returns an error.
	Missing []Missing
}

func (s *Syncer) say(format string, args ...any) {
	if s.Say != nil {
		s.Say(format, args...)
	}
}

// Sync plans and applies.
func (s *Syncer) Sync(ctx context.Context, opts Options) (*Report, error) {
	p, err := s.Plan(ctx, opts)
	if err != nil {
		return nil, err
	}
	return s.Apply(ctx, p)
}

// Plan lists each format's source for each platform, picks the versions
// the selector names, and compares that with the mirror's manifest.
func (s *Syncer) Plan(ctx context.Context, opts Options) (*Plan, error) {
	m, err := readManifest(s.Dir)
	if err != nil {
		return nil, err
	}
	p := &Plan{Skipped: map[Format]error{}, opts: opts}
	listed := map[Format]bool{}
	var wanted []Item
	for _, f := range opts.Formats {
		items, missed, err := s.list(ctx, f, opts)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if !installer.Unreachable(err) && !errors.Is(err, ErrArchivesNeedOfficial) {
				return nil, err
			}
			p.Skipped[f] = err
			continue
		}
		listed[f] = true
		wanted = append(wanted, items...)
		p.Wanted += len(items)
		p.Missed = append(p.Missed, missed...)
	}
	var inManifest []itemKey
	for _, a := range m.Archives {
		inManifest = append(inManifest, a.key())
	}
	for _, e := range m.Modules {
		inManifest = append(inManifest, e.key())
	}
	fetchItems, keep, drop := decide(wanted, inManifest, func(k itemKey) bool { return s.held(m, k) }, listed, opts.Prune)
	p.Fetch, p.Keep = fetchItems, keep
	want := map[itemKey]bool{}
	for _, w := range wanted {
		want[w.itemKey] = true
	}
	for _, k := range keep {
		if want[k.itemKey] {
			p.held = append(p.held, k)
		}
	}
	for _, k := range drop {
		p.Drop = append(p.Drop, Item{itemKey: k})
	}
	for _, it := range p.Fetch {
		p.Bytes += it.Size
	}
	return p, nil
}

// list returns what the selector picks from format f's source, per platform.
func (s *Syncer) list(ctx context.Context, f Format, opts Options) ([]Item, []string, error) {
	var src installer.Source
	switch f {
	case Archive:
		if s.Official == nil {
			return nil, nil, fmt.Errorf("%w: no official source configured", ErrArchivesNeedOfficial)
		}
		src = s.Official
	case Module:
		if s.Proxy == nil {
			return nil, nil, errors.New("modules not mirrored: no module proxy configured (set GOPROXY)")
		}
		src = s.Proxy
	}
	var items []Item
	var missed []string
	for _, pl := range opts.Platforms {
		var sizes map[string]int64
		rels, err := src.Releases(ctx, pl)
		if err == nil && f == Archive {
			sizes, err = s.Official.ArchiveSizes(ctx, pl)
		}
		if err != nil {
			switch {
			case f == Archive && installer.Unreachable(err):
				return nil, nil, fmt.Errorf("%w: the official index is unreachable (%w); the signed official archives only come from the official site or a mirror of it, so the module proxy cannot stand in (use --formats module, or point GOVER_INDEX_URL or --mirror at a reachable copy)", ErrArchivesNeedOfficial, err)
			case f == Module:
				return nil, nil, fmt.Errorf("modules not mirrored: list %s versions: %w (check GOPROXY)", toolchainmod.Path, err)
			}
			return nil, nil, err
		}
		versions, miss := opts.Versions.Select(rels)
		for _, t := range miss {
			missed = append(missed, fmt.Sprintf("%s for %s (%s)", t, pl, f))
		}
		for _, v := range versions {
			items = append(items, Item{itemKey: itemKey{Format: f, Version: v, Platform: pl}, Size: sizes[v]})
		}
	}
	return items, missed, nil
}

// held reports whether the manifest has k and its files are in place.
func (s *Syncer) held(m *Manifest, k itemKey) bool {
	exists := func(rel string, size int64) bool {
		fi, err := os.Stat(filepath.Join(s.Dir, filepath.FromSlash(rel)))
		return err == nil && fi.Mode().IsRegular() && (size < 0 || fi.Size() == size)
	}
	switch k.Format {
	case Archive:
		for _, a := range m.Archives {
			if a.key() == k {
				return exists(a.File, a.Size) && exists(a.File+".sha256", 64) && exists(a.File+".asc", -1)
			}
		}
	case Module:
		for _, e := range m.Modules {
			if e.key() == k {
				base := toolchainmod.FilePath(e.Module, "")
				return exists(base+".zip", e.Size) && exists(base+".mod", -1) && exists(base+".info", -1)
			}
		}
	}
	return false
}

// lockDir takes the mirror's lock, waiting (and saying so) while another
// gover holds it.
func lockDir(ctx context.Context, dir string, say func(string, ...any)) (func(), error) {
	if err := os.MkdirAll(filepath.Join(dir, stateDir, "tmp"), 0o755); err != nil {
		return nil, err
	}
	return lockfile.Lock(ctx, filepath.Join(dir, stateDir, "lock"), func() {
		if say != nil {
			say("waiting for another gover working on %s…", dir)
		}
	})
}

// Apply carries out a plan. Items that fail are reported together at the
// end; the rest are published. The index and version list are written last.
func (s *Syncer) Apply(ctx context.Context, p *Plan) (*Report, error) {
	unlock, err := lockDir(ctx, s.Dir, s.Say)
	if err != nil {
		return nil, err
	}
	defer unlock()
	// Another sync may have run since the plan was made.
	m, err := readManifest(s.Dir)
	if err != nil {
		return nil, err
	}
	m.GoverVersion = s.GoverVersion
	a := &applying{Report: &Report{Kept: len(p.Keep), Held: append([]Item(nil), p.held...)}}

	var archives, modules []Item
	for _, it := range p.Fetch {
		if it.Format == Archive {
			archives = append(archives, it)
		} else {
			modules = append(modules, it)
		}
	}
	if err := s.applyArchives(ctx, m, archives, a); err != nil {
		return a.Report, err
	}
	if len(modules) > 0 || s.answersStale(m, p) {
		if err := s.applyModules(ctx, m, p, modules, a); err != nil {
			return a.Report, err
		}
	}
	if err := s.applyDrops(m, p, a); err != nil {
		return a.Report, errors.Join(append(a.errs, err)...)
	}
	a.unfinished(p)
	return a.Report, errors.Join(a.errs...)
}

// applying is an Apply under way: the report so far and the errors to
// return at the end.
type applying struct {
	*Report
	errs []error
}

// fetched records an item now in the mirror.
func (a *applying) fetched(it Item, n int64) {
	a.Fetched++
	a.Bytes += n
	a.Held = append(a.Held, it)
}

// each fetches every item with fetch, recording what it fetched and what
// failed; only the run's end (its context done) stops it early.
func (a *applying) each(ctx context.Context, items []Item, fetch func(Item) (int64, error)) error {
	for _, it := range items {
		n, err := fetch(it)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			a.failed(it, err)
			continue
		}
		a.fetched(it, n)
	}
	return nil
}

// failed records an item that could not be mirrored.
func (a *applying) failed(it Item, err error) {
	a.errs = append(a.errs, fmt.Errorf("mirror %s: %w", it, err))
	a.Missing = append(a.Missing, Missing{What: it.String(), Err: err})
}

// unfinished records what the plan could not even try: formats whose
// source could not be listed, words that matched no release.
func (a *applying) unfinished(p *Plan) {
	for _, f := range []Format{Archive, Module} {
		if err := p.Skipped[f]; err != nil {
			a.errs = append(a.errs, err)
			a.Missing = append(a.Missing, Missing{What: fmt.Sprintf("every %s for %s", f, PlatformList(p.opts.Platforms)), Err: err})
		}
	}
	for _, w := range p.Missed {
		a.errs = append(a.errs, fmt.Errorf("no release matches %s: %w", w, installer.ErrNotFound))
		a.Missing = append(a.Missing, Missing{What: w, Err: fmt.Errorf("no release matches it: %w", installer.ErrNotFound)})
	}
}

// applyArchives fetches, proves (and signs) each official archive. Only
// an interruption stops it; a failed archive is recorded and skipped.
func (s *Syncer) applyArchives(ctx context.Context, m *Manifest, archives []Item, a *applying) error {
	if len(archives) == 0 {
		return nil
	}
	var orgCheck verify.Signatures
	if s.Signer != nil {
		var err error
		if orgCheck, err = s.Signer.checker(s.Dir, s.Now); err != nil {
			return err
		}
	}
	return a.each(ctx, archives, func(it Item) (int64, error) {
		return s.fetchArchive(ctx, m, it, orgCheck)
	})
}

// applyModules brings the checksum database's answers up to date, then
// fetches and proves each module zip against them.
func (s *Syncer) applyModules(ctx context.Context, m *Manifest, p *Plan, modules []Item, a *applying) error {
	sums, err := s.syncSumDB(ctx, m, modules, p.Drop, !p.opts.NoSumDBAnswers)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if len(modules) == 0 {
			a.errs = append(a.errs, fmt.Errorf("publish the checksum database's answers: %w", err))
			return nil
		}
		a.errs = append(a.errs, fmt.Errorf("mirror %d module version(s): %w", len(modules), err))
		for _, it := range modules {
			a.Missing = append(a.Missing, Missing{What: it.String(), Err: err})
		}
		return nil
	}
	return a.each(ctx, modules, func(it Item) (int64, error) {
		return s.fetchModule(ctx, m, it, sums[it.Platform.ModuleVersion(it.Version)])
	})
}

// applyDrops takes what the plan drops out of the manifest, publishes the
// index and version list without it, and only then deletes its files:
// nothing listed is ever missing. An error that leaves the mirror's
// listings unwritten is returned; later ones are recorded.
func (s *Syncer) applyDrops(m *Manifest, p *Plan, a *applying) error {
	var doomed []string
	for _, it := range p.Drop {
		doomed = append(doomed, m.drop(it.itemKey)...)
	}
	if err := s.publishIndexes(m); err != nil {
		return err
	}
	m.Updated = s.Now().UTC()
	if err := writeManifest(s.Dir, m); err != nil {
		return err
	}
	for _, rel := range doomed {
		if err := os.Remove(filepath.Join(s.Dir, filepath.FromSlash(rel))); err != nil && !errors.Is(err, os.ErrNotExist) {
			a.errs = append(a.errs, fmt.Errorf("prune %s: %w", rel, err))
		}
	}
	a.Dropped = len(p.Drop)
	if p.opts.Prune && m.SumDB != nil {
		if err := pruneSumDB(s.Dir, m.SumDB); err != nil {
			a.errs = append(a.errs, err)
		}
	}
	return nil
}

// drop removes k from the manifest and returns the files that go with it,
// its checksum database answer included (tiles are pruned separately).
func (m *Manifest) drop(k itemKey) []string {
	var files []string
	switch k.Format {
	case Archive:
		m.Archives = slices.DeleteFunc(m.Archives, func(a ArchiveEntry) bool {
			if a.key() == k {
				files = append(files, a.File, a.File+".sha256", a.File+".asc", a.File+installer.OrgSignatureSuffix)
				return true
			}
			return false
		})
	case Module:
		m.Modules = slices.DeleteFunc(m.Modules, func(e ModuleEntry) bool {
			if e.key() == k {
				base := toolchainmod.FilePath(e.Module, "")
				files = append(files, base+".zip", base+".mod", base+".info")
				if m.SumDB != nil {
					answer := strings.TrimPrefix(lookupPath(e.Module), "/")
					m.SumDB.Files = slices.DeleteFunc(m.SumDB.Files, func(f string) bool { return f == answer })
					files = append(files, "sumdb/"+m.SumDB.Name+"/"+answer)
				}
				return true
			}
			return false
		})
	}
	return files
}

// publishIndexes writes index.json and @v/list from the manifest, when
// they change.
func (s *Syncer) publishIndexes(m *Manifest) error {
	write := func(rel string, data []byte) error {
		p := filepath.Join(s.Dir, filepath.FromSlash(rel))
		if data == nil {
			if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			return nil
		}
		if old, err := os.ReadFile(p); err == nil && string(old) == string(data) {
			return nil
		}
		return atomicfile.Write(p, data, 0o644)
	}
	ix, err := indexJSON(m.Archives)
	if err != nil {
		return err
	}
	if err := write(installer.MirrorIndexFile, ix); err != nil {
		return err
	}
	var list []byte
	if len(m.Modules) > 0 {
		list = versionList(m.Modules)
	}
	return write(toolchainmod.ListPath, list)
}

// installer is the Installer for one item's download, reporting its
// progress to s.Progress.
func (s *Syncer) installer(it Item) *installer.Installer {
	in := *s.Installer
	if s.Progress != nil {
		in.Progress = func(string) func(done, total int64) { return s.Progress(it) }
	}
	return &in
}

// tmpPath is where a download waits (and resumes) before it is published.
func (s *Syncer) tmpPath(name string) string {
	return filepath.Join(s.Dir, stateDir, "tmp", name)
}

// fetchArchive downloads and proves one archive, then publishes its
// .sha256 and .asc (and the organisation's .org.asc) before the archive.
func (s *Syncer) fetchArchive(ctx context.Context, m *Manifest, it Item, orgCheck verify.Signatures) (int64, error) {
	ma, err := s.Official.LocateArchive(ctx, it.Version, it.Platform)
	if err != nil {
		return 0, err
	}
	tmp := s.tmpPath(ma.Filename)
	url, proofs, err := s.installer(it).Download(ctx, ma.Artifact, tmp)
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp) // gone after the rename; there only on failure
	entry := ArchiveEntry{
		Version: it.Version, Stable: ma.Stable, OS: it.Platform.OS, Arch: it.Platform.Arch,
		File: ma.Filename, Size: ma.Size, SHA256: ma.SHA256, URL: fetch.Redact(url),
		Proofs: proofs, SyncedAt: s.Now().UTC(),
	}
	final := filepath.Join(s.Dir, ma.Filename)
	if err := atomicfile.Write(final+".sha256", []byte(ma.SHA256), 0o644); err != nil {
		return 0, err
	}
	if err := atomicfile.Write(final+".asc", ma.Signature, 0o644); err != nil {
		return 0, err
	}
	if s.Signer != nil {
		sig, err := orgSign(ctx, s.Signer, orgCheck, tmp, ma.Filename, s.Now(), nil)
		if err != nil {
			return 0, err
		}
		if err := atomicfile.Write(final+installer.OrgSignatureSuffix, sig, 0o644); err != nil {
			return 0, err
		}
		entry.OrgKey = s.Signer.Fingerprint
	} else if err := os.Remove(final + installer.OrgSignatureSuffix); err != nil && !errors.Is(err, os.ErrNotExist) {
		// A stale organisation signature would vouch for a replaced file.
		return 0, err
	}
	if err := robustio.Rename(tmp, final); err != nil {
		return 0, err
	}
	m.putArchive(entry)
	if err := writeManifest(s.Dir, m); err != nil {
		return 0, err
	}
	s.say("mirrored %s, proven by %s", ma.Filename, proven(proofs))
	return ma.Size, nil
}

func proven(proofs []verify.Proof) string {
	var parts []string
	for _, p := range proofs {
		parts = append(parts, p.String())
	}
	return strings.Join(parts, ", ")
}

// fetchModule downloads and proves one module zip, checks its .mod
// against the checksum database and its .info, and publishes .mod, .zip
// and last .info (what gover asks for first).
func (s *Syncer) fetchModule(ctx context.Context, m *Manifest, it Item, want sums) (int64, error) {
	mv := it.Platform.ModuleVersion(it.Version)
	art, err := s.Proxy.Locate(ctx, it.Version, it.Platform)
	if err != nil {
		return 0, err
	}
	if art.WantH1 != want.h1 {
		// Two lookups of one record disagree: the database, or the way
		// to it, is not consistent.
		return 0, &verify.MismatchError{What: mv + ".zip", Kind: "h1 hash", Got: art.WantH1, Want: want.h1, Authority: "the checksum database's answer the mirror publishes"}
	}
	tmp := s.tmpPath(mv + ".zip")
	url, proofs, err := s.installer(it).Download(ctx, art, tmp)
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp)
	base := strings.TrimSuffix(url, ".zip")
	mod, err := s.Fetch.Get(ctx, base+".mod", "module go.mod", 1<<20)
	if err != nil {
		return 0, err
	}
	if h := goModHash(mod); h != want.goMod {
		return 0, &verify.MismatchError{What: mv + ".mod", Kind: "h1 hash", Got: h, Want: want.goMod, Authority: "checksum database " + s.Proxy.SumDB.Name}
	}
	info, err := s.Fetch.Get(ctx, base+".info", "module info", 1<<20)
	if err != nil {
		return 0, err
	}
	var ri struct{ Version string }
	if err := json.Unmarshal(info, &ri); err != nil || ri.Version != mv {
		return 0, fmt.Errorf("%s.info: not the info of %s (%q)", base, mv, info)
	}
	fi, err := os.Stat(tmp)
	if err != nil {
		return 0, err
	}
	dst := filepath.Join(s.Dir, filepath.FromSlash(toolchainmod.FilePath(mv, "")))
	if err := atomicfile.Write(dst+".mod", mod, 0o644); err != nil {
		return 0, err
	}
	if err := robustio.Rename(tmp, dst+".zip"); err != nil {
		return 0, err
	}
	if err := atomicfile.Write(dst+".info", info, 0o644); err != nil {
		return 0, err
	}
	m.putModule(ModuleEntry{
		Version: it.Version, OS: it.Platform.OS, Arch: it.Platform.Arch, Module: mv,
		Size: fi.Size(), H1: want.h1, GoModH1: want.goMod, URL: fetch.Redact(url),
		Proofs: proofs, SyncedAt: s.Now().UTC(),
	})
	if err := writeManifest(s.Dir, m); err != nil {
		return 0, err
	}
	s.say("mirrored %s@%s, proven by %s", toolchainmod.Path, mv, proven(proofs))
	return fi.Size(), nil
}

// goModHash is the checksum database's hash of a go.mod file, as cmd/go computes it.
func goModHash(data []byte) string {
	h, err := dirhash.Hash1([]string{"go.mod"}, func(string) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	})
	if err != nil {
		return ""
	}
	return h
}

// syncSumDB looks the new module versions up, re-heads every answer the
// mirror will serve onto the newest tree head, proves them all as fresh
// clients would, and publishes answers and tiles. It returns the new
// versions' go.sum hashes. Without publish it only looks the new versions
// up, and withdraws the mirror's "supported".
func (s *Syncer) syncSumDB(ctx context.Context, m *Manifest, add []Item, drop []Item, publish bool) (map[string]sums, error) {
	db := s.Proxy.SumDB
	if !publish {
		return s.lookupOnly(ctx, m, add)
	}
	if m.SumDB != nil && (m.SumDB.Name != db.Name || m.SumDB.Key != db.Key) {
		return nil, fmt.Errorf("the mirror holds answers of the checksum database %s, but GOSUMDB names %s (move %s aside to start afresh)",
			m.SumDB.Key, db.Key, filepath.Join(s.Dir, "sumdb"))
	}
	base, err := verify.SumDBBase(ctx, s.Fetch, s.Proxy.Proxies, db)
	if err != nil {
		return nil, err
	}
	ss := &sumdbSync{ctx: ctx, db: db, base: base, fetch: s.Fetch, memo: map[string][]byte{}}

	all, ask, answers := s.sumdbWork(m, add, drop)
	var prev []byte
	if m.SumDB != nil {
		prev = []byte(m.SumDB.Tree)
	}
	s.say("looking up %d module version(s) in the checksum database %s", len(ask), db.Name)
	got, fresh, head, err := ss.lookup(prev, ask)
	if err != nil {
		return nil, err
	}
	if len(head) == 0 {
		return nil, errors.New("the checksum database gave no signed tree head")
	}
	maps.Copy(answers, fresh)
	reheaded := map[string][]byte{}
	for p, a := range answers {
		if reheaded[p], err = reHead(a, head); err != nil {
			return nil, fmt.Errorf("checksum database answer %s: %w", p, err)
		}
	}
	tiles, err := ss.prove(reheaded, all, olderHeads(m, head))
	if err != nil {
		return nil, err
	}
	if err := s.publishSumDB(m, head, reheaded, tiles); err != nil {
		return nil, err
	}
	return got, nil
}

// sumdbWork says what the checksum database sync covers: every module
// version the mirror will hold (all), the ones to look up (ask: new ones,
// and held ones whose published answer went missing), and the answers
// already published for the rest, by lookup path.
func (s *Syncer) sumdbWork(m *Manifest, add, drop []Item) (all, ask []string, answers map[string][]byte) {
	dropped := map[string]bool{}
	for _, it := range drop {
		if it.Format == Module {
			dropped[it.Platform.ModuleVersion(it.Version)] = true
		}
	}
	answers = map[string][]byte{}
	for _, e := range m.Modules {
		if dropped[e.Module] {
			continue
		}
		all = append(all, e.Module)
		if a, err := readAnswer(s.Dir, s.Proxy.SumDB.Name, e.Module); err == nil {
			answers[lookupPath(e.Module)] = a
		} else {
			ask = append(ask, e.Module)
		}
	}
	for _, it := range add {
		mv := it.Platform.ModuleVersion(it.Version)
		if !slices.Contains(all, mv) {
			all = append(all, mv)
		}
		if !slices.Contains(ask, mv) {
			ask = append(ask, mv)
		}
	}
	return all, ask, answers
}

// olderHeads are the signed tree heads the mirror published before, other
// than head: each must stay provable (clients may remember it).
func olderHeads(m *Manifest, head []byte) [][]byte {
	if m.SumDB == nil {
		return nil
	}
	var older [][]byte
	for _, h := range m.SumDB.Heads {
		if h != string(head) {
			older = append(older, []byte(h))
		}
	}
	return older
}

// publishSumDB puts the answers (all re-headed onto head) and the tiles
// that prove them in the mirror, and records them in the manifest.
func (s *Syncer) publishSumDB(m *Manifest, head []byte, answers map[string][]byte, tiles map[string][]byte) error {
	db := s.Proxy.SumDB
	// Clients may see the new head as soon as the first answer is in
	// place: record it among the heads first, so a later sync keeps it
	// provable even if this one dies half-way.
	if m.SumDB == nil {
		m.SumDB = &SumDBState{Name: db.Name, Key: db.Key}
	}
	if !slices.Contains(m.SumDB.Heads, string(head)) {
		m.SumDB.Heads = append(m.SumDB.Heads, string(head))
		if err := writeManifest(s.Dir, m); err != nil {
			return err
		}
	}
	files, err := (&sumdbFiles{head: head, answers: answers, tiles: tiles}).publish(s.Dir, db.Name)
	if err != nil {
		return err
	}
	m.SumDB.Tree = string(head)
	m.SumDB.Files = files
	m.SumDB.Withdrawn = false
	return writeManifest(s.Dir, m)
}

// answersStale reports whether the checksum database's answers must be
// published or withdrawn although no module is new: the mirror holds
// modules, and its "supported" says otherwise than the options.
func (s *Syncer) answersStale(m *Manifest, p *Plan) bool {
	if len(m.Modules) == 0 || s.Proxy == nil {
		return false
	}
	_, err := os.Stat(filepath.Join(s.Dir, "sumdb", s.Proxy.SumDB.Name, "supported"))
	return (err == nil) == p.opts.NoSumDBAnswers
}

// lookupOnly looks module versions up for their hashes and withdraws the
// mirror's checksum database answers, which would go stale.
func (s *Syncer) lookupOnly(ctx context.Context, m *Manifest, add []Item) (map[string]sums, error) {
	db := s.Proxy.SumDB
	var ask []string
	for _, it := range add {
		ask = append(ask, it.Platform.ModuleVersion(it.Version))
	}
	got := map[string]sums{}
	if len(ask) > 0 {
		base, err := verify.SumDBBase(ctx, s.Fetch, s.Proxy.Proxies, db)
		if err != nil {
			return nil, err
		}
		ss := &sumdbSync{ctx: ctx, db: db, base: base, fetch: s.Fetch, memo: map[string][]byte{}}
		if got, _, _, err = ss.lookup(nil, ask); err != nil {
			return nil, err
		}
	}
	if err := os.Remove(filepath.Join(s.Dir, "sumdb", db.Name, "supported")); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if m.SumDB != nil {
		m.SumDB.Withdrawn = true
	}
	return got, nil
}

// pruneSumDB removes the tiles and answers under sumdb/<name>/ that the
// last sync's proofs no longer need: tiles of earlier tree heads, answers
// of dropped modules. Only the folder gover writes is touched.
func pruneSumDB(dir string, st *SumDBState) error {
	root := filepath.Join(dir, "sumdb", st.Name)
	keep := map[string]bool{"latest": true, "supported": true}
	for _, f := range st.Files {
		keep[f] = true
	}
	var errs []error
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err == nil && !keep[filepath.ToSlash(rel)] {
			if err := os.Remove(p); err != nil {
				errs = append(errs, fmt.Errorf("prune %s: %w", p, err))
			}
		}
		return nil
	})
	removeEmptyDirs(root)
	return errors.Join(errs...)
}

// removeEmptyDirs removes the empty folders under root, deepest first.
func removeEmptyDirs(root string) {
	var dirs []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			dirs = append(dirs, p)
		}
		return nil
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i]) // fails, as wanted, on folders with files
	}
}
