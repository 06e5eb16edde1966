package mirror

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goproxy"
	"github.com/goverdev/gover/internal/toolchainmod"
	"github.com/goverdev/gover/verify"
)

// The checksum database part of a mirror.
//
// A client (the go command, or gover) verifying golang.org/toolchain@V
// reads <proxy>/sumdb/<name>/supported, then lookup/golang.org/toolchain@V
// (the record and a signed tree head), then tiles: those proving the record
// is in the newest tree head the client knows, and those proving any head
// it remembers (GOPATH/pkg/sumdb/<name>/latest) is part of that one. It
// never reads /latest. Which tiles, partial (tile/8/0/x001/234.p/17) or
// full, depends on the tree sizes, so rather than predicting them the
// mirror runs the very client code the go command vendors
// (golang.org/x/mod/sumdb) against its own answers and keeps what it reads
// and validates.
//
// To keep that set small, every published answer carries the same signed
// tree head: records are re-headed onto the newest head the sync saw. An
// answer is the record (id and go.sum lines) followed by any signed head
// of a tree that contains it; the client verifies the head's signature and
// the record's inclusion either way, so nothing is trusted that was not.

// sumdbSync talks to the upstream checksum database (through the module
// proxy's /sumdb/ endpoint, or directly).
type sumdbSync struct {
	ctx   context.Context
	db    goproxy.SumDB
	base  string
	fetch *fetch.Client

	mu   sync.Mutex
	memo map[string][]byte // upstream answers by path, shared by every client run
}

func (s *sumdbSync) remote(p string) ([]byte, error) {
	s.mu.Lock()
	b, ok := s.memo[p]
	s.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := s.fetch.Get(s.ctx, s.base+p, "checksum database answer", 16<<20)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.memo[p] = b
	s.mu.Unlock()
	return b, nil
}

// clientOps are the x/mod/sumdb client's operations for one client run:
// an empty cache (a client that has never seen this database, or only the
// head in latest), answers from served when set, and a record of what the
// client validated and would have cached.
type clientOps struct {
	s      *sumdbSync
	served map[string][]byte // remote lookup path → answer; nil: ask upstream

	mu     sync.Mutex
	latest []byte
	saved  map[string][]byte // validated tiles and answers, by path under sumdb/<name>/
	report verify.SumDBReport
}

func newClientOps(s *sumdbSync, latest []byte, served map[string][]byte) *clientOps {
	return &clientOps{s: s, served: served, latest: latest, saved: map[string][]byte{}}
}

func (o *clientOps) ReadRemote(p string) ([]byte, error) {
	if o.served != nil && strings.HasPrefix(p, "/lookup/") {
		if b, ok := o.served[p]; ok {
			return b, nil
		}
		return nil, fmt.Errorf("%s: %w", p, os.ErrNotExist)
	}
	b, err := o.s.remote(p)
	if err != nil {
		o.report.Remote(err)
	}
	return b, err
}

func (o *clientOps) ReadConfig(file string) ([]byte, error) {
	if file == "key" {
		return []byte(o.s.db.Key), nil
	}
	if file == o.s.db.Name+"/latest" {
		o.mu.Lock()
		defer o.mu.Unlock()
		return o.latest, nil
	}
	return nil, nil
}

