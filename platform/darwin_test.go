//go:build !windows

// macOS's logic, run on any Unix: fake brew, sysctl and xcrun scripts on
// PATH answer as the real ones do on a Mac.

package platform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeMac is an Apple Silicon Mac's Homebrew (with go 1.22.5 linked) and
// a folder of fake tools. translated is what sysctl.proc_translated says
// ("" for an Intel Mac, which has no such key).
type fakeMac struct {
	prefix, tools, shims, log string
}

func newFakeMac(t *testing.T, translated string, clang bool) *fakeMac {
	t.Helper()
	tmp := t.TempDir()
	m := &fakeMac{
		prefix: filepath.Join(tmp, "opt/homebrew"),
		tools:  filepath.Join(tmp, "tools"),
		shims:  filepath.Join(tmp, "shims"),
		log:    filepath.Join(tmp, "brew.log"),
	}
	sysctl := `echo "sysctl: unknown oid 'sysctl.proc_translated'" >&2; exit 1`
	if translated != "" {
		sysctl = "echo " + translated
	}
	xcrun := `echo "xcrun: error: invalid active developer path (/Library/Developer/CommandLineTools), missing xcrun" >&2; exit 1`
	if clang {
		xcrun = `echo /Library/Developer/CommandLineTools/usr/bin/clang`
	}
	writeFiles(t, tmp, map[string]string{
		"opt/homebrew/Cellar/go/1.22.5/libexec/VERSION": "go1.22.5\ntime 2024-07-02T00:00:00Z\n",
		"opt/homebrew/Cellar/go/1.22.5/libexec/bin/go":  "#!/bin/sh\necho brew go\n",
		"opt/homebrew/Cellar/go/1.22.5/bin/go":          "-> ../libexec/bin/go",
		"opt/homebrew/opt/go":                           "-> ../Cellar/go/1.22.5",
		"opt/homebrew/bin/go":                           "-> ../Cellar/go/1.22.5/bin/go",
		"tools/bin/brew": "#!/bin/sh\n" +
			"echo \"$*\" >> " + filepath.Join(tmp, "brew.log") + "\n" +
			"case \"$1\" in\n" +
			"--prefix) echo " + filepath.Join(tmp, "opt/homebrew") + " ;;\n" +
			"pin) mkdir -p " + filepath.Join(tmp, "opt/homebrew/var/homebrew/pinned") + " && ln -s ../../../opt/go " + filepath.Join(tmp, "opt/homebrew/var/homebrew/pinned/go") + " ;;\n" +
			"install) printf '#!/bin/sh\\n' > " + filepath.Join(tmp, "opt/homebrew/bin/pkg-config") + " && chmod +x " + filepath.Join(tmp, "opt/homebrew/bin/pkg-config") + " ;;\n" +
			"*) exit 1 ;;\n" +
			"esac\n",
		"tools/bin/sysctl": "#!/bin/sh\n" + sysctl + "\n",
		"tools/bin/xcrun":  "#!/bin/sh\n" + xcrun + "\n",
	})
	return m
}

