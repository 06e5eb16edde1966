package goproxy

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// DefaultGOAUTH is Go's default GOAUTH: credentials from the netrc file.
const DefaultGOAUTH = "netrc"

// Auth is GOAUTH as the go command reads it (cmd/go/internal/auth, Go
// 1.24+): which credentials it adds to https requests. The go command
// sends none over plain http, and none with GOAUTH=off.
type Auth struct {
	// Off is GOAUTH=off.
	Off bool
	// Netrc is the netrc file GOAUTH's "netrc" reads ($NETRC, else
	// ~/.netrc, or ~/_netrc on Windows when it exists); "" when GOAUTH
	// does not name netrc.
	Netrc string
	// Commands are GOAUTH's other methods ("git DIR" and commands of the
	// user's), which only the go command runs.
	Commands []string
	netrc    []NetrcEntry
}

// A NetrcEntry is one complete machine line of a netrc file.
type NetrcEntry struct {
	Machine, Login, Password string
}

// LoadAuth reads GOAUTH (value, "" meaning the default) and the netrc file
// it names as the go command does. A GOAUTH the go command stops on is an
// error; an unreadable netrc file gives no credentials, as for cmd/go.
func LoadAuth(getenv func(string) string, value string) (Auth, error) {
	if strings.TrimSpace(value) == "" {
		value = DefaultGOAUTH
	}
	var a Auth
	cmds := strings.Split(value, ";")
	for _, c := range cmds {
		words := strings.Fields(c)
		switch {
		case len(words) == 0:
			return Auth{}, fmt.Errorf("GOAUTH=%s has an empty command: the go command stops on it", value)
		case words[0] == "off":
			if len(cmds) != 1 {
				return Auth{}, fmt.Errorf("GOAUTH=%s combines off with other methods: the go command stops on it", value)
			}
			a.Off = true
		case words[0] == "netrc":
			a.Netrc = NetrcPath(getenv)
		case words[0] == "git" && (len(words) != 2 || !filepath.IsAbs(words[1])):
			return Auth{}, fmt.Errorf("GOAUTH=%s: git needs the absolute path of a git working folder", value)
		default:
			a.Commands = append(a.Commands, strings.TrimSpace(c))
		}
	}
	if a.Netrc != "" {
		if data, err := os.ReadFile(a.Netrc); err == nil {
			a.netrc = ParseNetrc(string(data))
		}
	}
	return a, nil
}

// NetrcPath is the netrc file the go command reads: $NETRC, else the home
// folder's (on Windows _netrc when it exists, else .netrc).
func NetrcPath(getenv func(string) string) string {
	if p := getenv("NETRC"); p != "" {
		return p
	}
	home := homeDir(getenv)
	if home == "" {
		return ""
	}
	for _, name := range netrcNames[:len(netrcNames)-1] {
		if p := filepath.Join(home, name); fileExists(p) {
			return p
		}
	}
	return filepath.Join(home, netrcNames[len(netrcNames)-1])
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Credentials returns the netrc entry the go command would send with a
// request for rawURL: none over plain http or with GOAUTH=off; else the
// first entry whose machine is the longest prefix of the URL's host (with
// its port) and path.
func (a Auth) Credentials(rawURL string) (NetrcEntry, bool) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "https" || a.Off {
		return NetrcEntry{}, false
	}
	prefix := strings.TrimSuffix(strings.TrimPrefix(rawURL, "https://"), "/")
	for {
		for _, e := range a.netrc {
			if strings.TrimSuffix(strings.TrimPrefix(e.Machine, "https://"), "/") == prefix {
				return e, true
			}
		}
		i := strings.LastIndexByte(prefix, '/')
		if i < 0 {
			return NetrcEntry{}, false
		}
		prefix = prefix[:i]
	}
}

// AddCredentials adds to req the Basic credentials the go command would
// send with it (Credentials), and returns the entry used.
func (a Auth) AddCredentials(req *http.Request) (NetrcEntry, bool) {
	e, ok := a.Credentials(req.URL.String())
	if ok {
		req.SetBasicAuth(e.Login, e.Password)
	}
	return e, ok
}

// Machines are the machine names of the netrc file's complete entries.
func (a Auth) Machines() []string {
	var out []string
	for _, e := range a.netrc {
		out = append(out, e.Machine)
	}
	return out
}

// NetrcMachine is the machine name a netrc line needs for the go command
// to send it with requests to rawURL: the host with its port, if any.
func NetrcMachine(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil {
		return u.Host
	}
	return rawURL
}

// ParseNetrc reads a netrc file as the go command does: an entry counts
// once it has machine, login and password; "default" ends the file, and
// macdef bodies are skipped.
func ParseNetrc(data string) []NetrcEntry {
	var out []NetrcEntry
	var l NetrcEntry
	inMacro := false
	for _, line := range strings.Split(data, "\n") {
		if inMacro {
			if line == "" {
				inMacro = false
			}
			continue
		}
		f := strings.Fields(line)
		i := 0
		for ; i < len(f)-1; i += 2 {
			switch f[i] {
			case "machine":
				l = NetrcEntry{Machine: f[i+1]}
			case "login":
				l.Login = f[i+1]
			case "password":
				l.Password = f[i+1]
			case "macdef":
				inMacro = true
			}
			if l.Machine != "" && l.Login != "" && l.Password != "" {
				out = append(out, l)
				l = NetrcEntry{}
			}
		}
		if i < len(f) && f[i] == "default" {
			break
		}
	}
	return out
}
