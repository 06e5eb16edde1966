package selection

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/paths"
)

// tree writes files (relative path → content) under a temp dir and returns it.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func envOf(kv ...string) func(string) string {
	return func(k string) string {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == k {
				return kv[i+1]
			}
		}
		return ""
	}
}

func TestFind(t *testing.T) {
	for _, tt := range []struct {
		name   string
		files  map[string]string
		env    []string
		dir    string // where to look from, relative to the tree
		kind   Kind
		want   string // Requested()
		origin string // relative to the tree; "" for none
		min    bool
	}{
		{"go-version three levels up", map[string]string{".go-version": "1.22.5\n", "a/b/c/x": ""}, nil, "a/b/c", GoVersion, "go1.22.5", ".go-version", false},
		{"go prefix, BOM, CRLF, comments", map[string]string{".go-version": "\uFEFF# pinned for CI\r\n\r\n  go1.21.13 \r\n"}, nil, ".", GoVersion, "go1.21.13", ".go-version", false},
		{"line word", map[string]string{".go-version": "1.22"}, nil, ".", GoVersion, "go1.22.x", ".go-version", false},
		{"system", map[string]string{".go-version": "system"}, nil, ".", GoVersion, "system", ".go-version", false},
		{"env wins", map[string]string{".go-version": "1.22.5"}, []string{"GOVER_VERSION", "1.21.0"}, ".", Env, "go1.21.0", "GOVER_VERSION", false},
		{"go-version beats nearer tool-versions", map[string]string{".go-version": "1.22.5", "p/.tool-versions": "golang 1.21.0\n"}, nil, "p", GoVersion, "go1.22.5", ".go-version", false},
		{"tool-versions golang", map[string]string{".tool-versions": "nodejs 20.1.0\ngolang 1.21.13 1.20\n"}, nil, ".", ToolVersions, "go1.21.13", ".tool-versions", false},
		{"tool-versions go (mise)", map[string]string{".tool-versions": "go 1.22.5 # comment\n"}, nil, ".", ToolVersions, "go1.22.5", ".tool-versions", false},
		{"tool-versions without go is skipped", map[string]string{".tool-versions": "golang 1.20.1", "p/.tool-versions": "nodejs 20\n"}, nil, "p", ToolVersions, "go1.20.1", ".tool-versions", false},
		{"go.mod toolchain", map[string]string{"go.mod": "module x\n\ngo 1.22.0\n\ntoolchain go1.22.5 // pinned\n", "pkg/a.go": ""}, nil, "pkg", GoMod, "go1.22.5", "go.mod", false},
		{"go.mod go line is a minimum", map[string]string{"go.mod": "module x\ngo 1.22.0\n"}, nil, ".", GoMod, "go1.22.0 or newer", "go.mod", true},
		{"go.mod go line with GOVER_GOMOD=go", map[string]string{"go.mod": "module x\ngo 1.22.3\n"}, []string{"GOVER_GOMOD", "go"}, ".", GoMod, "go1.22.3 or newer", "go.mod", true},
		{"GOVER_GOMOD=off reads no go.mod", map[string]string{"go.mod": "module x\ngo 1.22.3\ntoolchain go1.22.5\n"}, []string{"GOVER_GOMOD", "off"}, ".", None, "", "", false},
		{"toolchain default", map[string]string{"go.mod": "module x\ntoolchain default\n"}, nil, ".", None, "", "", false},
		{"go.work wins over go.mod", map[string]string{"go.work": "go 1.22\ntoolchain go1.22.6\nuse ./m\n", "m/go.mod": "module m\ntoolchain go1.21.0\n"}, nil, "m", GoWork, "go1.22.6", "go.work", false},
		{"go.work without toolchain hides go.mod", map[string]string{"go.work": "go 1.22\nuse ./m\n", "m/go.mod": "module m\ntoolchain go1.23.0\n"}, nil, "m", GoWork, "go1.22 or newer", "go.work", true},
		{"go.work without lines hides go.mod", map[string]string{"go.work": "use ./m\n", "m/go.mod": "module m\ntoolchain go1.23.0\n"}, nil, "m", None, "", "", false},
		{"GOWORK=off uses go.mod", map[string]string{"go.work": "go 1.22\ntoolchain go1.22.6\n", "m/go.mod": "module m\ntoolchain go1.21.0\n"}, []string{"GOWORK", "off"}, "m", GoMod, "go1.21.0", "m/go.mod", false},
		{"require block is not a go line", map[string]string{"go.mod": "module x\nrequire (\n\tgo 1.22.0\n\ttoolchain go1.22.5\n)\n"}, nil, ".", None, "", "", false},
		{"multi-line go-version", map[string]string{".go-version": "1.21.0\n1.22.5\n"}, nil, ".", GoVersion, "go1.21.0", ".go-version", false},
		{"range", map[string]string{".go-version": ">= 1.22.0 <1.24\n"}, nil, ".", GoVersion, ">= 1.22.0 <1.24", ".go-version", false},
		{"v prefix", map[string]string{".go-version": "v1.22.5\n"}, nil, ".", GoVersion, "go1.22.5", ".go-version", false},
		{"setup-go pre-release", map[string]string{".go-version": "1.23.0-rc.1\n"}, nil, ".", GoVersion, "go1.23rc1", ".go-version", false},
		{"asdf latest:", map[string]string{".tool-versions": "golang latest:1.22\n"}, nil, ".", ToolVersions, "go1.22.x", ".tool-versions", false},
		{"nothing", map[string]string{"x": ""}, nil, ".", None, "", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, tt.files)
			s, err := Find(filepath.Join(root, tt.dir), Options{Getenv: envOf(tt.env...)})
			if err != nil {
				t.Fatal(err)
			}
			if s.Kind != tt.kind {
				t.Fatalf("kind = %v, want %v (%+v)", s.Kind, tt.kind, s)
			}
			if tt.kind == None {
				return
			}
			origin := tt.origin
			if origin != "GOVER_VERSION" {
				origin = filepath.Join(root, filepath.FromSlash(origin))
			}
			if s.Requested() != tt.want || s.Origin != origin || s.Minimum() != tt.min {
				t.Fatalf("got %q from %s (min %v), want %q from %s (min %v)", s.Requested(), s.Origin, s.Minimum(), tt.want, origin, tt.min)
			}
		})
	}
}