// env is the Mac's environment with PATH set to path (folders separated
// by ":"; "TOOLS", "BREW" and "SHIMS" name the fake folders), then
// /usr/bin:/bin for the scripts' own commands.
func (m *fakeMac) env(path string, extra ...string) Env {
	path = strings.NewReplacer("TOOLS", filepath.Join(m.tools, "bin"), "BREW", filepath.Join(m.prefix, "bin"), "SHIMS", m.shims).Replace(path) + ":/usr/bin:/bin"
	vars := map[string]string{"PATH": path, "HOME": filepath.Dir(m.tools), "SHELL": "/bin/zsh"}
	for _, kv := range extra {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	environ := []string{}
	for k, v := range vars {
		environ = append(environ, k+"="+v)
	}
	return Env{
		Getenv:     mapEnv(vars),
		Run:        ExecRunner{Environ: environ},
		Root:       filepath.Join(filepath.Dir(m.tools), "root"), // no /usr/local/go
		Shims:      m.shims,
		Privileged: no,
	}
}

func TestDarwinStatus(t *testing.T) {
	m := newFakeMac(t, "0", false)
	u := &Unix{GOOS: "darwin", Env: m.env("TOOLS:BREW:SHIMS")}
	st, err := u.Status(context.Background(), StatusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Homebrew == nil || st.Homebrew.Prefix != m.prefix || st.Homebrew.PkgConfig != "" {
		t.Fatalf("homebrew = %+v", st.Homebrew)
	}
	if len(st.Installs) != 1 {
		t.Fatalf("installs = %+v", st.Installs)
	}
	in := st.Installs[0]
	if in.Kind != KindHomebrew || in.Package != "go" || in.PackageVersion != "1.22.5" || in.Version != "go1.22.5" ||
		in.GOROOT != filepath.Join(m.prefix, "opt/go/libexec") || !in.Shadows || in.Go != filepath.Join(m.prefix, "bin/go") || in.Held {
		t.Errorf("brew go = %+v", in)
	}
	if c := checkByID(t, st.Checks, "system-go"); c.Status != Warn || !strings.Contains(c.Fix, "brew unlink go") || !strings.Contains(c.Fix, "brew pin go") {
		t.Errorf("system-go = %+v", c)
	}
	if c := checkByID(t, st.Checks, "pkg-config"); c.Status != Warn || !strings.Contains(c.Fix, "brew install pkgconf") {
		t.Errorf("pkg-config = %+v", c)
	}
	if c := checkByID(t, st.Checks, "cgo-cc"); c.Status != Warn || !strings.Contains(c.Fix, "xcode-select --install") {
		t.Errorf("cgo-cc = %+v", c)
	}
	if st.Rosetta {
		t.Error("proc_translated 0, yet Rosetta")
	}

	// Shims first, clang there, pkgconf installed: all is well.
	m = newFakeMac(t, "0", true)
	writeFiles(t, m.prefix, map[string]string{"bin/pkg-config": "#!/bin/sh\n"})
	u = &Unix{GOOS: "darwin", Env: m.env("SHIMS:TOOLS:BREW")}
	st, err = u.Status(context.Background(), StatusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st.Checks {
		if c.Status != OK {
			t.Errorf("healthy Mac: %+v", c)
		}
	}
}

func TestDarwinPkgConfigPath(t *testing.T) {
	m := newFakeMac(t, "0", true)
	writeFiles(t, m.prefix, map[string]string{
		"bin/pkg-config":                         "#!/bin/sh\n",
		"opt/openssl@3/lib/pkgconfig/openssl.pc": "",
	})
	ctx := context.Background()
	keg := filepath.Join(m.prefix, "opt/openssl@3/lib/pkgconfig")

	u := &Unix{GOOS: "darwin", Env: m.env("SHIMS:TOOLS:BREW")}
	st, _ := u.Status(ctx, StatusOptions{Kegs: []string{"openssl@3"}})
	if c := checkByID(t, st.Checks, "pkg-config"); c.Status != Warn || c.Message != "PKG_CONFIG_PATH lacks "+keg || c.Fix != "run 'gover setup --pkg-config --keg openssl@3', then open a new shell" {
		t.Errorf("keg not on PKG_CONFIG_PATH: %+v", c)
	}
	u = &Unix{GOOS: "darwin", Env: m.env("SHIMS:TOOLS:BREW", "PKG_CONFIG_PATH="+keg)}
	st, _ = u.Status(ctx, StatusOptions{Kegs: []string{"openssl@3"}})
	if c := checkByID(t, st.Checks, "pkg-config"); c.Status != OK {
		t.Errorf("keg on PKG_CONFIG_PATH: %+v", c)
	}
	st, _ = u.Status(ctx, StatusOptions{Kegs: []string{"libpq"}})
	if c := checkByID(t, st.Checks, "pkg-config"); c.Status != Warn || c.Fix != "run 'brew install libpq'" {
		t.Errorf("keg not installed: %+v", c)
	}

	// Setup with --pkg-config writes the export line, which a real shell
	// then runs (TestPkgConfigLineInShells); undo takes both lines out.
	u = &Unix{GOOS: "darwin", Env: m.env("SHIMS:TOOLS:BREW")}
	if _, err := u.Setup(ctx, SetupOptions{PkgConfig: true, Kegs: []string{"openssl@3"}}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(filepath.Dir(m.tools), ".zshrc"))
	want := initLine("zsh", "gover") + "\n" + pkgConfigLine("zsh", []string{keg, filepath.Join(m.prefix, "lib/pkgconfig"), filepath.Join(m.prefix, "share/pkgconfig")}) + "\n"
	if string(data) != want {
		t.Errorf(".zshrc =\n%s\nwant\n%s", data, want)
	}
	if _, err := u.Setup(ctx, SetupOptions{Undo: true}); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(filepath.Dir(m.tools), ".zshrc")); len(data) != 0 {
		t.Errorf("after undo .zshrc = %q", data)
	}
}

func TestDarwinSetupOffersPkgconf(t *testing.T) {
	m := newFakeMac(t, "0", true)
	ctx := context.Background()
	home := filepath.Dir(m.tools)

	u := &Unix{GOOS: "darwin", Env: m.env("TOOLS:BREW", "SHELL=/bin/bash")}
	changes, err := u.Setup(ctx, SetupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// macOS terminals run bash as a login shell: ~/.bash_profile.
	if data, _ := os.ReadFile(filepath.Join(home, ".bash_profile")); string(data) != initLine("bash", "gover")+"\n" {
		t.Errorf(".bash_profile = %q", data)
	}
	last := changes[len(changes)-1]
	if last.Done || !strings.Contains(last.Message, "run 'brew install pkgconf' (or 'gover setup --yes')") {
		t.Errorf("changes = %+v", changes)
	}
	if log, _ := os.ReadFile(m.log); strings.Contains(string(log), "install") {
		t.Errorf("ran brew install without --yes: %s", log)
	}

	changes, err = u.Setup(ctx, SetupOptions{Yes: true})
	if err != nil {
		t.Fatal(err)
	}
	if log, _ := os.ReadFile(m.log); !strings.Contains(string(log), "install pkgconf") {
		t.Errorf("brew calls: %s", log)
	}
	if last := changes[len(changes)-1]; !last.Done || !strings.Contains(last.Message, "installed pkgconf") {
		t.Errorf("changes = %+v", changes)
	}
	st, _ := u.Status(ctx, StatusOptions{})
	if c := checkByID(t, st.Checks, "pkg-config"); c.Status != OK {
		t.Errorf("after brew install pkgconf: %+v", c)
	}
}

func TestBrewPin(t *testing.T) {
	m := newFakeMac(t, "0", true)
	ctx := context.Background()
	u := &Unix{GOOS: "darwin", Env: m.env("TOOLS:BREW")}
	changes, err := u.Hold(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if log, _ := os.ReadFile(m.log); !strings.Contains(string(log), "pin go\n") {
		t.Errorf("brew calls: %s", log)
	}
	if !strings.Contains(changes[0].Message, "pinned go with Homebrew") {
		t.Errorf("changes = %+v", changes)
	}
	st, _ := u.Status(ctx, StatusOptions{})
	if !st.Installs[0].Held {
		t.Errorf("after brew pin: %+v", st.Installs[0])
	}
	changes, err = u.Hold(ctx, true)
	if err != nil || changes[0].Message != "Homebrew's Go is already pinned" {
		t.Errorf("pin again: %+v, %v", changes, err)
	}
}

func TestRosetta(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, translated, goarch, want string
		rosetta                        bool
	}{
		{"Apple Silicon, translated", "1", "amd64", "arm64", true},
		{"Apple Silicon, native", "0", "arm64", "arm64", false},
		{"Apple Silicon, amd64 build run natively?", "0", "amd64", "amd64", false},
		{"Intel: no such key", "", "amd64", "amd64", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newFakeMac(t, tc.translated, true)
			env := m.env("TOOLS")
			if got := nativeArch(ctx, tc.goarch, env.Run); got != tc.want {
				t.Errorf("nativeArch(%s) = %s, want %s", tc.goarch, got, tc.want)
			}
			st, err := (&Unix{GOOS: "darwin", Env: env}).Status(ctx, StatusOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if st.Rosetta != tc.rosetta {
				t.Errorf("Rosetta = %v", st.Rosetta)
			}
		})
	}
}
