package main

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/manifest"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/internal/testdist"
	"github.com/goverdev/gover/shims/toolenv"
)

// binDir holds gover and gover-shim for the scripts and the crash tests.
// gover is a copy of this test binary that testscript.Main puts first on
// PATH and runs as cmd/gover's main (so coverage sees it, and cli.Main runs
// as it does for users). gover-shim is the real one, built from
// cmd/gover-shim: where cgo is on, as in CI, with its C fast path
// (fast_linux.c), which lives in the shim's package main and so cannot
// run inside a test binary. pureBinDir holds gover beside a gover-shim
// built without cgo.
var binDir, pureBinDir string

func TestMain(m *testing.M) {
	testscript.Main(withShims{m}, map[string]func(){"gover": main})
}

// withShims finds binDir on PATH, where testscript.Main has just put
// gover, and builds the shims beside it before the tests run.
type withShims struct{ m *testing.M }

func (w withShims) Run() int {
	p, err := exec.LookPath("gover")
	if err != nil {
		fmt.Fprintln(os.Stderr, "find the gover command testscript.Main installed:", err)
		return 1
	}
	binDir = filepath.Dir(p)
	build := exec.Command("go", "build", "-o", binDir+string(os.PathSeparator), "github.com/goverdev/gover/cmd/gover-shim")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build gover-shim:", err)
		return 1
	}
	pureBinDir = filepath.Join(binDir, "pure")
	pure := exec.Command("go", "build", "-o", pureBinDir+string(os.PathSeparator), "github.com/goverdev/gover/cmd/gover-shim")
	pure.Env = append(os.Environ(), "CGO_ENABLED=0")
	pure.Stdout, pure.Stderr = os.Stderr, os.Stderr
	if err := pure.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build gover-shim without cgo:", err)
		return 1
	}
	gover := "gover" + toolenv.ExeSuffix
	if err := os.Link(filepath.Join(binDir, gover), filepath.Join(pureBinDir, gover)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return w.m.Run()
}

// TestScripts runs testdata/script/*.txtar against a fresh loopback
// distribution each (internal/testdist). Each script gets:
//
//	$GOVER_ROOT        an empty gover root ($WORK/root)
//	$HOME              an empty home ($WORK/home)
//	$DIST              the distribution's base URL
//	$BIN               the folder holding gover and gover-shim (first on PATH)
//	$SHIMS             $GOVER_ROOT/shims
//	GOVER_INDEX_URL, GOVER_DOWNLOAD_URL, GOPROXY, GOSUMDB, GOVER_KEYRING
//	                   pointing at the distribution
//
// and these commands besides testscript's own:
//
//	dist fault PATTERN FAULT [ARG]   make the distribution misbehave (see distFault)
//	dist clear                       remove every fault
//	dist forget                      forget the requests so far (for dist requests)
//	dist requests PATTERN N          assert PATTERN got N requests
//	exits CODE PROGRAM ARGS…         run PROGRAM, asserting its exit code (stdout and stderr kept as by exec)
//	unreachable-official [-all]      point the index and download host at a closed port
//	                                 (-all: the module proxy and checksum database too)
//	forge-record [-keep-proof] NAME PATH FILE
//	                                 replace PATH in versions/NAME with FILE and rewrite the
//	                                 install record to match (a poisoned cache); -keep-proof
//	                                 leaves its proofs as they were
//	forge-attrs NAME PATH MODE|link  give PATH in versions/NAME the mode MODE (octal), or make
//	                                 it a link whose target is its content, and record that:
//	                                 a tree unpacked from a zip served with altered attributes
//	toolchains NAME…                 lay out versions/NAME as if installed, its bin/go
//	                                 printing "go version NAME" (for the selection
//	                                 rules, which need no real install)
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("..", "..", "testdata", "script"),
		RequireExplicitExec: true,
		Setup:               setupScript(binDir),
		Cmds:                scriptCmds,
	})
}

// TestShimScriptsPureGo runs the scripts that run toolchains through the
// shims again with the shim built without cgo: the Go code alone must pass
// every selection case in them, as it does behind the C fast path (and as
// it runs for CGO_ENABLED=0 builds, Windows and macOS).
func TestShimScriptsPureGo(t *testing.T) {
	var files []string
	for _, name := range []string{"shims_use", "shims_bash", "hardening_shims_path", "hardening_recover", "pins_gomod", "pins_words", "shims_goenv_toolchain"} {
		files = append(files, filepath.Join("..", "..", "testdata", "script", name+".txtar"))
	}
	testscript.Run(t, testscript.Params{
		Files:               files,
		RequireExplicitExec: true,
		Setup:               setupScript(pureBinDir),
		Cmds:                scriptCmds,
	})
}

var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"dist":                 cmdDist,
	"exits":                cmdExits,
	"unreachable-official": cmdUnreachableOfficial,
	"forge-record":         cmdForgeRecord,
	"forge-attrs":          cmdForgeAttrs,
	"toolchains":           cmdToolchains,
}

