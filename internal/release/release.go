// Package release is the shape of gover's own release — one archive per
// platform and a checksums file — as .goreleaser.yaml makes it and
// install.sh, install.ps1 and action.yml read it, with a loopback release
// server their tests run against.
//
// A release is a flat folder of files (GitHub's …/releases/download/TAG/,
// or …/releases/latest/download/ for the newest):
//
//	gover_linux_amd64.tar.gz    gover and gover-shim at the top
//	gover_windows_arm64.zip     gover.exe and gover-shim.exe at the top
//	checksums.txt               "<sha256>  <file>" per archive
//
// Archive names carry no version, so the "latest" address always works.
package release

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"time"
)

// Checksums is the name of the checksums file.
const Checksums = "checksums.txt"

// A Platform is a GOOS/GOARCH pair a release is built for.
type Platform struct{ OS, Arch string }

// Platforms lists what a release is built for.
func Platforms() []Platform {
	return []Platform{
		{"linux", "amd64"}, {"linux", "arm64"},
		{"darwin", "amd64"}, {"darwin", "arm64"},
		{"windows", "amd64"}, {"windows", "arm64"},
	}
}

// AssetName is the archive of a platform: gover_linux_amd64.tar.gz,
// gover_windows_amd64.zip.
func AssetName(p Platform) string {
	ext := ".tar.gz"
	if p.OS == "windows" {
		ext = ".zip"
	}
	return "gover_" + p.OS + "_" + p.Arch + ext
}

// Files builds a whole release: for each platform an archive holding the
// given files (names get ".exe" on Windows when they are gover or
// gover-shim), and the checksums file.
func Files(platforms []Platform, files map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for _, p := range platforms {
		entries := map[string][]byte{}
		for name, body := range files {
			if p.OS == "windows" && (name == "gover" || name == "gover-shim") {
				name += ".exe"
			}
			entries[name] = body
		}
		if p.OS == "windows" {
			out[AssetName(p)] = Zip(entries)
		} else {
			out[AssetName(p)] = TarGz(entries)
		}
	}
	out[Checksums] = ChecksumsFile(out)
	return out
}

// ChecksumsFile lists the SHA-256 of each file as sha256sum and goreleaser
// write it: "<hex>  <name>", sorted by name.
func ChecksumsFile(files map[string][]byte) []byte {
	var names []string
	for name := range files {
		if name != Checksums {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var b bytes.Buffer
	for _, name := range names {
		fmt.Fprintf(&b, "%x  %s\n", sha256.Sum256(files[name]), name)
	}
	return b.Bytes()
}

var mtime = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// TarGz packs entries, each an executable file, sorted by name.
func TarGz(entries map[string][]byte) []byte {
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, name := range sortedKeys(entries) {
		body := entries[name]
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(body)), ModTime: mtime, Typeflag: tar.TypeReg})
		tw.Write(body)
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

// Zip packs entries, sorted by name.
func Zip(entries map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(entries) {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: mtime}
		h.SetMode(0o755)
		w, _ := zw.CreateHeader(h)
		w.Write(entries[name])
	}
	zw.Close()
	return buf.Bytes()
}

func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// A Server serves release files on loopback, at /<name> and at
// /releases/download/<tag>/<name> and /releases/latest/download/<name> (as
// GitHub does), and counts what was asked for.
type Server struct {
	URL string

	srv      *httptest.Server
	mu       sync.Mutex
	files    map[string][]byte
	requests map[string]int
}

// NewServer starts a server for files; Close stops it.
func NewServer(files map[string][]byte) *Server {
	s := &Server{files: map[string][]byte{}, requests: map[string]int{}}
	for k, v := range files {
		s.files[k] = v
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Set replaces (or with nil data, removes) one file.
func (s *Server) Set(name string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if data == nil {
		delete(s.files, name)
		return
	}
	s.files[name] = data
}

// Requests counts the requests for a file name, under any folder.
func (s *Server) Requests(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[name]
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	s.mu.Lock()
	s.requests[name]++
	data, ok := s.files[name]
	s.mu.Unlock()
	if !ok || r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, name, mtime, bytes.NewReader(data))
}
