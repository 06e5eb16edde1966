package installer

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/goverdev/gover/installer/unpack"
	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goproxy"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/toolchainmod"
	"github.com/goverdev/gover/verify"
)

// maxModuleZip is x/mod/zip's limit on a module zip.
const maxModuleZip = 500 << 20

// Proxy is the golang.org/toolchain module on a Go module proxy, what
// GOTOOLCHAIN downloads. Zips are proven by the checksum database.
type Proxy struct {
	// Proxies is the parsed GOPROXY list.
	Proxies []goproxy.Entry
	SumDB   goproxy.SumDB
	Fetch   *fetch.Client
	// SumDBDir caches the checksum database's tree head and tiles.
	SumDBDir string
	// From says where GOPROXY was set, for messages: "the environment",
	// a go env file; empty for Go's default.
	From string
}

// A ProxyUnreachableError is a GOPROXY entry that could not be reached.
// It names GOPROXY and where it was set, since that is what to fix.
type ProxyUnreachableError struct {
	URL  string // the entry
	From string // where GOPROXY was set; empty for the default
	Err  error
}

func (e *ProxyUnreachableError) Error() string {
	set := "Go's default"
	if e.From != "" {
		set = "set in " + e.From
	}
	return fmt.Sprintf("module proxy %s (GOPROXY, %s) unreachable: %s (check that it is up and reachable from here, or set GOPROXY to a proxy that answers; 'gover doctor goproxy' checks each entry)",
		fetch.Redact(e.URL), set, ShortCause(e.Err))
}

func (e *ProxyUnreachableError) Unwrap() error { return e.Err }

func (x *Proxy) Name() SourceName { return SourceProxy }

// ModuleVersion is the golang.org/toolchain version of a release on p:
// v0.0.1-go1.22.5.linux-amd64.
func (p Platform) ModuleVersion(version string) string {
	return toolchainmod.Version(version, p.OS, p.Arch)
}

// Releases reads <proxy>/golang.org/toolchain/@v/list and keeps p's versions.
func (x *Proxy) Releases(ctx context.Context, p Platform) ([]Release, error) {
	var list []byte
	err := x.each(ctx, func(base string) error {
		b, err := x.Fetch.Get(ctx, base+"/"+toolchainmod.ListPath, "module version list", 8<<20)
		list = b
		return err
	})
	if err != nil {
		return nil, err
	}
	var out []Release
	for _, line := range strings.Split(string(list), "\n") {
		v, ok := toolchainmod.GoVersion(strings.TrimSpace(line), p.OS, p.Arch)
		if ok && goversion.IsValid(v) {
			out = append(out, Release{Version: v, Stable: goversion.IsStable(v)})
		}
	}
	sortNewestFirst(out)
	return out, nil
}

// Locate finds the module zip on the first proxy that has it, and looks its
// hash up in the checksum database.
func (x *Proxy) Locate(ctx context.Context, version string, p Platform) (*Artifact, error) {
	mv := p.ModuleVersion(version)
	var zipURL string
	err := x.each(ctx, func(base string) error {
		_, err := x.Fetch.Get(ctx, base+"/"+toolchainmod.FilePath(mv, ".info"), "module info", 1<<20)
		if err == nil {
			zipURL = base + "/" + toolchainmod.FilePath(mv, ".zip")
		}
		return err
	})
	if fetch.IsNotFound(err) || refused(err) && !x.lists(ctx, version, p) {
		return nil, &NotFoundError{Version: version, Platform: p, Source: SourceProxy,
			Detail: "the module proxy has no " + toolchainmod.Path + "@" + mv + "; 'gover list-remote' lists what it has"}
	}
	if err != nil {
		return nil, err
	}
	h1, err := x.zipHash(ctx, mv)
	if err != nil {
		return nil, err
	}
	return &Artifact{
		Version:  version,
		Platform: p,
		Source:   SourceProxy,
		Filename: mv + ".zip",
		URLs:     []string{zipURL},
		Format:   ModuleZip,
		Prefix:   toolchainmod.ZipPrefix(mv),
		WantH1:   h1,
		SumDB:    x.SumDB.Name,
	}, nil
}

