//go:build unix

package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/testdist"
)

// hostileMirror serves what a mirror controls: its index.json, which maps
// go1.22.5's linux/amd64 archive name to the digest of another genuine,
// signed archive (real's), and that archive's bytes and genuine signature
// under go1.22.5's name. Signature and digest both pass.
func hostileMirror(t *testing.T, d *testdist.Dist, real string) *httptest.Server {
	t.Helper()
	const name = "go1.22.5.linux-amd64.tar.gz"
	data := d.File(real)
	index := []installer.IndexRelease{{Version: "go1.22.5", Stable: true, Files: []installer.IndexFile{{
		Filename: name, OS: "linux", Arch: "amd64", Version: "go1.22.5",
		SHA256: d.SHA256(real), Size: int64(len(data)), Kind: "archive",
	}}}}
	ix, err := json.Marshal(index)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/" + installer.MirrorIndexFile:
			w.Write(ix)
		case "/" + name:
			w.Write(data)
		case "/" + name + ".asc":
			w.Write(d.Signature(real))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A mirror whose index.json is used (the official index unreachable, or
// GOVER_INDEX_URL pointing at it) maps go1.22.5 to the genuine signed
// archive of another version or platform (issue 12.1). Install refuses
// with exit 3, says which toolchain the archive really is, and leaves
// nothing: no version, no record, no download, no temporary tree. The same
// mirror cannot be republished by 'gover mirror sync'.
func TestMirrorCannotSwapASignedArchive(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	for _, c := range []struct {
		real, why string
	}{
		{"go1.20.linux-amd64.tar.gz", `its VERSION says "go1.20"`},
		{"go1.22.5.darwin-arm64.tar.gz", "it has no pkg/tool/linux_amd64/, but pkg/tool/darwin_arm64"},
		{"go1.22.5.linux-arm64.tar.gz", "it has no pkg/tool/linux_amd64/, but pkg/tool/linux_arm64"},
	} {
		t.Run(c.real, func(t *testing.T) {
			m := hostileMirror(t, d, c.real)
			closed := d.ClosedURL()
			for _, how := range []struct {
				name string
				env  []string
				args []string
			}{
				{"--mirror, official unreachable", []string{"GOVER_INDEX_URL=" + closed + "/dl/?mode=json&include=all", "GOVER_DOWNLOAD_URL=" + closed + "/dl/"}, []string{"--mirror", m.URL}},
				{"GOVER_INDEX_URL", []string{"GOVER_INDEX_URL=" + m.URL + "/" + installer.MirrorIndexFile, "GOVER_DOWNLOAD_URL=" + m.URL + "/"}, nil},
			} {
				w := newWorld(t, d)
				w.env = append(w.env, how.env...)
				args := append(append([]string{"install", "--source", "official"}, how.args...), "1.22.5")
				if how.args != nil {
					args[2] = "mirror"
				}
				_, errs, code := w.run("gover", args...)
				want := "go1.22.5.linux-amd64.tar.gz is not go1.22.5 for linux/amd64: " + c.why
				if code != 3 || !strings.Contains(errs, want) {
					t.Errorf("%s: gover %s: exit %d, %q; want exit 3 saying %q", how.name, strings.Join(args, " "), code, errs, want)
				}
				if left := leftovers(t, w.root); len(left) > 0 {
					t.Errorf("%s: left behind %v", how.name, left)
				}

				mirror := filepath.Join(w.base, "published")
				// With --mirror, or without (GOVER_INDEX_URL and GOVER_DOWNLOAD_URL).
				sync := append([]string{"mirror", "sync", mirror, "--versions", "1.22.5", "--platforms", "linux/amd64", "--formats", "archive"}, how.args...)
				_, errs, code = w.run("gover", sync...)
				if code != 3 || !strings.Contains(errs, want) {
					t.Errorf("%s: gover mirror sync: exit %d, %q; want exit 3 saying %q", how.name, code, errs, want)
				}
				if _, err := os.Stat(filepath.Join(mirror, "go1.22.5.linux-amd64.tar.gz")); err == nil {
					t.Errorf("%s: gover mirror sync published the swapped archive", how.name)
				}
			}
		})
	}
}

// leftovers lists the files under root's versions and downloads folders.
func leftovers(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && !strings.Contains(p, string(filepath.Separator)+"cache"+string(filepath.Separator)) {
			out = append(out, p)
		}
		return nil
	})
	return out
}
