package installer_test

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goverdev/gover/internal/testdist"
	"github.com/goverdev/gover/internal/toolchainmod"
)

// moduleZipPath is where the loopback proxy serves go1.22.5's linux/amd64 module zip.
func moduleZipPath(e *env) (path string, zip []byte) {
	mv := linux.ModuleVersion("go1.22.5")
	return "/proxy/" + toolchainmod.FilePath(mv, ".zip"), e.d.ModuleZip("go1.22.5", "linux", "amd64")
}

// centralDirectory is the offset of a zip's central directory (no comment, no Zip64).
func centralDirectory(t *testing.T, z []byte) int {
	end := z[len(z)-22:]
	if binary.LittleEndian.Uint32(end) != 0x06054b50 {
		t.Fatal("the module zip does not end with its end-of-central-directory record")
	}
	return int(binary.LittleEndian.Uint32(end[16:]))
}

// The module zip is unpacked as it arrives: with its central directory held
// back by the proxy, the files are already being written.
func TestProxyZipStreams(t *testing.T) {
	e := newEnv(t, testdist.Options{ExtraFiles: 300})
	e.in.Fetch.StallTimeout = time.Minute
	path, z := moduleZipPath(e)
	e.d.Fault(path, testdist.Stall{After: int64(centralDirectory(t, z)), For: 3 * time.Second})
	seen := make(chan bool, 1)
	go func() {
		deadline := time.Now().Add(3 * time.Second)
		for time.Now().Before(deadline) {
			m, _ := filepath.Glob(filepath.Join(e.layout.Versions, ".go1.22.5.tmp-*", "bin", "go"))
			if len(m) > 0 {
				seen <- true
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		seen <- false
	}()
	res, err := e.install("1.22.5", e.proxy(e.d.SumDBKey))
	if err != nil {
		t.Fatal(err)
	}
	if !<-seen {
		t.Error("bin/go was not written while the zip's central directory was still on its way")
	}
	if res.Record.Proven() == "" || res.Record.Proofs[0].Kind != "sumdb" {
		t.Errorf("proofs %+v", res.Record.Proofs)
	}
}

// A .part left by an earlier run is resumed, its bytes streamed into the
// unpacker before the rest.
func TestProxyZipResumesPartFile(t *testing.T) {
	e := newEnv(t, testdist.Options{ExtraFiles: 300})
	path, z := moduleZipPath(e)
	os.MkdirAll(e.layout.Downloads(), 0o755)
	os.WriteFile(filepath.Join(e.layout.Downloads(), linux.ModuleVersion("go1.22.5")+".zip.part"), z[:len(z)/2], 0o644)
	if _, err := e.install("1.22.5", e.proxy(e.d.SumDBKey)); err != nil {
		t.Fatal(err)
	}
	var ranged bool
	for _, r := range e.d.Log() {
		if r.Path == path && strings.HasPrefix(r.Range, "bytes=") {
			ranged = true
		}
	}
	if !ranged {
		t.Fatal("the partial download was not resumed with a Range request")
	}
}

// relaid serves the module zip's bytes changed by f, answering Range
// requests from the changed bytes.
type relaid func([]byte) []byte

func (f relaid) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		whole := r.Clone(r.Context())
		whole.Header.Del("Range")
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, whole)
		if rec.Code != http.StatusOK {
			w.WriteHeader(rec.Code)
			return
		}
		w.Header().Set("Content-Type", "application/zip")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f(rec.Body.Bytes())))
	})
}

// A zip the stream cannot follow, or whose local headers disagree with its
// central directory, but whose h1 is the one the checksum database holds,
// installs as cmd/go reads it: through its central directory. One whose
// central directory was changed as well never installs.
func TestProxyZipLaidOutOtherwise(t *testing.T) {
	renameLocal := func(z []byte) []byte {
		z = bytes.Clone(z)
		name := []byte(toolchainmod.ZipPrefix(linux.ModuleVersion("go1.22.5")) + "VERSION")
		i := bytes.Index(z, name) // the local header's copy comes first
		z[i+len(name)-1] = 'X'
		return z
	}
	for name, c := range map[string]struct {
		f       relaid
		install bool
	}{
		"data before the first entry":      {func(z []byte) []byte { return append([]byte(strings.Repeat("#", 64)), z...) }, true},
		"a local name the directory lacks": {renameLocal, true},
		"both names changed": {func(z []byte) []byte {
			return bytes.ReplaceAll(z, []byte("/VERSION"), []byte("/VERSIOX"))
		}, false},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, testdist.Options{})
			path, _ := moduleZipPath(e)
			e.d.Fault(path, c.f)
			res, err := e.install("1.22.5", e.proxy(e.d.SumDBKey))
			if !c.install {
				if !isVerify(err) {
					t.Fatalf("err = %v, want a verification failure", err)
				}
				e.assertNothingInstalled()
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b, err := os.ReadFile(filepath.Join(res.Dir, "VERSION")); err != nil || !strings.HasPrefix(string(b), "go1.22.5") {
				t.Errorf("VERSION: %q, %v", b, err)
			}
			if _, err := os.Stat(filepath.Join(res.Dir, "VERSIOX")); err == nil {
				t.Error("the local header's name was written")
			}
		})
	}
}
