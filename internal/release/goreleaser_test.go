package release

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func readGoreleaser(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parseYAML(string(data))
	if err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	return doc.(map[string]any)
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// render fills a goreleaser template's {{ .Name }} fields.
func render(tmpl string, vars map[string]string) string {
	for k, v := range vars {
		tmpl = strings.ReplaceAll(tmpl, "{{ ."+k+" }}", v)
		tmpl = strings.ReplaceAll(tmpl, "{{."+k+"}}", v)
	}
	return tmpl
}

// TestGoreleaserLayout holds .goreleaser.yaml to the layout install.sh,
// install.ps1 and action.yml read: the platforms, archive names and
// formats, and the checksums file.
func TestGoreleaserLayout(t *testing.T) {
	cfg := readGoreleaser(t)
	var builds []string
	for _, b := range cfg["builds"].([]any) {
		b := b.(map[string]any)
		builds = append(builds, b["id"].(string))
		for _, p := range Platforms() {
			if !slices.Contains(strs(b["goos"]), p.OS) || !slices.Contains(strs(b["goarch"]), p.Arch) {
				t.Errorf("build %s does not build %s/%s", b["id"], p.OS, p.Arch)
			}
		}
		if len(strs(b["goos"]))*len(strs(b["goarch"])) != len(Platforms()) {
			t.Errorf("build %s builds %v × %v, not the release's platforms %v", b["id"], b["goos"], b["goarch"], Platforms())
		}
		if !slices.Contains(strs(b["env"]), "CGO_ENABLED=0") {
			t.Errorf("build %s is not CGO_ENABLED=0 (a static binary runs on any libc)", b["id"])
		}
	}
	if !sameSet(builds, []string{"gover", "gover-shim"}) {
		t.Errorf("builds %v, want gover and gover-shim", builds)
	}

	archives := cfg["archives"].([]any)
	if len(archives) != 1 {
		t.Fatalf("%d archives, want one per platform from one entry", len(archives))
	}
	a := archives[0].(map[string]any)
	if !sameSet(strs(a["ids"]), builds) {
		t.Errorf("the archive holds %v, want both binaries", a["ids"])
	}
	for _, p := range Platforms() {
		format := strs(a["formats"])
		for _, o := range a["format_overrides"].([]any) {
			o := o.(map[string]any)
			if o["goos"] == p.OS {
				format = strs(o["formats"])
			}
		}
		name := render(a["name_template"].(string), map[string]string{"ProjectName": cfg["project_name"].(string), "Os": p.OS, "Arch": p.Arch})
		if got := name + "." + strings.Join(format, ""); got != AssetName(p) {
			t.Errorf("goreleaser names the %s archive %s, the installers look for %s", p, got, AssetName(p))
		}
	}
	sum := cfg["checksum"].(map[string]any)
	if sum["name_template"] != Checksums || sum["algorithm"] != "sha256" {
		t.Errorf("checksum %v, want %s with sha256", sum, Checksums)
	}
	var extra []string
	for _, f := range cfg["release"].(map[string]any)["extra_files"].([]any) {
		extra = append(extra, f.(map[string]any)["glob"].(string))
	}
	if !sameSet(extra, []string{"./install.sh", "./install.ps1"}) {
		t.Errorf("release extra_files %v, want the two installers", extra)
	}
}

// TestVersionFromLdflags builds gover with the release's ldflags: 'gover
// --version' reports the version and commit.
func TestVersionFromLdflags(t *testing.T) {
	goCmd := lookPath(t, "go", "to build gover with the release's ldflags")
	cfg := readGoreleaser(t)
	var ldflags []string
	for _, b := range cfg["builds"].([]any) {
		if b := b.(map[string]any); b["id"] == "gover" {
			for _, f := range strs(b["ldflags"]) {
				ldflags = append(ldflags, render(f, map[string]string{"Version": "9.8.7", "FullCommit": "0123456789abcdef0123456789abcdef01234567"}))
			}
		}
	}
	exe := filepath.Join(t.TempDir(), "gover")
	build := exec.Command(goCmd, "build", "-ldflags", strings.Join(ldflags, " "), "-o", exe, "github.com/goverdev/gover/cmd/gover")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -ldflags %q: %v\n%s", strings.Join(ldflags, " "), err, out)
	}
	out, err := exec.Command(exe, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), "gover version 9.8.7 (commit 0123456789ab)\n"; got != want {
		t.Errorf("gover --version = %q, want %q", got, want)
	}
}
