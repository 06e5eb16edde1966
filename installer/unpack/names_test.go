package unpack

import (
	"archive/zip"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestRelPath(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		dir    bool
		want   string
		err    string // substring of the refusal; "" for none
	}{
		{name: "go/bin/go", prefix: "go/", want: "bin/go"},
		{name: "go/src/", prefix: "go/", dir: true, want: "src"},
		{name: "go/", prefix: "go/", dir: true, want: ""},
		{name: "go", prefix: "go/", dir: true, want: ""},
		{name: "a/b", prefix: "", want: "a/b"},
		{name: "m@v1/_go.mod", prefix: "m@v1/", want: "_go.mod"},
		{name: "go/", prefix: "go/", err: "empty path element"},
		{name: "go", prefix: "go/", err: "outside go/"},
		{name: "", prefix: "go/", err: "empty name"},
		{name: "/etc/passwd", prefix: "", err: "absolute path"},
		{name: "/go/x", prefix: "go/", err: "absolute path"},
		{name: "go/../evil", prefix: "go/", err: `".." element`},
		{name: "go/a/../../evil", prefix: "go/", err: `".." element`},
		{name: "..", prefix: "", err: `".." element`},
		{name: "go/./x", prefix: "go/", err: `"." element`},
		{name: "go//x", prefix: "go/", err: "empty path element"},
		{name: "go/x//", prefix: "go/", dir: true, err: "empty path element"},
		{name: `go\..\evil`, prefix: "go/", err: "backslash"},
		{name: "go/a\x00b", prefix: "go/", err: "NUL"},
		{name: "go/a\nb", prefix: "go/", err: "control character"},
		{name: "C:/evil", prefix: "", err: "drive letter"},
		{name: "c:evil", prefix: "", err: "drive letter"},
		{name: "go/x:stream", prefix: "go/", err: "colon"},
		{name: "evil.txt", prefix: "go/", err: "outside go/"},
		{name: "other/x", prefix: "go/", err: "outside go/"},
		{name: "gox/file", prefix: "go/", err: "outside go/"},
		{name: "other/", prefix: "go/", dir: true, err: "outside go/"},
	}
	for _, tt := range tests {
		got, err := relPath(tt.name, tt.prefix, tt.dir)
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("relPath(%q, %q, %v) = %q, %v; want %q", tt.name, tt.prefix, tt.dir, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrUnsafePath) {
			t.Errorf("relPath(%q, %q, %v) = %q, %v; want an unsafe-path error saying %q", tt.name, tt.prefix, tt.dir, got, err, tt.err)
		}
	}
}

