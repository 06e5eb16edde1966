package selection

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/testdist"
)

// moduleCases are go.mod/go.work lines × a global version, with what gover
// runs. They are cmd/go's own cases (gotoolchain_local.txt,
// gotoolchain_issue66175.txt, mod_toolchain_slash.txt) with real-looking
// versions; TestModuleChoiceMatchesCmdGo asks the real go command for its
// choice in each, and docs/SPEC.md's table is this one.
var moduleCases = []struct {
	name   string
	files  map[string]string
	global string   // the global version file's word; "" for none
	env    []string // GOWORK
	want   string   // Requested() of gover's choice; "error: …" for a refusal
	kind   Kind
	note   string // part of Selection.Note
}{
	{"go line, no global", mod("go 1.30.0"), "", nil, "go1.30.0 or newer", GoMod, ""},
	{"global satisfies the go line", mod("go 1.30.0"), "1.31.0", nil, "go1.31.0", Global, ""},
	{"global older than the go line", mod("go 1.30.0"), "1.29.0", nil, "go1.30.0 or newer", GoMod, ""},
	{"go line names a language version", mod("go 1.30"), "1.29.3", nil, "go1.30 or newer", GoMod, ""},
	{"go line names a pre-release", mod("go 1.30rc1"), "", nil, "go1.30rc1 or newer", GoMod, ""},
	{"toolchain older than the go line is ignored", mod("go 1.33.0", "toolchain go1.30.5"), "1.31.0", nil, "go1.33.0 or newer", GoMod, ""},
	{"toolchain older than the go line, no global", mod("go 1.26.8", "toolchain go1.22.5"), "", nil, "go1.26.8 or newer", GoMod, ""},
	{"toolchain newer than the global", mod("go 1.30.0", "toolchain go1.32.1"), "1.31.0", nil, "go1.32.1", GoMod, ""},
	{"global newer than the toolchain", mod("go 1.30.0", "toolchain go1.32.1"), "1.33.0", nil, "go1.33.0", Global, ""},
	{"toolchain default: the global, even below the go line", mod("go 1.34", "toolchain default"), "1.31.0", nil, "go1.31.0", Global, ""},
	{"toolchain default, go line older", mod("go 1.29", "toolchain default"), "1.31.0", nil, "go1.31.0", Global, ""},
	{"custom toolchain newer than both", mod("go 1.29", "toolchain go1.32.5-bigcorp"), "1.31.0", nil, "go1.32.5", GoMod, "go1.32.5-bigcorp, a custom build gover cannot install; go1.32.5 runs instead"},
	{"custom toolchain older than the go line", mod("go 1.33.1", "toolchain go1.32.5-bigcorp"), "1.31.0", nil, "go1.33.1 or newer", GoMod, ""},
	{"custom toolchain equal to the go line", mod("go 1.32.5", "toolchain go1.32.5-bigcorp"), "", nil, "go1.32.5", GoMod, "custom build"},
	{"toolchain go1.20 is a release", mod("go 1.14", "toolchain go1.20"), "", nil, "go1.20", GoMod, ""},
	{"toolchain go1.18 is a release", mod("go 1.14", "toolchain go1.18"), "", nil, "go1.18", GoMod, ""},
	{"toolchain go1.22 is a language version", mod("go 1.14", "toolchain go1.22"), "", nil, "error: language version", GoMod, ""},
	{"toolchain go1.22 below the go line is ignored", mod("go 1.22.0", "toolchain go1.22"), "", nil, "go1.22.0 or newer", GoMod, ""},
	{"toolchain with a path", mod("go 1.21", "toolchain go1.999999-/run.sh"), "", nil, "error: not a toolchain name", GoMod, ""},
	{"go.work wins over go.mod", map[string]string{"go.work": "go 1.31.0\ntoolchain go1.32.0\n", "m/go.mod": "module m\ngo 1.21\ntoolchain go1.33.0\n"}, "", nil, "go1.32.0", GoWork, ""},
	{"go.work without lines hides go.mod", map[string]string{"go.work": "use ./m\n", "m/go.mod": "module m\ngo 1.21\ntoolchain go1.33.0\n"}, "1.31.0", nil, "go1.31.0", Global, ""},
	{"go.work toolchain default", map[string]string{"go.work": "go 1.32.0\ntoolchain default\n", "m/go.mod": "module m\ntoolchain go1.33.0\n"}, "1.31.0", nil, "go1.31.0", Global, ""},
	{"GOWORK=off reads go.mod", map[string]string{"go.work": "go 1.31.0\ntoolchain go1.32.0\n", "m/go.mod": "module m\ngo 1.21\ntoolchain go1.33.0\n"}, "", []string{"GOWORK", "off"}, "go1.33.0", GoMod, ""},
	{"GOWORK naming a missing file reads go.mod", map[string]string{"go.work": "go 1.31.0\ntoolchain go1.32.0\n", "m/go.mod": "module m\ngo 1.21\ntoolchain go1.33.0\n"}, "", []string{"GOWORK", "/nonexistent/go.work"}, "go1.33.0", GoMod, ""},
	{"GOWORK relative", map[string]string{"go.work": "go 1.31.0\n", "m/go.mod": "module m\n"}, "", []string{"GOWORK", "rel/go.work"}, "error: GOWORK", GoMod, ""},
	{"no lines: the global", mod(), "1.31.0", nil, "go1.31.0", Global, ""},
	{"no lines, no global: nothing", mod(), "", nil, "", None, ""},
	{"unreadable go line is ignored", mod("go banana"), "1.31.0", nil, "go1.31.0", Global, ""},
}

