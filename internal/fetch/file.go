package fetch

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// fileTransport serves file:// URLs (a mirror or GOPROXY folder on disk)
// with the same Range and status behaviour as a static web server: a
// missing file is 404, an unreadable one 403, and a folder 404 (a mirror
// names files, never folders).
//
// URLs map to paths as in the go command (cmd/go/internal/web): on Unix
// file:///srv/mirror/x is /srv/mirror/x; on Windows file:///C:/mirror/x is
// C:\mirror\x and file://host/share/x is the UNC path \\host\share\x. The
// mapping is localPath, one per OS.
func fileTransport() http.RoundTripper { return fileRoundTripper{} }

type fileRoundTripper struct{}

func (fileRoundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	name, err := localPath(req.URL)
	if err != nil {
		return nil, fmt.Errorf("file URL %s: %w", req.URL.Redacted(), err)
	}
	// http.NewFileTransport does Range, If-Range and Content-Type as a
	// static server does; it is handed the one file this URL names.
	return http.NewFileTransport(oneFile(name)).RoundTrip(req)
}

// oneFile is an http.FileSystem holding the single file a URL maps to.
type oneFile string

func (f oneFile) Open(string) (http.File, error) {
	file, err := os.Open(string(f))
	if err != nil {
		return nil, err
	}
	fi, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, err
	}
	if fi.IsDir() {
		file.Close()
		return nil, os.ErrNotExist
	}
	return file, nil
}

var (
	errFileHost     = errors.New("names another host (only local files, or UNC shares on Windows)")
	errFileRelative = errors.New("has no absolute path (write file:///srv/mirror, or file:///C:/mirror on Windows)")
	errFileNoDrive  = errors.New("has no drive letter (write file:///C:/mirror)")
	errFileVolHost  = errors.New("puts the drive letter in the host field: too few slashes? (write file:///C:/mirror)")
)

// unixPath maps a file URL to a Unix path. Only the local host is allowed.
func unixPath(u *url.URL) (string, error) {
	if u.Host != "" && u.Host != "localhost" {
		return "", errFileHost
	}
	if !strings.HasPrefix(u.Path, "/") {
		return "", errFileRelative
	}
	return u.Path, nil
}

// windowsPath maps a file URL to a Windows path, following
// https://blogs.msdn.microsoft.com/ie/2006/12/06/file-uris-in-windows/ as
// cmd/go does: file:///C:/x is C:\x, file://host/share/x is \\host\share\x.
// It is plain string work, so it is tested on every OS.
func windowsPath(u *url.URL) (string, error) {
	if !strings.HasPrefix(u.Path, "/") {
		return "", errFileRelative
	}
	p := strings.ReplaceAll(u.Path, "/", `\`)
	if u.Host != "" && u.Host != "localhost" {
		if hasDrive(u.Host) {
			return "", errFileVolHost
		}
		return `\\` + u.Host + p, nil
	}
	p = p[1:]
	if !hasDrive(p) || len(p) > 2 && p[2] != '\\' {
		return "", errFileNoDrive
	}
	if len(p) == 2 {
		p += `\`
	}
	return p, nil
}

// hasDrive reports whether p starts with a drive letter and a colon.
func hasDrive(p string) bool {
	return len(p) >= 2 && p[1] == ':' && ('a' <= p[0] && p[0] <= 'z' || 'A' <= p[0] && p[0] <= 'Z')
}