func TestCheckTarget(t *testing.T) {
	tests := []struct {
		rel, target string
		ok          bool
	}{
		{"lib/link", "../src/a", true},
		{"link", "src/a/", true},
		{"a/b/link", "../../x", true},
		{"a/b/link", "./../.././x", true},
		{"link", ".", true},
		{"link", "..", false},
		{"a/link", "../..", false},
		{"a/link", "x/../../..", false},
		{"link", "/etc/passwd", false},
		{"link", "", false},
		{"link", `..\..\x`, false},
		{"link", "C:/x", false},
		{"link", "a\x00b", false},
		{"link", strings.Repeat("a/", maxTarget), false},
	}
	for _, tt := range tests {
		err := checkTarget(tt.rel, tt.target)
		if tt.ok != (err == nil) {
			t.Errorf("checkTarget(%q, %q) = %v, want ok=%v", tt.rel, tt.target, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrUnsafePath) {
			t.Errorf("checkTarget(%q, %q) = %v, not ErrUnsafePath", tt.rel, tt.target, err)
		}
	}
}

func TestFold(t *testing.T) {
	same := [][2]string{
		{"README", "readme"},
		{"src/Foo.go", "SRC/foo.GO"},
		{"kelvin", "\u212aelvin"}, // KELVIN SIGN folds to k
		{"straße", "STRAßE"},
		{"ſ", "S"}, // LATIN SMALL LETTER LONG S folds to s
	}
	for _, p := range same {
		if fold(p[0]) != fold(p[1]) {
			t.Errorf("fold(%q) = %q, fold(%q) = %q; want equal", p[0], fold(p[0]), p[1], fold(p[1]))
		}
		if !strings.EqualFold(p[0], p[1]) {
			t.Errorf("test case %q, %q: strings.EqualFold disagrees", p[0], p[1])
		}
	}
	differ := [][2]string{{"a", "b"}, {"go.mod", "_go.mod"}, {"straße", "strasse"}}
	for _, p := range differ {
		if fold(p[0]) == fold(p[1]) {
			t.Errorf("fold(%q) == fold(%q) = %q; want different", p[0], p[1], fold(p[0]))
		}
	}
}

func TestModuleConventions(t *testing.T) {
	renames := map[string]string{
		"_go.mod":              "go.mod",
		"src/cmd/_go.mod":      "src/cmd/go.mod",
		"src/cmd/x_go.mod":     "src/cmd/x_go.mod",
		"src/_go.mod/x":        "src/_go.mod/x",
		"go.mod":               "go.mod",
		"src/vendor/_go.modx":  "src/vendor/_go.modx",
		"misc/_go.mod/_go.mod": "misc/_go.mod/go.mod",
	}
	for in, want := range renames {
		if got := moduleRel(in); got != want {
			t.Errorf("moduleRel(%q) = %q, want %q", in, got, want)
		}
	}
	// distpack's mode function, which wrote the genuine zips' modes.
	perms := map[string]fs.FileMode{
		"bin/go":                       0o755,
		"bin/gofmt":                    0o755,
		"pkg/tool/linux_amd64/compile": 0o755,
		"pkg/tool/linux_amd64/vet":     0o755,
		"pkg/tool/README":              0o755,
		"pkg/include/asm.h":            0o644,
		"src/cmd/go/main.go":           0o644,
		"src/make.bash":                0o755,
		"src/all.rc":                   0o755,
		"lib/time/update.bash":         0o755,
		"lib/wasm/go_js_wasm_exec":     0o755,
		"lib/wasm/go_wasip1_wasm_exec": 0o755,
		"lib/wasm/go__x_exec":          0o644,
		"src/cmd/go/testdata/x.sh.txt": 0o644,
		"binary":                       0o644,
	}
	for rel, want := range perms {
		if got := modulePerm(rel); got != want {
			t.Errorf("modulePerm(%q) = %o, want %o", rel, got, want)
		}
	}
}

func TestFilePerm(t *testing.T) {
	plain, module := config{}, config{module: true}
	tests := []struct {
		cfg     config
		rel     string
		perm    uint32
		hasPerm bool
		want    uint32
	}{
		{plain, "bin/go", 0o755, true, 0o755},
		{plain, "bin/go", 0o4755, true, 0o755}, // as a tar header gives it: setuid is dropped
		{plain, "x", 0o664, true, 0o644},
		{plain, "x", 0o700, true, 0o755},
		{plain, "x", 0o777, true, 0o755},
		{plain, "bin/go", 0, false, 0o644},
		{plain, "x", 0, true, 0o644},
		{module, "bin/go", 0, false, 0o755},
		{module, "pkg/tool/linux_amd64/vet", 0, false, 0o755},
		{module, "src/x.go", 0, false, 0o644},
		{module, "src/x.go", 0o755, true, 0o644}, // the zip's modes are not proven: ignored
		{module, "bin/go", 0o644, true, 0o755},
	}
	for _, tt := range tests {
		got := tt.cfg.filePerm(tt.rel, fs.FileMode(tt.perm), tt.hasPerm)
		if uint32(got) != tt.want {
			t.Errorf("filePerm(module=%v, %q, %o, %v) = %o, want %o", tt.cfg.module, tt.rel, tt.perm, tt.hasPerm, got, tt.want)
		}
	}
}

func TestBigFirstAndBatch(t *testing.T) {
	entry := func(name string, size uint64) *zipEntry {
		return &zipEntry{rel: name, f: &zip.File{FileHeader: zip.FileHeader{UncompressedSize64: size}}}
	}
	work := []*zipEntry{entry("a/1", 10), entry("bin/go", 2<<20), entry("a/2", 5), entry("pkg/tool/compile", 19<<20),
		entry("bin/gofmt", 1<<20), entry("b/1", 7), entry("b/2", 7)}
	for i := range runOf + 1 {
		work = append(work, entry(fmt.Sprintf("big/%d", i), 1))
	}
	var got []string
	for _, b := range batch(bigFirst(work)) {
		var names []string
		for _, e := range b {
			names = append(names, e.rel)
		}
		got = append(got, fmt.Sprintf("%s..%s(%d)", names[0], names[len(names)-1], len(names)))
	}
	want := []string{"pkg/tool/compile..pkg/tool/compile(1)", "bin/go..bin/go(1)", "bin/gofmt..bin/gofmt(1)",
		"a/1..a/2(2)", "b/1..b/2(2)", fmt.Sprintf("big/0..big/%d(%d)", runOf-1, runOf), fmt.Sprintf("big/%d..big/%d(1)", runOf, runOf)}
	if !slices.Equal(got, want) {
		t.Errorf("batches\n%q\nwant\n%q", got, want)
	}
}

func TestSatAdd(t *testing.T) {
	if got := satAdd(math.MaxInt64-1, 10); got != math.MaxInt64 {
		t.Errorf("satAdd near the top = %d", got)
	}
	if got := satAdd(4<<30, 1<<20); got != 4<<30+1<<20 {
		t.Errorf("satAdd(4 GiB, 1 MiB) = %d", got)
	}
}
