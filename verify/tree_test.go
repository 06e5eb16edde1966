package verify

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/goverdev/gover/internal/manifest"
)

// makeTree writes files (path → content; "-> target" makes a link) under
// a new folder and returns it with the manifest an install would record.
func makeTree(t testing.TB, files map[string]string) (string, manifest.Manifest) {
	t.Helper()
	dir := t.TempDir()
	var m manifest.Manifest
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if len(content) > 3 && content[:3] == "-> " {
			if err := os.Symlink(content[3:], full); err != nil {
				t.Fatal(err)
			}
			m.Files = append(m.Files, manifest.File{Path: p, Mode: fs.ModeSymlink, Target: content[3:]})
			continue
		}
		perm := fs.FileMode(0o644)
		if filepath.Dir(p) == "bin" {
			perm = 0o755
		}
		if err := os.WriteFile(full, []byte(content), perm); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(full, perm); err != nil { // past the umask
			t.Fatal(err)
		}
		m.Files = append(m.Files, manifest.File{Path: p, Size: int64(len(content)), Mode: perm, SHA256: sha256.Sum256([]byte(content))})
	}
	m.Sort()
	return dir, m
}

func TestTree(t *testing.T) {
	files := map[string]string{
		"VERSION":               "go1.22.5\ntime 2024-06-27T20:11:12Z\n",
		"bin/go":                "#!go binary",
		"bin/gofmt":             "#!gofmt binary",
		"src/fmt/print.go":      "package fmt\n",
		"src/fmt/scan.go":       "package fmt // scan\n",
		"src/os/file.go":        "package os\n",
		"misc/wasm/go_js":       "-> ../../lib/wasm/wasm_exec.js",
		"lib/wasm/wasm_exec.js": "// wasm\n",
	}
	tests := []struct {
		name   string
		modify func(t *testing.T, dir string)
		want   TreeReport // Files is filled in
	}{
		{name: "untouched", modify: func(*testing.T, string) {}},
		{
			name: "content",
			modify: func(t *testing.T, dir string) {
				write(t, filepath.Join(dir, "src/fmt/print.go"), "package fmt // backdoor\n", 0o644)
			},
			want: TreeReport{Changed: []Change{{Path: "src/fmt/print.go", What: "content",
				Want: fmt.Sprintf("%x", sha256.Sum256([]byte("package fmt\n"))),
				Got:  fmt.Sprintf("%x", sha256.Sum256([]byte("package fmt // backdoor\n")))}}},
		},
		{
			name: "same size, other bytes",
			modify: func(t *testing.T, dir string) {
				write(t, filepath.Join(dir, "bin/go"), "#!GO binary", 0o755)
			},
			want: TreeReport{Changed: []Change{{Path: "bin/go", What: "content",
				Want: fmt.Sprintf("%x", sha256.Sum256([]byte("#!go binary"))),
				Got:  fmt.Sprintf("%x", sha256.Sum256([]byte("#!GO binary")))}}},
		},
		{
			name: "same size, other bytes, times put back",
			modify: func(t *testing.T, dir string) {
				p := filepath.Join(dir, "bin/go")
				fi, _ := os.Stat(p)
				write(t, p, "#!GO binary", 0o755)
				os.Chtimes(p, fi.ModTime(), fi.ModTime())
			},
			want: TreeReport{Changed: []Change{{Path: "bin/go", What: "content",
				Want: fmt.Sprintf("%x", sha256.Sum256([]byte("#!go binary"))),
				Got:  fmt.Sprintf("%x", sha256.Sum256([]byte("#!GO binary")))}}},
		},
		{
			name:   "missing",
			modify: func(t *testing.T, dir string) { rm(t, filepath.Join(dir, "src/os/file.go")) },
			want:   TreeReport{Missing: []string{"src/os/file.go"}},
		},
		{
			name: "extra",
			modify: func(t *testing.T, dir string) {
				write(t, filepath.Join(dir, "bin/go-evil"), "x", 0o755)
				os.MkdirAll(filepath.Join(dir, "pkg/empty"), 0o755) // an empty folder is no file
			},
			want: TreeReport{Extra: []string{"bin/go-evil"}},
		},
		{
			name: "file became a link",
			modify: func(t *testing.T, dir string) {
				rm(t, filepath.Join(dir, "bin/gofmt"))
				os.Symlink("/usr/bin/true", filepath.Join(dir, "bin/gofmt"))
			},
			want: TreeReport{Changed: []Change{{Path: "bin/gofmt", What: "type", Want: "file", Got: "link"}}},
		},
		{
			name: "link target",
			modify: func(t *testing.T, dir string) {
				rm(t, filepath.Join(dir, "misc/wasm/go_js"))
				os.Symlink("/tmp/evil.js", filepath.Join(dir, "misc/wasm/go_js"))
			},
			want: TreeReport{Changed: []Change{{Path: "misc/wasm/go_js", What: "target", Want: "../../lib/wasm/wasm_exec.js", Got: "/tmp/evil.js"}}},
		},
		{
			name: "file became a folder",
			modify: func(t *testing.T, dir string) {
				rm(t, filepath.Join(dir, "VERSION"))
				write(t, filepath.Join(dir, "VERSION", "inside"), "x", 0o644)
			},
			want: TreeReport{
				Changed: []Change{{Path: "VERSION", What: "type", Want: "file", Got: "folder"}},
				Extra:   []string{"VERSION/inside"},
			},
		},
		{
			name: "several at once, sorted",
			modify: func(t *testing.T, dir string) {
				rm(t, filepath.Join(dir, "src/fmt"))
				write(t, filepath.Join(dir, "a-first"), "x", 0o644)
				write(t, filepath.Join(dir, "VERSION"), "go1.99.0", 0o644)
			},
			want: TreeReport{
				Changed: []Change{{Path: "VERSION", What: "content",
					Want: fmt.Sprintf("%x", sha256.Sum256([]byte(files["VERSION"]))),
					Got:  fmt.Sprintf("%x", sha256.Sum256([]byte("go1.99.0")))}},
				Missing: []string{"src/fmt/print.go", "src/fmt/scan.go"},
				Extra:   []string{"a-first"},
			},
		},
	}
	if ModesKept {
		tests = append(tests, struct {
			name   string
			modify func(t *testing.T, dir string)
			want   TreeReport
		}{
			name: "mode",
			modify: func(t *testing.T, dir string) {
				if err := os.Chmod(filepath.Join(dir, "bin/go"), 0o644); err != nil {
					t.Fatal(err)
				}
			},
			want: TreeReport{Changed: []Change{{Path: "bin/go", What: "mode", Want: "0755", Got: "0644"}}},
		})
	}
	for _, tt := range tests {
		for _, c := range []struct {
			workers int
			cached  bool
		}{{1, false}, {4, false}, {1, true}, {4, true}} {
			t.Run(fmt.Sprintf("%s/%d/cached=%v", tt.name, c.workers, c.cached), func(t *testing.T) {
				dir, m := makeTree(t, files)
				var opt TreeOptions
				if c.cached {
					// Every file hashed and in the stat cache before the change.
					opt = TreeOptions{StatCache: filepath.Join(t.TempDir(), "stat"), now: afterRacyWindow}
					if r, err := tree(context.Background(), dir, m, opt, c.workers); err != nil || !r.OK() {
						t.Fatalf("before the change: %+v, %v", r, err)
					}
					past(t)
				}
				tt.modify(t, dir)
				got, err := tree(context.Background(), dir, m, opt, c.workers)
				if err != nil {
					t.Fatal(err)
				}
				want := tt.want
				want.Files = len(files)
				want.Hashed = got.Hashed
				if !reflect.DeepEqual(norm(*got), norm(want)) {
					t.Fatalf("report\n%+v\nwant\n%+v", *got, want)
				}
				if got.OK() != (len(want.Changed)+len(want.Missing)+len(want.Extra) == 0) {
					t.Fatalf("OK() = %v for %+v", got.OK(), *got)
				}
			})
		}
	}
}

