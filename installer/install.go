package installer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/dirhash"

	"github.com/goverdev/gover/installer/unpack"
	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/manifest"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/internal/robustio"
	"github.com/goverdev/gover/verify"
)

// An Installer installs toolchains into a layout.
type Installer struct {
	Layout paths.Layout
	Fetch  *fetch.Client
	// Say prints a one-line message for people (nil: quiet).
	Say func(format string, args ...any)
	// Progress, if set, returns the progress callback for one download.
	Progress func(label string) func(done, total int64)
	Now      func() time.Time
	// GoverVersion goes into install records.
	GoverVersion string
	// Vouch, if set, asks the checksum database about an archive's tree
	// before it is renamed into place (Proxy.VouchLater): a second proof,
	// independent of the index and the signature, that it is the module's
	// files. A mismatch refuses the install. It is called before the
	// download, so the lookup runs while the archive downloads and unpacks;
	// the function it returns checks the record.
	Vouch func(ctx context.Context, version string, p Platform) *Lookup
	// InUse, if set, lists the running programs that use a toolchain's
	// folder (RunningFrom): Uninstall refuses to remove one in use.
	InUse func(dir string) []string
}

// A Request asks for one toolchain.
type Request struct {
	Word     goversion.Word
	Platform Platform
	// Host means Platform is this machine's: the toolchain is installed as
	// versions/go1.22.5, which shims use. Other platforms' trees are
	// installed as versions/go1.22.5.windows-amd64, for packaging.
	Host  bool
	Force bool
	// Sources are tried in order; a later one only when the earlier ones
	// cannot be reached (the auto source: official, then the proxy).
	Sources Sources
}

// A Result is a toolchain in place.
type Result struct {
	Version string
	// Name is its folder's name under versions/.
	Name string
	Dir  string
	// Already means it was installed before; nothing was downloaded.
	Already bool
	Record  *Record
}

// String says what happened, for people: "installed go1.22.5 (linux/amd64)
// in DIR from proxy, proven by …", or "go1.22.5 is already installed in DIR".
func (r *Result) String() string {
	if r.Already || r.Record == nil {
		return r.Name + " is already installed in " + r.Dir
	}
	p := Platform{OS: r.Record.OS, Arch: r.Record.Arch}
	return fmt.Sprintf("installed %s (%s) in %s from %s, proven by %s", r.Version, p, r.Dir, r.Record.Source, r.Record.Proven())
}

// Install installs the toolchain req asks for.
func (in *Installer) Install(ctx context.Context, req Request) (*Result, error) {
	res, err := in.install(ctx, req)
	return res, in.accessError(err)
}

func (in *Installer) install(ctx context.Context, req Request) (*Result, error) {
	if req.Word.Kind == goversion.Exact && !req.Force {
		if r, ok, err := in.existing(req.Word.Version, req); ok || err != nil {
			return r, err
		}
	}
	in.sweep()
	var res *Result
	err := req.Sources.try(ctx, in.say, func(src Source) error {
		var err error
		res, err = in.installFrom(ctx, src, req)
		return err
	})
	return res, err
}

func (in *Installer) say(format string, args ...any) {
	if in.Say != nil {
		in.Say(format, args...)
	}
}

// Name is the folder name a version gets for a request's platform.
func (req Request) Name(version string) string {
	if req.Host {
		return version
	}
	return version + "." + req.Platform.OS + "-" + req.Platform.Arch
}

// existing returns the result for an installed toolchain, or the error
// that makes its entry unusable (a *paths.UntrustedError: someone else's
// folder is never "already installed").
func (in *Installer) existing(version string, req Request) (*Result, bool, error) {
	name := req.Name(version)
	switch err := in.Layout.CheckToolchain(name); err.(type) {
	case nil:
	case *paths.NotInstalledError:
		return nil, false, nil
	default:
		return nil, false, err
	}
	r, _ := ReadRecord(in.Layout.Record(name))
	return &Result{Version: version, Name: name, Dir: in.Layout.Toolchain(name), Already: true, Record: r}, true, nil
}

