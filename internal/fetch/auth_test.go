package fetch

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goverdev/gover/internal/goproxy"
)

// TestNetrcCredentials: with Credentials from GOAUTH (netrc, the
// default), gover's requests to an https server carry the netrc entry's
// credentials, as the go command's do; without an entry, the refusal
// says where gover looks.
func TestNetrcCredentials(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "me" || p != "s3cret" {
			http.Error(w, "login required", http.StatusUnauthorized)
			return
		}
		w.Write([]byte("v0.0.1-go1.22.5.linux-amd64\n"))
	}))
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	netrc := filepath.Join(t.TempDir(), "netrc")
	env := map[string]string{"NETRC": netrc, "GOENV": "off"}
	client := func() *Client {
		c := testClient()
		c.HTTP.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool}
		auth, err := goproxy.LoadAuth(func(k string) string { return env[k] }, "")
		if err != nil {
			t.Fatal(err)
		}
		c.Credentials = func(req *http.Request) { auth.AddCredentials(req) }
		return c
	}
	url := srv.URL + "/golang.org/toolchain/@v/list"

	_, err := client().Get(context.Background(), url, "module list", 1<<10)
	if err == nil || !strings.Contains(err.Error(), "~/.netrc") {
		t.Fatalf("without a netrc entry: %v", err)
	}
	os.WriteFile(netrc, []byte("machine "+strings.TrimPrefix(srv.URL, "https://")+" login me password s3cret\n"), 0o600)
	body, err := client().Get(context.Background(), url, "module list", 1<<10)
	if err != nil || !strings.Contains(string(body), "go1.22.5") {
		t.Fatalf("with the netrc entry: %q, %v", body, err)
	}
}