func mod(lines ...string) map[string]string {
	return map[string]string{"m/go.mod": "module m\n\n" + strings.Join(lines, "\n") + "\n"}
}

// findCase runs Find for a case from its module folder.
func findCase(t *testing.T, root string, global string, env []string) (Selection, error) {
	t.Helper()
	opt := Options{Getenv: envOf(env...)}
	if global != "" {
		opt.GlobalFile = filepath.Join(root, "global")
		if err := os.WriteFile(opt.GlobalFile, []byte(global+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Find(filepath.Join(root, "m"), opt)
}

func TestModuleChoice(t *testing.T) {
	for _, tt := range moduleCases {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, tt.files)
			s, err := findCase(t, root, tt.global, tt.env)
			if want, ok := strings.CutPrefix(tt.want, "error: "); ok {
				var pe *PinError
				if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), want) {
					t.Fatalf("Find = %+v, %v; want a *PinError about %q", s, err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := s.Requested()
			if !s.Found() {
				got = ""
			}
			if got != tt.want || s.Kind != tt.kind {
				t.Fatalf("Find = %q (kind %v, %s), want %q (kind %v)", got, s.Kind, s.Describe(), tt.want, tt.kind)
			}
			if tt.note == "" && s.Note != "" || !strings.Contains(s.Note, tt.note) {
				t.Fatalf("note %q, want one saying %q", s.Note, tt.note)
			}
			if s.Kind == Global && s.Module == nil && tt.files["m/go.mod"] != "" {
				t.Errorf("a global selection weighed against go.mod does not carry it")
			}
		})
	}
}

// TestModuleChoiceMatchesCmdGo asks the go command itself, row by row:
// with GOTOOLCHAIN=<global>+auto (the global version as its minimum, as
// its local toolchain would be) and no way to download, it names the
// toolchain it would switch to. gover must choose the same release: for a
// go line, its release (cmd/go's go1.30.0 for "go 1.30"); for a custom
// build, the release it is built from.
func TestModuleChoiceMatchesCmdGo(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to compare with: %v", err)
	}
	switching := regexp.MustCompile(`go: downloading (\S+) \(|go version (\S+) `)
	for _, tt := range moduleCases {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, tt.files)
			// The go command always has a local toolchain; no global
			// version is one older than anything here.
			min := "go1.2"
			if tt.global != "" {
				min = "go" + tt.global
			}
			extra := []string{"GOTOOLCHAIN=" + min + "+auto", "GOPROXY=off"}
			for i := 0; i+1 < len(tt.env); i += 2 {
				extra = append(extra, tt.env[i]+"="+tt.env[i+1])
			}
			cmd := testdist.GoCommand(t, goBin, true, []string{"version"}, extra...)
			cmd.Dir = filepath.Join(root, "m")
			out, _ := cmd.CombinedOutput()
			var cmdGo string
			if m := switching.FindStringSubmatch(string(out)); m != nil {
				cmdGo = m[1] + m[2]
			}

			s, err := findCase(t, root, tt.global, tt.env)
			if strings.HasPrefix(tt.want, "error: ") {
				if !strings.Contains(string(out), "invalid") || err == nil {
					t.Fatalf("go command: %q; gover: %v; want both to refuse", out, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var gover string
			switch {
			case !s.Found():
				gover = min
			case s.Note != "":
				gover = s.Module.Toolchain // the name cmd/go would run; gover runs its release
			case s.Minimum():
				gover = s.Word.Version
				if goversion.Lang(gover) == gover && goversion.Compare(gover, "go1.21") >= 0 {
					gover += ".0"
				}
			default:
				gover = s.Word.Version
			}
			if cmdGo != gover {
				t.Fatalf("the go command chooses %q (%q), gover %q (%s)", cmdGo, out, gover, s.Describe())
			}
		})
	}
}

// TestModuleChoiceWeighsSystemGo: with no global version, or "system", the
// go on PATH is the local toolchain cmd/go would weigh go.mod's lines
// against. One that satisfies them runs; an older one does not.
func TestModuleChoiceWeighsSystemGo(t *testing.T) {
	for _, tt := range []struct {
		name, global, system string
		lines                []string
		want                 string // Requested(); "" for the go on PATH
	}{
		{"no global, the go on PATH satisfies the go line", "", "go1.31.0", []string{"go 1.30.0"}, ""},
		{"system satisfies the go line", "system", "go1.31.0", []string{"go 1.30.0"}, ""},
		{"system newer than the toolchain line", "system", "go1.33.0", []string{"go 1.30.0", "toolchain go1.32.1"}, ""},
		{"the go on PATH older than the go line", "", "go1.29.9", []string{"go 1.30.0"}, "go1.30.0 or newer"},
		{"system older than the toolchain line", "system", "go1.31.0", []string{"go 1.30.0", "toolchain go1.32.1"}, "go1.32.1"},
		{"a go on PATH of no known release", "", "", []string{"go 1.30.0"}, "go1.30.0 or newer"},
		{"a VERSION that names no release", "system", "devel +abc", []string{"go 1.30.0"}, "go1.30.0 or newer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := tree(t, mod(tt.lines...))
			opt := Options{Getenv: envOf(), SystemVersion: func() string { return tt.system }}
			if tt.global != "" {
				opt.GlobalFile = filepath.Join(root, "global")
				if err := os.WriteFile(opt.GlobalFile, []byte(tt.global+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			s, err := Find(filepath.Join(root, "m"), opt)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if s.Found() && !s.System {
				got = s.Requested()
			}
			if got != tt.want {
				t.Fatalf("Find = %q (%s), want %q", got, s.Describe(), tt.want)
			}
		})
	}
}
