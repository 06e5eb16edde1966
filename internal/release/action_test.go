package release

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/goverdev/gover/internal/testdist"
)

func TestParseYAML(t *testing.T) {
	src := `# a comment
name: x  # trailing
empty: ''
quoted: "a \"b\""
single: 'it''s'
list:
  - a
  - k: v
    k2: 'w'
  -
    deep: 1
map:
  inner:
    run: |
      echo one
        indented # kept

      echo two
    after: 2
`
	got, err := parseYAML(src)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"name": "x", "empty": "", "quoted": `a "b"`, "single": "it's",
		"list": []any{"a", map[string]any{"k": "v", "k2": "w"}, map[string]any{"deep": "1"}},
		"map": map[string]any{"inner": map[string]any{
			"run":   "echo one\n  indented # kept\n\necho two\n",
			"after": "2",
		}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseYAML =\n%#v\nwant\n%#v", got, want)
	}
	for _, bad := range []string{"a: {b: 1}", "a:\n\tb: 1", "a: 1\na: 2", "a: @x", "a: 'open"} {
		if _, err := parseYAML(bad); err == nil {
			t.Errorf("parseYAML(%q) did not fail", bad)
		}
	}
}

func TestExpr(t *testing.T) {
	vars := map[string]string{"inputs.cache": "true", "inputs.empty": "", "runner.os": "Linux"}
	lookup := func(p string) string { return vars[p] }
	for src, want := range map[string]string{
		"inputs.cache == 'true'":                        "true",
		"inputs.cache == 'TRUE'":                        "true",
		"inputs.cache != 'true'":                        "",
		"runner.os != 'Windows'":                        "true",
		"inputs.cache == 'true' && inputs.empty != 'x'": "true",
		"inputs.cache == 'true' && inputs.empty":        "",
		"inputs.empty || 'fallback'":                    "fallback",
		"!(inputs.cache == 'true')":                     "",
		"inputs.cache":                                  "true",
	} {
		got, err := expr(src, lookup)
		if err != nil || got != want {
			t.Errorf("expr(%q) = %q, %v; want %q", src, got, err, want)
		}
	}
	got, err := interpolate("${{ runner.os }}/x/${{inputs.cache}}", lookup)
	if err != nil || got != "Linux/x/true" {
		t.Errorf("interpolate = %q, %v", got, err)
	}
}

// TestActionInputs keeps action.yml's surface as documented: setup-go's
// names where they mean the same.
func TestActionInputs(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parseYAML(string(data))
	if err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	action := doc.(map[string]any)
	for _, section := range []struct {
		name string
		want []string
	}{
		{"inputs", []string{"cache", "go-version", "go-version-file", "gover-release-url", "gover-version", "mirror"}},
		{"outputs", []string{"cache-hit", "cache-key", "go-path", "go-version"}},
	} {
		m, _ := action[section.name].(map[string]any)
		var got []string
		for k, v := range m {
			got = append(got, k)
			if d, _ := v.(map[string]any)["description"].(string); d == "" {
				t.Errorf("%s.%s has no description", section.name, k)
			}
		}
		if !sameSet(got, section.want) {
			t.Errorf("%s: %v, want %v", section.name, got, section.want)
		}
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			return false
		}
	}
	return true
}

// buildGover builds the real gover and gover-shim.
func buildGover(t *testing.T) map[string][]byte {
	t.Helper()
	goCmd := lookPath(t, "go", "to build gover for the simulated runner")
	dir := t.TempDir()
	cmd := exec.Command(goCmd, "build", "-o", dir+string(os.PathSeparator), "github.com/goverdev/gover/cmd/gover", "github.com/goverdev/gover/cmd/gover-shim")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build gover: %v\n%s", err, out)
	}
	bins := map[string][]byte{}
	for _, name := range []string{"gover", "gover-shim"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		bins[name] = data
	}
	return bins
}

