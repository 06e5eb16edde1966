package toolchainmod

import "testing"

func TestNames(t *testing.T) {
	mv := Version("go1.22.5", "linux", "arm")
	if mv != "v0.0.1-go1.22.5.linux-arm" {
		t.Errorf("Version = %q", mv)
	}
	if got := FilePath(mv, ".zip"); got != "golang.org/toolchain/@v/v0.0.1-go1.22.5.linux-arm.zip" {
		t.Errorf("FilePath = %q", got)
	}
	if got := ZipPrefix(mv); got != "golang.org/toolchain@v0.0.1-go1.22.5.linux-arm/" {
		t.Errorf("ZipPrefix = %q", got)
	}
	for _, tc := range []struct {
		mv, goos, goarch, want string
		ok                     bool
	}{
		{"v0.0.1-go1.22.5.linux-amd64", "linux", "amd64", "go1.22.5", true},
		{"v0.0.1-go1.23rc1.darwin-arm64", "darwin", "arm64", "go1.23rc1", true},
		{"v0.0.1-go1.22.5.linux-amd64", "linux", "arm64", "", false},
		{"v0.0.1-go1.22.5.linux-amd64", "linux", "amd", "", false},
		{"v0.0.2-go1.22.5.linux-amd64", "linux", "amd64", "", false},
	} {
		got, ok := GoVersion(tc.mv, tc.goos, tc.goarch)
		if got != tc.want || ok != tc.ok {
			t.Errorf("GoVersion(%q, %s/%s) = %q, %v; want %q, %v", tc.mv, tc.goos, tc.goarch, got, ok, tc.want, tc.ok)
		}
	}
}
