package fetch

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestFileURLPaths(t *testing.T) {
	for _, tt := range []struct {
		url             string
		unix, windows   string
		unixErr, winErr error
	}{
		{url: "file:///srv/mirror/index.json", unix: "/srv/mirror/index.json", winErr: errFileNoDrive},
		{url: "file://localhost/srv/m", unix: "/srv/m", winErr: errFileNoDrive},
		{url: "file:///srv/a%20b/x", unix: "/srv/a b/x", winErr: errFileNoDrive},
		{url: "file:///C:/mirror/go1.22.5.windows-amd64.zip", unix: "/C:/mirror/go1.22.5.windows-amd64.zip", windows: `C:\mirror\go1.22.5.windows-amd64.zip`},
		{url: "file://localhost/d:/m/x", unix: "/d:/m/x", windows: `d:\m\x`},
		{url: "file:///C:", unix: "/C:", windows: `C:\`},
		{url: "file:///C:x", unix: "/C:x", winErr: errFileNoDrive},
		{url: "file://fileserver/share/mirror/x", unixErr: errFileHost, windows: `\\fileserver\share\mirror\x`},
		{url: "file://C:/mirror", unixErr: errFileHost, winErr: errFileVolHost},
		{url: "file:mirror/x", unixErr: errFileRelative, winErr: errFileRelative},
	} {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatalf("parse %s: %v", tt.url, err)
		}
		if got, err := unixPath(u); got != tt.unix || !errors.Is(err, tt.unixErr) {
			t.Errorf("unixPath(%s) = %q, %v; want %q, %v", tt.url, got, err, tt.unix, tt.unixErr)
		}
		if got, err := windowsPath(u); got != tt.windows || !errors.Is(err, tt.winErr) {
			t.Errorf("windowsPath(%s) = %q, %v; want %q, %v", tt.url, got, err, tt.windows, tt.winErr)
		}
	}
}

// fileURL is the file:// URL of a local path, spelt as users write it.
func fileURL(path string) string {
	path = filepath.ToSlash(path)
	if !strings.HasPrefix(path, "/") {
		path = "/" + path // C:/x → /C:/x
	}
	return "file://" + (&url.URL{Path: path}).EscapedPath()
}

// TestFileTransport reads a folder on disk through the client, as a mirror
// given as file:///… is read, on this OS (run under Wine for Windows).
func TestFileTransport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a mirror")
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "go1.22.5.linux-amd64.tar.gz")
	if err := os.WriteFile(file, payload, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "supported"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c := testClient()

	// A whole file, then the rest of a partial one (Range), as Download resumes.
	got, _, err := download(t, c, fileURL(file), filepath.Join(t.TempDir(), "p"), int64(len(payload)))
	if err != nil || string(got) != string(payload) {
		t.Fatalf("download %s: %d bytes, %v", fileURL(file), len(got), err)
	}
	part := filepath.Join(t.TempDir(), "resume")
	os.WriteFile(part, payload[:1000], 0o644)
	var sink strings.Builder
	resumed, err := c.Download(ctx, Download{URL: fileURL(file), What: "archive", Part: part, Size: int64(len(payload)), Sink: &sink})
	if err != nil || !resumed || sink.String() != string(payload) {
		t.Fatalf("resumed download: resumed=%v, %d bytes, %v", resumed, sink.Len(), err)
	}

	// An empty file is an empty answer (the checksum database's "supported").
	if b, err := c.Get(ctx, fileURL(filepath.Join(dir, "supported")), "answer", 10); err != nil || len(b) != 0 {
		t.Errorf("empty file: %q, %v", b, err)
	}
	// Missing files and folders are 404, so GOPROXY lists fall through.
	for _, p := range []string{filepath.Join(dir, "nosuchfile"), filepath.Join(dir, "sub")} {
		if _, err := c.Get(ctx, fileURL(p), "file", 10); !IsNotFound(err) {
			t.Errorf("Get %s: %v, want a 404", fileURL(p), err)
		}
	}
	if runtime.GOOS == "windows" {
		// A drive-less path is refused with the spelling that works.
		if _, err := c.Get(ctx, "file:///srv/mirror/x", "file", 10); err == nil || !strings.Contains(err.Error(), "drive letter") {
			t.Errorf("drive-less file URL on Windows: %v", err)
		}
	}
}
