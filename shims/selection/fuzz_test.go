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
		if s.Kind != GoVersion || s.Origin != file || s.Minimum {
			t.Fatalf("selection %+v", s)
		}
		// Accepted: exactly one word remains once comments and blanks go,
		// and it is that word.
		var words []string
		for _, l := range lines(data) {
			if l != "" {
				words = append(words, l)
			}
		}
		if len(words) != 1 {
			t.Fatalf("accepted %q, which holds %d words", data, len(words))
		}
		if s.System {
			if words[0] != "system" {
				t.Fatalf("%q read as system", data)
			}
			return
		}
		if w, err := goversion.Parse(words[0]); err != nil || w != s.Word {
			t.Fatalf("%q read as %+v; the word %q parses as %+v, %v", data, s.Word, words[0], w, err)
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
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, goLine bool) {
		const file = "/p/go.mod"
		s, err := parseModFile(GoMod, file, data, goLine)
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
		compareModFile(t, data, goLine, s, err, tc, gov)
	})
}

func FuzzWorkFile(f *testing.F) {
	for _, s := range modSeeds {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, goLine bool) {
		const file = "/p/go.work"
		s, err := parseModFile(GoWork, file, data, goLine)
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
		compareModFile(t, data, goLine, s, err, tc, gov)
	})
}

// compareModFile checks gover's reading of a file golang.org/x/mod/modfile
// accepts against modfile's toolchain (tc) and go (gov) values.
func compareModFile(t *testing.T, data []byte, goLine bool, s Selection, err error, tc, gov string) {
	t.Helper()
	if tc != "" && tc != "default" {
		// A toolchain line: gover selects exactly it, or refuses a name
		// it cannot install.
		w, perr := goversion.Parse(tc)
		installable := perr == nil && w.Kind == goversion.Exact && strings.HasPrefix(tc, "go")
		switch {
		case err != nil && installable:
			t.Fatalf("%q: modfile reads toolchain %s, gover refuses it: %v", data, tc, err)
		case err == nil && (!s.Found() || s.Minimum || s.Word.Version != w.Version):
			t.Fatalf("%q: modfile reads toolchain %s, gover selects %+v", data, tc, s)
		}
		return
	}
	if !goLine || gov == "" {
		if err != nil || s.Found() {
			t.Fatalf("%q: modfile reads no toolchain (go %q), gover gives %+v, %v", data, gov, s, err)
		}
		return
	}
	// No toolchain line; the go line is a minimum.
	w, perr := goversion.Parse(gov)
	if perr != nil || w.Kind == goversion.Latest {
		if err == nil {
			t.Fatalf("%q: go %s is no version gover can use, yet it selects %+v", data, gov, s)
		}
		return
	}
	if err != nil || !s.Minimum || s.Word != w {
		t.Fatalf("%q: modfile reads go %s, gover gives %+v, %v", data, gov, s, err)
	}
}
