package release

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// shEnv is a machine for install.sh: a fresh HOME, a PATH of the given
// tools, the release at url.
type shEnv struct {
	t                     *testing.T
	work, home, script    string
	path, url, installDir string
	extra                 []string
}

func newShEnv(t *testing.T, url, path string) *shEnv {
	t.Helper()
	work := t.TempDir()
	// A copy of install.sh outside any checkout takes the download path.
	script := filepath.Join(work, "install.sh")
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "install.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, data, 0o755); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(work, "home")
	os.Mkdir(home, 0o755)
	os.Mkdir(filepath.Join(work, "tmp"), 0o755)
	return &shEnv{t: t, work: work, home: home, script: script, path: path, url: url,
		installDir: filepath.Join(home, ".local", "bin")}
}

func (e *shEnv) env() []string {
	return append([]string{
		"PATH=" + e.path,
		"HOME=" + e.home,
		"SHELL=/bin/bash",
		"TMPDIR=" + filepath.Join(e.work, "tmp"),
		"GOVER_RELEASE_URL=" + e.url,
		"GOVER_FAKE_LOG=" + filepath.Join(e.work, "gover.log"),
	}, e.extra...)
}

func (e *shEnv) run(args ...string) run {
	e.t.Helper()
	return runScript(e.t, e.work, e.env(), nil, "sh", append([]string{e.script}, args...)...)
}

// installed returns the installed file, or nil.
func (e *shEnv) installed(name string) []byte {
	data, err := os.ReadFile(filepath.Join(e.installDir, name))
	if err != nil {
		return nil
	}
	return data
}

// checkClean asserts nothing is left behind but the two binaries.
func (e *shEnv) checkClean() {
	e.t.Helper()
	entries, _ := os.ReadDir(e.installDir)
	for _, de := range entries {
		if de.Name() != "gover" && de.Name() != "gover-shim" {
			e.t.Errorf("left in the install folder: %s", de.Name())
		}
	}
	if tmp, _ := os.ReadDir(filepath.Join(e.work, "tmp")); len(tmp) > 0 {
		e.t.Errorf("left in TMPDIR: %v", tmp)
	}
}