func (o *clientOps) WriteConfig(file string, old, new []byte) error {
	if file != o.s.db.Name+"/latest" {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if !bytes.Equal(o.latest, old) {
		return sumdb.ErrWriteConflict
	}
	o.latest = new
	return nil
}

func (o *clientOps) ReadCache(string) ([]byte, error) { return nil, os.ErrNotExist }

func (o *clientOps) WriteCache(file string, data []byte) {
	if rel, ok := strings.CutPrefix(file, o.s.db.Name+"/"); ok {
		o.mu.Lock()
		o.saved[rel] = data
		o.mu.Unlock()
	}
}

func (o *clientOps) Log(string) {}

func (o *clientOps) SecurityError(msg string) { o.report.Security(msg) }

// err explains a failed lookup as installs and verify do.
func (o *clientOps) err(mv string, err error) error {
	return o.report.Err(toolchainmod.Path+"@"+mv, err)
}

// lookupPath is the remote path of a module version's lookup answer.
func lookupPath(mv string) string {
	p, _ := module.EscapePath(toolchainmod.Path)
	v, _ := module.EscapeVersion(mv)
	return "/lookup/" + p + "@" + v
}

// sums are a module version's go.sum lines, as the database holds them.
type sums struct {
	h1, goMod string
}

// lookup asks the database about module versions as a client that last saw
// head would, and returns their go.sum hashes, the validated answers (by
// lookup path) and the newest head seen.
func (s *sumdbSync) lookup(head []byte, mvs []string) (map[string]sums, map[string][]byte, []byte, error) {
	ops := newClientOps(s, head, nil)
	c := sumdb.NewClient(ops)
	out := map[string]sums{}
	answers := map[string][]byte{}
	for _, mv := range mvs {
		zipLines, err := c.Lookup(toolchainmod.Path, mv)
		if err != nil {
			return nil, nil, nil, ops.err(mv, err)
		}
		modLines, err := c.Lookup(toolchainmod.Path, mv+"/go.mod")
		if err != nil {
			return nil, nil, nil, ops.err(mv, err)
		}
		h1 := verify.SumDBHash(zipLines, toolchainmod.Path, mv)
		goMod := verify.SumDBHash(modLines, toolchainmod.Path, mv+"/go.mod")
		if h1 == "" || goMod == "" {
			return nil, nil, nil, &verify.SumDBError{Module: toolchainmod.Path + "@" + mv, Err: errors.New("the answer lacks the zip's or go.mod's h1: hash")}
		}
		out[mv] = sums{h1: h1, goMod: goMod}
		ops.mu.Lock()
		answers[lookupPath(mv)] = ops.saved[strings.TrimPrefix(lookupPath(mv), "/")]
		ops.mu.Unlock()
	}
	ops.mu.Lock()
	defer ops.mu.Unlock()
	return out, answers, ops.latest, nil
}

// reHead returns a lookup answer carrying the signed tree head head
// instead of its own.
func reHead(answer, head []byte) ([]byte, error) {
	id, text, _, err := tlog.ParseRecord(answer)
	if err != nil {
		return nil, err
	}
	rec, err := tlog.FormatRecord(id, text)
	if err != nil {
		return nil, err
	}
	return append(rec, head...), nil
}

// prove runs fresh clients against the re-headed answers, as the go
// command and gover would run behind the mirror: one that has never seen
// the database looks every record up, and one per earlier head the mirror
// published (a client remembering it) looks one up. It returns every tile
// they read and validated, by path under sumdb/<name>/. A record or head
// the tree does not prove fails here, before anything is published.
func (s *sumdbSync) prove(answers map[string][]byte, mvs []string, oldHeads [][]byte) (map[string][]byte, error) {
	tiles := map[string][]byte{}
	run := func(latest []byte, mvs []string) error {
		ops := newClientOps(s, latest, answers)
		c := sumdb.NewClient(ops)
		for _, mv := range mvs {
			if _, err := c.Lookup(toolchainmod.Path, mv); err != nil {
				return ops.err(mv, err)
			}
		}
		for p, b := range ops.saved {
			if strings.HasPrefix(p, "tile/") {
				tiles[p] = b
			}
		}
		return nil
	}
	if err := run(nil, mvs); err != nil {
		return nil, err
	}
	for _, h := range oldHeads {
		if err := run(h, mvs[:1]); err != nil {
			return nil, fmt.Errorf("prove the mirror's earlier tree head is part of the new one: %w", err)
		}
	}
	return tiles, nil
}

// sumdbFiles is what a sync publishes under sumdb/<name>/.
type sumdbFiles struct {
	head    []byte
	answers map[string][]byte // by lookup path ("/lookup/…")
	tiles   map[string][]byte // by path ("tile/…")
}

// publish writes the database's answers under dir/sumdb/<name>/: tiles
// first, then the lookup answers that need them, then latest, so a client
// never reads an answer whose proof is not there yet.
func (f *sumdbFiles) publish(dir, name string) ([]string, error) {
	root := filepath.Join(dir, "sumdb", name)
	write := func(rel string, data []byte) error {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, data) {
			return nil
		}
		return atomicfile.Write(p, data, 0o644)
	}
	var files []string
	for _, rel := range sortedKeys(f.tiles) {
		if err := write(rel, f.tiles[rel]); err != nil {
			return nil, err
		}
		files = append(files, rel)
	}
	for _, p := range sortedKeys(f.answers) {
		rel := strings.TrimPrefix(p, "/")
		if err := write(rel, f.answers[p]); err != nil {
			return nil, err
		}
		files = append(files, rel)
	}
	if err := write("latest", f.head); err != nil {
		return nil, err
	}
	// proxy.golang.org answers "supported" with 200 and an empty body.
	if err := write("supported", nil); err != nil {
		return nil, err
	}
	return files, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// readAnswer reads a published lookup answer.
func readAnswer(dir, name, mv string) ([]byte, error) {
	return os.ReadFile(filepath.Join(dir, "sumdb", name, filepath.FromSlash(path.Clean(strings.TrimPrefix(lookupPath(mv), "/")))))
}