// zipHash asks the checksum database for the h1: hash of the toolchain
// module at version mv.
func (x *Proxy) zipHash(ctx context.Context, mv string) (string, error) {
	base, err := verify.SumDBBase(ctx, x.Fetch, x.Proxies, x.SumDB)
	if err != nil {
		return "", err
	}
	db := &verify.ChecksumDB{DB: x.SumDB, Base: base, Dir: x.SumDBDir, Fetch: x.Fetch}
	h1, err := db.ZipHash(ctx, toolchainmod.Path, mv)
	if err != nil && x.SumDB.OffIgnored && fetch.IsUnreachable(err) {
		return "", fmt.Errorf("%w (GOSUMDB=off does not apply to Go toolchains, which are always proven, as by the go command; from mainland China set GOSUMDB=sum.golang.google.cn)", err)
	}
	return h1, err
}

// ErrNotModule is a record the checksum database cannot vouch for: a
// release older than the golang.org/toolchain module (Go 1.21).
var ErrNotModule = errors.New("no golang.org/toolchain module: releases before Go 1.21 have none, so the checksum database cannot vouch for it")

// Vouch proves an installed toolchain again without its zip or archive:
// the files its record lists must hash to the h1: hash the checksum
// database holds for its golang.org/toolchain module version — the whole
// tree of a proxy install, the module's subset of an archive install
// (unpack.ModuleSubset). With the tree checked against the record
// (verify.Tree), this ties the files on disk to the database whatever the
// record says of itself, so a record rewritten to match a changed tree (a
// poisoned CI cache) is caught. Releases before Go 1.21 give ErrNotModule.
func (x *Proxy) Vouch(ctx context.Context, rec *Record) (verify.Proof, error) {
	return x.VouchLater(ctx, rec.Version, Platform{OS: rec.OS, Arch: rec.Arch}).Check(rec)
}

// VouchLater is Vouch in two steps: it asks the checksum database about
// version's module at once, in the background, and returns the lookup,
// whose Check waits for the answer. An install asks while it downloads and
// unpacks, so the lookup costs it no time; ctx ends the lookup.
func (x *Proxy) VouchLater(ctx context.Context, version string, p Platform) *Lookup {
	l := &Lookup{x: x, mv: p.ModuleVersion(version), done: make(chan struct{})}
	if goversion.Compare(version, firstModule) < 0 {
		close(l.done)
		return l
	}
	go func() {
		defer close(l.done)
		l.want, l.err = x.zipHash(ctx, l.mv)
	}()
	return l
}

// A Lookup is the checksum database's answer for one toolchain module,
// asked for in the background (Proxy.VouchLater).
type Lookup struct {
	x    *Proxy
	mv   string // the module version asked about
	done chan struct{}
	want string // the database's h1:, once done
	err  error
}

// Wait returns once the lookup has ended: at once after its context
// ends, so an install that fails leaves nothing running behind it.
func (l *Lookup) Wait() { <-l.done }

// Check checks rec against the database's answer, waiting for it.
func (l *Lookup) Check(rec *Record) (verify.Proof, error) {
	got, covers, err := VouchedHash(rec)
	if err != nil {
		return verify.Proof{}, err
	}
	l.Wait()
	if l.err != nil {
		return verify.Proof{}, l.err
	}
	if got != l.want {
		what := "the files in the install record of " + rec.Version
		if covers != "" {
			what = "the files in the install record of " + rec.Version + " that its module holds (" + covers + ")"
		}
		return verify.Proof{}, fmt.Errorf("%s hash to %s, but checksum database %s holds %s for %s@%s: the record and its tree were altered (%w; reinstall %s with 'gover install --force')",
			what, got, l.x.SumDB.Name, l.want, toolchainmod.Path, l.mv, verify.ErrFailed, rec.Version)
	}
	return verify.Proof{Kind: verify.ProofSumDB, Value: got, Authority: l.x.SumDB.Name, Covers: covers}, nil
}

// VouchedHash is the h1: hash the checksum database must hold for rec's
// module version: of the whole tree for a proxy install, of the module's
// subset for an archive install (covers says which files). Releases
// before Go 1.21 give ErrNotModule.
func VouchedHash(rec *Record) (h1, covers string, err error) {
	if h1, ok := ModuleHash(rec); ok {
		return h1, "", nil
	}
	if goversion.Compare(rec.Version, firstModule) < 0 {
		return "", "", fmt.Errorf("%s: %w", rec.Version, ErrNotModule)
	}
	mv := Platform{OS: rec.OS, Arch: rec.Arch}.ModuleVersion(rec.Version)
	sub := unpack.ModuleSubset(&rec.Manifest)
	return unpack.ModuleZipHash(&sub, toolchainmod.ZipPrefix(mv)), unpack.ModuleCovers(len(sub.Files)), nil
}

// firstModule is the first release cmd/distpack wrote a
// golang.org/toolchain module for.
const firstModule = "go1.21rc2"