func TestInstallShDownloads(t *testing.T) {
	srv := NewServer(fakeRelease("v1.0.0"))
	defer srv.Close()
	e := newShEnv(t, srv.URL+"/releases/latest/download/", toolFarm(t, nil, nil))
	host := Platform{"linux", "amd64"}
	if out, _ := exec.Command("uname", "-m").Output(); strings.TrimSpace(string(out)) == "aarch64" {
		host.Arch = "arm64"
	}

	r := e.run()
	if r.code != 0 {
		t.Fatalf("install.sh exited %d:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{
		"downloading " + AssetName(host) + " from " + srv.URL + "/releases/latest/download\n",
		"installed gover version v1.0.0 (commit 0123456789ab) and gover-shim in " + e.installDir + "\n",
		// ~/.local/bin is not on PATH here: the setup command must work as written.
		"add this line to " + e.home + "/.bashrc (or run '" + e.installDir + "/gover setup', which does it for you)",
		"\texport PATH=\"$HOME/.local/bin:$PATH\"; eval \"$(gover init bash)\"\n",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if !bytes.Equal(e.installed("gover"), fakeGover("v1.0.0")) || e.installed("gover-shim") == nil {
		t.Fatalf("gover and gover-shim are not installed as released")
	}
	if fi, _ := os.Stat(filepath.Join(e.installDir, "gover-shim")); fi.Mode().Perm() != 0o755 {
		t.Errorf("gover-shim mode %v, want 0755", fi.Mode().Perm())
	}
	if srv.Requests(Checksums) != 1 || srv.Requests(AssetName(host)) != 1 {
		t.Errorf("requests: %d %s, %d %s", srv.Requests(Checksums), Checksums, srv.Requests(AssetName(host)), AssetName(host))
	}
	e.checkClean()

	// Again: nothing changes, and it says so.
	r = e.run()
	if r.code != 0 || !strings.Contains(r.stderr, "gover version v1.0.0 (commit 0123456789ab) in "+e.installDir+" is up to date\n") {
		t.Fatalf("second run exited %d:\n%s", r.code, r.stderr)
	}
	e.checkClean()

	// A new release replaces the old one.
	for name, data := range fakeRelease("v1.1.0") {
		srv.Set(name, data)
	}
	r = e.run()
	if r.code != 0 || !strings.Contains(r.stderr, "installed gover version v1.1.0") || !bytes.Equal(e.installed("gover"), fakeGover("v1.1.0")) {
		t.Fatalf("update exited %d:\n%s", r.code, r.stderr)
	}

	// With the folder on PATH already, the line only sets up the shims;
	// zsh and fish users get theirs.
	e.path = e.installDir + ":" + e.path
	for shell, want := range map[string]string{
		"/bin/bash":     "\teval \"$(gover init bash)\"\n",
		"/usr/bin/zsh":  "add this line to " + e.home + "/.zshrc",
		"/usr/bin/fish": "\tgover init fish | source\n",
		"/bin/dash":     "\texport PATH=\"$HOME/.local/bin:$PATH\"\n",
	} {
		e.extra = []string{"SHELL=" + shell}
		if r := e.run(); r.code != 0 || !strings.Contains(r.stderr, want) {
			t.Errorf("SHELL=%s: exited %d, stderr lacks %q:\n%s", shell, r.code, want, r.stderr)
		}
	}
}

func TestInstallShRefusesTampered(t *testing.T) {
	srv := NewServer(fakeRelease("v1.0.0"))
	defer srv.Close()
	e := newShEnv(t, srv.URL, toolFarm(t, nil, nil))
	if r := e.run(); r.code != 0 {
		t.Fatalf("install.sh exited %d:\n%s", r.code, r.stderr)
	}

	// A new release whose archives were swapped after the checksums were
	// made (a compromised mirror or host): refused, the old gover stays.
	evil := fakeRelease("v6.6.6")
	good := fakeRelease("v1.1.0")
	for name := range good {
		if name != Checksums {
			srv.Set(name, evil[name])
		}
	}
	srv.Set(Checksums, good[Checksums])
	r := e.run()
	if r.code != 3 {
		t.Fatalf("tampered archive: exit %d, want 3:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "SHA-256 is ") || !strings.Contains(r.stderr, " but checksums.txt says ") ||
		!strings.Contains(r.stderr, "(the download was altered or corrupted; nothing was installed)") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if !bytes.Equal(e.installed("gover"), fakeGover("v1.0.0")) {
		t.Errorf("the installed gover changed")
	}
	e.checkClean()

	// Digests in capitals, a "*name" binary-mode line: still checked, still refused.
	var upper bytes.Buffer
	for _, l := range strings.Split(strings.TrimSpace(string(good[Checksums])), "\n") {
		sum, name, _ := strings.Cut(l, "  ")
		upper.WriteString(strings.ToUpper(sum) + " *" + name + "\n")
	}
	srv.Set(Checksums, upper.Bytes())
	if r := e.run(); r.code != 3 {
		t.Fatalf("tampered archive, capital digests: exit %d, want 3:\n%s", r.code, r.stderr)
	}
	for name, data := range good {
		if name != Checksums {
			srv.Set(name, data)
		}
	}
	if r := e.run(); r.code != 0 || !bytes.Equal(e.installed("gover"), fakeGover("v1.1.0")) {
		t.Fatalf("capital digests, good archive: exit %d:\n%s", r.code, r.stderr)
	}
}

func TestInstallShErrors(t *testing.T) {
	srv := NewServer(fakeRelease("v1.0.0"))
	defer srv.Close()
	noSums := NewServer(map[string][]byte{Checksums: []byte("0000  other.tar.gz\n")})
	defer noSums.Close()
	badSum := fakeRelease("v1.0.0")
	badSum[Checksums] = []byte(strings.ReplaceAll(string(badSum[Checksums]), "  ", "zz  "))
	badSums := NewServer(badSum)
	defer badSums.Close()
	empty := NewServer(nil)
	defer empty.Close()

	for _, tc := range []struct {
		name  string
		url   string
		hide  []string
		fakes map[string]string
		dir   string // GOVER_INSTALL_DIR, relative to the work folder
		args  []string
		code  int
		want  string
	}{
		{name: "freebsd", fakes: map[string]string{"uname": fakeUname("FreeBSD", "amd64")},
			code: 1, want: "install.sh: no gover release for FreeBSD (releases are built for Linux, macOS and Windows; elsewhere build it with: go install github.com/goverdev/gover/cmd/...@latest)\n"},
		{name: "riscv", fakes: map[string]string{"uname": fakeUname("Linux", "riscv64")},
			code: 1, want: "install.sh: no gover release for Linux on riscv64 (releases are built for amd64 and arm64;"},
		{name: "windows shell", fakes: map[string]string{"uname": fakeUname("MINGW64_NT-10.0-19045", "x86_64")},
			code: 1, want: "install.sh: on Windows, run install.ps1 in PowerShell: irm https://github.com/goverdev/gover/releases/latest/download/install.ps1 | iex\n"},
		{name: "no curl or wget", hide: []string{"curl", "wget"},
			code: 1, want: "install.sh: neither curl nor wget is installed (install one, e.g. 'apt-get install curl')\n"},
		{name: "no sha256 tool", hide: []string{"sha256sum", "shasum", "openssl"},
			code: 1, want: "install.sh: cannot check downloads: no sha256sum, shasum or openssl found (install one, e.g. 'apt-get install coreutils')\n"},
		{name: "folder in the way", dir: "file/bin",
			code: 1, want: "/file/bin (set GOVER_INSTALL_DIR to a folder you can write)\n"},
		{name: "not a release", url: empty.URL,
			code: 1, want: "install.sh: cannot download " + empty.URL + "/checksums.txt (check the address and your network; set GOVER_RELEASE_URL to use a mirror)\n"},
		{name: "release without this platform", url: noSums.URL,
			code: 1, want: "install.sh: checksums.txt at " + noSums.URL + " lists no gover_linux_"},
		{name: "malformed digest", url: badSums.URL,
			code: 1, want: "install.sh: checksums.txt at " + badSums.URL + " has no valid SHA-256 for gover_linux_"},
		{name: "unknown option", args: []string{"--frobnicate"},
			code: 1, want: "install.sh: unknown option --frobnicate\n"},
		{name: "version without tag", args: []string{"--version"},
			code: 1, want: "install.sh: --version needs a release tag, e.g. --version v0.3.0\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url := srv.URL
			if tc.url != "" {
				url = tc.url
			}
			e := newShEnv(t, url, toolFarm(t, tc.hide, tc.fakes))
			os.WriteFile(filepath.Join(e.work, "file"), nil, 0o644)
			if tc.dir != "" {
				e.installDir = filepath.Join(e.work, tc.dir)
				e.extra = []string{"GOVER_INSTALL_DIR=" + e.installDir}
			}
			r := e.run(tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("exit %d, want %d; stderr lacks %q:\n%s", r.code, tc.code, tc.want, r.stderr)
			}
			if e.installed("gover") != nil {
				t.Errorf("gover was installed")
			}
			if tmp, _ := os.ReadDir(filepath.Join(e.work, "tmp")); len(tmp) > 0 {
				t.Errorf("left in TMPDIR: %v", tmp)
			}
		})
	}
}

// TestInstallShTools installs with each downloader and digest tool it knows.
func TestInstallShTools(t *testing.T) {
	srv := NewServer(fakeRelease("v1.0.0"))
	defer srv.Close()
	for _, tc := range []struct {
		name, uses string
		hide       []string
	}{
		{"curl and sha256sum", "curl", nil},
		{"wget", "wget", []string{"curl"}},
		{"shasum", "shasum", []string{"sha256sum"}},
		{"openssl", "openssl", []string{"sha256sum", "shasum"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lookPath(t, tc.uses, "to prove install.sh works with it")
			e := newShEnv(t, srv.URL, toolFarm(t, tc.hide, nil))
			if r := e.run(); r.code != 0 || !bytes.Equal(e.installed("gover"), fakeGover("v1.0.0")) {
				t.Fatalf("exit %d:\n%s", r.code, r.stderr)
			}
		})
	}
}

// TestInstallShPlatforms picks the archive of the machine uname describes,
// the native one under Rosetta 2.
func TestInstallShPlatforms(t *testing.T) {
	for _, tc := range []struct {
		kernel, machine, rosetta string
		want                     Platform
	}{
		{"Linux", "x86_64", "", Platform{"linux", "amd64"}},
		{"Linux", "aarch64", "", Platform{"linux", "arm64"}},
		{"Darwin", "arm64", "", Platform{"darwin", "arm64"}},
		{"Darwin", "x86_64", "0", Platform{"darwin", "amd64"}},
		{"Darwin", "x86_64", "1", Platform{"darwin", "arm64"}},
	} {
		t.Run(tc.kernel+"-"+tc.machine+"-"+tc.rosetta, func(t *testing.T) {
			// The fake archives hold sh scripts, so any platform's runs here.
			srv := NewServer(fakeRelease("v1.0.0"))
			defer srv.Close()
			fakes := map[string]string{"uname": fakeUname(tc.kernel, tc.machine)}
			if tc.rosetta != "" {
				fakes["sysctl"] = "#!/bin/sh\n[ \"$*\" = '-n hw.optional.arm64' ] && echo " + tc.rosetta + "\n"
			}
			e := newShEnv(t, srv.URL, toolFarm(t, nil, fakes))
			if r := e.run(); r.code != 0 {
				t.Fatalf("exit %d:\n%s", r.code, r.stderr)
			}
			for _, p := range Platforms() {
				want := 0
				if p == tc.want {
					want = 1
				}
				if got := srv.Requests(AssetName(p)); got != want {
					t.Errorf("%s requested %d times, want %d", AssetName(p), got, want)
				}
			}
		})
	}
}

// TestInstallShVersionTag downloads a tagged release from GitHub; a fake
// curl shows where from, with no network.
func TestInstallShVersionTag(t *testing.T) {
	curl := `#!/bin/sh
echo "curl $*" >>"$GOVER_FAKE_LOG"
exit 22
`
	e := newShEnv(t, "http://127.0.0.1:9/unused", toolFarm(t, nil, map[string]string{"curl": curl, "uname": fakeUname("Linux", "x86_64")}))
	r := e.run("--version", "v0.3.0")
	want := "install.sh: cannot download https://github.com/goverdev/gover/releases/download/v0.3.0/checksums.txt"
	if r.code != 1 || !strings.Contains(r.stderr, want) {
		t.Fatalf("exit %d, stderr lacks %q:\n%s", r.code, want, r.stderr)
	}
	log, _ := os.ReadFile(filepath.Join(e.work, "gover.log"))
	if !strings.Contains(string(log), "curl -fsSL --retry 3 -o ") {
		t.Errorf("curl was run as: %s", log)
	}
}

func TestInstallShSetup(t *testing.T) {
	srv := NewServer(fakeRelease("v1.0.0"))
	defer srv.Close()
	e := newShEnv(t, srv.URL, toolFarm(t, nil, nil))
	r := e.run("--setup")
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	log, _ := os.ReadFile(filepath.Join(e.work, "gover.log"))
	if string(log) != "gover setup\n" {
		t.Errorf("gover was asked to: %q, want \"gover setup\\n\"", log)
	}
	if strings.Contains(r.stderr, "add this line") {
		t.Errorf("--setup still asks for an rc line:\n%s", r.stderr)
	}
}

// TestInstallShPiped runs install.sh as "curl … | sh" does, from inside a
// checkout: with no file to run, it downloads rather than builds.
func TestInstallShPiped(t *testing.T) {
	srv := NewServer(fakeRelease("v1.0.0"))
	defer srv.Close()
	e := newShEnv(t, srv.URL, toolFarm(t, nil, nil))
	script, _ := os.ReadFile(e.script)
	r := runScript(t, repoRoot(t), e.env(), script, "sh", "-s", "--", "--setup")
	if r.code != 0 || !bytes.Equal(e.installed("gover"), fakeGover("v1.0.0")) {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if log, _ := os.ReadFile(filepath.Join(e.work, "gover.log")); string(log) != "gover setup\n" {
		t.Errorf("arguments after -s -- were not seen: log %q", log)
	}
}

// TestInstallShFromCheckout is the README's first command: build both
// binaries from this checkout and install them.
func TestInstallShFromCheckout(t *testing.T) {
	if testing.Short() {
		t.Skip("builds gover (-short)")
	}
	lookPath(t, "go", "to build gover from the checkout")
	dir := filepath.Join(t.TempDir(), "bin")
	env := append(os.Environ(), "GOVER_INSTALL_DIR="+dir, "SHELL=/bin/bash")
	r := runScript(t, repoRoot(t), env, nil, "sh", "./install.sh")
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "building gover and gover-shim from "+repoRoot(t)) || !strings.Contains(r.stderr, "installed gover version ") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	out, err := exec.Command(filepath.Join(dir, "gover"), "--version").Output()
	if err != nil || !strings.HasPrefix(string(out), "gover version ") {
		t.Fatalf("installed gover --version: %q, %v", out, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "gover-shim")); err != nil {
		t.Fatal(err)
	}
	// Built twice from the same source (-trimpath), it is up to date.
	r = runScript(t, repoRoot(t), env, nil, "sh", "./install.sh")
	if r.code != 0 || !strings.Contains(r.stderr, " is up to date\n") {
		t.Fatalf("second run: exit %d:\n%s", r.code, r.stderr)
	}
}

func TestInstallShShellcheck(t *testing.T) {
	sc := lookPath(t, "shellcheck", "to lint install.sh")
	out, err := exec.Command(sc, "--shell=sh", filepath.Join(repoRoot(t), "install.sh")).CombinedOutput()
	if err != nil {
		t.Fatalf("shellcheck install.sh: %v\n%s", err, out)
	}
}
