//go:build !windows

// The checks are tested against real environments built in temporary
// folders: fake programs (POSIX sh scripts) ahead on PATH, real files where
// the checks read them, loopback servers for the network. These tests need
// sh, so they are Unix-only; the pure decisions are tested everywhere
// (pure_test.go).

package doctor_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/goverdev/gover/doctor"
	"github.com/goverdev/gover/internal/paths"
	"github.com/goverdev/gover/platform"
	"github.com/goverdev/gover/shims/toolenv"
)

// A world is one test's machine: a home, a gover root, a project folder,
// a folder of fake programs and the environment variables, all private.
type world struct {
	t *testing.T
	// tmp holds everything; sysroot stands for "/" (empty: no /usr/local/go,
	// no /etc/profile).
	tmp, home, root, work, bin, tools, sysroot string
	// hostOS and hostArch are the machine's platform (Env.HostOS/HostArch).
	hostOS, hostArch string
	layout           paths.Layout
	vars             map[string]string
	shimExe          string
	// install, when set, is Env.Install.
	install func(ctx context.Context, word string) error
	// proxy, when set, is Env.Proxy.
	proxy func(*http.Request) (*url.URL, error)
}

func newWorld(t *testing.T) *world {
	t.Helper()
	tmp := t.TempDir()
	w := &world{
		t:        t,
		tmp:      tmp,
		home:     filepath.Join(tmp, "home"),
		root:     filepath.Join(tmp, "root"),
		bin:      filepath.Join(tmp, "bin"),
		tools:    filepath.Join(tmp, "tools"),
		sysroot:  filepath.Join(tmp, "sysroot"),
		shimExe:  filepath.Join(tmp, "gover", "gover-shim"),
		hostOS:   runtime.GOOS,
		hostArch: runtime.GOARCH,
	}
	w.work = filepath.Join(w.home, "proj")
	for _, d := range []string{w.home, w.root, w.work, w.bin, w.tools, w.sysroot} {
		mkdir(t, d)
	}
	w.write(w.shimExe, "#!/bin/sh\necho 'gover-shim v1'\n", 0o755)
	// The few programs the fake scripts use, so that PATH can leave out
	// /usr/bin (and with it the C compiler and pkg-config).
	for _, name := range []string{"readlink", "dirname", "cat"} {
		p, err := exec.LookPath(name)
		if err != nil {
			t.Fatalf("the fake programs need %s: %v", name, err)
		}
		if err := os.Symlink(p, filepath.Join(w.tools, name)); err != nil {
			t.Fatal(err)
		}
	}
	w.vars = map[string]string{
		"HOME":            w.home,
		"PATH":            w.bin + ":" + w.tools,
		"GOVER_ROOT":      w.root,
		"XDG_CONFIG_HOME": filepath.Join(w.home, ".config"),
		"GOENV":           filepath.Join(w.home, ".config", "go", "env"),
	}
	w.layout = paths.New(w.getenv, paths.Dirs{})
	return w
}

func (w *world) getenv(k string) string { return w.vars[k] }

func (w *world) environ() []string {
	var env []string
	for k, v := range w.vars {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env
}

// withSystemPath adds /usr/bin and /bin after the fake programs: the real
// C compiler, ldd and the like.
func (w *world) withSystemPath() {
	w.vars["PATH"] = w.bin + ":" + w.tools + ":/usr/bin:/bin"
}

// withSystemPrograms puts only the named real programs after the fake
// ones (links in a folder of their own), so what else this machine has
// installed (a cross compiler, say) cannot change a check's answer.
func (w *world) withSystemPrograms(names ...string) {
	w.t.Helper()
	dir := filepath.Join(w.tmp, "system")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		w.t.Fatal(err)
	}
	for _, name := range names {
		p, err := toolenv.LookPathIn(name, "/usr/bin:/bin")
		if err != nil {
			w.t.Fatalf("%s is needed here: %v", name, err)
		}
		link := filepath.Join(dir, name)
		if _, err := os.Lstat(link); err == nil {
			continue
		}
		if err := os.Symlink(p, link); err != nil {
			w.t.Fatal(err)
		}
	}
	w.vars["PATH"] = w.bin + ":" + w.tools + ":" + dir
}

func (w *world) env() doctor.Env {
	return doctor.Env{
		Getenv:   w.getenv,
		Environ:  w.environ,
		Dir:      w.work,
		Layout:   w.layout,
		Root:     w.sysroot,
		ShimExe:  w.shimExe,
		HostOS:   w.hostOS,
		HostArch: w.hostArch,
		System: platform.New(platform.Env{
			Getenv:     w.getenv,
			Run:        platform.ExecRunner{Environ: w.environ()},
			Root:       w.sysroot,
			Shims:      w.layout.Shims,
			Versions:   w.layout.Versions,
			Privileged: func() bool { return false },
		}),
		Proxy:   w.proxy,
		Now:     time.Now,
		Install: w.install,
		Reshim:  nil,
	}
}