// ModuleHash is the h1: hash of the module zip that rec's tree was
// unpacked from, computed from the manifest in rec; ok is false for a
// record of another source.
func ModuleHash(rec *Record) (h1 string, ok bool) {
	if !rec.FromProxy() {
		return "", false
	}
	mv := Platform{OS: rec.OS, Arch: rec.Arch}.ModuleVersion(rec.Version)
	return unpack.ModuleZipHash(&rec.Manifest, toolchainmod.ZipPrefix(mv)), true
}

// CheckRecordProof tells, offline, whether the manifest in the record of
// a proxy install still hashes to the h1: hash the checksum database
// proved at install; records of other sources pass.
func CheckRecordProof(rec *Record) error {
	h1, ok := ModuleHash(rec)
	if !ok {
		return checkArchiveModuleProof(rec)
	}
	proven := ""
	for _, p := range rec.Proofs {
		if p.Kind == verify.ProofSumDB {
			proven = p.Value
		}
	}
	if bad := unpack.ModuleAttributes(&rec.Manifest, verify.ModesKept); len(bad) > 0 {
		more := ""
		if len(bad) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(bad)-1)
		}
		return fmt.Errorf("%s%s: its files are the module's, but were unpacked with attributes the module zip was served with, which nothing proves (%w; reinstall %s with 'gover install --force')",
			bad[0], more, verify.ErrFailed, rec.Version)
	}
	if h1 != proven {
		return fmt.Errorf("the files in its install record hash to %s, not to the h1 the checksum database proved at install (%s): the record was altered (%w; reinstall %s with 'gover install --force')",
			h1, cmp.Or(proven, "none recorded"), verify.ErrFailed, rec.Version)
	}
	return nil
}

// refused reports an answer of 401 or 403: what some proxies (a company's
// Artifactory, a filtering proxy) say for a version they do not hold.
func refused(err error) bool {
	var se *fetch.StatusError
	return errors.As(err, &se) && (se.Code == http.StatusUnauthorized || se.Code == http.StatusForbidden)
}

// lists reports whether the proxies' version list names version for p;
// when the list cannot be read it says yes, so the original answer stands.
func (x *Proxy) lists(ctx context.Context, version string, p Platform) bool {
	releases, err := x.Releases(ctx, p)
	if err != nil {
		return true
	}
	return slices.ContainsFunc(releases, func(r Release) bool { return r.Version == version })
}

// each calls try with each proxy base URL in GOPROXY order until one
// succeeds, moving on as the go command does: after "," only when the
// proxy says 404 or 410, after "|" on any error.
func (x *Proxy) each(ctx context.Context, try func(base string) error) error {
	if len(x.Proxies) == 0 {
		return errors.New("GOPROXY lists no proxy")
	}
	var err error
	for _, e := range x.Proxies {
		if e.Off {
			if err != nil {
				return err
			}
			return fmt.Errorf("%w (set GOPROXY to a proxy, e.g. https://proxy.golang.org)", goproxy.ErrOff)
		}
		err = try(e.URL)
		if err == nil || ctx.Err() != nil {
			return err
		}
		if fetch.IsUnreachable(err) {
			err = &ProxyUnreachableError{URL: e.URL, From: x.From, Err: err}
		}
		if !fetch.IsNotFound(err) && !e.AnyError {
			return err
		}
	}
	return err
}

// Describe names the proxy for people: "module proxy
// https://proxy.golang.org" (the entries GOPROXY lists, up to off).
func (x *Proxy) Describe() string {
	var urls []string
	for _, e := range x.Proxies {
		if e.Off {
			break
		}
		urls = append(urls, fetch.Redact(e.URL))
	}
	if len(urls) == 0 {
		return "module proxy (GOPROXY=off)"
	}
	return "module proxy " + strings.Join(urls, ", ")
}

// checkArchiveModuleProof tells, offline, whether the files of an archive
// install's record that its module holds still hash to the h1: the
// checksum database proved at install, when it did.
func checkArchiveModuleProof(rec *Record) error {
	for _, p := range rec.Proofs {
		if p.Kind != verify.ProofSumDB {
			continue
		}
		h1, _, err := VouchedHash(rec)
		if err != nil || h1 != p.Value {
			return fmt.Errorf("the files in its install record that its module holds hash to %s, not to the h1 the checksum database proved at install (%s): the record was altered (%w; reinstall %s with 'gover install --force')",
				h1, p.Value, verify.ErrFailed, rec.Version)
		}
	}
	return nil
}
