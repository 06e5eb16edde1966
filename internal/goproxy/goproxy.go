// Package goproxy reads the go command's module download settings —
// GOPROXY, GOSUMDB and GOAUTH from the environment, then the file 'go env
// -w' writes, then Go's defaults — and parses them (and the netrc file
// GOAUTH names) with the go command's rules.
package goproxy

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/goverdev/gover/internal/goenv"
)

const (
	// DefaultGOPROXY is Go's default proxy list.
	DefaultGOPROXY = "https://proxy.golang.org,direct"
	// DefaultGOSUMDB is Go's default checksum database.
	DefaultGOSUMDB = "sum.golang.org"
	// ToolchainDirect is what "direct" means for the golang.org/toolchain
	// module: the go command fetches it from this proxy-protocol server.
	ToolchainDirect = "https://go.dev/dl/mod"
	// sumGolangOrgKey is the verifier key of sum.golang.org, built into cmd/go.
	sumGolangOrgKey = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"
)

// Settings are the values in effect and where each came from.
type Settings struct {
	GOPROXY, GOSUMDB, GOAUTH string
	// From names each value's origin: "environment", the go env file's
	// path, or "default".
	From map[string]string
}

// Load reads GOPROXY, GOSUMDB and GOAUTH as the go command would.
func Load(getenv func(string) string) Settings {
	s := Settings{From: map[string]string{}}
	file := goenv.File(getenv)
	var fileVals map[string]string
	defaults := map[string]string{"GOPROXY": DefaultGOPROXY, "GOSUMDB": DefaultGOSUMDB, "GOAUTH": DefaultGOAUTH}
	for _, key := range []string{"GOPROXY", "GOSUMDB", "GOAUTH"} {
		v, from := getenv(key), "environment"
		if v == "" {
			if fileVals == nil {
				fileVals = goenv.Read(file)
			}
			v, from = fileVals[key], file
		}
		if v == "" {
			v, from = defaults[key], "default"
		}
		switch key {
		case "GOPROXY":
			s.GOPROXY = v
		case "GOSUMDB":
			s.GOSUMDB = v
		default:
			s.GOAUTH = v
		}
		s.From[key] = from
	}
	return s
}

// An Entry is one element of a GOPROXY list, as the go command reads it.
type Entry struct {
	// Raw is the entry as written; URL is what the go command uses (for
	// "direct", ToolchainDirect).
	Raw, URL string
	Direct   bool
	Off      bool
	// AnyError: the entry was followed by "|", so any failure moves on to
	// the next one; after "," only 404 and 410 do.
	AnyError bool
	// Problem says why the go command cannot use the entry.
	Problem string
	// Wildcard: the host holds a '*', which Go looks up as a name that
	// never resolves (patterns belong in GOPRIVATE and GONOPROXY).
	Wildcard bool
	// Ignored: the entry follows "direct" or "off", where the go command
	// stops reading the list.
	Ignored bool
}

// ErrOff is returned when GOPROXY=off stops a fetch.
var ErrOff = errors.New("GOPROXY=off disallows downloading modules")

// Split reads a GOPROXY list with cmd/go's rules (modfetch.proxyList):
// entries are separated by "," or "|"; "off" and "direct" end the list; an
// entry with a dot, colon or slash but no "://" gets "https://"; only http,
// https and file URLs work. Unlike cmd/go it goes on after a bad entry, so
// that every one can be reported.
func Split(list string) []Entry {
	if strings.TrimSpace(list) == "" {
		list = DefaultGOPROXY
	}
	var out []Entry
	ended := false
	for list != "" {
		var item string
		anyErr := false
		if i := strings.IndexAny(list, ",|"); i >= 0 {
			item, anyErr, list = list[:i], list[i] == '|', list[i+1:]
		} else {
			item, list = list, ""
		}
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		e := Entry{Raw: item, AnyError: anyErr, Ignored: ended}
		switch item {
		case "off":
			e.Off, ended = true, true
		case "direct":
			e.Direct, e.URL, ended = true, ToolchainDirect, true
		default:
			e.URL, e.Problem = entryURL(item)
			e.Wildcard = e.Problem == wildcardProblem
		}
		out = append(out, e)
	}
	return out
}

