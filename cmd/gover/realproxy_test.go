package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/manifest"
	"github.com/goverdev/gover/verify"
)

// TestRealProxyInstall is the end-to-end path these machines can run for
// real: `gover install 1.22.5` with default settings. The official site does
// not resolve here, so gover must fall back to the real Go module proxy,
// prove the zip against the real checksum database, and leave a toolchain
// whose go runs — directly and through the shim.
func TestRealProxyInstall(t *testing.T) {
	root := t.TempDir()
	home := t.TempDir()
	env := []string{
		"GOVER_ROOT=" + root,
		"HOME=" + home,
		"PATH=" + binDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		// The user's proxy settings (a CI machine behind a corporate proxy) stay in force.
		"GOPROXY=" + os.Getenv("GOPROXY"),
		"GOSUMDB=" + os.Getenv("GOSUMDB"),
		"HTTPS_PROXY=" + os.Getenv("HTTPS_PROXY"),
		"SSL_CERT_FILE=" + os.Getenv("SSL_CERT_FILE"),
	}
	run := func(dir string, name string, args ...string) (string, string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir, cmd.Env = dir, env
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s\n(this test needs the Go module proxy: proxy.golang.org or your GOPROXY)",
				name, strings.Join(args, " "), err, stdout.String(), stderr.String())
		}
		return stdout.String(), stderr.String()
	}

	_, stderr := run(root, filepath.Join(binDir, "gover"), "install", "1.22.5")
	t.Logf("gover install 1.22.5:\n%s", stderr)
	if !strings.Contains(stderr, "installed go1.22.5") {
		t.Fatalf("install did not say it installed go1.22.5:\n%s", stderr)
	}
	out, _ := run(root, filepath.Join(binDir, "gover"), "list", "--json")
	var list []struct{ Version, Source string }
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0].Version != "go1.22.5" {
		t.Fatalf("list --json = %s (%v)", out, err)
	}
	if list[0].Source == "proxy" && !strings.Contains(stderr, "verified by the checksum database") {
		t.Errorf("the fall back to the module proxy was not announced:\n%s", stderr)
	}
	if list[0].Source == "proxy" {
		// The real database vouches for the real tree from its record alone.
		out, _ := run(root, filepath.Join(binDir, "gover"), "verify", "--sumdb", "1.22.5")
		if !strings.Contains(out, "checksum database sum.golang.org vouches for it again") {
			t.Errorf("gover verify --sumdb 1.22.5 = %s", out)
		}
		checkArchiveSubset(t, filepath.Join(root, "versions", "go1.22.5.json"))
	}

	goroot := filepath.Join(root, "versions", "go1.22.5")
	out, _ = run(root, filepath.Join(goroot, "bin", "go"+exe()), "version")
	want := "go version go1.22.5 " + runtime.GOOS + "/" + runtime.GOARCH
	if strings.TrimSpace(out) != want {
		t.Fatalf("go version = %q, want %q", out, want)
	}

	// Through the shim, three folders below the .go-version.
	proj := filepath.Join(home, "proj")
	deep := filepath.Join(proj, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(proj, ".go-version"), []byte("1.22.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	shim := filepath.Join(root, "shims", "go"+exe())
	out, _ = run(deep, shim, "version")
	if strings.TrimSpace(out) != want {
		t.Fatalf("shim go version = %q, want %q", out, want)
	}
	out, _ = run(deep, shim, "env", "GOROOT")
	if strings.TrimSpace(out) != goroot {
		t.Fatalf("shim go env GOROOT = %q, want %q", out, goroot)
	}
	// A real build with the installed toolchain: the standard library is whole.
	if err := os.WriteFile(filepath.Join(deep, "main.go"), []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello from go1.22.5\") }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env = append(env, "GOCACHE="+filepath.Join(home, "gocache"), "GOPATH="+filepath.Join(home, "gopath"), "GO111MODULE=off")
	out, _ = run(deep, shim, "run", "main.go")
	if strings.TrimSpace(out) != "hello from go1.22.5" {
		t.Fatalf("go run = %q", out)
	}
}

func exe() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

// checkArchiveSubset plays an archive install of the real go1.22.5 (the
// module's files plus what the archive holds and the module leaves out:
// api/, doc/, misc/, test/) and checks that its module subset hashes to
// the h1 the real checksum database proved at install, file for file
// (cmd/distpack writes both from one list; docs/verify.md).
func checkArchiveSubset(t *testing.T, record string) {
	t.Helper()
	rec, err := installer.ReadRecord(record)
	if err != nil {
		t.Fatal(err)
	}
	var proven string
	for _, p := range rec.Proofs {
		if p.Kind == verify.ProofSumDB {
			proven = p.Value
		}
	}
	archive := *rec
	archive.Source = installer.SourceOfficial
	archive.Manifest.Files = append([]manifest.File(nil), rec.Manifest.Files...)
	for _, extra := range []string{"api/go1.22.txt", "doc/go_spec.html", "misc/wasm/wasm_exec.js", "test/helloworld.go"} {
		archive.Manifest.Files = append(archive.Manifest.Files, manifest.File{Path: extra, Mode: 0o644, Size: 1})
	}
	archive.Manifest.Sort()
	h1, covers, err := installer.VouchedHash(&archive)
	if err != nil || h1 != proven || !strings.HasPrefix(covers, strconv.Itoa(len(rec.Manifest.Files))+" files") {
		t.Errorf("an archive install of the real go1.22.5: module subset hash %s (%s, %v), want the real checksum database's %s", h1, covers, err, proven)
	}
}
