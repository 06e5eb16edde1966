//go:build cgo

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/shims/selection"
)

const cgoFastPath = true

// goDecide is the Go shim's answer for a run with args and environ in the
// working directory: what runToolchain execs, or ok false when the Go code
// would do anything else (fail, run the system go, report a version not
// installed).
func goDecide(args, environ []string) (exe string, argv, env []string, ok bool, why string) {
	goEnv := goEnviron(environ)
	getenv := func(k string) string {
		for _, kv := range goEnv {
			if v, ok := strings.CutPrefix(kv, k+"="); ok {
				return v
			}
		}
		return ""
	}
	d, f := decide(slices.Clone(args), getenv)
	if f != nil {
		return "", nil, nil, false, f.msg
	}
	if !d.sel.Found() || d.sel.System {
		return "", nil, nil, false, "runs the system go: " + d.sel.Describe()
	}
	version, err := selection.ResolveIn(d.sel, d.layout)
	if err != nil {
		return "", nil, nil, false, err.Error()
	}
	exe, argv, env = d.command(d.layout.Toolchain(version), goEnv)
	return exe, argv, env, true, ""
}

// goEnviron is os.Environ in a process started with environ: the runtime
// drops empty entries and every entry of a name but the first (syscall's
// copyenv).
func goEnviron(environ []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, kv := range environ {
		if kv == "" {
			continue
		}
		if k, _, ok := strings.Cut(kv, "="); ok {
			if seen[k] {
				continue
			}
			seen[k] = true
		}
		out = append(out, kv)
	}
	return out
}

// sameAnswer runs the C decision and, when it decides, requires the Go
// shim's answer to be the same. It reports whether C decided.
func sameAnswer(t *testing.T, args, environ []string) bool {
	t.Helper()
	cexe, cargv, cenv, ok := fastDecide(args, environ)
	if !ok {
		return false
	}
	gexe, gargv, genv, gok, why := goDecide(args, environ)
	if !gok {
		t.Fatalf("C runs %s; Go does not run an exact toolchain (%s)\nargs %q\nenv %q", cexe, why, args, environ)
	}
	if cexe != gexe || !slices.Equal(cargv, gargv) || !slices.Equal(cenv, genv) {
		t.Fatalf("C and Go disagree\nargs %q\nenv  %q\nC:  %s %q\n    %q\nGo: %s %q\n    %q", args, environ, cexe, cargv, cenv, gexe, gargv, genv)
	}
	return true
}