func (in *Installer) installFrom(ctx context.Context, src Source, req Request) (*Result, error) {
	version := req.Word.Version
	if req.Word.Kind != goversion.Exact {
		releases, err := src.Releases(ctx, req.Platform)
		if err != nil {
			return nil, err
		}
		v, ok := Resolve(req.Word, releases)
		if !ok {
			return nil, noMatch(req.Word, req.Platform, src, releases)
		}
		version = v
		if !req.Force {
			if r, ok, err := in.existing(version, req); ok || err != nil {
				return r, err
			}
		}
	}
	name := req.Name(version)
	unlock, err := in.lock(ctx, name)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if !req.Force {
		// Someone else may have installed it while we waited for the lock.
		if r, ok, err := in.existing(version, req); ok || err != nil {
			return r, err
		}
	}
	in.cleanStale(name)

	art, err := src.Locate(ctx, version, req.Platform)
	if err != nil {
		return nil, err
	}
	vctx, endLookup := context.WithCancel(ctx)
	vouch := in.vouchLater(vctx, art)
	defer func() {
		// An install that fails ends its lookup, and returns only once
		// it has (nothing of it runs on, writing into the cache).
		endLookup()
		if vouch != nil {
			vouch.Wait()
		}
	}()
	got, err := in.fetchAndUnpack(ctx, art, name)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(got.tmp) // gone after the rename; there only on failure

	rec := &Record{
		Version:      version,
		OS:           req.Platform.OS,
		Arch:         req.Platform.Arch,
		Source:       art.Source,
		URL:          fetch.Redact(got.url),
		File:         art.Filename,
		Size:         got.size,
		SHA256:       got.sha256,
		Proofs:       got.proofs,
		InstalledAt:  in.Now().UTC(),
		GoverVersion: in.GoverVersion,
		Manifest:     *got.manifest,
	}
	if err := in.moduleProof(ctx, vouch, art, rec); err != nil {
		os.Remove(got.part)
		return nil, err
	}
	dir := in.Layout.Toolchain(name)
	// The download is proven and unpacked: drop it before the rename, so
	// that no moment after the install leaves it behind for good (a run
	// killed in between only downloads again).
	os.Remove(got.part)
	if err := in.place(name, got.tmp, rec); err != nil {
		return nil, err
	}
	return &Result{Version: version, Name: name, Dir: dir, Record: rec}, nil
}

// vouchLater starts the checksum database's lookup for an archive install
// (Vouch); nil when there is none to make.
func (in *Installer) vouchLater(ctx context.Context, art *Artifact) *Lookup {
	if in.Vouch == nil || art.Format == ModuleZip {
		return nil
	}
	return in.Vouch(ctx, art.Version, art.Platform)
}

// moduleProof adds to an archive install's record the checksum database's
// proof of its module's files (vouch, from vouchLater), or why there is
// none. Only a mismatch (or a cancelled context) is an error.
func (in *Installer) moduleProof(ctx context.Context, vouch *Lookup, art *Artifact, rec *Record) error {
	if vouch == nil {
		return nil
	}
	p, err := vouch.Check(rec)
	switch {
	case err == nil:
		rec.Proofs = append(rec.Proofs, p)
	case errors.Is(err, ErrNotModule):
		rec.ModuleProof = "none: " + err.Error()
	case errors.Is(err, verify.ErrFailed):
		return fmt.Errorf("%s: %w", art.Filename, err)
	case ctx.Err() != nil:
		return ctx.Err()
	default:
		rec.ModuleProof = "not made: the checksum database could not be asked (" + ShortCause(err) + ")"
		in.say("%s: not proven a second time by the checksum database, which could not be asked (%s)", rec.Version, ShortCause(err))
	}
	return nil
}

// noMatch explains a word that matches no release, pointing at
// pre-releases when only those exist.
func noMatch(word goversion.Word, p Platform, src Source, releases []Release) error {
	detail := "see 'gover list-remote --all'"
	if word.Kind == goversion.Line {
		for _, r := range releases {
			if goversion.Lang(r.Version) == word.Version {
				detail = "only pre-releases so far, e.g. " + r.Version + ": run 'gover install " + strings.TrimPrefix(r.Version, "go") + "'"
				break
			}
		}
	}
	return &NotFoundError{Source: src.Name(), Detail: word.String() + " on " + p.String() + ": " + detail}
}

