package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/manifest"
	"github.com/goverdev/gover/platform"
	"github.com/goverdev/gover/shims/selection"
)

func TestDetectCI(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want ciSystem
	}{
		{nil, ciPlain},
		{map[string]string{"CI": "true", "GITLAB_CI": "true"}, ciPlain},
		{map[string]string{"GITHUB_ACTIONS": "true"}, ciGitHub},
		{map[string]string{"GITHUB_ACTIONS": "false"}, ciPlain},
		{map[string]string{"TF_BUILD": "True"}, ciAzure},
		{map[string]string{"CIRCLECI": "true"}, ciCircle},
		// act and other GitHub emulators set GITHUB_ACTIONS, and it wins.
		{map[string]string{"GITHUB_ACTIONS": "true", "CIRCLECI": "true"}, ciGitHub},
	} {
		got := detectCI(func(k string) string { return tc.env[k] })
		if got != tc.want {
			t.Errorf("detectCI(%v) = %v, want %v", tc.env, got, tc.want)
		}
	}
}

func TestCIInstallWord(t *testing.T) {
	word := func(s string) goversion.Word {
		w, err := goversion.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	min := func(s string) goversion.Word {
		w, err := goversion.MinimumOf(s)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	for _, tc := range []struct {
		sel  selection.Selection
		want goversion.Word
	}{
		{selection.Selection{Word: word("1.22.5")}, word("1.22.5")},
		{selection.Selection{Word: word("1.22")}, word("1.22")},
		{selection.Selection{Word: word("latest")}, word("latest")},
		// An exact go line is installed as it is: reproducible, and the cache key needs no network.
		{selection.Selection{Word: min("1.22.5")}, word("1.22.5")},
		// A bare line is the newest release of it.
		{selection.Selection{Word: min("1.22")}, word("1.22")},
		{selection.Selection{Word: min("1.20")}, word("1.20")},
		{selection.Selection{Word: min("1.23rc1")}, word("1.23rc1")},
		// Fallbacks: the first.
		{selection.Selection{Word: word("1.21.0"), Fallbacks: []goversion.Word{word("1.22.5")}}, word("1.21.0")},
	} {
		if got := ciInstallWord(tc.sel); got != tc.want {
			t.Errorf("ciInstallWord(%+v) = %+v, want %+v", tc.sel, got, tc.want)
		}
	}
}

func TestCacheKey(t *testing.T) {
	got := cacheKey("go1.22.5", installer.Platform{OS: "linux", Arch: "amd64"})
	if got != "gover-go1.22.5-linux-amd64" {
		t.Errorf("cacheKey = %q", got)
	}
}

var testExports = ciExports{
	Path:    []string{"/r/versions/go1.22.5/bin", "/r/shims", "/h/go/bin"},
	Env:     [][2]string{{"GOROOT", "/r/versions/go1.22.5"}, {"GOTOOLCHAIN", "local"}},
	Outputs: [][2]string{{"go-version", "1.22.5"}},
}

func TestShellExports(t *testing.T) {
	sep := string(filepath.ListSeparator)
	want := "export GOROOT='/r/versions/go1.22.5'\n" +
		"export GOTOOLCHAIN='local'\n" +
		"export PATH='/r/versions/go1.22.5/bin" + sep + "/r/shims" + sep + "/h/go/bin'\"" + sep + "$PATH\"\n"
	if got := shellExports(testExports); got != want {
		t.Errorf("shellExports =\n%s\nwant\n%s", got, want)
	}
}

// TestShellExportsRunInSh evaluates the export lines in a real sh, with
// the characters a path may hold that a shell would otherwise act on.
func TestShellExportsRunInSh(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatalf("a POSIX sh is needed to check the export lines: %v", err)
	}
	odd := `/tmp/it's $HOME "q" ` + "`x` \\n;&|*"
	x := ciExports{Path: []string{odd + "/bin"}, Env: [][2]string{{"GOROOT", odd}}}
	cmd := exec.Command(sh, "-c", shellExports(x)+`printf '%s\n%s' "$GOROOT" "$PATH"`)
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := odd + "\n" + odd + "/bin" + string(filepath.ListSeparator) + "/usr/bin:/bin"
	if string(out) != want {
		t.Errorf("sh saw\n%q\nwant\n%q", out, want)
	}
}

func TestAzureCommands(t *testing.T) {
	want := "##vso[task.prependpath]/h/go/bin\n" +
		"##vso[task.prependpath]/r/shims\n" +
		"##vso[task.prependpath]/r/versions/go1.22.5/bin\n" +
		"##vso[task.setvariable variable=GOROOT]/r/versions/go1.22.5\n" +
		"##vso[task.setvariable variable=GOTOOLCHAIN]local\n"
	if got := azureCommands(testExports); got != want {
		t.Errorf("azureCommands =\n%s\nwant\n%s", got, want)
	}
	if got := azureEscape("100%\r\nx"); got != "100%AZP25%0D%0Ax" {
		t.Errorf("azureEscape = %q", got)
	}
}

func TestGitHubLines(t *testing.T) {
	got := githubLines([][2]string{{"a", "1"}, {"paths", "/x\n/y"}, {"b", ""}})
	re := regexp.MustCompile(`^a=1\npaths<<(gover_EOF_[0-9a-f]{16})\n/x\n/y\n(gover_EOF_[0-9a-f]{16})\nb=\n$`)
	m := re.FindStringSubmatch(got)
	if m == nil || m[1] != m[2] {
		t.Fatalf("githubLines =\n%s", got)
	}
	// What the runner reads back is what was written.
	vars := parseGitHubFile(t, got)
	if vars["paths"] != "/x\n/y" || vars["a"] != "1" || vars["b"] != "" {
		t.Errorf("read back %q", vars)
	}
}

// parseGitHubFile reads a GITHUB_ENV / GITHUB_OUTPUT file as the runner
// does (actions/runner, SetEnvFileCommand).
func parseGitHubFile(t *testing.T, s string) map[string]string {
	t.Helper()
	vars := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if k, v, ok := strings.Cut(l, "="); ok && !strings.Contains(k, "<<") {
			vars[k] = v
			continue
		}
		k, delim, ok := strings.Cut(l, "<<")
		if !ok {
			t.Fatalf("line %q is neither NAME=VALUE nor NAME<<DELIM", l)
		}
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("no closing %s", delim)
		}
		vars[k] = strings.Join(val, "\n")
	}
	return vars
}

