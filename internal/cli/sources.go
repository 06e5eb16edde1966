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
// in the order they are tried.
func (e *Env) sources(source, mirror string) ([]installer.Source, error) {
	official := func(mirrors bool) (*installer.Official, error) {
		o := &installer.Official{
			IndexURLs:   []string{installer.DefaultIndexURL},
			DownloadURL: installer.DefaultDownloadURL,
			Fetch:       e.Fetch(),
			Cache:       e.Layout().Cache,
			Now:         e.Now,
			Signatures:  e.signatures(),
		}
		if u := e.Getenv("GOVER_DOWNLOAD_URL"); u != "" {
			o.DownloadURL = strings.TrimSuffix(u, "/") + "/"
		}
		var mirrorIndexes []string
		if mirrors && mirror != "" {
			bases, indexes, err := installer.ParseMirrors(mirror)
			if err != nil {
				return nil, usageErrorf("%w", err)
			}
			o.Mirrors, mirrorIndexes = bases, indexes
		}
		if u := e.Getenv("GOVER_INDEX_URL"); u != "" {
			o.IndexURLs = []string{u}
		} else {
			o.IndexURLs = append(o.IndexURLs, mirrorIndexes...)
		}
		o.UseMirrorIndexes()
		return o, nil
	}
	switch installer.SourceName(source) {
	case "auto", "":
		o, err := official(true)
		if err != nil {
			return nil, err
		}
		p, err := e.proxySource()
		if err != nil {
			// A broken GOPROXY only matters once the proxy is needed.
			return []installer.Source{o, brokenSource{name: installer.SourceProxy, err: err}}, nil
		}
		return []installer.Source{o, p}, nil
	case installer.SourceOfficial:
		o, err := official(false)
		if err != nil {
			return nil, err
		}
		return []installer.Source{o}, nil
	case installer.SourceMirror:
		if mirror == "" {
			return nil, usageErrorf("--source mirror needs --mirror or GOVER_MIRROR (a URL or one of the presets in 'gover install --help')")
		}
		o, err := official(true)
		if err != nil {
			return nil, err
		}
		return []installer.Source{o}, nil
	case installer.SourceProxy:
		p, err := e.proxySource()
		if err != nil {
			return nil, err
		}
		return []installer.Source{p}, nil
	}
	return nil, usageErrorf("--source %q is not a source (use auto, official, mirror or proxy)", source)
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
	}, nil
}

// origin words where a go setting came from: "the environment", a file.
func origin(from string) string {
	if from == "environment" {
		return "the environment"
	}
	return from
}
