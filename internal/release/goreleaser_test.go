package release

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
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
// formats, and the checksums file. Each binary is built once for each
// platform; gover-shim may take two builds (the Linux one with cgo).
func TestGoreleaserLayout(t *testing.T) {
	cfg := readGoreleaser(t)
	var builds []string
	built := map[string][]Platform{} // binary → platforms
	for _, b := range cfg["builds"].([]any) {
		b := b.(map[string]any)
		builds = append(builds, b["id"].(string))
		for _, goos := range strs(b["goos"]) {
			for _, goarch := range strs(b["goarch"]) {
				built[b["binary"].(string)] = append(built[b["binary"].(string)], Platform{goos, goarch})
			}
		}
		env := strs(b["env"])
		switch {
		case slices.Contains(env, "CGO_ENABLED=0"):
		case b["binary"] == "gover-shim" && slices.Equal(strs(b["goos"]), []string{"linux"}):
			// The shim's fast path: static, so it too runs on any libc.
			if !slices.Contains(env, "CGO_ENABLED=1") || !strings.Contains(strings.Join(strs(b["ldflags"]), " "), "-extldflags=-static") {
				t.Errorf("build %s: the Linux shim is built with cgo and linked statically", b["id"])
			}
		default:
			t.Errorf("build %s is not CGO_ENABLED=0 (a static binary runs on any libc)", b["id"])
		}
	}
	for _, bin := range []string{"gover", "gover-shim"} {
		got := built[bin]
		slices.SortFunc(got, func(a, b Platform) int { return strings.Compare(a.OS+a.Arch, b.OS+b.Arch) })
		want := slices.Clone(Platforms())
		slices.SortFunc(want, func(a, b Platform) int { return strings.Compare(a.OS+a.Arch, b.OS+b.Arch) })
		if !slices.Equal(got, want) {
			t.Errorf("%s is built for %v, want each of the release's platforms once: %v", bin, got, want)
		}
	}
	if len(built) != 2 {
		t.Errorf("builds make %d binaries, want gover and gover-shim", len(built))
	}

	archives := cfg["archives"].([]any)
	if len(archives) != 1 {
		t.Fatalf("%d archives, want one per platform from one entry", len(archives))
	}
	a := archives[0].(map[string]any)
	if !sameSet(strs(a["ids"]), builds) {
		t.Errorf("the archive holds %v, want every build %v", a["ids"], builds)
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

// TestShimReleaseBuild builds gover-shim for Linux as the release does -
// cgo, the compiler its env names for each architecture (arm64 crossed
// with gcc-aarch64-linux-gnu), the release's flags - and checks each
// binary is static and for its machine, and that the native one takes the
// fast path (the Go runtime never starts: GODEBUG=inittrace=1 prints
// nothing).
func TestShimReleaseBuild(t *testing.T) {
	goCmd := lookPath(t, "go", "to build the shim as the release does")
	cfg := readGoreleaser(t)
	var build map[string]any
	for _, b := range cfg["builds"].([]any) {
		if b := b.(map[string]any); b["id"] == "gover-shim-linux" {
			build = b
		}
	}
	if build == nil {
		t.Fatal(".goreleaser.yaml has no gover-shim-linux build")
	}
	machines := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}
	for _, arch := range strs(build["goarch"]) {
		t.Run(arch, func(t *testing.T) {
			env := map[string]string{}
			var envList []string
			for _, kv := range strs(build["env"]) {
				k, v, _ := strings.Cut(kv, "=")
				if v == `{{ index .Env (print "CC_" .Os "_" .Arch) }}` {
					v = env["CC_linux_"+arch]
				}
				env[k] = v
				envList = append(envList, k+"="+v)
			}
			lookPath(t, env["CC"], "to build the shim's fast path for linux/"+arch)
			exe := filepath.Join(t.TempDir(), "gover-shim")
			args := append([]string{"build"}, strs(build["flags"])...)
			args = append(args, "-ldflags", strings.Join(strs(build["ldflags"]), " "), "-o", exe, "github.com/goverdev/gover/cmd/gover-shim")
			cmd := exec.Command(goCmd, args...)
			cmd.Env = append(append(os.Environ(), "GOOS=linux", "GOARCH="+arch), envList...)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			f, err := elf.Open(exe)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Machine != machines[arch] {
				t.Errorf("the linux/%s shim is for %v", arch, f.Machine)
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP {
					t.Errorf("the linux/%s shim is linked dynamically: it would need this machine's glibc or newer", arch)
				}
			}
			if arch == runtime.GOARCH && runtime.GOOS == "linux" {
				checkFastPath(t, exe)
			}
		})
	}
}

// checkFastPath runs shim as go below a .go-version whose toolchain is a
// script, and requires the script to run before the Go runtime starts.
func checkFastPath(t *testing.T, shim string) {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	goroot := filepath.Join(root, "versions", "go1.22.5")
	for name, content := range map[string]string{
		filepath.Join(goroot, "bin", "go"):      "#!/bin/sh\necho \"$GOROOT $*\"\n",
		filepath.Join(root, "p", ".go-version"): "1.22.5\n",
	} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(root, "go")
	if err := os.Symlink(shim, link); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(link, "version")
	cmd.Dir = filepath.Join(root, "p")
	cmd.Env = []string{"GOVER_ROOT=" + root, "HOME=" + root, "PATH=/usr/bin:/bin", "GODEBUG=inittrace=1"}
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go version through the shim: %v\n%s", err, stderr.String())
	}
	if stdout.String() != goroot+" version\n" || stderr.Len() != 0 {
		t.Fatalf("go version through the shim printed %q and on stderr %q; want %q from the toolchain and no Go runtime start-up", stdout.String(), stderr.String(), goroot+" version\n")
	}
}