// setupScript prepares a script's environment with bin's gover and
// gover-shim first on PATH.
func setupScript(bin string) func(*testscript.Env) error {
	return func(env *testscript.Env) error { return setup(env, bin) }
}

func setup(env *testscript.Env, binDir string) error {
	d, err := testdist.Start(testdist.Options{})
	if err != nil {
		return err
	}
	env.Defer(d.Close)
	env.Values["dist"] = d
	for _, kv := range d.Env() {
		k, v, _ := strings.Cut(kv, "=")
		env.Setenv(k, v)
	}
	root := filepath.Join(env.WorkDir, "root")
	home := filepath.Join(env.WorkDir, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	env.Setenv("GOVER_ROOT", root)
	env.Setenv("SHIMS", filepath.Join(root, "shims"))
	env.Setenv("HOME", home)
	env.Setenv("USERPROFILE", home)
	env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	env.Setenv("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
	env.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
	env.Setenv("DIST", d.URL)
	env.Setenv("BIN", binDir)
	env.Setenv("GOVER_RETRY_DELAY", "1ms")
	for _, k := range []string{"GOVER_VERSION", "GOVER_MIRROR", "GOVER_SOURCE", "GOTOOLCHAIN", "GOFLAGS", "CI", "GITHUB_ACTIONS"} {
		env.Setenv(k, "")
	}
	path := binDir + string(os.PathListSeparator) + env.Getenv("PATH")
	env.Setenv("PATH", path)
	if runtime.GOOS == "windows" {
		env.Setenv("Path", path)
	}
	return nil
}

// cmdDist drives the script's distribution.
func cmdDist(ts *testscript.TestScript, neg bool, args []string) {
	d := ts.Value("dist").(*testdist.Dist)
	if len(args) == 0 {
		ts.Fatalf("usage: dist fault|clear|forget|requests …")
	}
	switch args[0] {
	case "clear":
		d.ClearFaults()
	case "forget":
		d.ForgetRequests()
	case "fault":
		if len(args) < 3 {
			ts.Fatalf("usage: dist fault PATTERN FAULT [ARG]")
		}
		f, err := distFault(args[2], args[3:])
		if err != nil {
			ts.Fatalf("%v", err)
		}
		d.Fault(args[1], f)
	case "requests":
		if len(args) != 3 {
			ts.Fatalf("usage: dist requests PATTERN N")
		}
		want, _ := strconv.Atoi(args[2])
		got := d.Requests(args[1])
		if (got == want) == neg {
			ts.Fatalf("%s got %d requests, want %s%d", args[1], got, map[bool]string{true: "not ", false: ""}[neg], want)
		}
	default:
		ts.Fatalf("unknown dist command %q", args[0])
	}
}

// distFault names the faults scripts can ask for.
func distFault(name string, args []string) (testdist.Fault, error) {
	arg := func(def int64) int64 {
		if len(args) == 0 {
			return def
		}
		n, _ := strconv.ParseInt(args[0], 10, 64)
		return n
	}
	switch name {
	case "tamper":
		return testdist.Tamper{}, nil
	case "html":
		return testdist.HTML{}, nil
	case "status":
		return testdist.Status(int(arg(404))), nil
	case "fail-times":
		code := 503
		if len(args) > 1 {
			code, _ = strconv.Atoi(args[1])
		}
		return testdist.FailTimes(int(arg(1)), code), nil
	case "truncate":
		return testdist.Truncate(arg(1000)), nil
	case "reset-after":
		return testdist.ResetAfter(arg(1000)), nil
	case "stall":
		return testdist.Stall{After: arg(1000), For: time.Minute}, nil
	case "slow":
		return testdist.Slow(arg(1000)), nil
	case "ignore-range":
		return testdist.IgnoreRange{}, nil
	case "wrong-digest":
		if len(args) != 1 {
			return nil, fmt.Errorf("usage: dist fault %s wrong-digest FILENAME", testdist.IndexPath)
		}
		return testdist.WrongDigest(args[0]), nil
	case "redirect-loop":
		return testdist.RedirectLoop{}, nil
	case "lying-zip":
		return testdist.LyingZip{}, nil
	case "bomb":
		return testdist.Bomb(arg(1 << 30)), nil
	}
	return nil, fmt.Errorf("unknown fault %q", name)
}

// cmdExits runs a program and checks its exit code.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM ARGS…")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad code %q", args[0])
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with %d, want %d", args[1], got, want)
	}
}

// cmdUnreachableOfficial points the official index and download host at a
// loopback port where nothing listens, as go.dev is on these machines.
func cmdUnreachableOfficial(ts *testscript.TestScript, neg bool, args []string) {
	d := ts.Value("dist").(*testdist.Dist)
	closed := d.ClosedURL()
	ts.Setenv("GOVER_INDEX_URL", closed+"/dl/?mode=json&include=all")
	ts.Setenv("GOVER_DOWNLOAD_URL", closed+"/dl/")
	if len(args) == 1 && args[0] == "-all" {
		ts.Setenv("GOPROXY", closed+"/proxy")
		ts.Setenv("GOSUMDB", d.SumDBKey+" "+closed+"/sumdb")
	} else if len(args) > 0 {
		ts.Fatalf("usage: unreachable-official [-all]")
	}
}