func TestExportCIWritesGitHubFiles(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{
		"GITHUB_ACTIONS": "true",
		"GITHUB_PATH":    filepath.Join(dir, "path"),
		"GITHUB_ENV":     filepath.Join(dir, "env"),
		"GITHUB_OUTPUT":  filepath.Join(dir, "output"),
	}
	// The runner's files may already hold earlier steps' lines.
	os.WriteFile(env["GITHUB_PATH"], []byte("/earlier\n"), 0o644)
	var stdout strings.Builder
	e := &Env{Getenv: func(k string) string { return env[k] }, Stdout: &stdout}
	if err := exportCI(e, ciGitHub, testExports); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		b, err := os.ReadFile(env[name])
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if got, want := read("GITHUB_PATH"), "/earlier\n/h/go/bin\n/r/shims\n/r/versions/go1.22.5/bin\n"; got != want {
		t.Errorf("GITHUB_PATH =\n%s\nwant\n%s", got, want)
	}
	if got, want := read("GITHUB_ENV"), "GOROOT=/r/versions/go1.22.5\nGOTOOLCHAIN=local\n"; got != want {
		t.Errorf("GITHUB_ENV =\n%s\nwant\n%s", got, want)
	}
	if got, want := read("GITHUB_OUTPUT"), "go-version=1.22.5\n"; got != want {
		t.Errorf("GITHUB_OUTPUT =\n%s\nwant\n%s", got, want)
	}
	if stdout.String() != shellExports(testExports) {
		t.Errorf("stdout = %q, want the export lines", stdout.String())
	}
}

func TestExportCICircleNeedsBashEnv(t *testing.T) {
	e := &Env{Getenv: func(string) string { return "" }, Stdout: &strings.Builder{}}
	err := exportCI(e, ciCircle, testExports)
	if err == nil || !strings.Contains(err.Error(), "BASH_ENV is not set") {
		t.Fatalf("err = %v", err)
	}
}