// afterRacyWindow is a clock far enough ahead that every file counts as
// changed long ago, so the stat cache records files just written.
func afterRacyWindow() time.Time { return time.Now().Add(time.Hour) }

// past waits until a change made now gets another ctime than the changes
// before: file systems stamp times with a coarse clock (a few milliseconds).
func past(t *testing.T) {
	t.Helper()
	time.Sleep(30 * time.Millisecond)
}

func TestTreeNotThere(t *testing.T) {
	if _, err := Tree(context.Background(), filepath.Join(t.TempDir(), "gone"), manifest.Manifest{}); err == nil {
		t.Fatal("no error for a tree that does not exist")
	}
}

func TestTreeCanceled(t *testing.T) {
	dir, m := makeTree(t, map[string]string{"a": "a", "b": "b"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Tree(ctx, dir, m); err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestDifferences(t *testing.T) {
	r := TreeReport{
		Changed: []Change{{Path: "a", What: "content"}, {Path: "a", What: "mode"}, {Path: "b", What: "mode"}},
		Missing: []string{"c"},
		Extra:   []string{"d", "e"},
	}
	if n := r.Differences(); n != 5 {
		t.Fatalf("Differences() = %d, want 5 paths", n)
	}
}

// norm makes nil and empty lists compare equal.
func norm(r TreeReport) TreeReport {
	if len(r.Changed) == 0 {
		r.Changed = nil
	}
	if len(r.Missing) == 0 {
		r.Missing = nil
	}
	if len(r.Extra) == 0 {
		r.Extra = nil
	}
	return r
}

func write(t *testing.T, p, content string, perm fs.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
}

func rm(t *testing.T, p string) {
	t.Helper()
	if err := os.RemoveAll(p); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkTree hashes a tree with one worker and with one per CPU. The
// tree is synthetic (about 3,000 files and 90 MB, sized like a Go tree's
// mix of many small sources and a few big binaries) unless
// GOVER_BENCH_RECORD names a real install record (versions/go1.22.5.json),
// whose tree beside it is used:
//
//	GOVER_BENCH_RECORD=$GOVER_ROOT/versions/go1.22.5.json go test ./verify -run - -bench Tree -benchtime 5x
func BenchmarkTree(b *testing.B) {
	dir, m := benchTree(b)
	var size int64
	for _, f := range m.Files {
		size += f.Size
	}
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				r, err := tree(context.Background(), dir, m, TreeOptions{}, workers)
				if err != nil {
					b.Fatal(err)
				}
				if !r.OK() {
					b.Fatalf("the tree differs from its record: %d paths", r.Differences())
				}
			}
		})
	}
}

func benchTree(b *testing.B) (string, manifest.Manifest) {
	if rec := os.Getenv("GOVER_BENCH_RECORD"); rec != "" {
		data, err := os.ReadFile(rec)
		if err != nil {
			b.Fatal(err)
		}
		var r struct {
			Manifest manifest.Manifest `json:"manifest"`
		}
		if err := json.Unmarshal(data, &r); err != nil {
			b.Fatal(err)
		}
		return rec[:len(rec)-len(".json")], r.Manifest
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	files := map[string]string{}
	for i := range 3000 {
		files[fmt.Sprintf("src/pkg%d/file%d.go", i%300, i)] = string(randBytes(rnd, 2<<10+rnd.IntN(24<<10)))
	}
	for i := range 4 {
		files[fmt.Sprintf("bin/tool%d", i)] = string(randBytes(rnd, 12<<20))
	}
	return makeTree(b, files)
}

func randBytes(rnd *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rnd.Uint32())
	}
	return b
}
