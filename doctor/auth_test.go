//go:build !windows

package doctor_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goverdev/gover/doctor"
	"github.com/goverdev/gover/internal/testdist"
)

// privateProxy is an https module proxy on loopback that serves the
// toolchain module's list only with the Basic credentials user:token, as a
// company proxy behind ~/.netrc does. certFile holds its certificate, for
// SSL_CERT_FILE (the go command and the doctor check it against the
// system's roots, which SSL_CERT_FILE replaces).
func privateProxy(t *testing.T, user, token string) (srv *httptest.Server, certFile string, roots *tls.Config) {
	t.Helper()
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != user || p != token {
			w.Header().Set("WWW-Authenticate", `Basic realm="corp"`)
			http.Error(w, "login required", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/golang.org/toolchain/@v/list":
			fmt.Fprintln(w, "v0.0.1-go1.22.5.linux-amd64")
		case "/corp.example/lib/@v/list":
			fmt.Fprintln(w, "v1.0.0")
		case "/corp.example/lib/@v/v1.0.0.info":
			fmt.Fprint(w, `{"Version":"v1.0.0"}`)
		case "/corp.example/lib/@v/v1.0.0.mod":
			fmt.Fprintln(w, "module corp.example/lib")
		default:
			http.NotFound(w, r)
		}
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	certFile = filepath.Join(t.TempDir(), "ca.pem")
	pemData := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(certFile, pemData, 0o644); err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return srv, certFile, &tls.Config{RootCAs: pool}
}

// checkTLS runs one check with roots as the system's trust store (this
// process's, which the doctor uses, ignores the world's SSL_CERT_FILE).
func (w *world) checkTLS(id string, roots *tls.Config) doctor.Result {
	w.t.Helper()
	e := w.env()
	e.TLS = roots
	return doctor.Run(w.t.Context(), e, doctor.Options{Only: []string{id}, NetTimeout: time.Second}).Checks[0]
}

// goListVersions asks the real go command for a private module's versions
// through GOPROXY. (The toolchain module would need a checksum database:
// go checks it even with GOSUMDB=off; go sends credentials the same way
// for every path.)
func goListVersions(t *testing.T, extra ...string) (string, error) {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	cmd := testdist.GoCommand(t, goBin, true, []string{"list", "-m", "-versions", "corp.example/lib"}, append([]string{"GOSUMDB=off"}, extra...)...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestGOPROXYNetrc: a company proxy that go reaches with ~/.netrc
// credentials is fine, and a missing entry's fix, followed, works.
func TestGOPROXYNetrc(t *testing.T) {
	srv, certFile, roots := privateProxy(t, "me", "s3cret")
	w := newWorld(t)
	netrc := filepath.Join(w.home, ".netrc")
	w.vars["GOPROXY"] = srv.URL
	w.vars["SSL_CERT_FILE"] = certFile
	goEnv := []string{"GOPROXY=" + srv.URL, "SSL_CERT_FILE=" + certFile, "HOME=" + w.home, "NETRC="}

	// No credentials: go fails, and so does the check, with a fix that
	// names the file and the machine (the host with its port, which is
	// what go matches).
	if out, err := goListVersions(t, goEnv...); err == nil || !strings.Contains(out, "401") {
		t.Fatalf("go without credentials: %v\n%s", err, out)
	}
	r := w.checkTLS("goproxy", roots)
	want(t, r, doctor.Fail, "refused access (401")
	machine := strings.TrimPrefix(srv.URL, "https://")
	wantFix(t, r, netrc, "machine "+machine+" login USER password TOKEN")

	// Follow the fix: the line it gives, with the real user and token.
	line := regexp.MustCompile(`machine \S+ login USER password TOKEN`).FindString(r.Fix)
	line = strings.NewReplacer("USER", "me", "TOKEN", "s3cret").Replace(line)
	w.write(netrc, line+"\n", 0o600)
	if out, err := goListVersions(t, goEnv...); err != nil || !strings.Contains(out, "corp.example/lib v1.0.0") {
		t.Fatalf("go with the fix's netrc line: %v\n%s", err, out)
	}
	want(t, w.checkTLS("goproxy", roots), doctor.OK, "ok, 1 toolchain listed")

	// NETRC names another file, as for go.
	other := filepath.Join(w.tmp, "netrc")
	w.write(other, "machine "+machine+" login me password wrong\n", 0o600)
	w.vars["NETRC"] = other
	goEnv[3] = "NETRC=" + other
	if out, err := goListVersions(t, goEnv...); err == nil {
		t.Fatalf("go with wrong credentials in $NETRC succeeded:\n%s", out)
	}
	r = w.checkTLS("goproxy", roots)
	want(t, r, doctor.Fail, "with the credentials for "+machine+" in "+other)
	delete(w.vars, "NETRC")

	// GOAUTH=off: go sends none.
	w.vars["GOAUTH"] = "off"
	if out, err := goListVersions(t, append(goEnv[:3:3], "GOAUTH=off")...); err == nil {
		t.Fatalf("go with GOAUTH=off succeeded:\n%s", out)
	}
	r = w.checkTLS("goproxy", roots)
	want(t, r, doctor.Fail, "GOAUTH=off")
	wantFix(t, r, "GOAUTH")
	delete(w.vars, "GOAUTH")

	// An entry for the host without its port does not apply.
	host, _, _ := strings.Cut(machine, ":")
	w.write(netrc, "machine "+host+" login me password s3cret\n", 0o600)
	if out, err := goListVersions(t, goEnv...); err == nil {
		t.Fatalf("go used a netrc entry without the port:\n%s", out)
	}
	r = w.checkTLS("goproxy", roots)
	want(t, r, doctor.Fail, "machine "+host+" does not match "+machine)
}
