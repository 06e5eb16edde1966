// Package goproxy reads the go command's module settings — GOPROXY and
// GOSUMDB from the environment, then the file 'go env -w' writes, then Go's
// defaults — and parses them with the go command's rules.
package goproxy

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/note"
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
	GOPROXY, GOSUMDB string
	// From names each value's origin: "environment", the go env file's
	// path, or "default".
	From map[string]string
}

// Load reads GOPROXY and GOSUMDB as the go command would.
func Load(getenv func(string) string) Settings {
	s := Settings{From: map[string]string{}}
	file := envFile(getenv)
	var fileVals map[string]string
	for _, key := range []string{"GOPROXY", "GOSUMDB"} {
		v, from := getenv(key), "environment"
		if v == "" {
			if fileVals == nil {
				fileVals = readEnvFile(file)
			}
			v, from = fileVals[key], file
		}
		if v == "" {
			v, from = map[string]string{"GOPROXY": DefaultGOPROXY, "GOSUMDB": DefaultGOSUMDB}[key], "default"
		}
		if key == "GOPROXY" {
			s.GOPROXY = v
		} else {
			s.GOSUMDB = v
		}
		s.From[key] = from
	}
	return s
}

// envFile is the file 'go env -w' writes: $GOENV, else <user config dir>/go/env.
func envFile(getenv func(string) string) string {
	if f := getenv("GOENV"); f != "" {
		return f
	}
	dir := userConfigDir(getenv)
	if dir == "" {
		return ""
	}
	return dir + string(os.PathSeparator) + "go" + string(os.PathSeparator) + "env"
}

// readEnvFile parses KEY=VALUE lines; a missing or unreadable file is empty,
// as it is for the go command.
func readEnvFile(file string) map[string]string {
	vals := map[string]string{}
	if file == "" || file == "off" {
		return vals
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return vals
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && k != "" && !strings.HasPrefix(k, "#") {
			vals[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return vals
}

// An Entry is one element of a GOPROXY list.
type Entry struct {
	// URL is the proxy's base URL; for "direct" it is ToolchainDirect.
	URL    string
	Direct bool
	Off    bool
	// AnyError: the entry was followed by "|", so any failure moves on to
	// the next one; after "," only 404 and 410 do.
	AnyError bool
}

// ErrOff is returned when GOPROXY=off stops a fetch.
var ErrOff = errors.New("GOPROXY=off disallows downloading modules")

// Parse splits a GOPROXY list with the go command's rules.
func Parse(list string) ([]Entry, error) {
	if strings.TrimSpace(list) == "" {
		list = DefaultGOPROXY
	}
	var out []Entry
	for list != "" {
		var item string
		anyErr := false
		if i := strings.IndexAny(list, ",|"); i >= 0 {
			item, anyErr, list = list[:i], list[i] == '|', list[i+1:]
		} else {
			item, list = list, ""
		}
		item = strings.TrimSpace(item)
		switch item {
		case "":
			continue
		case "direct":
			out = append(out, Entry{URL: ToolchainDirect, Direct: true, AnyError: anyErr})
		case "off":
			out = append(out, Entry{Off: true})
		case "noproxy":
			// cmd/go's internal marker; never meaningful in a user's list.
			return nil, fmt.Errorf("GOPROXY entry %q is not a proxy URL (use a URL, direct or off)", item)
		default:
			// As cmd/go: anything that is not a single word, a URL or an
			// absolute path is a host, reached over https.
			if strings.ContainsAny(item, ".:/") && !strings.Contains(item, ":/") && !filepath.IsAbs(item) && !path.IsAbs(item) {
				item = "https://" + item
			}
			u, err := url.Parse(item)
			if err != nil || u.Scheme == "" || u.Host == "" && u.Scheme != "file" {
				return nil, fmt.Errorf("GOPROXY entry %q is not a URL (write e.g. https://proxy.golang.org, direct or off)", item)
			}
			if u.Scheme != "https" && u.Scheme != "http" && u.Scheme != "file" {
				return nil, fmt.Errorf("GOPROXY entry %q: scheme %s is not supported (use https, http or file)", item, u.Scheme)
			}
			out = append(out, Entry{URL: strings.TrimSuffix(item, "/"), AnyError: anyErr})
		}
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
}

// ParseGOSUMDB reads a GOSUMDB value with cmd/go's rules: "key" or
// "key url", where key is a verifier key or a known database's name. The
// toolchain module is always checked: "off" (and an empty value) mean
// sum.golang.org, as in cmd/go.
func ParseGOSUMDB(v string) (SumDB, error) {
	v = strings.TrimSpace(v)
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
	db := SumDB{Name: name, Key: key, URL: "https://" + name}
	if len(fields) == 2 {
		u, err := url.Parse(fields[1])
		if err != nil || u.Scheme == "" || u.Host == "" && u.Scheme != "file" {
			return SumDB{}, fmt.Errorf("GOSUMDB %q: %q is not a URL", v, fields[1])
		}
		db.URL, db.Explicit = strings.TrimSuffix(u.String(), "/"), true
	}
	return db, nil
}
