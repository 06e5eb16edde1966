package testdist

import (
	"archive/zip"
	"bytes"
	"io"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestGoCommandSwitchesToFakeToolchain is the strongest check that the
// proxy, the module zips and the checksum database are faithful: the real
// go command, told GOTOOLCHAIN=go1.22.5, downloads the fake toolchain
// module, verifies it against the fake checksum database (through the
// proxy, or directly), unpacks it and runs its bin/go.
func TestGoCommandSwitchesToFakeToolchain(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake bin/go is a POSIX sh script; on Windows it is not runnable")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command must be on PATH to run this test (go test puts it there): %v", err)
	}
	plat := runtime.GOOS + "/" + runtime.GOARCH
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"proxy-sumdb-with-modes", Options{}},
		{"direct-sumdb-no-modes", Options{NoProxySumDB: true, ModuleNoModes: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Releases = []Release{{Version: "go1.22.5", Stable: true, Platforms: []string{plat}}}
			d := New(t, tc.opts)
			out, stderr, err := switchToolchain(t, goCmd, d)
			if err != nil {
				t.Fatalf("GOTOOLCHAIN=go1.22.5 go version: %v\n%s", err, stderr)
			}
			if got, want := strings.TrimSpace(string(out)), "go version go1.22.5 "+plat; got != want {
				t.Errorf("go version printed %q, want %q", got, want)
			}
			zip := ModulePathPrefix + ModuleVersion("go1.22.5", runtime.GOOS, runtime.GOARCH) + ".zip"
			if d.Requests(zip) != 1 {
				t.Errorf("%s fetched %d times, want 1", zip, d.Requests(zip))
			}
			proxied := d.Requests("/proxy/sumdb/" + SumDBName + "/lookup/*")
			direct := d.Requests("/sumdb/lookup/*")
			if tc.opts.NoProxySumDB && (proxied != 0 || direct == 0) || !tc.opts.NoProxySumDB && (proxied == 0 || direct != 0) {
				t.Errorf("checksum database lookups: %d through the proxy, %d direct", proxied, direct)
			}
		})
	}
}

// TestGoCommandRejectsSwappedToolchain checks that the checksum database
// holds what it first served: a zip published afterwards is refused.
func TestGoCommandRejectsSwappedToolchain(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake bin/go is a POSIX sh script; on Windows it is not runnable")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command must be on PATH to run this test (go test puts it there): %v", err)
	}
	d := New(t, Options{Releases: []Release{{Version: "go1.22.5", Stable: true, Platforms: []string{runtime.GOOS + "/" + runtime.GOARCH}}}})
	mv := ModuleVersion("go1.22.5", runtime.GOOS, runtime.GOARCH)
	getOK(t, d.SumDBURL+"/lookup/golang.org/toolchain@"+mv)
	d.PublishModule("go1.22.5", runtime.GOOS, runtime.GOARCH, withZipFile(t, d.ModuleZip("go1.22.5", runtime.GOOS, runtime.GOARCH), "golang.org/toolchain@"+mv+"/bin/backdoor", "x"))
	_, stderr, err := switchToolchain(t, goCmd, d)
	if err == nil || !strings.Contains(stderr, "checksum mismatch") {
		t.Errorf("go command with a swapped toolchain zip: %v\n%s", err, stderr)
	}
}

// withZipFile returns a copy of zip z with one more file.
func withZipFile(t *testing.T, z []byte, name, body string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, _ := zw.Create(name)
	io.WriteString(w, body)
	zw.Close()
	return buf.Bytes()
}

// switchToolchain runs GOTOOLCHAIN=go1.22.5 go version in an empty folder
// with its own module cache, pointed at d.
func switchToolchain(t *testing.T, goCmd string, d *Dist) (stdout, stderr string, err error) {
	cmd := GoCommand(t, goCmd, false, []string{"version"}, append(d.Env(), "GOTOOLCHAIN=go1.22.5")...)
	var errBuf strings.Builder
	cmd.Stderr = &errBuf
	out, err := cmd.Output()
	return string(out), errBuf.String(), err
}
