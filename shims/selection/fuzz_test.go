package selection

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/mod/modfile"

	"github.com/goverdev/gover/internal/goversion"
)

// Pin files are read by the shim on every go call, so no input may crash
// it, and every refusal must be a one-line *PinError naming the file.

func checkRefusal(t *testing.T, file string, err error) {
	t.Helper()
	var pe *PinError
	if !errors.As(err, &pe) || pe.File != file {
		t.Fatalf("error %v (%T) is not a *PinError naming %s", err, err, file)
	}
	if strings.ContainsAny(err.Error(), "\n\r") {
		t.Fatalf("error is not one line: %q", err.Error())
	}
}

func FuzzGoVersionFile(f *testing.F) {
	for _, s := range []string{"1.22.5\n", "\uFEFF# pinned\r\n\r\n  go1.21.13 \r\n", "system", "1.22", "1.22.x", "latest",
		"1.22.5 # why\n", "1.22.5#x", "", "\n\n", "1.22.5\n1.21.0\n", "go1.23rc1", "\x00", "1.22.5\r", "# only a comment"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "/p/.go-version"
		s, err := parseGoVersion(GoVersion, file, data)
		if err != nil {
			checkRefusal(t, file, err)
			return
		}
		if s.Kind != GoVersion || s.Origin != file || s.Minimum() {
			t.Fatalf("selection %+v", s)
		}
		// Accepted: each line left once comments and blanks go is one
		// word, in order; "system" ends the list.
		var words []string
		for _, l := range lines(data) {
			if l != "" {
				words = append(words, l)
			}
		}
		if s.System {
			if words[0] != "system" || len(words) != 1 {
				t.Fatalf("%q read as system", data)
			}
			return
		}
		got := s.Words()
		if s.ElseSystem {
			if words[len(words)-1] != "system" {
				t.Fatalf("%q read as ending with system", data)
			}
			words = words[:len(words)-1]
		}
		if len(got) != len(words) {
			t.Fatalf("%q read as %d words, holds %d", data, len(got), len(words))
		}
		for i, word := range words {
			if w, err := goversion.Parse(word); err != nil || w != got[i] {
				t.Fatalf("%q read as %+v; the word %q parses as %+v, %v", data, got[i], word, w, err)
			}
		}
	})
}

func FuzzToolVersions(f *testing.F) {
	for _, s := range []string{"golang 1.21.13 1.20\n", "nodejs 20.1.0\ngolang 1.22.5\n", "go 1.22.5 # mise\n", "golang\n",
		"golang ref:abc\n", "golang path:/x\n", "golang system\n", "#golang 1.2\n", "golang 1.22.5#c", "golang\t1.22.5\r\n", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "/p/.tool-versions"
		s, err := parseToolVersions(ToolVersions, file, data)
		if err != nil {
			checkRefusal(t, file, err)
			return
		}
		if !s.Found() {
			for _, l := range lines(data) {
				if f := strings.Fields(l); len(f) > 0 && (f[0] == "golang" || f[0] == "go") {
					t.Fatalf("%q has a Go line %q but selects nothing", data, l)
				}
			}
			return
		}
		if s.Kind != ToolVersions || s.Origin != file {
			t.Fatalf("selection %+v", s)
		}
	})
}

// modSeeds are go.mod and go.work shapes, including the blocks in which
// "toolchain" or "go" is a module path or tool name rather than a directive.
var modSeeds = []string{
	"module m\n\ngo 1.22.0\n\ntoolchain go1.22.5 // pinned\n",
	"module m\ngo 1.22\n",
	"module m\ngo 1.21\ntoolchain default\n",
	"module m\r\ngo 1.21\r\ntoolchain\tgo1.21.3\r\n",
	"module m\ngo 1.21\ntoolchain go1.21.0-custom\n",
	"module m\ngo 1.21\ntoolchain go1.23rc1\n",
	"module m\n\nrequire (\n\ttoolchain v1.0.0\n)\n",
	"module m\n\nrequire (\n\tgo v1.0.0\n)\n",
	"module m\n\ntool (\n\ttoolchain\n)\n",
	"module m\n\nreplace (\n\ttoolchain => ./x\n)\n",
	"module m\n\nrequire ( // deps\n\tx.org/y v1.0.0\n)\ntoolchain go1.22.5\n",
	"module m\ngo 1.22 // comment\n",
	"module \"m//x\"\ngo 1.22\n",
	"go 1.22.5\n\nuse (\n\t./a\n\t./b\n)\n\ntoolchain go1.22.6\n",
	"go 1.22\nuse ./toolchain\n",
}

func FuzzModFile(f *testing.F) {
	for _, s := range modSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "/p/go.mod"
		m, err := parseModFile(GoMod, file, data)
		if err != nil {
			checkRefusal(t, file, err)
		}
		mf, merr := modfile.Parse(file, data, nil)
		if merr != nil {
			return // the go command refuses it too: gover only must not crash
		}
		var tc, gov string
		if mf.Toolchain != nil {
			tc = mf.Toolchain.Name
		}
		if mf.Go != nil {
			gov = mf.Go.Version
		}
		compareModFile(t, data, m, err, tc, gov)
	})
}

func FuzzWorkFile(f *testing.F) {
	for _, s := range modSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const file = "/p/go.work"
		m, err := parseModFile(GoWork, file, data)
		if err != nil {
			checkRefusal(t, file, err)
		}
		wf, werr := modfile.ParseWork(file, data, nil)
		if werr != nil {
			return
		}
		var tc, gov string
		if wf.Toolchain != nil {
			tc = wf.Toolchain.Name
		}
		if wf.Go != nil {
			gov = wf.Go.Version
		}
		compareModFile(t, data, m, err, tc, gov)
	})
}

// compareModFile checks gover's reading of a file golang.org/x/mod/modfile
// accepts against modfile's toolchain (tc) and go (gov) values.
func compareModFile(t *testing.T, data []byte, m *Module, err error, tc, gov string) {
	t.Helper()
	if err != nil {
		// gover refuses only a toolchain name the go command's switch
		// refuses too.
		if tc == "" || tc == "default" || toolchainVersion(tc) != "" {
			t.Fatalf("%q: modfile reads toolchain %q, gover refuses the file: %v", data, tc, err)
		}
		return
	}
	if m.Toolchain != tc {
		t.Fatalf("%q: modfile reads toolchain %q, gover %q", data, tc, m.Toolchain)
	}
	want := ""
	if w, err := goversion.MinimumOf(gov); err == nil {
		want = w.Version
	}
	if m.Go.Version != want {
		t.Fatalf("%q: modfile reads go %q, gover the minimum %q", data, gov, m.Go.Version)
	}
	if m.Go.Version != "" && m.Go.Kind != goversion.AtLeast {
		t.Fatalf("%q: go line read as %+v, not a minimum", data, m.Go)
	}
}