// place writes the record and renames the unpacked tree into versions/. The
// record goes first: a tree without a record never appears, and a record
// without a tree (a crash between the two) does not count as installed.
func (in *Installer) place(name, tmp string, rec *Record) error {
	dir := in.Layout.Toolchain(name)
	var old string
	if _, err := os.Stat(dir); err == nil {
		// --force: move the old tree aside first, so no moment shows a
		// record that does not describe the tree beside it.
		o, err := os.MkdirTemp(in.Layout.Versions, "."+name+".old-")
		if err != nil {
			return err
		}
		os.Remove(o)
		if err := robustio.Rename(dir, o); err != nil {
			return fmt.Errorf("move old %s aside: %w", name, err)
		}
		old = o
	}
	if err := writeRecord(in.Layout.Record(name), rec); err != nil {
		return fmt.Errorf("write install record: %w", err)
	}
	if err := robustio.Rename(tmp, dir); err != nil {
		os.Remove(in.Layout.Record(name))
		return fmt.Errorf("move %s into place: %w", name, err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// cleanStale removes what killed installs of name left: temporary trees,
// trees moved aside by --force, and a record whose tree never arrived.
// The caller holds name's lock, so none of it is in use.
func (in *Installer) cleanStale(name string) {
	for _, pat := range []string{"." + name + ".tmp-*", "." + name + ".old-*"} {
		matches, _ := filepath.Glob(filepath.Join(in.Layout.Versions, pat))
		for _, m := range matches {
			os.RemoveAll(m)
		}
	}
	if _, err := os.Stat(in.Layout.Toolchain(name)); errors.Is(err, os.ErrNotExist) {
		os.Remove(in.Layout.Record(name))
	}
}

// fetched is an unpacked, proven tree waiting to be renamed into place.
type fetched struct {
	tmp, part, url string
	size           int64
	sha256         string
	manifest       *manifest.Manifest
	proofs         []verify.Proof
}

// fetchAndUnpack downloads, proves and unpacks an artifact into a
// temporary folder beside versions/.
func (in *Installer) fetchAndUnpack(ctx context.Context, art *Artifact, name string) (*fetched, error) {
	if err := os.MkdirAll(in.Layout.Downloads(), 0o755); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(in.Layout.Versions, 0o755); err != nil {
		return nil, err
	}
	if err := paths.CheckOwned(in.Layout.Versions); err != nil {
		return nil, err
	}
	part := filepath.Join(in.Layout.Downloads(), art.Filename+".part")
	var got *fetched
	url, err := tryURLs(ctx, art, part, func(url string) (resumed bool, err error) {
		got, resumed, err = in.pipeline(ctx, art, url, part, name)
		return resumed, err
	})
	if err != nil {
		return nil, err
	}
	got.part, got.url = part, url
	return got, nil
}

// tryURLs runs attempt for the artifact's URLs in order until one works,
// moving to the next URL (mirror) when one cannot be reached or lacks the
// file, and restarting an attempt the server could not resume. A download
// that fails verification is deleted; if it had been resumed from an
// earlier run's partial file, it is fetched once more from scratch before
// gover gives up. So is one whose size shows it is some other file, and
// one cut short by a full disk: neither is worth resuming.
func tryURLs(ctx context.Context, art *Artifact, part string, attempt func(url string) (resumed bool, err error)) (string, error) {
	var err error
	for _, url := range art.URLs {
		for try := 0; try < 3; try++ {
			var resumed bool
			if resumed, err = attempt(url); err == nil {
				return url, nil
			}
			if errors.Is(err, verify.ErrFailed) {
				os.Remove(part)
				if resumed {
					continue
				}
				return "", err
			}
			if errors.Is(err, fetch.ErrTooLarge) || errors.Is(err, fetch.ErrWrongSize) || isDiskFull(err) {
				os.Remove(part)
			}
			if !errors.Is(err, fetch.ErrRestart) {
				break
			}
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		if !Unreachable(err) && !fetch.IsNotFound(err) {
			return "", err
		}
	}
	if fetch.IsNotFound(err) {
		return "", &NotFoundError{Version: art.Version, Platform: art.Platform, Source: art.Source, Detail: err.Error()}
	}
	return "", err
}

// start makes an attempt's fresh checks and the download that feeds them
// (and extra, such as the record's SHA-256).
func (in *Installer) start(art *Artifact, url, part string, extra ...io.Writer) ([]verify.StreamCheck, fetch.Download, error) {
	var checks []verify.StreamCheck
	if art.Checks != nil {
		var err error
		if checks, err = art.Checks(); err != nil {
			return nil, fetch.Download{}, err
		}
	}
	writers := extra
	for _, c := range checks {
		writers = append(writers, c)
	}
	dl := fetch.Download{URL: url, What: "archive " + art.Filename, Part: part, Size: art.Size, Sink: io.MultiWriter(writers...)}
	if art.Size == 0 {
		dl.Limit = maxModuleZip
	}
	if in.Progress != nil {
		dl.Progress = in.Progress(art.Version + " (" + string(art.Source) + ")")
	} else {
		in.say("downloading %s for %s from %s", art.Version, art.Platform, fetch.Redact(url))
	}
	return checks, dl, nil
}

// zipHashProof proves a downloaded module zip with the checksum database's h1: hash.
func zipHashProof(art *Artifact, file string) (verify.Proof, error) {
	h1, err := dirhash.HashZip(file, dirhash.Hash1)
	if err != nil {
		return verify.Proof{}, fmt.Errorf("%s is not the zip whose h1 hash the checksum database %s vouches for: it is unreadable (%v) (%w; nothing was installed)", art.Filename, art.SumDB, err, verify.ErrFailed)
	}
	return verify.ZipHashCheck(art.Filename, h1, art.WantH1, art.SumDB)
}

// pipeline runs one download → prove → unpack pass into a fresh temporary
// folder, which it removes on failure.
func (in *Installer) pipeline(ctx context.Context, art *Artifact, url, part, name string) (got *fetched, resumed bool, err error) {
	tmp, err := mkdirTree(in.Layout.Versions, "."+name+".tmp-")
	if err != nil {
		return nil, false, diskError(err, in.Layout.Versions, art.Size)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	fileHash := sha256.New()
	checks, dl, err := in.start(art, url, part, fileHash)
	if err != nil {
		return nil, false, err
	}
	var p pass
	switch art.Format {
	case TarGz:
		p, err = in.tarGzPass(ctx, dl, checks, tmp, unpackOptions(art))
	case Zip:
		p, err = in.zipPass(ctx, dl, checks, tmp, unpackOptions(art))
	case ModuleZip:
		p, err = in.moduleZipPass(ctx, art, dl, checks, tmp, unpackOptions(art))
	default:
		err = fmt.Errorf("%s: unknown archive format %d", art.Filename, art.Format)
	}
	if err != nil {
		return nil, p.resumed, diskError(err, in.Layout.Versions, art.Size)
	}
	if len(p.proofs) == 0 {
		return nil, p.resumed, errNoProof(art)
	}
	if err := hasGo(p.manifest, art); err != nil {
		return nil, p.resumed, err
	}
	identity, err := proveIdentity(tmp, art)
	if err != nil {
		return nil, p.resumed, err
	}
	p.proofs = append(p.proofs, identity)
	fi, err := os.Stat(part)
	if err != nil {
		return nil, p.resumed, err
	}
	return &fetched{tmp: tmp, size: fi.Size(), sha256: hex.EncodeToString(fileHash.Sum(nil)), manifest: p.manifest, proofs: p.proofs}, p.resumed, nil
}

// A pass is what one download → prove → unpack pass produced.
type pass struct {
	manifest *manifest.Manifest
	proofs   []verify.Proof
	// resumed says the download went on from an earlier run's partial file.
	resumed bool
}

// unpackOptions are the limits and conventions an artifact unpacks with.
func unpackOptions(art *Artifact) unpack.Options {
	opts := unpack.Options{Prefix: art.Prefix, Module: art.Format == ModuleZip, MaxBytes: maxUnpacked(art.Size)}
	if art.Format == ModuleZip {
		// x/mod/zip's limit holds for what a module unpacks to as well,
		// and module zips are unpacked before their h1: hash is known.
		opts.MaxBytes = maxModuleZip
	}
	return opts
}

// tarGzPass streams an official .tar.gz: the bytes are proven and unpacked
// as they arrive, in one pass.
func (in *Installer) tarGzPass(ctx context.Context, dl fetch.Download, checks []verify.StreamCheck, tmp string, opts unpack.Options) (p pass, err error) {
	p.manifest, p.resumed, err = in.streamTarGz(ctx, dl, tmp, opts)
	// A failed proof explains everything else that went wrong (a tampered
	// archive also fails to unpack), so it comes first.
	if err == nil || errors.Is(err, errUnpack) {
		var perr error
		if p.proofs, perr = finishChecks(checks); perr != nil {
			return p, perr
		}
	}
	return p, err
}

// zipPass installs an official Windows .zip: zips need random access, so
// it is downloaded whole, proven, and only then unpacked.
func (in *Installer) zipPass(ctx context.Context, dl fetch.Download, checks []verify.StreamCheck, tmp string, opts unpack.Options) (p pass, err error) {
	if p.resumed, err = in.Fetch.Download(ctx, dl); err != nil {
		return p, err
	}
	if p.proofs, err = finishChecks(checks); err != nil {
		return p, err
	}
	p.manifest, _, err = unzipFile(ctx, dl.Part, tmp, opts)
	return p, err
}

// moduleZipPass installs a golang.org/toolchain module zip, unpacked from
// its local headers as it downloads, then confirmed by its central
// directory and proven by the h1: hash of what it unpacked to against the
// checksum database's. A zip the stream cannot follow, or whose headers
// disagree, is judged whole: if the database vouches for it, it is
// unpacked again through its central directory, as cmd/go reads it.
func (in *Installer) moduleZipPass(ctx context.Context, art *Artifact, dl fetch.Download, checks []verify.StreamCheck, tmp string, opts unpack.Options) (p pass, err error) {
	var sz *unpack.StreamedZip
	p.resumed, err = in.stream(ctx, dl, func(ctx context.Context, r io.Reader) (err error) {
		sz, err = unpack.ZipStream(ctx, r, tmp, opts)
		return err
	})
	if err == nil || errors.Is(err, errUnpack) {
		var perr error
		if p.proofs, perr = finishChecks(checks); perr != nil {
			return p, perr
		}
	}
	var h1 string
	if err == nil {
		p.manifest, h1, err = confirmZip(sz, dl.Part)
	}
	if errors.Is(err, errUnpack) && !isDiskFull(err) {
		// A zip the database vouches for always unpacks: say whether
		// this one is the genuine one, and if so read it whole.
		if _, perr := zipHashProof(art, dl.Part); perr != nil {
			return p, perr
		}
		if err = emptyDir(tmp); err != nil {
			return p, err
		}
		p.manifest, h1, err = unzipFile(ctx, dl.Part, tmp, opts)
	}
	if err != nil {
		return p, err
	}
	proof, err := verify.ZipHashCheck(art.Filename, h1, art.WantH1, art.SumDB)
	p.proofs = append(p.proofs, proof)
	return p, err
}

// confirmZip checks a streamed zip against the central directory of the
// downloaded file, which holds the very bytes streamed.
func confirmZip(sz *unpack.StreamedZip, file string) (*manifest.Manifest, string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, "", err
	}
	m, h1, err := sz.Confirm(f, fi.Size())
	if err != nil {
		return nil, "", &unpackErr{err}
	}
	return m, h1, nil
}

// emptyDir removes what a failed unpack left in dir, keeping dir.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// hasGo refuses a proven archive that holds no go command: whoever signed
// it, it is not a toolchain, and installing it would leave a version that
// every shim call fails on.
func hasGo(m *manifest.Manifest, art *Artifact) error {
	exe := "bin/go"
	if art.Platform.OS == "windows" {
		exe += ".exe"
	}
	for _, f := range m.Files {
		if f.Path == exe && !f.IsLink() {
			return nil
		}
	}
	return fmt.Errorf("%s holds no %s: it is not a Go toolchain (nothing was installed)", art.Filename, exe)
}

// proveIdentity proves that a proven download's unpacked tree is the
// toolchain asked for: a signature, a digest or the checksum database
// proves a genuine Go release, and only the tree's own VERSION file and
// programs say which version and platform it is (a mirror's index can map
// go1.22.5 to the signed go1.20 archive).
func proveIdentity(dir string, art *Artifact) (verify.Proof, error) {
	return verify.Identity(dir, art.Filename, art.Version, art.Platform.OS, art.Platform.Arch)
}

// errNoProof refuses an artifact that nothing proved: never installed.
func errNoProof(art *Artifact) error {
	return fmt.Errorf("%s: %w: the source offered no proof", art.Filename, verify.ErrFailed)
}

// finishChecks completes the stream checks of a download that arrived whole.
func finishChecks(checks []verify.StreamCheck) ([]verify.Proof, error) {
	var proofs []verify.Proof
	for _, c := range checks {
		p, err := c.Finish()
		if err != nil {
			return nil, err
		}
		proofs = append(proofs, p)
	}
	return proofs, nil
}

// errUnpack marks an unpack failure of a download that arrived whole.
var errUnpack = errors.New("unpack")

type unpackErr struct{ err error }

func (e *unpackErr) Error() string        { return e.err.Error() }
func (e *unpackErr) Unwrap() error        { return e.err }
func (e *unpackErr) Is(target error) bool { return target == errUnpack }

// streamTarGz downloads and unpacks a .tar.gz in one pass.
func (in *Installer) streamTarGz(ctx context.Context, dl fetch.Download, tmp string, opts unpack.Options) (m *manifest.Manifest, resumed bool, err error) {
	resumed, err = in.stream(ctx, dl, func(ctx context.Context, r io.Reader) (err error) {
		m, err = unpack.TarGz(ctx, r, tmp, opts)
		return err
	})
	return m, resumed, err
}

// stream downloads and unpacks in one pass, handing the bytes to unpack
// as they arrive. If the unpacker stops early (a bad entry), the download
// still runs to its end so the checks can tell a tampered archive from a
// broken one. An unpack failure is an errUnpack.
func (in *Installer) stream(ctx context.Context, dl fetch.Download, unpack func(context.Context, io.Reader) error) (bool, error) {
	pr, pw := io.Pipe()
	dl.Sink = io.MultiWriter(dl.Sink, &feeder{w: pw})
	done := make(chan error, 1)
	uctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		err := unpack(uctx, pr)
		pr.CloseWithError(err)
		done <- err
	}()
	resumed, derr := in.Fetch.Download(ctx, dl)
	pw.CloseWithError(derr)
	if derr != nil {
		cancel()
	}
	uerr := <-done
	switch {
	case derr != nil:
		return resumed, derr
	case uerr != nil:
		return resumed, &unpackErr{uerr}
	}
	return resumed, nil
}

// feeder passes bytes to the unpacker until it stops, then drops them.
type feeder struct {
	w    io.Writer
	dead bool
}

func (f *feeder) Write(p []byte) (int, error) {
	if !f.dead {
		if _, err := f.w.Write(p); err != nil {
			f.dead = true
		}
	}
	return len(p), nil
}

// unzipFile unpacks a downloaded zip.
func unzipFile(ctx context.Context, file, dest string, opts unpack.Options) (*manifest.Manifest, string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, "", err
	}
	m, h1, err := unpack.Zip(ctx, f, fi.Size(), dest, opts)
	if err != nil {
		return nil, "", &unpackErr{err}
	}
	return m, h1, nil
}

// maxUnpacked bounds what an archive of size bytes may unpack to: real
// toolchains unpack to about 3.5 times their archive.
func maxUnpacked(size int64) int64 {
	if size <= 0 {
		return 2 << 30
	}
	return min(16*size+(64<<20), 4<<30)
}

// mkdirTree is os.MkdirTemp with the mode of an installed tree's folders,
// 0755 less the umask, instead of 0700: the folder becomes the toolchain's
// GOROOT by rename, and a toolchain must be usable by other users (an
// image built as root and run as a user, a team's /opt/gover), as the
// official archives lay it out.
func mkdirTree(dir, prefix string) (string, error) {
	for try := 0; ; try++ {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		err := os.Mkdir(name, 0o755)
		if err == nil {
			return name, nil
		}
		if !errors.Is(err, fs.ErrExist) || try == 100 {
			return "", err
		}
	}
}
