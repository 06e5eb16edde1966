package verify

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/goverdev/gover/internal/atomicfile"
	"github.com/goverdev/gover/internal/manifest"
)

// A stat cache lets Tree skip re-hashing a file that has not changed since it last hashed to
// its manifest entry, as git's index lets `git status` skip unchanged files. For each file it
// holds the status the file had when it was hashed: size, modification and change times,
// inode and device. A file is skipped only when all of them are still the same. The change
// time (ctime) is the one that matters: every write, truncation, chmod, rename or link of a
// file sets it to the clock's now, and no user can set it back, so a file changed since it
// was hashed never matches its entry — not even one whose mtime was restored with touch -d.
// The inode and device tie each entry to the very file on this machine: a tree copied,
// restored from a CI cache or unpacked again gets new ones, and so does a file replaced by
// rename.
//
// The cache is a hint that can only ever save work; what it says is never taken as a proof
// of content:
//   - it is bound to the tree's folder and to the manifest's TreeHash (the paths and digests
//     the install recorded); a cache made for another record or folder is ignored whole;
//   - it answers only "hash this file or not": which files exist, their types, modes, sizes
//     and link targets are compared with the manifest on every run;
//   - an entry is written only for a file that has just hashed to its manifest digest, with
//     the status taken before it was read, and never for a file changed in the last
//     racyWindow (a change within one tick of the file system's clock could leave its ctime
//     as it was).
//
// So whoever rewrites the cache file can make Tree hash more, never less, than a change
// calls for — except by writing, as this machine's user, entries matching a changed file's
// current ctime and inode; someone who can do that can equally rewrite the install record,
// which the offline checks trust anyway. Deep checks (doctor --deep, gover verify) hash
// every file whatever the cache says, and refresh it.
//
// The format is a magic line, the 32-byte binding, then one fixed-size entry per manifest
// file in manifest order (all zero: not known).

const (
	statMagic = "gover stat cache 1\n"
	// racyWindow is how recent a change may be for its file to be left out of the cache.
	racyWindow = 2 * time.Second
)

// A fileStat is what a file's status must still be for it to be skipped.
type fileStat struct {
	Size, Mtime, Ctime int64 // times in nanoseconds since 1970
	Ino, Dev           uint64
}

const statLen = 5 * 8

// statCache is a cache file's entries, by manifest index.
type statCache struct {
	bind  [sha256.Size]byte
	stats []fileStat
}

// statBinding is what a cache is valid for: this folder and this manifest.
func statBinding(dir string, m *manifest.Manifest) [sha256.Size]byte {
	return sha256.Sum256([]byte(statMagic + dir + "\x00" + m.TreeHash()))
}

// readStatCache reads the cache at path for dir and m; any cache it cannot use (missing,
// unreadable, for another record or folder, of another length) is empty.
func readStatCache(path, dir string, m *manifest.Manifest) *statCache {
	c := &statCache{bind: statBinding(dir, m), stats: make([]fileStat, len(m.Files))}
	if path == "" {
		return c
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return c
	}
	body, ok := bytes.CutPrefix(data, []byte(statMagic))
	if !ok || len(body) != sha256.Size+len(m.Files)*statLen || !bytes.Equal(body[:sha256.Size], c.bind[:]) {
		return c
	}
	body = body[sha256.Size:]
	le := binary.LittleEndian
	for i := range c.stats {
		e := body[i*statLen:]
		c.stats[i] = fileStat{
			Size: int64(le.Uint64(e)), Mtime: int64(le.Uint64(e[8:])), Ctime: int64(le.Uint64(e[16:])),
			Ino: le.Uint64(e[24:]), Dev: le.Uint64(e[32:]),
		}
	}
	return c
}

// write replaces the cache file at path.
func (c *statCache) write(path string) error {
	buf := make([]byte, 0, len(statMagic)+sha256.Size+len(c.stats)*statLen)
	buf = append(buf, statMagic...)
	buf = append(buf, c.bind[:]...)
	le := binary.LittleEndian
	for _, s := range c.stats {
		buf = le.AppendUint64(buf, uint64(s.Size))
		buf = le.AppendUint64(buf, uint64(s.Mtime))
		buf = le.AppendUint64(buf, uint64(s.Ctime))
		buf = le.AppendUint64(buf, s.Ino)
		buf = le.AppendUint64(buf, s.Dev)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.Write(path, buf, 0o644)
}

// cacheable is the entry to record for a file that hashed to its manifest entry with status
// fi taken before it was read, if the file system gives what an entry needs and the file's
// last change is older than racyWindow before start.
func cacheable(fi fs.FileInfo, start time.Time) (fileStat, bool) {
	s, ok := statOf(fi)
	if !ok || s.Ctime >= start.Add(-racyWindow).UnixNano() || s.Mtime >= start.Add(-racyWindow).UnixNano() {
		return fileStat{}, false
	}
	return s, true
}