// cmdToolchains lays out stand-in toolchains: a folder per version, its
// bin/go a script that says which version it is and what it was asked.
func cmdToolchains(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) == 0 {
		ts.Fatalf("usage: toolchains NAME…")
	}
	for _, name := range args {
		bin := filepath.Join(ts.Getenv("GOVER_ROOT"), "versions", name, "bin")
		ts.Check(os.MkdirAll(bin, 0o755))
		script := "#!/bin/sh\nif [ \"$1\" = version ]; then echo \"go version " + name + "\"; else echo \"" + name + ": $*\"; fi\n"
		ts.Check(os.WriteFile(filepath.Join(bin, "go"), []byte(script), 0o755))
	}
}

// cmdForgeRecord plays an attacker who can write gover's folders (a
// poisoned CI cache): it replaces one file of an installed tree and
// rewrites the install record to match, manifest, tree hash and proof.
func cmdForgeRecord(ts *testscript.TestScript, neg bool, args []string) {
	var keepProof, noTreeHash bool
	var source string
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-keep-proof":
			keepProof = true
		case "-no-tree-hash":
			noTreeHash = true
		case "-source":
			if len(args) < 2 {
				ts.Fatalf("forge-record: -source needs a value")
			}
			source, args = args[1], args[1:]
		default:
			ts.Fatalf("forge-record: unknown flag %s", args[0])
		}
		args = args[1:]
	}
	if neg || len(args) != 3 {
		ts.Fatalf("usage: forge-record [-keep-proof] [-no-tree-hash] [-source SOURCE] NAME PATH FILE")
	}
	layout := paths.New(ts.Getenv, paths.Dirs{})
	name, rel, evil := args[0], args[1], ts.ReadFile(args[2])
	rec, err := installer.ReadRecord(layout.Record(name))
	ts.Check(err)
	i := slices.IndexFunc(rec.Manifest.Files, func(f manifest.File) bool { return f.Path == rel })
	if i < 0 {
		ts.Fatalf("%s is not in the record of %s", rel, name)
	}
	ts.Check(os.WriteFile(filepath.Join(layout.Toolchain(name), filepath.FromSlash(rel)), []byte(evil), 0o755))
	f := &rec.Manifest.Files[i]
	f.SHA256, f.Size = sha256.Sum256([]byte(evil)), int64(len(evil))
	if h1, _, err := installer.VouchedHash(rec); err == nil && !keepProof {
		for j := range rec.Proofs {
			if rec.Proofs[j].Kind == "sumdb" {
				rec.Proofs[j].Value = h1
			}
		}
	}
	if source != "" {
		rec.Source = installer.SourceName(source)
	}
	data, err := json.Marshal(rec)
	ts.Check(err)
	if noTreeHash {
		var raw map[string]any
		ts.Check(json.Unmarshal(data, &raw))
		delete(raw["manifest"].(map[string]any), "tree_hash")
		data, err = json.Marshal(raw)
		ts.Check(err)
	}
	ts.Check(os.WriteFile(layout.Record(name), data, 0o644))
}

// cmdForgeAttrs leaves the tree a proxy leaves that re-serves a module
// zip's proven bytes with other attributes, for an unpacker that trusted
// them: same contents (same h1), a mode or a file type changed, and a
// record that says so.
func cmdForgeAttrs(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: forge-attrs NAME PATH MODE|link")
	}
	layout := paths.New(ts.Getenv, paths.Dirs{})
	name, rel, attr := args[0], args[1], args[2]
	rec, err := installer.ReadRecord(layout.Record(name))
	ts.Check(err)
	i := slices.IndexFunc(rec.Manifest.Files, func(f manifest.File) bool { return f.Path == rel })
	if i < 0 {
		ts.Fatalf("%s is not in the record of %s", rel, name)
	}
	file := filepath.Join(layout.Toolchain(name), filepath.FromSlash(rel))
	f := &rec.Manifest.Files[i]
	if attr == "link" {
		body, err := os.ReadFile(file)
		ts.Check(err)
		ts.Check(os.Remove(file))
		ts.Check(os.Symlink(string(body), file))
		*f = manifest.File{Path: rel, Mode: fs.ModeSymlink, Target: string(body)}
	} else {
		mode, err := strconv.ParseUint(attr, 8, 32)
		ts.Check(err)
		ts.Check(os.Chmod(file, fs.FileMode(mode)))
		f.Mode = fs.FileMode(mode)
	}
	data, err := json.Marshal(rec)
	ts.Check(err)
	ts.Check(os.WriteFile(layout.Record(name), data, 0o644))
}