// tree writes files under a temporary folder and returns it with the
// manifest an unpacker would have recorded.
func tree(t *testing.T, files map[string]string) (string, manifest.Manifest) {
	t.Helper()
	dir := t.TempDir()
	var m manifest.Manifest
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if target, ok := strings.CutPrefix(body, "-> "); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			m.Files = append(m.Files, manifest.File{Path: name, Mode: os.ModeSymlink, Target: target})
			continue
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		m.Files = append(m.Files, manifest.File{Path: name, Size: int64(len(body)), Mode: 0o644, SHA256: sha256.Sum256([]byte(body))})
	}
	m.Sort()
	return dir, m
}

func TestCheckInstalled(t *testing.T) {
	files := map[string]string{
		"bin/go":           "go binary",
		"bin/gofmt":        "gofmt binary",
		"src/fmt/print.go": "package fmt",
		"misc/link":        "-> ../bin/go",
		"VERSION":          "go1.22.5\ntime 2024-07-02T20:11:03Z\n",
	}
	goos, goarch := platform.Host()
	for _, tc := range []struct {
		name   string
		change func(dir, record string)
		want   string // "" for a match
	}{
		{"unchanged", func(string, string) {}, ""},
		{"empty folder added", func(d, _ string) { os.Mkdir(filepath.Join(d, "pkg"), 0o755) }, ""},
		{"content", func(d, _ string) { os.WriteFile(filepath.Join(d, "bin/go"), []byte("go binarY"), 0o644) }, "bin/go: content changed"},
		{"extra", func(d, _ string) { os.WriteFile(filepath.Join(d, "bin/go2"), nil, 0o644) }, "bin/go2 is not in its install record"},
		{"missing", func(d, _ string) { os.Remove(filepath.Join(d, "src/fmt/print.go")) }, "src/fmt/print.go is missing"},
		{"two changes", func(d, _ string) {
			os.WriteFile(filepath.Join(d, "bin/go"), []byte("go binarY"), 0o644)
			os.Remove(filepath.Join(d, "bin/gofmt"))
		}, "bin/go: content changed (and 1 more differences)"},
		{"link retargeted", func(d, _ string) {
			os.Remove(filepath.Join(d, "misc/link"))
			os.Symlink("/etc/passwd", filepath.Join(d, "misc/link"))
		}, "misc/link: target is /etc/passwd, want ../bin/go"},
		{"no record", func(_, r string) { os.Remove(r) }, "it has no install record"},
		{"empty record", func(_, r string) { os.WriteFile(r, []byte(`{"version":"go1.22.5"}`), 0o644) }, "its install record lists no files"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			built, m := tree(t, files)
			dir := filepath.Join(t.TempDir(), "go1.22.5") // a tree is bound to its folder's name
			if err := os.Rename(built, dir); err != nil {
				t.Fatal(err)
			}
			record := dir + ".json"
			data, err := json.Marshal(installer.Record{Version: "go1.22.5", OS: goos, Arch: goarch, Manifest: m})
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(record, data, 0o644)
			tc.change(dir, record)
			// The checksum database is asked about every record; here it
			// cannot be reached (its own test is ci_forged_record.txtar).
			var stderr bytes.Buffer
			getenv := func(k string) string {
				if k == "GOSUMDB" {
					return "sum.golang.org http://127.0.0.1:1"
				}
				return ""
			}
			n, _, err := checkInstalled(context.Background(), &Env{Getenv: getenv, Stderr: &stderr}, record, dir)
			if tc.want == "" && !strings.Contains(stderr.String(), "cannot ask the checksum database about go1.22.5") {
				t.Errorf("stderr %q: want a warning that the database could not be asked", stderr.String())
			}
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("checkInstalled: %v", err)
			case tc.want == "" && n != len(files):
				t.Fatalf("checkInstalled checked %d files, want %d", n, len(files))
			case tc.want != "" && (err == nil || err.Error() != tc.want):
				t.Fatalf("checkInstalled = %v, want %q", err, tc.want)
			}
		})
	}
}