// fakeToolchains makes toolchains (a folder holding bin/go) in versions.
func fakeToolchains(t *testing.T, versions string, names ...string) {
	t.Helper()
	for _, v := range names {
		bin := filepath.Join(versions, v, "bin")
		if err := os.MkdirAll(bin, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bin, "go"), []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func write(t *testing.T, name, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

// The selection cases of shims/selection's tests and the shim's own, run
// through both paths: the fast path decides the common ones (fast) and
// agrees with the Go code, and leaves the others to it.
func TestFastPathCases(t *testing.T) {
	type tc struct {
		name  string
		files map[string]string // under the tree; "dir/" makes a folder
		setup func(t *testing.T, root string)
		dir   string   // the working directory in the tree
		env   []string // over the defaults; "$R" is the tree
		args  []string // default: go version
		fast  bool
	}
	fifo := func(name string) func(*testing.T, string) {
		return func(t *testing.T, root string) {
			if err := syscall.Mkfifo(filepath.Join(root, name), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	link := func(target, name string) func(*testing.T, string) {
		return func(t *testing.T, root string) {
			if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	pinA := map[string]string{"p/.go-version": "1.22.5\n", "p/a/b/c/": ""}
	for _, c := range []tc{
		// selection.TestFind's cases.
		{name: "go-version three levels up", files: pinA, dir: "p/a/b/c", fast: true},
		{name: "go prefix, BOM, CRLF, comments", files: map[string]string{"p/.go-version": "\uFEFF# pinned for CI\r\n\r\n  go1.21.13 \r\n"}, fast: true},
		{name: "line word", files: map[string]string{"p/.go-version": "1.22"}},
		{name: "system", files: map[string]string{"p/.go-version": "system"}},
		{name: "env wins", files: map[string]string{"p/.go-version": "1.22.5"}, env: []string{"GOVER_VERSION=1.21.0"}, fast: true},
		{name: "go-version beats nearer tool-versions", files: map[string]string{"p/.go-version": "1.22.5", "p/q/.tool-versions": "golang 1.21.0\n"}, dir: "p/q", fast: true},
		{name: "tool-versions golang", files: map[string]string{"p/.tool-versions": "nodejs 20.1.0\ngolang 1.21.13 1.20\n"}},
		{name: "go.mod toolchain", files: map[string]string{"p/go.mod": "module x\n\ngo 1.22.0\n\ntoolchain go1.22.5 // pinned\n"}},
		{name: "go.mod go line with GOVER_GOMOD=go", files: map[string]string{"p/go.mod": "module x\ngo 1.22.3\n"}, env: []string{"GOVER_GOMOD=go"}},
		{name: "go.work", files: map[string]string{"p/go.work": "go 1.22\ntoolchain go1.22.6\nuse ./m\n"}},
		{name: "nothing", files: map[string]string{"p/x": ""}},
		{name: "global file", files: map[string]string{"gr/version": "1.21.13\n", "p/x": ""}},
		// selection.TestFindMalformed's cases: the Go code says what is wrong.
		{name: "bad word", files: map[string]string{"p/.go-version": "1.22.x.y\n", "p/.tool-versions": "golang 1.21.0"}},
		{name: "two versions", files: map[string]string{"p/.go-version": "1.22.5\n1.21.0\n"}},
		{name: "empty", files: map[string]string{"p/.go-version": "# nothing\n\n"}},
		{name: "bad env", files: pinA, env: []string{"GOVER_VERSION=nope"}},
		// Words.
		{name: "rc", files: map[string]string{"p/.go-version": "1.23rc1"}, fast: true},
		{name: "1.20.0 is go1.20", files: map[string]string{"p/.go-version": "go1.20.0"}, fast: true},
		{name: "1.21.0 stays", files: map[string]string{"p/.go-version": "1.21.0 # first of its line"}, fast: true},
		{name: "latest", files: map[string]string{"p/.go-version": "latest"}},
		{name: "v prefix", files: map[string]string{"p/.go-version": "v1.22.5"}},
		{name: "no-break space", files: map[string]string{"p/.go-version": "1.22.5\u00a0"}},
		{name: "comment without blank", files: map[string]string{"p/.go-version": "1.22.5#x"}},
		// Pin files read only when certain, never blocking.
		{name: "fifo pin", files: map[string]string{"p/x": ""}, setup: fifo("p/.go-version")},
		{name: "symlink pin", files: map[string]string{"p/v": "1.22.5\n"}, setup: link("v", "p/.go-version")},
		{name: "dangling symlink pin", files: map[string]string{"p/x": ""}, setup: link("nowhere", "p/.go-version")},
		{name: "folder pin", files: map[string]string{"p/.go-version/": ""}},
		{name: "large pin", files: map[string]string{"p/.go-version": "1.22.5\n" + strings.Repeat("#\n", 600)}},
		{name: "unreadable pin", files: map[string]string{"p/.go-version": "1.22.5"}, setup: func(t *testing.T, root string) {
			if err := os.Chmod(filepath.Join(root, "p/.go-version"), 0); err != nil {
				t.Fatal(err)
			}
		}, fast: os.Geteuid() == 0},
		// The layout.
		{name: "XDG_DATA_HOME", files: pinA, env: []string{"GOVER_ROOT=", "XDG_DATA_HOME=$R/xdg"}, setup: func(t *testing.T, root string) {
			fakeToolchains(t, filepath.Join(root, "xdg/gover/versions"), "go1.22.5")
		}, fast: true},
		{name: "HOME", files: pinA, env: []string{"GOVER_ROOT=", "HOME=$R/home/./"}, setup: func(t *testing.T, root string) {
			fakeToolchains(t, filepath.Join(root, "home/.local/share/gover/versions"), "go1.22.5")
		}, fast: true},
		{name: "unclean GOVER_ROOT", files: pinA, env: []string{"GOVER_ROOT=$R//p/../gr/"}, fast: true},
		{name: "relative GOVER_ROOT", files: pinA, env: []string{"GOVER_ROOT=gr"}},
		{name: "relative XDG_DATA_HOME", files: pinA, env: []string{"GOVER_ROOT=", "XDG_DATA_HOME=xdg"}},
		{name: "tilde XDG_DATA_HOME", files: pinA, env: []string{"GOVER_ROOT=", "XDG_DATA_HOME=~/xdg"}},
		{name: "no HOME", files: pinA, env: []string{"GOVER_ROOT=", "HOME="}},
		// The toolchain.
		{name: "not installed", files: map[string]string{"p/.go-version": "1.22.4"}},
		{name: "toolchain writable by others", files: pinA, setup: func(t *testing.T, root string) {
			if err := os.Chmod(filepath.Join(root, "gr/versions/go1.22.5"), 0o775); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "toolchain through a link", files: pinA, setup: func(t *testing.T, root string) {
			versions := filepath.Join(root, "gr/versions")
			if err := os.Rename(filepath.Join(versions, "go1.22.5"), filepath.Join(root, "elsewhere")); err != nil {
				t.Fatal(err)
			}
			link("../../elsewhere", "gr/versions/go1.22.5")(t, root)
		}},
		// The working directory as the shell names it.
		{name: "pin above a link", files: map[string]string{"p/.go-version": "1.21.13", "q/.go-version": "1.22.5", "q/real/": ""}, setup: link("../q/real", "p/l"), env: []string{"PWD=$R/p/l"}, dir: "q/real", fast: true},
		{name: "PWD elsewhere", files: map[string]string{"p/.go-version": "1.21.13", "q/.go-version": "1.22.5"}, env: []string{"PWD=$R/p"}, dir: "q", fast: true},
		{name: "unclean PWD", files: pinA, env: []string{"PWD=$R/p/a/./b"}, dir: "p/a/b"},
		// Arguments and environment.
		{name: "gofmt by path", files: pinA, args: []string{"/somewhere/gofmt", "-l", "."}, fast: true},
		{name: "gover-shim PROGRAM", files: pinA, args: []string{"gover-shim", "vet", "./..."}, fast: true},
		{name: "gover-shim alone", files: pinA, args: []string{"gover-shim"}},
		{name: "program with a dot", files: pinA, args: []string{"gover-shim", "../go"}},
		{name: "depth 7", files: pinA, env: []string{"GOVER_SHIM_DEPTH=7"}, fast: true},
		{name: "depth 8: loop", files: pinA, env: []string{"GOVER_SHIM_DEPTH=8"}},
		{name: "depth not a number", files: pinA, env: []string{"GOVER_SHIM_DEPTH=x"}},
		{name: "GOTOOLCHAIN kept", files: pinA, env: []string{"GOTOOLCHAIN=go1.22.5+auto", "GOROOT=/stale"}, fast: true},
		{name: "empty GOTOOLCHAIN", files: pinA, env: []string{"GOTOOLCHAIN="}, fast: true},
		{name: "bin on PATH already", files: pinA, env: []string{"PATH=/usr/bin::$R/gr//versions/go1.22.5/bin/:rel:/bin:$R/gr/versions/go1.22.5/bin"}, fast: true},
		{name: "only bin on PATH", files: pinA, env: []string{"PATH=$R/gr/versions/go1.22.5/bin"}, fast: true},
		{name: "no PATH", files: pinA, env: []string{"PATH="}, fast: true},
		// The go env file ('go env -w'), read only when GOTOOLCHAIN is not set.
		{name: "go env file without GOTOOLCHAIN", files: map[string]string{"p/.go-version": "1.22.5", "home/.config/go/env": "GOPROXY=direct\n GOTOOLCHAIN=x\n"}, fast: true},
		{name: "go env file GOTOOLCHAIN", files: map[string]string{"p/.go-version": "1.22.5", "home/.config/go/env": "GOPROXY=direct\nGOTOOLCHAIN=auto\n"}},
		{name: "go env file GOTOOLCHAIN, environment's wins", files: map[string]string{"p/.go-version": "1.22.5", "home/.config/go/env": "GOTOOLCHAIN=auto"}, env: []string{"GOTOOLCHAIN=local"}, fast: true},
		{name: "GOENV=off", files: map[string]string{"p/.go-version": "1.22.5", "home/.config/go/env": "GOTOOLCHAIN=auto"}, env: []string{"GOENV=off"}, fast: true},
		{name: "GOENV", files: map[string]string{"p/.go-version": "1.22.5", "goenv": "GOTOOLCHAIN=auto"}, env: []string{"GOENV=$R/goenv"}},
		{name: "XDG_CONFIG_HOME", files: map[string]string{"p/.go-version": "1.22.5", "cfg/go/env": "GOTOOLCHAIN=auto"}, env: []string{"XDG_CONFIG_HOME=$R/cfg"}},
		{name: "go env file a FIFO", files: map[string]string{"p/.go-version": "1.22.5", "home/.config/go/": ""}, setup: fifo("home/.config/go/env")},
		{name: "duplicates and odd entries", files: pinA, env: []string{"PATH=/bin", "GOVER_VERSION=", "GOVER_VERSION=1.21.0", "", "NOEQUALS", "=x", "=y", "A=1", "A=2"}, fast: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			root, err := filepath.EvalSymlinks(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			fakeToolchains(t, filepath.Join(root, "gr/versions"), "go1.22.5", "go1.21.13", "go1.21.0", "go1.20", "go1.23rc1")
			for name, content := range c.files {
				p := filepath.Join(root, name)
				if strings.HasSuffix(name, "/") {
					if err := os.MkdirAll(p, 0o755); err != nil {
						t.Fatal(err)
					}
					continue
				}
				write(t, p, content, 0o644)
			}
			if c.setup != nil {
				c.setup(t, root)
			}
			dir := filepath.Join(root, "p")
			if c.dir != "" {
				dir = filepath.Join(root, c.dir)
			}
			t.Chdir(dir)
			env := []string{"GOVER_ROOT=" + root + "/gr", "HOME=" + root + "/home", "PATH=/usr/bin:/bin", "PWD=" + dir}
			for _, kv := range c.env {
				k, _, _ := strings.Cut(kv, "=")
				env = slices.DeleteFunc(env, func(d string) bool { return strings.HasPrefix(d, k+"=") })
			}
			for _, kv := range c.env {
				env = append(env, strings.ReplaceAll(kv, "$R", root))
			}
			args := c.args
			if args == nil {
				args = []string{"go", "version"}
			}
			if got := sameAnswer(t, args, env); got != c.fast {
				_, _, _, _, why := goDecide(args, env)
				t.Fatalf("fast path decides: %v, want %v (Go: %s)", got, c.fast, why)
			}
		})
	}
}

// buildShim builds the shim into dir, with or without cgo.
func buildShim(t *testing.T, dir, cgo string) string {
	t.Helper()
	exe := filepath.Join(dir, "gover-shim")
	cmd := exec.Command("go", "build", "-o", exe, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED="+cgo)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build (CGO_ENABLED=%s): %v\n%s", cgo, err, out)
	}
	return exe
}

// The fast path is really taken: in the common case the Go runtime never
// starts (GODEBUG=inittrace=1 makes it report every package it
// initialises), and the toolchain runs with the environment the Go shim
// gives it. The same run of the shim built without cgo shows the probe
// works.
func TestFastPathSkipsGoRuntime(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fast := buildShim(t, filepath.Join(root, "fast"), "1")
	pure := buildShim(t, filepath.Join(root, "pure"), "0")
	versions := filepath.Join(root, "gr", "versions")
	write(t, filepath.Join(versions, "go1.22.5", "bin", "go"),
		"#!/bin/sh\necho \"ran $0 $*\"\necho \"GOROOT=$GOROOT GOTOOLCHAIN=$GOTOOLCHAIN GOVER_SHIM_DEPTH=$GOVER_SHIM_DEPTH\"\n", 0o755)
	write(t, filepath.Join(root, "p", ".go-version"), "1.22.5\n", 0o644)
	work := filepath.Join(root, "p", "a", "b")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	want := "ran " + filepath.Join(versions, "go1.22.5", "bin", "go") + " version\n" +
		"GOROOT=" + filepath.Join(versions, "go1.22.5") + " GOTOOLCHAIN=local GOVER_SHIM_DEPTH=1\n"
	for _, shim := range []string{fast, pure} {
		goLink := filepath.Join(filepath.Dir(shim), "go")
		if err := os.Symlink(shim, goLink); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(goLink, "version")
		cmd.Dir = work
		cmd.Env = []string{"GOVER_ROOT=" + filepath.Join(root, "gr"), "HOME=" + root, "PATH=/usr/bin:/bin", "PWD=" + work, "GODEBUG=inittrace=1"}
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s version: %v\n%s", goLink, err, stderr.Bytes())
		}
		if stdout.String() != want {
			t.Errorf("%s version printed\n%s\nwant\n%s", goLink, stdout.Bytes(), want)
		}
		started := strings.Contains(stderr.String(), "init runtime")
		if shim == fast && started {
			t.Errorf("the Go runtime started before the fast path's exec:\n%s", stderr.Bytes())
		}
		if shim == pure && !started {
			t.Errorf("GODEBUG=inittrace=1 does not show the Go runtime starting in the shim built without cgo:\n%s", stderr.Bytes())
		}
	}
}

// shape draws the fuzzer's choices from its bytes (zeros once they run out).
type shape []byte

func (s *shape) pick(n int) int {
	if len(*s) == 0 {
		return 0
	}
	b := (*s)[0]
	*s = (*s)[1:]
	return int(b) % n
}

// FuzzFastPath is the differential test: random folder trees (pins at
// random depths, in every form a pin file can take, beside .tool-versions,
// go.mod and go.work), random layouts, working directories, environments
// and arguments, and toolchains present, missing or untrusted. Whenever the
// C fast path decides, its program, arguments and environment must equal
// the Go shim's; and it must never block (a FIFO pin would hang here).
func FuzzFastPath(f *testing.F) {
	for _, seed := range []struct {
		shape     []byte
		pin, word string
	}{
		{[]byte{2, 0, 0, 0, 5}, "1.22.5\n", "1.22.5"},
		{[]byte{3, 1, 6, 0, 5, 0, 0, 0, 0, 1}, "\uFEFF# pin\r\n go1.21.13 \r\n", "1.21.13"},
		{[]byte{1, 0, 7, 2, 1, 3, 2, 1}, "1.22", "go1.22.5"},
		{[]byte{4, 8, 9, 10, 11, 5, 1, 2, 3, 4, 5}, "1.23rc1 # rc", "1.20.0"},
		{[]byte{2, 5, 0, 0, 0, 3, 4, 1, 1, 2, 2, 3, 3}, "system", "latest"},
		{[]byte{0, 5, 1, 1, 4, 4, 6, 6, 2}, "go1.22.5\n1.21.0\n", "v1.22.5"},
		{[]byte{2, 5, 5, 5, 0, 0, 0, 7, 7, 7, 5, 2}, "1.22.5", "1.22.5"},
	} {
		f.Add(seed.shape, seed.pin, seed.word)
	}
	f.Fuzz(func(t *testing.T, data []byte, pin, word string) {
		s := shape(data)
		root, err := filepath.EvalSymlinks(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		// The working directory, depth levels below root/w.
		levels := []string{filepath.Join(root, "w")}
		for i, n := 0, s.pick(5); i < n; i++ {
			levels = append(levels, filepath.Join(levels[len(levels)-1], string(rune('a'+i))))
		}
		wd := levels[len(levels)-1]
		if err := os.MkdirAll(wd, 0o755); err != nil {
			t.Fatal(err)
		}
		elsewhere := filepath.Join(root, "elsewhere")
		write(t, elsewhere, pin, 0o644)
		for _, dir := range levels {
			gv := filepath.Join(dir, ".go-version")
			switch s.pick(14) {
			case 0, 1, 2, 3:
			case 4:
				write(t, gv, pin, 0o644)
			case 5:
				write(t, gv, word+"\n", 0o644)
			case 6:
				write(t, gv, "\uFEFF"+strings.ReplaceAll(pin, "\n", "\r\n"), 0o644)
			case 7:
				os.Symlink(elsewhere, gv)
			case 8:
				os.Symlink(filepath.Join(root, "nowhere"), gv)
			case 9:
				syscall.Mkfifo(gv, 0o644)
			case 10:
				os.Mkdir(gv, 0o755)
			case 11:
				write(t, gv, pin, 0)
			case 12:
				write(t, gv, pin+strings.Repeat("\n# padding", 120), 0o644)
			case 13:
				write(t, gv, "# "+pin+"\n"+word+" # why", 0o644)
			}
			switch s.pick(5) {
			case 1:
				write(t, filepath.Join(dir, ".tool-versions"), "golang "+word+"\n", 0o644)
			case 2:
				write(t, filepath.Join(dir, "go.mod"), "module m\ngo 1.22\ntoolchain go"+word+"\n", 0o644)
			case 3:
				write(t, filepath.Join(dir, "go.work"), "go 1.21\ntoolchain go"+word+"\n", 0o644)
			case 4:
				write(t, filepath.Join(dir, "go.mod"), "module m\ngo "+word+"\n", 0o644)
			}
		}
		t.Chdir(wd)

		var env []string
		versions := filepath.Join(root, "home", ".local", "share", "gover", "versions")
		switch s.pick(8) {
		case 0:
			env = append(env, "GOVER_ROOT="+root+"/gr")
			versions = filepath.Join(root, "gr", "versions")
		case 1:
			env = append(env, "GOVER_ROOT="+root+"//w/../gr/.")
			versions = filepath.Join(root, "gr", "versions")
		case 2:
			env = append(env, "GOVER_ROOT=gr")
		case 3:
			env = append(env, "XDG_DATA_HOME="+root+"/xdg")
			versions = filepath.Join(root, "xdg", "gover", "versions")
		case 4:
			env = append(env, "XDG_DATA_HOME=~/xdg")
		case 5:
			env = append(env, "XDG_DATA_HOME=xdg")
		case 6:
			env = append(env, "GOVER_ROOT=", "GOVER_ROOT="+root+"/gr") // the first counts
		}
		switch s.pick(4) {
		case 0:
			env = append(env, "HOME="+root+"/home")
		case 1:
			env = append(env, "HOME=home")
		case 2:
			env = append(env, "HOME=/")
		}
		switch s.pick(6) {
		case 1:
			env = append(env, "GOVER_VERSION="+word)
		case 2:
			env = append(env, "GOVER_VERSION=")
		case 3:
			env = append(env, "GOVER_VERSION=", "GOVER_VERSION="+word)
		case 4:
			env = append(env, "GOVER_VERSION="+pin)
		}
		switch s.pick(6) {
		case 0:
			env = append(env, "PWD="+wd)
		case 1:
			// The same folder through a link: pins are looked for along it.
			link := filepath.Join(root, "link")
			os.Symlink(filepath.Dir(wd), link)
			env = append(env, "PWD="+filepath.Join(link, filepath.Base(wd)))
		case 2:
			env = append(env, "PWD="+wd+"/.")
		case 3:
			env = append(env, "PWD="+root)
		case 4:
			env = append(env, "PWD=w")
		}
		env = append(env, [][]string{nil, {"GOVER_SHIM_DEPTH=3"}, {"GOVER_SHIM_DEPTH=7"}, {"GOVER_SHIM_DEPTH=8"},
			{"GOVER_SHIM_DEPTH=x"}, {"GOVER_SHIM_DEPTH=07"}, {"GOVER_SHIM_DEPTH=-1"}}[s.pick(7)]...)
		env = append(env, [][]string{nil, {"GOTOOLCHAIN="}, {"GOTOOLCHAIN=go1.21.0+auto"}, {"GOTOOLCHAIN=", "GOTOOLCHAIN=local"},
			{"GOTOOLCHAIN=auto", "GOTOOLCHAIN="}}[s.pick(5)]...)
		env = append(env, [][]string{nil, {"GOROOT=/stale"}, {"", "NOEQUALS", "=x", "=y"}, {"GOVER_AUTO_INSTALL=1"},
			{"GOVER_GOMOD=go"}, {"GOWORK=off"}}[s.pick(6)]...)

		// The go env file, and where the environment says it is.
		goEnvFile := filepath.Join(root, "home", ".config", "go", "env")
		switch s.pick(6) {
		case 1:
			write(t, goEnvFile, "GOPROXY=direct\n", 0o644)
		case 2:
			write(t, goEnvFile, "GOPROXY=direct\nGOTOOLCHAIN=auto\n", 0o644)
		case 3:
			write(t, goEnvFile, " GOTOOLCHAIN=x\nGOTOOLCHAINS=1\ngotoolchain=2", 0o644)
		case 4:
			os.MkdirAll(filepath.Dir(goEnvFile), 0o755)
			syscall.Mkfifo(goEnvFile, 0o644)
		case 5:
			write(t, goEnvFile, pin, 0o644)
		}
		env = append(env, [][]string{nil, {"GOENV=off"}, {"GOENV=" + goEnvFile}, {"GOENV=rel"},
			{"XDG_CONFIG_HOME=" + root + "/home/.config"}, {"XDG_CONFIG_HOME=cfg"}}[s.pick(6)]...)

		args := [][]string{{"go", "version"}, {"/usr/local/bin/gofmt", "-l"}, {"gover-shim", "go", "env"}, {"gover-shim"},
			{"go.test"}, {""}, {"go/"}, {"gover-shim", "../go"}, {"gover-shim", ""}}[s.pick(9)]

		// PATH: the toolchain's bin may already be on it, written any way.
		// It is added once the toolchain's folder is known.
		pathForm := s.pick(6)
		withPath := func(env []string, goroot string) []string {
			bin := filepath.Join(goroot, "bin")
			switch pathForm {
			case 0:
				return append(env, "PATH=/usr/bin:/bin")
			case 1:
				return append(env, "PATH=/usr/bin:"+bin+"/:"+bin+"//.:rel::"+strings.Replace(bin, "/", "//", 1))
			case 2:
				return append(env, "PATH="+bin)
			case 3:
				return append(env, "PATH=:", "PATH=/other")
			case 4:
				return append(env, "PATH=")
			}
			return env
		}

		// The toolchains the words name, in one of their states. (The Go
		// code is not asked which it would run: it blocks on a FIFO pin.)
		var goroot string
		for _, w := range append(strings.Split(pin, "\n"), word) {
			v, err := goversion.Parse(strings.TrimPrefix(strings.TrimSpace(w), "\uFEFF"))
			if err != nil || v.Kind != goversion.Exact {
				continue
			}
			goroot = filepath.Join(versions, v.Version)
			switch s.pick(7) {
			case 0, 1, 2:
				fakeToolchains(t, versions, v.Version)
			case 3:
				os.MkdirAll(goroot, 0o755) // no bin
			case 4:
				fakeToolchains(t, versions, v.Version)
				os.Chmod(goroot, 0o775)
			case 5:
				fakeToolchains(t, root, "real")
				os.MkdirAll(versions, 0o755)
				os.Symlink(filepath.Join(root, "real"), goroot)
			case 6:
				fakeToolchains(t, versions, v.Version)
				os.Chown(goroot, 12345, 12345)
			}
		}
		env = withPath(env, goroot)
		sameAnswer(t, args, env)
	})
}
