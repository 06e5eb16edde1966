//go:build !windows

package doctor_test

import (
	"fmt"
	"net"
	"net/http"
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

// tinyproxy runs a real HTTP forward proxy (tinyproxy, from Debian's
// tinyproxy-bin) on loopback and returns its URL.
func tinyproxy(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("tinyproxy")
	if err != nil {
		t.Fatalf("this test runs a real forward proxy: install tinyproxy-bin (.ci/run does): %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dir := t.TempDir()
	conf := filepath.Join(dir, "tinyproxy.conf")
	os.WriteFile(conf, []byte(fmt.Sprintf("Port %d\nListen 127.0.0.1\nTimeout 3\nAllow 127.0.0.1\nMaxClients 20\n", port)), 0o644)
	cmd := exec.Command(bin, "-d", "-c", conf)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(5 * time.Second); ; {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("tinyproxy did not listen on %s", addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "http://" + addr
}

// TestGOPROXYForwardProxy: an HTTP forward proxy written into GOPROXY is
// recognised as one, and the fix — the proxy in HTTPS_PROXY, a module
// proxy in GOPROXY — works.
func TestGOPROXYForwardProxy(t *testing.T) {
	fwd := tinyproxy(t)
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t)
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	goList := func(extra ...string) (string, error) {
		out, err := testdist.GoCommand(t, goBin, true, []string{"list", "-m", "-versions", "golang.org/toolchain"}, extra...).CombinedOutput()
		return string(out), err
	}

	for _, entry := range []string{fwd, strings.TrimPrefix(fwd, "http://")} {
		// go really fails: the forward proxy answers a module path with
		// its own error page (plain http), or not in TLS at all (a bare
		// host:port is read as https://).
		if out, err := goList("GOPROXY=" + entry); err == nil {
			t.Fatalf("go with GOPROXY=%s succeeded:\n%s", entry, out)
		}
		w.vars["GOPROXY"] = entry
		r := w.check("goproxy")
		want(t, r, doctor.Fail, "answers like an HTTP forward proxy, not a Go module proxy")
		wantFix(t, r, "HTTPS_PROXY="+fwd, "GOPROXY=https://proxy.golang.org,direct")
	}

	// Follow the fix: the forward proxy as HTTPS_PROXY/HTTP_PROXY (the
	// doctor's requests go through it: Env.Proxy stands for them, as
	// loopback is never proxied from the environment), a module proxy
	// in GOPROXY.
	fu, _ := url.Parse(fwd)
	w.proxy = http.ProxyURL(fu)
	w.vars["GOPROXY"] = d.ProxyURL
	want(t, w.check("goproxy"), doctor.OK, "toolchains listed", "through "+fwd)
	if out, err := goList(append(d.Env(), "GOPROXY="+d.ProxyURL, "HTTPS_PROXY="+fwd, "HTTP_PROXY="+fwd)...); err != nil {
		t.Fatalf("go with the fix followed: %v\n%s", err, out)
	}

	// A real module proxy that fails is not mistaken for a forward proxy.
	w.proxy = nil
	for _, code := range []int{http.StatusBadRequest, http.StatusServiceUnavailable} {
		w.vars["GOPROXY"] = answering(t, func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, http.StatusText(code), code)
		}).URL
		r := w.check("goproxy")
		want(t, r, doctor.Fail, fmt.Sprintf("answered %d", code))
		if strings.Contains(r.Message, "forward proxy") {
			t.Errorf("a module proxy answering %d was taken for a forward proxy: %s", code, r.Message)
		}
	}
}
