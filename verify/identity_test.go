package verify_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goverdev/gover/internal/testdist"
	"github.com/goverdev/gover/verify"
)

// plantTree lays out the parts of a toolchain Identity reads: VERSION,
// bin/go and one tool, the programs for the platforms given.
func plantTree(t *testing.T, version, goBinFor, toolDir, toolFor string) string {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	header := func(platform string) []byte {
		if platform == "script" {
			return []byte("#!/bin/sh\necho planted\n")
		}
		goos, goarch, _ := strings.Cut(platform, "/")
		h, err := testdist.ExeHeader(goos, goarch)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	write("VERSION", []byte(version))
	exe := ""
	if strings.HasPrefix(toolDir, "windows") {
		exe = ".exe"
	}
	write("bin/go"+exe, header(goBinFor))
	write("pkg/tool/"+toolDir+"/compile"+exe, header(toolFor))
	return dir
}

// Identity reads what a tree is from the tree alone: VERSION's first line,
// and every program's executable header (machine and OS).
func TestIdentity(t *testing.T) {
	for _, tc := range []struct {
		name, version, goBin, toolDir, tool string
		goos, goarch                        string
		msg                                 string // "" for a match
	}{
		{"linux/amd64", "go1.22.5\ntime 2024-07-02T00:00:00Z\n", "linux/amd64", "linux_amd64", "linux/amd64", "linux", "amd64", ""},
		{"pre-1.21 VERSION", "go1.20", "linux/arm", "linux_arm", "linux/arm", "linux", "arm", ""},
		{"windows", "go1.22.5", "windows/amd64", "windows_amd64", "windows/amd64", "windows", "amd64", ""},
		{"darwin", "go1.22.5", "darwin/arm64", "darwin_arm64", "darwin/arm64", "darwin", "arm64", ""},
		{"freebsd", "go1.22.5", "freebsd/amd64", "freebsd_amd64", "freebsd/amd64", "freebsd", "amd64", ""},
		{"another version", "go1.20", "linux/amd64", "linux_amd64", "linux/amd64", "linux", "amd64", `its VERSION says "go1.20"`},
		{"VERSION with more on its line", "go1.22.5 ", "linux/amd64", "linux_amd64", "linux/amd64", "linux", "amd64", `its VERSION says "go1.22.5 "`},
		{"bin/go for arm64", "go1.22.5", "linux/arm64", "linux_amd64", "linux/amd64", "linux", "amd64", "bin/go is a program for linux|android|dragonfly|solaris|illumos/arm64"},
		{"bin/go for darwin", "go1.22.5", "darwin/amd64", "linux_amd64", "linux/amd64", "linux", "amd64", "bin/go is a program for darwin|ios/amd64"},
		{"bin/go for freebsd", "go1.22.5", "freebsd/amd64", "linux_amd64", "linux/amd64", "linux", "amd64", "bin/go is a program for freebsd/amd64"},
		{"bin/go a script", "go1.22.5", "script", "linux_amd64", "linux/amd64", "linux", "amd64", "bin/go: not a program"},
		{"a tool for 386", "go1.22.5", "windows/amd64", "windows_amd64", "windows/386", "windows", "amd64", "pkg/tool/windows_amd64/compile.exe is a program for windows/386"},
		{"tools of another platform", "go1.22.5", "linux/amd64", "linux_arm64", "linux/arm64", "linux", "amd64", "it has no pkg/tool/linux_amd64/, but pkg/tool/linux_arm64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := plantTree(t, tc.version, tc.goBin, tc.toolDir, tc.tool)
			want := strings.SplitN(tc.version, "\n", 2)[0]
			if tc.msg != "" {
				want = "go1.22.5"
			}
			p, err := verify.Identity(dir, "x.tar.gz", want, tc.goos, tc.goarch)
			if tc.msg == "" {
				if err != nil || p.Kind != verify.ProofTree || p.Value != want+" "+tc.goos+"/"+tc.goarch {
					t.Fatalf("Identity = %+v, %v; want a tree proof", p, err)
				}
				return
			}
			if !errors.Is(err, verify.ErrFailed) || !strings.Contains(err.Error(), "x.tar.gz is not go1.22.5 for "+tc.goos+"/"+tc.goarch+": "+tc.msg) {
				t.Fatalf("Identity: %v; want a verification failure saying %q", err, tc.msg)
			}
		})
	}
}
