package goproxy

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// testNetrc is cmd/go's own netrc test (cmd/go/internal/auth, Go 1.26).
var testNetrc = `
machine incomplete
password none

machine api.github.com
  login user
  password pwd

machine incomlete.host
  login justlogin

machine test.host
login user2
password pwd2

machine oneline login user3 password pwd3

machine ignore.host macdef ignore
  login nobody
  password nothing

machine hasmacro.too macdef ignore-next-lines login user4 password pwd4
  login nobody
  password nothing

default
login anonymous
password gopher@golang.org

machine after.default
login oops
password too-late-in-file
`

func TestParseNetrc(t *testing.T) {
	want := []NetrcEntry{
		{"api.github.com", "user", "pwd"},
		{"test.host", "user2", "pwd2"},
		{"oneline", "user3", "pwd3"},
		{"hasmacro.too", "user4", "pwd4"},
	}
	if got := ParseNetrc(testNetrc); !reflect.DeepEqual(got, want) {
		t.Errorf("ParseNetrc:\nhave %q\nwant %q", got, want)
	}
}

func TestAuth(t *testing.T) {
	dir := t.TempDir()
	netrc := filepath.Join(dir, "netrc")
	os.WriteFile(netrc, []byte(strings.Join([]string{
		"machine proxy.corp.example login a password 1",
		"machine proxy.corp.example:8443 login b password 2",
		"machine proxy.corp.example/private login c password 3",
		"machine proxy.corp.example login d password 4",
	}, "\n")), 0o600)
	env := map[string]string{"NETRC": netrc, "HOME": "/nonexistent"}
	getenv := func(k string) string { return env[k] }

	a, err := LoadAuth(getenv, "")
	if err != nil || a.Netrc != netrc {
		t.Fatalf("LoadAuth: %+v, %v", a, err)
	}
	for _, tc := range []struct{ url, login string }{
		{"https://proxy.corp.example/golang.org/toolchain/@v/list", "a"}, // the first entry wins
		{"https://proxy.corp.example:8443/x", "b"},                       // the port is part of the machine
		{"https://proxy.corp.example/private/mod/@v/list", "c"},          // the longest prefix
		{"http://proxy.corp.example/x", ""},                              // never over plain http
		{"https://other.example/x", ""},
	} {
		e, _ := a.Credentials(tc.url)
		if e.Login != tc.login {
			t.Errorf("Credentials(%s) = %q, want %q", tc.url, e.Login, tc.login)
		}
	}
	if a, _ := LoadAuth(getenv, "off"); a.Off != true {
		t.Error("GOAUTH=off")
	} else if e, ok := a.Credentials("https://proxy.corp.example/x"); ok {
		t.Errorf("GOAUTH=off sent %v", e)
	}
	if a, _ := LoadAuth(getenv, "git /src/repo; netrc"); a.Netrc != netrc || !reflect.DeepEqual(a.Commands, []string{"git /src/repo"}) {
		t.Errorf("git and netrc: %+v", a)
	}
	for _, bad := range []string{"netrc;", "off; netrc", "git", "git relative/dir"} {
		if _, err := LoadAuth(getenv, bad); err == nil {
			t.Errorf("GOAUTH=%s: no error", bad)
		}
	}
	delete(env, "NETRC")
	env["HOME"], env["USERPROFILE"] = dir, dir
	if got := NetrcPath(getenv); got != filepath.Join(dir, ".netrc") {
		t.Errorf("NetrcPath = %s", got)
	}
}