// run runs the named checks (all when none) with short timeouts.
func (w *world) run(o doctor.Options) doctor.Report {
	w.t.Helper()
	if o.NetTimeout == 0 {
		o.NetTimeout = time.Second
	}
	return doctor.Run(context.Background(), w.env(), o)
}

// check runs one check and returns its result.
func (w *world) check(id string) doctor.Result {
	w.t.Helper()
	r := w.run(doctor.Options{Only: []string{id}})
	if len(r.Checks) != 1 || r.Checks[0].ID != id {
		w.t.Fatalf("ran %s, got %+v", id, r.Checks)
	}
	return r.Checks[0]
}

// write creates a file (and its folder).
func (w *world) write(path, content string, perm os.FileMode) {
	w.t.Helper()
	mkdir(w.t, filepath.Dir(path))
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		w.t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil {
		w.t.Fatal(err)
	}
}

// script puts an executable sh script named name in the fake programs.
func (w *world) script(name, body string) string {
	p := filepath.Join(w.bin, name)
	w.write(p, "#!/bin/sh\n"+body+"\n", 0o755)
	return p
}

// fakeGoroot lays out a Go installation at dir whose bin/go answers
// 'go env' like the real one: GOROOT from $GOROOT, else from its own
// link-resolved path.
func (w *world) fakeGoroot(dir, version string) string {
	w.t.Helper()
	mkdir(w.t, filepath.Join(dir, "pkg", "tool", runtime.GOOS+"_"+runtime.GOARCH))
	w.write(filepath.Join(dir, "VERSION"), version+"\n", 0o644)
	w.write(filepath.Join(dir, "bin", "go"), fakeGo(version), 0o755)
	return dir
}

// fakeGo is a go command that answers 'go env -json VAR…' from the
// environment the way cmd/go does, finding GOROOT from its own path.
func fakeGo(version string) string {
	return `#!/bin/sh
self=$0
while [ -L "$self" ]; do
	link=$(readlink "$self")
	case "$link" in
	/*) self=$link ;;
	*) self=$(dirname "$self")/$link ;;
	esac
done
goroot=${GOROOT:-$(cd "$(dirname "$self")/.." && pwd -P)}
envfile=${GOENV:-$HOME/.config/go/env}
fromfile() { [ -f "$envfile" ] && while IFS='=' read -r k v; do [ "$k" = "$1" ] && echo "$v"; done < "$envfile"; }
val() {
	case "$1" in
	GOROOT) if [ -z "$GOROOT" ] && [ -n "$(fromfile GOROOT)" ]; then fromfile GOROOT; else echo "$goroot"; fi ;;
	GOVERSION) echo "` + version + `" ;;
	GOENV) echo "$envfile" ;;
	GOPATH) echo "${GOPATH:-$HOME/go}" ;;
	*) eval "v=\${$1:-}"; [ -n "$v" ] && echo "$v" || fromfile "$1" ;;
	esac
}
case "$1" in
version) echo "go version ` + version + `" ;;
env)
	shift
	[ "$1" = "-json" ] && shift
	sep="{"
	for k in "$@"; do
		printf '%s\n\t"%s": "%s"' "$sep" "$k" "$(val "$k")"
		sep=","
	done
	printf '\n}\n'
	;;
*) echo "fake go: $*" ;;
esac
`
}

func mkdir(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

// want fails the test unless r has the status and its message (and fix)
// contain the given texts.
func want(t *testing.T, r doctor.Result, status doctor.Status, inMessage ...string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %s, want %s\n  message: %s\n  fix: %s", r.ID, r.Status, status, r.Message, r.Fix)
		return
	}
	for _, s := range inMessage {
		if !strings.Contains(r.Message, s) {
			t.Errorf("%s: message %q lacks %q", r.ID, r.Message, s)
		}
	}
	if (status == doctor.Warn || status == doctor.Fail) && r.Fix == "" {
		t.Errorf("%s: a %s without a fix: %s", r.ID, status, r.Message)
	}
}

func wantFix(t *testing.T, r doctor.Result, inFix ...string) {
	t.Helper()
	for _, s := range inFix {
		if !strings.Contains(r.Fix, s) {
			t.Errorf("%s: fix %q lacks %q", r.ID, r.Fix, s)
		}
	}
}