// entryURL turns one GOPROXY entry into the URL cmd/go would use, or says
// why it cannot.
func entryURL(item string) (string, string) {
	u := item
	if strings.ContainsAny(u, ".:/") && !strings.Contains(u, ":/") && !filepath.IsAbs(u) && !path.IsAbs(u) {
		u = "https://" + u
	}
	parsed, err := url.Parse(u)
	if err != nil {
		return u, "not a URL: " + err.Error()
	}
	switch parsed.Scheme {
	case "http", "https":
		if parsed.Host == "" {
			return u, "no host in the URL"
		}
		if parsed.Scheme == "http" && parsed.User != nil {
			// cmd/go/internal/web: "refusing to pass credentials to
			// insecure URL", on every fetch through it.
			return strings.TrimSuffix(u, "/"), InsecureCredentialsProblem
		}
	case "file":
		// As cmd/go: nothing but the path, so "file:/x" (no empty host) fails too.
		if *parsed != (url.URL{Scheme: parsed.Scheme, Path: parsed.Path, RawPath: parsed.RawPath}) {
			return u, "a file:// proxy URL may hold only a path"
		}
	case "":
		return u, "not a URL (write https://host, direct or off)"
	default:
		return u, "scheme " + parsed.Scheme + " is not one Go supports (https, http or file)"
	}
	// Only a URL the go command accepts can hold a wildcard it would look
	// up; "*" alone is refused like any other word without a scheme.
	if strings.Contains(u, "*") {
		return strings.TrimSuffix(u, "/"), wildcardProblem
	}
	return strings.TrimSuffix(u, "/"), ""
}

// InsecureCredentialsProblem is an http:// entry with credentials in it,
// which the go command refuses to send over plain http.
const InsecureCredentialsProblem = "go refuses to send credentials over plain http ('refusing to pass credentials to insecure URL')"

const wildcardProblem = "Go does not expand wildcards in GOPROXY: it looks the '*' up as a host name (patterns belong in GOPRIVATE and GONOPROXY)"

// Parse reads a GOPROXY list for downloading: the entries the go command
// would try, in order. An entry the go command rejects is an error naming
// it; a wildcard entry is kept and, as for the go command, fails when
// reached.
func Parse(list string) ([]Entry, error) {
	var out []Entry
	for _, e := range Split(list) {
		if e.Ignored {
			continue
		}
		if e.Problem != "" && !e.Wildcard {
			return nil, fmt.Errorf("GOPROXY entry %q: %s", e.Raw, e.Problem)
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, errors.New("GOPROXY lists no proxy (set it to e.g. https://proxy.golang.org,direct)")
	}
	return out, nil
}

// A SumDB is a checksum database: its name, verifier key and URL.
type SumDB struct {
	Name string
	Key  string // note verifier key "name+hash+key"
	URL  string
	// Explicit: GOSUMDB named the URL, so it is used as is, bypassing the
	// proxies' /sumdb/ endpoints (as in cmd/go).
	Explicit bool
	// OffIgnored: GOSUMDB was "off", which the toolchain module ignores;
	// errors say so when the database then cannot be reached.
	OffIgnored bool
}

// ParseGOSUMDB reads a GOSUMDB value with cmd/go's rules: "key" or
// "key url", where key is a verifier key or a known database's name. The
// toolchain module is always checked: "off" (and an empty value) mean
// sum.golang.org, as in cmd/go.
func ParseGOSUMDB(v string) (SumDB, error) {
	v = strings.TrimSpace(v)
	off := v == "off"
	switch v {
	case "", "off":
		v = "sum.golang.org"
	case "sum.golang.google.cn":
		// An alias of sum.golang.org reachable inside mainland China.
		v = "sum.golang.org https://sum.golang.google.cn"
	}
	fields := strings.Fields(v)
	if len(fields) > 2 {
		return SumDB{}, fmt.Errorf("GOSUMDB %q: too many fields (want a database name or key, then optionally its URL)", v)
	}
	key := fields[0]
	if key == "sum.golang.org" {
		key = sumGolangOrgKey
	}
	verifier, err := note.NewVerifier(key)
	if err != nil {
		return SumDB{}, fmt.Errorf("GOSUMDB %q: %v (want a known database such as sum.golang.org, or a key such as %s [URL])", v, err, sumGolangOrgKey)
	}
	name := verifier.Name()
	direct, err := url.Parse("https://" + name)
	if err != nil || direct.Host == "" || strings.HasSuffix(name, "/") || direct.RawQuery != "" || direct.User != nil {
		return SumDB{}, fmt.Errorf("GOSUMDB %q: database name %q is not host[/path]", v, name)
	}
	db := SumDB{Name: name, Key: key, URL: "https://" + name, OffIgnored: off}
	if len(fields) == 2 {
		u, err := url.Parse(fields[1])
		if err != nil || u.Scheme == "" || u.Host == "" && u.Scheme != "file" {
			return SumDB{}, fmt.Errorf("GOSUMDB %q: %q is not a URL", v, fields[1])
		}
		db.URL, db.Explicit = strings.TrimSuffix(u.String(), "/"), true
	}
	return db, nil
}
