package cli

import (
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/goproxy"
)

// sourceFlags are the flags that choose where toolchains come from.
func sourceFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "source", Value: "auto", EnvVars: []string{"GOVER_SOURCE"},
			Usage: "where to download from: auto (official site, or the mirror when one is set; the module proxy when that is unreachable), official, mirror or proxy"},
		&cli.StringFlag{Name: "mirror", EnvVars: []string{"GOVER_MIRROR"},
			Usage: "mirror URL(s) or preset name(s), comma-separated, tried in order:\n" + installer.PresetHelp()},
	}
}

// sources builds the sources the --source and --mirror flags ask for,
// in the order they are tried. Mirror folders on disk (file:// URLs) come
// first, each a source of its own that lacks what it does not hold; the
// official site (through the other mirrors, if any) next; the module proxy
// last.
func (e *Env) sources(source, mirror string) (installer.Sources, error) {
	name := installer.SourceName(source)
	switch name {
	case "auto", "", installer.SourceOfficial, installer.SourceMirror:
	case installer.SourceProxy:
		p, err := e.proxySource()
		if err != nil {
			return nil, err
		}
		return installer.Sources{p}, nil
	default:
		return nil, usageErrorf("--source %q is not a source (use auto, official, mirror or proxy)", source)
	}
	if name == installer.SourceOfficial {
		mirror = ""
	}
	if name == installer.SourceMirror && mirror == "" {
		return nil, usageErrorf("--source mirror needs --mirror or GOVER_MIRROR (a URL or one of the presets in 'gover install --help')")
	}
	bases, indexes, err := parseMirrors(mirror)
	if err != nil {
		return nil, err
	}
	local, remote := installer.SplitLocalMirrors(bases)
	o := e.official(remote, indexes)
	var ss installer.Sources
	for _, base := range local {
		ss = append(ss, o.LocalMirror(base))
	}
	if name != installer.SourceMirror || len(remote) > 0 {
		ss = append(ss, o)
	}
	if name != "auto" && name != "" {
		return ss, nil
	}
	p, err := e.proxySource()
	if err != nil {
		// A broken GOPROXY only matters once the proxy is needed.
		return append(ss, brokenSource{name: installer.SourceProxy, err: err}), nil
	}
	return append(ss, p), nil
}

// parseMirrors reads a --mirror value: the mirrors' base URLs, and the
// indexes of those that serve the official one.
func parseMirrors(mirror string) (bases, indexes []string, err error) {
	if mirror == "" {
		return nil, nil, nil
	}
	if bases, indexes, err = installer.ParseMirrors(mirror); err != nil {
		return nil, nil, usageErrorf("%w", err)
	}
	return bases, indexes, nil
}

// official is the official site as GOVER_INDEX_URL and GOVER_DOWNLOAD_URL
// configure it, downloading from mirrors instead when there are any
// (mirrorIndexes: those of them that serve the official index).
func (e *Env) official(mirrors, mirrorIndexes []string) *installer.Official {
	o := &installer.Official{
		IndexURLs:   []string{installer.DefaultIndexURL},
		DownloadURL: installer.DefaultDownloadURL,
		Mirrors:     mirrors,
		Fetch:       e.Fetch(),
		Cache:       e.Layout().Cache,
		Now:         e.Now,
		Signatures:  e.signatures(),
	}
	if u := e.Getenv("GOVER_DOWNLOAD_URL"); u != "" {
		o.DownloadURL = strings.TrimSuffix(u, "/") + "/"
	}
	if u := e.Getenv("GOVER_INDEX_URL"); u != "" {
		o.IndexURLs = []string{u}
		o.EnvIndexURL = u
	} else {
		o.IndexURLs = append(o.IndexURLs, mirrorIndexes...)
	}
	o.UseMirrorIndexes()
	return o
}

// proxySource is the module proxy as GOPROXY and GOSUMDB configure it.
func (e *Env) proxySource() (*installer.Proxy, error) {
	s := goproxy.Load(e.Getenv)
	entries, err := goproxy.Parse(s.GOPROXY)
	if err != nil {
		return nil, usageErrorf("%w (set in %s)", err, origin(s.From["GOPROXY"]))
	}
	db, err := goproxy.ParseGOSUMDB(s.GOSUMDB)
	if err != nil {
		return nil, usageErrorf("%w (set in %s)", err, origin(s.From["GOSUMDB"]))
	}
	return &installer.Proxy{
		Proxies:  entries,
		SumDB:    db,
		Fetch:    e.Fetch(),
		SumDBDir: filepath.Join(e.Layout().Cache, "sumdb"),
		From:     goproxyFrom(s.From["GOPROXY"]),
	}, nil
}

// goproxyFrom is where GOPROXY was set, for installer.Proxy.From.
func goproxyFrom(from string) string {
	if from == "default" {
		return ""
	}
	return origin(from)
}

// origin words where a go setting came from: "the environment", a file.
func origin(from string) string {
	if from == "environment" {
		return "the environment"
	}
	return from
}