// TestAction runs action.yml's steps in a simulated runner, job after job
// sharing one cache: a cold job installs and saves, a warm one restores and
// re-hashes, a poisoned cache is caught, a tampered gover release refused.
func TestAction(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the action's Windows steps are PowerShell; install_ps1_test.go checks those")
	}
	host := Platform{runtime.GOOS, runtime.GOARCH}
	bins := buildGover(t)
	rel := Files([]Platform{host}, bins)
	srv := NewServer(rel)
	defer srv.Close()
	dist := testdist.New(t, testdist.Options{})
	archive := "/dl/" + testdist.ArchiveName("go1.22.5", host.OS, host.Arch)
	key := "gover-go1.22.5-" + host.OS + "-" + host.Arch
	cacheStore := t.TempDir()
	workspace := t.TempDir()
	os.WriteFile(filepath.Join(workspace, ".go-version"), []byte("1.22.5\n"), 0o644)

	// Every job runs on a fresh machine laid out alike, as GitHub's runners
	// are: the same HOME and RUNNER_TEMP, empty at the start.
	machine := t.TempDir()
	home, temp := filepath.Join(machine, "home", "runner"), filepath.Join(machine, "work", "_temp")
	job := func() *runner {
		for _, d := range []string{home, temp} {
			os.RemoveAll(d)
			os.MkdirAll(d, 0o755)
		}
		env := map[string]string{
			"PATH":              "/usr/local/bin:/usr/bin:/bin",
			"HOME":              home,
			"CI":                "true",
			"GITHUB_ACTIONS":    "true",
			"GITHUB_WORKSPACE":  workspace,
			"RUNNER_OS":         "Linux",
			"TMPDIR":            temp,
			"GOVER_RETRY_DELAY": "1ms",
		}
		for _, kv := range dist.Env() {
			k, v, _ := strings.Cut(kv, "=")
			env[k] = v
		}
		return &runner{t: t, actionPath: repoRoot(t), workspace: workspace, temp: temp, cacheStore: cacheStore, env: env}
	}
	// after runs a later step of the job, as a workflow's own run: would.
	after := func(r *runner, script string) string {
		t.Helper()
		r.log.Reset()
		err := r.step(99, map[string]any{"shell": "bash", "run": script}, func(string) string { return "" })
		if err != nil {
			t.Fatalf("step after the action: %v\n%s", err, r.log.String())
		}
		return r.log.String()
	}
	check := func(got map[string]string, want map[string]string) {
		t.Helper()
		for k, v := range want {
			if got[k] != v {
				t.Errorf("output %s = %q, want %q", k, got[k], v)
			}
		}
	}

	// A cold job: gover from the release, Go from the official site, the cache saved.
	r := job()
	out, err := r.runAction(map[string]string{"gover-release-url": srv.URL})
	if err != nil {
		t.Fatalf("cold job: %v\n%s", err, r.log.String())
	}
	check(out, map[string]string{"go-version": "1.22.5", "cache-key": key, "cache-hit": "false"})
	if !strings.HasSuffix(out["go-path"], filepath.Join("gover", "versions", "go1.22.5")) {
		t.Errorf("go-path = %q", out["go-path"])
	}
	for _, want := range []string{"installed gover version ", "installed go1.22.5", "Cache saved with key: " + key} {
		if !strings.Contains(r.log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, r.log.String())
		}
	}
	if _, err := os.Stat(filepath.Join(cacheStore, key, out["go-path"]+".json")); err != nil {
		t.Errorf("the cache holds no install record: %v", err)
	}
	log := after(r, `go version; echo "GOROOT=$GOROOT GOTOOLCHAIN=$GOTOOLCHAIN"; command -v gover`)
	for _, want := range []string{"go version go1.22.5 " + host.OS + "/" + host.Arch, "GOROOT=" + out["go-path"] + " GOTOOLCHAIN=local", filepath.Join(r.temp, "gover", "bin", "gover")} {
		if !strings.Contains(log, want) {
			t.Errorf("a later step sees %q, lacks %q", log, want)
		}
	}
	if n := dist.Requests(archive); n != 1 {
		t.Fatalf("%s requested %d times, want 1", archive, n)
	}

	// A warm job on a fresh machine: restored, re-hashed, nothing downloaded.
	r = job()
	out, err = r.runAction(map[string]string{"gover-release-url": srv.URL})
	if err != nil {
		t.Fatalf("warm job: %v\n%s", err, r.log.String())
	}
	check(out, map[string]string{"go-version": "1.22.5", "cache-hit": "true"})
	if !strings.Contains(r.log.String(), "matches its install record") || strings.Contains(r.log.String(), "Cache saved") {
		t.Errorf("warm job log:\n%s", r.log.String())
	}
	if n := dist.Requests(archive); n != 1 {
		t.Errorf("%s requested %d times after a cache hit, want 1", archive, n)
	}
	if log := after(r, "go version"); !strings.Contains(log, "go1.22.5") {
		t.Errorf("a later step sees %q", log)
	}

	// A poisoned cache: the changed tree is not used.
	goPath := out["go-path"]
	gofmt := filepath.Join(cacheStore, key, goPath, "bin", "gofmt")
	if err := os.WriteFile(gofmt, []byte("#!/bin/sh\necho pwned\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	r = job()
	out, err = r.runAction(map[string]string{"gover-release-url": srv.URL})
	if err != nil {
		t.Fatalf("poisoned cache: %v\n%s", err, r.log.String())
	}
	// The outputs still name the version and the (reinstalled) toolchain.
	check(out, map[string]string{"go-version": "1.22.5", "go-path": goPath})
	if !strings.Contains(r.log.String(), "::warning::gover: go1.22.5 in ") || !strings.Contains(r.log.String(), "bin/gofmt: content changed; installing it again") {
		t.Errorf("poisoned cache log:\n%s", r.log.String())
	}
	if log := after(r, "echo 'package x' | gofmt"); strings.Contains(log, "pwned") {
		t.Errorf("the poisoned gofmt ran: %s", log)
	}
	if n := dist.Requests(archive); n != 2 {
		t.Errorf("%s requested %d times, want 2", archive, n)
	}

	// No cache, another version: the inputs reach gover ci.
	r = job()
	out, err = r.runAction(map[string]string{"gover-release-url": srv.URL, "cache": "false", "go-version": "1.21"})
	if err != nil {
		t.Fatalf("go-version 1.21: %v\n%s", err, r.log.String())
	}
	check(out, map[string]string{"go-version": "1.21.13", "cache-hit": ""})
	if strings.Contains(r.log.String(), "Cache") {
		t.Errorf("cache: false still used the cache:\n%s", r.log.String())
	}

	// go-version-file, through the cache steps.
	os.WriteFile(filepath.Join(workspace, "go.mod"), []byte("module m\n\ngo 1.22.4\n"), 0o644)
	r = job()
	out, err = r.runAction(map[string]string{"gover-release-url": srv.URL, "go-version-file": "go.mod"})
	if err != nil {
		t.Fatalf("go-version-file: %v\n%s", err, r.log.String())
	}
	check(out, map[string]string{"go-version": "1.22.4", "cache-key": "gover-go1.22.4-" + host.OS + "-" + host.Arch})

	// A tampered gover release: the job stops before gover runs.
	evil := Files([]Platform{host}, map[string][]byte{"gover": []byte("#!/bin/sh\necho pwned\n"), "gover-shim": bins["gover-shim"]})
	srv.Set(AssetName(host), evil[AssetName(host)])
	r = job()
	if _, err := r.runAction(map[string]string{"gover-release-url": srv.URL}); err == nil || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("tampered release: err %v, want exit status 3\n%s", err, r.log.String())
	}
	if !strings.Contains(r.log.String(), "(the download was altered or corrupted; nothing was installed)") || strings.Contains(r.log.String(), "pwned") {
		t.Errorf("tampered release log:\n%s", r.log.String())
	}
}