func TestFindGlobal(t *testing.T) {
	root := tree(t, map[string]string{"global": "1.21.13\n", "p/x": ""})
	s, err := Find(filepath.Join(root, "p"), Options{Getenv: envOf(), GlobalFile: filepath.Join(root, "global")})
	if err != nil || s.Kind != Global || s.Requested() != "go1.21.13" {
		t.Fatalf("Find = %+v, %v; want the global file's go1.21.13", s, err)
	}
}

// A malformed pin file is an error that names the file and quotes the content;
// it never falls through to the next rule.
func TestFindMalformed(t *testing.T) {
	for _, tt := range []struct {
		name  string
		files map[string]string
		env   []string
		want  []string
	}{
		{"bad word", map[string]string{".go-version": "1.22.x.y\n", ".tool-versions": "golang 1.21.0"}, nil, []string{".go-version:1", `"1.22.x.y"`, "not a Go version", "gover use"}},
		{"a word after system", map[string]string{".go-version": "system\n1.21.0\n"}, nil, []string{".go-version:2", `"1.21.0"`, "system ends the list"}},
		{"bad fallback", map[string]string{".go-version": "1.22.5\n1.21.0.0\n"}, nil, []string{".go-version:2", `"1.21.0.0"`, "not a Go version"}},
		{"bad range", map[string]string{".go-version": "^1.x.2\n"}, nil, []string{".go-version:1", `"^1.x.2"`, "not a Go version: \"1.x.2\" has a number after a wildcard"}},
		{"empty", map[string]string{".go-version": "# nothing\n\n"}, nil, []string{".go-version", "holds no version"}},
		{"tool-versions without version", map[string]string{".tool-versions": "golang\n"}, nil, []string{".tool-versions:1", "names no version"}},
		{"tool-versions ref", map[string]string{".tool-versions": "golang ref:abc\n"}, nil, []string{"ref:abc", "not supported"}},
		{"toolchain without go prefix", map[string]string{"go.mod": "module x\ntoolchain 1.22.5\n"}, nil, []string{"go.mod:2", `"1.22.5"`, "not a toolchain name", "edit line 2 of go.mod", "delete the line"}},
		{"toolchain banana", map[string]string{"go.mod": "module x\n\ngo 1.21\n\ntoolchain banana\n"}, nil, []string{"go.mod:5", `"banana"`, "edit line 5 of go.mod"}},
		{"toolchain with a path", map[string]string{"go.mod": "module x\ngo 1.21\ntoolchain go1.999999-/run.sh\n"}, nil, []string{"go.mod:3", "not a toolchain name"}},
		{"toolchain a language version", map[string]string{"go.mod": "module x\ngo 1.14\ntoolchain go1.22\n"}, nil, []string{"go.mod:3", "language version", "go1.22.0", "edit line 3"}},
		{"GOWORK relative", map[string]string{"go.mod": "module x\n"}, []string{"GOWORK", "rel/go.work"}, []string{"GOWORK", `"rel/go.work"`, "not an absolute path", "set GOWORK to an absolute path, or to off"}},
		{"GOVER_GOMOD typo", map[string]string{"go.mod": "module x\n"}, []string{"GOVER_GOMOD", "of"}, []string{"GOVER_GOMOD", `"of"`, "unset GOVER_GOMOD"}},
		{"bad env", nil, []string{"GOVER_VERSION", "nope"}, []string{"GOVER_VERSION", `"nope"`, "gover shell --unset"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, tt.files)
			_, err := Find(root, Options{Getenv: envOf(tt.env...)})
			var pe *PinError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a *PinError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

// A go line the go command cannot read either does not break the shim:
// it is ignored when choosing, as the go command ignores it.
func TestFindIgnoresBadGoLine(t *testing.T) {
	root := tree(t, map[string]string{"go.mod": "module x\ngo banana\n"})
	if s, err := Find(root, Options{Getenv: envOf()}); err != nil || s.Found() {
		t.Fatalf("Find = %+v, %v; want nothing selected and no error", s, err)
	}
}

func TestResolve(t *testing.T) {
	installed := []string{"go1.21.13", "go1.22.0", "go1.22.5", "go1.23rc1", "go1.20", "go1.24.2", "go1.26.1"}
	sel := func(words ...string) Selection {
		s := Selection{Kind: GoVersion, Word: goversion.MustParse(words[0]), Origin: "/p/.go-version"}
		for _, w := range words[1:] {
			s.Fallbacks = append(s.Fallbacks, goversion.MustParse(w))
		}
		return s
	}
	min := func(goLine string) Selection {
		w, err := goversion.MinimumOf(goLine)
		if err != nil {
			t.Fatal(err)
		}
		return Selection{Kind: GoMod, Word: w, Origin: "/p/go.mod"}
	}
	for _, tt := range []struct {
		s    Selection
		want string
	}{
		{sel("1.22.5"), "go1.22.5"},
		{sel("1.22"), "go1.22.5"},
		{sel("latest"), "go1.26.1"},
		{sel("oldstable"), ""},
		{sel("1.23rc1"), "go1.23rc1"},
		{sel("1.20"), "go1.20"},
		{sel("^1.21"), "go1.26.1"},
		{sel("~1.22.1"), "go1.22.5"},
		{sel(">=1.22.0 <1.24.0"), "go1.22.5"},
		// Fallbacks: the first installed wins.
		{sel("1.21.0", "1.22.5"), "go1.22.5"},
		{sel("1.21.13", "1.22.5"), "go1.21.13"},
		{sel("1.25", "1.24", "1.22"), "go1.24.2"},
		// A go line: the newest of its own line, else the closest newer line.
		{min("1.22.1"), "go1.22.5"},
		{min("1.22.0"), "go1.22.5"},
		{min("1.21"), "go1.21.13"},
		{min("1.23.0"), "go1.24.2"},
		{min("1.25.0"), "go1.26.1"},
		{min("1.27.0"), ""},
		{sel("1.22.4"), ""},
		{sel("1.19"), ""},
		{sel("1.23"), ""},
		{sel("1.21.0", "1.22.4"), ""},
	} {
		got, err := Resolve(tt.s, installed)
		if tt.want == "" {
			var ne *paths.NotInstalledError
			if !errors.As(err, &ne) {
				t.Errorf("Resolve(%s) = %q, %v; want NotInstalledError", tt.s.Requested(), got, err)
				continue
			}
			if !strings.Contains(err.Error(), tt.s.Origin) || !strings.Contains(err.Error(), "gover install") {
				t.Errorf("error %q should name the file and the command", err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Resolve(%s %v) = %q, %v; want %q", tt.s.Requested(), tt.s.Fallbacks, got, err, tt.want)
		}
	}
}

// The messages for what is not installed name every word tried and what
// to install.
func TestNotInstalledMessages(t *testing.T) {
	min, _ := goversion.MinimumOf("1.23.0")
	lang, _ := goversion.MinimumOf("1.23")
	for _, tt := range []struct {
		s    Selection
		want string
	}{
		{Selection{Word: goversion.MustParse("1.21.0"), Fallbacks: []goversion.Word{goversion.MustParse("1.22.5")}, Origin: "/p/.tool-versions"},
			"go1.21.0 or go1.22.5 (set by /p/.tool-versions) is not installed (run 'gover install 1.21.0')"},
		{Selection{Word: min, Origin: "/p/go.mod"}, "go1.23.0 or newer (minimum from /p/go.mod) is not installed (run 'gover install 1.23.0')"},
		{Selection{Word: lang, Origin: "/p/go.mod"}, "go1.23 or newer (minimum from /p/go.mod) is not installed (run 'gover install 1.23')"},
		{Selection{Word: goversion.MustParse("^1.21"), Origin: "/p/.go-version"}, "^1.21 (set by /p/.go-version) is not installed (run 'gover install ^1.21')"},
	} {
		if got := tt.s.NotInstalled().Error(); got != tt.want {
			t.Errorf("got  %q\nwant %q", got, tt.want)
		}
	}
}

func TestResolveIn(t *testing.T) {
	root := tree(t, map[string]string{
		"go1.22.5/bin/go":          "",
		"go1.22.0/bin/go":          "",
		".go1.22.9.tmp-1/bin/go":   "",
		"go1.22.7.windows-amd64/x": "",
		"go1.22.5.json":            "{}",
		"go1.22.8.json":            "{}",
	})
	s := Selection{Kind: GoVersion, Word: goversion.MustParse("1.22"), Origin: "x"}
	if v, err := ResolveIn(s, paths.Layout{Versions: root}); err != nil || v != "go1.22.5" {
		t.Fatalf("ResolveIn(1.22) = %q, %v; want go1.22.5 (temp and foreign trees ignored)", v, err)
	}
	s.Word = goversion.MustParse("1.22.8")
	if _, err := ResolveIn(s, paths.Layout{Versions: root}); err == nil {
		t.Fatal("a record without its folder must not count as installed")
	}
}
