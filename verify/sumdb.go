package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb"

	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goproxy"
	"github.com/goverdev/gover/internal/lockfile"
)

// A ChecksumDB looks module hashes up in a checksum database with
// golang.org/x/mod/sumdb: every answer is proven against the signed tree
// head with tile proofs, and the newest tree head gover has seen is kept in
// its cache so the log can never be rolled back unnoticed.
type ChecksumDB struct {
	DB goproxy.SumDB
	// Base is where lookups and tiles are read: a proxy's
	// <proxy>/sumdb/<name> or the database's own URL.
	Base string
	// Dir caches the signed tree head ("latest") and tiles.
	Dir   string
	Fetch *fetch.Client
}

// A SumDBError is a checksum database failure that proves nothing: the
// database does not know the module, or it misbehaved.
type SumDBError struct {
	Module string
	Err    error
}

func (e *SumDBError) Error() string {
	// x/mod/sumdb's errors can carry the note or tree they could not read
	// on further lines: errors here are one line.
	msg, _, _ := strings.Cut(e.Err.Error(), "\n")
	return fmt.Sprintf("checksum database: %s: %s", e.Module, msg)
}

func (e *SumDBError) Unwrap() error { return e.Err }

func (e *SumDBError) Is(target error) bool {
	// Misbehaviour and unknown modules are verification failures; a
	// database we could not reach is not.
	return target == ErrFailed && !fetch.IsUnreachable(e.Err)
}

// ZipHash returns the h1: hash the database holds for module@version's zip.
func (c *ChecksumDB) ZipHash(ctx context.Context, module, version string) (string, error) {
	ops := &sumdbOps{ctx: ctx, db: c}
	client := sumdb.NewClient(ops)
	lines, err := client.Lookup(module, version)
	if err != nil {
		return "", ops.report.Err(module+"@"+version, err)
	}
	if h := SumDBHash(lines, module, version); h != "" {
		return h, nil
	}
	return "", &SumDBError{Module: module + "@" + version, Err: errors.New("no h1: hash in the database's answer")}
}

// SumDBHash is the h1: hash of module@version in a lookup's go.sum lines
// ("<module> <version> h1:…"; version "v…/go.mod" for its go.mod's), or ""
// when they hold none.
func SumDBHash(lines []string, module, version string) string {
	prefix := module + " " + version + " "
	for _, l := range lines {
		if h, ok := strings.CutPrefix(l, prefix); ok && strings.HasPrefix(h, "h1:") {
			return h
		}
	}
	return ""
}

// A SumDBReport gathers what an x/mod/sumdb client told its operations
// during a lookup: the summary of a security error, and the first remote
// read that failed. Err turns a failed lookup into one SumDBError from
// them: the one explanation gover gives, for installs, verify and mirror
// sync alike. Its methods may be called from the client's goroutines.
type SumDBReport struct {
	mu       sync.Mutex
	security string
	remote   error
}

// Security keeps the summary of x/mod/sumdb's report ("go.sum database
// server misbehavior detected!"); the report's proof lines are for the
// database's operators, not for a one-line error.
func (r *SumDBReport) Security(msg string) {
	summary := ""
	for _, l := range strings.Split(msg, "\n") {
		if l = strings.TrimSpace(l); l != "" && l != "SECURITY ERROR" {
			summary = l
			break
		}
	}
	r.mu.Lock()
	r.security = summary
	r.mu.Unlock()
}

// Remote keeps the first remote read that failed.
func (r *SumDBReport) Remote(err error) {
	r.mu.Lock()
	if r.remote == nil {
		r.remote = err
	}
	r.mu.Unlock()
}

// Err explains the failed lookup of mv (module@version): misbehaviour is a
// verification failure, with its summary; a database that could not be
// reached is not, and says what failed.
func (r *SumDBReport) Err(mv string, err error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.security != "" {
		err = fmt.Errorf("%w: %s", err, r.security)
	}
	if r.remote != nil && !errors.Is(err, sumdb.ErrSecurity) {
		err = r.remote
	}
	return &SumDBError{Module: mv, Err: err}
}

// ZipHashCheck proves a module zip's h1: hash (computed while unpacking)
// against the database's.
func ZipHashCheck(what, got, want, dbName string) (Proof, error) {
	if got != want {
		return Proof{}, &MismatchError{What: what, Kind: "h1 hash", Got: got, Want: want, Authority: "checksum database " + dbName}
	}
	return Proof{Kind: ProofSumDB, Value: got, Authority: dbName}, nil
}

// SumDBBase picks where to read the checksum database, as the go command
// does: the URL GOSUMDB names, if any; else the first proxy in the GOPROXY list that answers 200 for
// <proxy>/sumdb/<name>/supported; a 404 or 410 moves on; "direct", "off"
// or the end of the list means the database's own URL.
func SumDBBase(ctx context.Context, f *fetch.Client, proxies []goproxy.Entry, db goproxy.SumDB) (string, error) {
	if db.Explicit {
		return db.URL, nil
	}
	for _, p := range proxies {
		if p.Direct || p.Off {
			break
		}
		base := p.URL + "/sumdb/" + db.Name
		_, err := f.Get(ctx, base+"/supported", "checksum database support answer", 1<<10)
		if err == nil {
			return base, nil
		}
		if fetch.IsNotFound(err) {
			continue
		}
		if p.AnyError {
			continue
		}
		return "", fmt.Errorf("ask %s whether it proxies the checksum database: %w", fetch.Redact(p.URL), err)
	}
	return db.URL, nil
}

// sumdbOps are the x/mod/sumdb client's operations over gover's cache.
type sumdbOps struct {
	ctx    context.Context
	db     *ChecksumDB
	report SumDBReport
}

func (o *sumdbOps) ReadRemote(path string) ([]byte, error) {
	b, err := o.db.Fetch.Get(o.ctx, o.db.Base+path, "checksum database answer", 16<<20)
	if err != nil {
		o.report.Remote(err)
	}
	return b, err
}

// configFile maps the client's config names into the cache: "key" is never
// stored (it comes from GOSUMDB), "<name>/latest" is.
func (o *sumdbOps) configFile(file string) string {
	return filepath.Join(o.db.Dir, filepath.FromSlash(file))
}

func (o *sumdbOps) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.db.DB.Key), nil
	}
	b, err := os.ReadFile(o.configFile(file))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

func (o *sumdbOps) WriteConfig(file string, old, new []byte) error {
	path := o.configFile(file)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	unlock, err := lockfile.Lock(o.ctx, path+".lock", nil)
	if err != nil {
		return err
	}
	defer unlock()
	cur, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if !bytes.Equal(cur, old) {
		return sumdb.ErrWriteConflict
	}
	return atomicfile.Write(path, new, 0o644)
}

func (o *sumdbOps) ReadCache(file string) ([]byte, error) {
	return os.ReadFile(filepath.Join(o.db.Dir, "cache", filepath.FromSlash(file)))
}

func (o *sumdbOps) WriteCache(file string, data []byte) {
	// A failed cache write only costs a later fetch.
	_ = atomicfile.Write(filepath.Join(o.db.Dir, "cache", filepath.FromSlash(file)), data, 0o644)
}

func (o *sumdbOps) Log(string) {}

func (o *sumdbOps) SecurityError(msg string) { o.report.Security(msg) }
