//go:build !windows

package doctor_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goverdev/gover/doctor"
	"github.com/goverdev/gover/internal/testdist"
)

// fakeGoDev serves https://go.dev/dl/mod's toolchain list on loopback:
// a TLS server with a certificate for go.dev, reached through an HTTP
// proxy that tunnels every CONNECT to it. It returns that proxy (for
// Env.Proxy) and the roots that trust the certificate.
func fakeGoDev(t *testing.T) (func(*http.Request) (*url.URL, error), *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "go.dev"}, DNSNames: []string{"go.dev"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/dl/mod/golang.org/toolchain/@v/list" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintln(w, "v0.0.1-go1.22.5.linux-amd64")
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	tunnel := answering(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodConnect {
			http.Error(w, "CONNECT only", http.StatusMethodNotAllowed)
			return
		}
		back, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		conn, rw, _ := w.(http.Hijacker).Hijack()
		rw.WriteString("HTTP/1.1 200 Connection established\r\n\r\n")
		rw.Flush()
		go func() { io.Copy(back, conn); back.Close() }()
		io.Copy(conn, back)
		conn.Close()
	})
	pu, _ := url.Parse(tunnel.URL)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	// Only go.dev goes through it, as only go.dev would need it.
	proxy := func(r *http.Request) (*url.URL, error) {
		if r.URL.Hostname() == "go.dev" {
			return pu, nil
		}
		return nil, nil
	}
	return proxy, &tls.Config{RootCAs: pool}
}

// TestGOPROXYDirect: GOPROXY=direct is judged for modules (each from its
// own host by version control: go runs git) and for toolchains (from
// go.dev/dl/mod) separately.
func TestGOPROXYDirect(t *testing.T) {
	w := newWorld(t)
	proxy, roots := fakeGoDev(t)
	w.proxy = proxy
	w.write(filepath.Join(w.work, "go.mod"), "module example.com/app\n\ngo 1.22\n\nrequire github.com/pkg/errors v0.9.1\n", 0o644)
	w.vars["GOPROXY"] = "direct"

	// No git: the go command cannot download a module.
	goOnly := filepath.Join(w.tmp, "goonly")
	goBin, _ := exec.LookPath("go")
	mkdir(t, goOnly)
	if err := os.Symlink(goBin, filepath.Join(goOnly, "go")); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goBin, "mod", "download")
	cmd.Dir = w.work
	cmd.Env = testdist.GoEnv(t.TempDir(), true, "GOPROXY=direct", "PATH="+goOnly)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), `"git": executable file not found`) {
		t.Fatalf("go mod download with GOPROXY=direct and no git: %v\n%s", err, out)
	}
	r := w.checkTLS("goproxy", roots)
	want(t, r, doctor.Fail, "direct: modules come from each module's own host by version control (github.com)",
		"git is not on PATH", "toolchains come from https://go.dev/dl/mod: ok, 1 toolchain listed")
	wantFix(t, r, "install git", "GOPROXY=https://proxy.golang.org,direct")

	// Follow the fix: git on PATH. go now gets as far as running git
	// (which, offline, cannot reach github.com).
	w.withSystemPrograms("git")
	r = w.checkTLS("goproxy", roots)
	want(t, r, doctor.OK, "direct: modules come from each module's own host by version control", "(git is ", "toolchains come from https://go.dev/dl/mod: ok")

	// After a proxy, direct is reached only for modules the proxy does not
	// have: without git, a warning.
	w.vars["PATH"] = w.bin + ":" + w.tools
	srv := answering(t, func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "v0.0.1-go1.22.5.linux-amd64") })
	w.vars["GOPROXY"] = srv.URL + ",direct"
	r = w.checkTLS("goproxy", roots)
	want(t, r, doctor.Warn, "modules the proxies above do not have", "git is not on PATH")
}
