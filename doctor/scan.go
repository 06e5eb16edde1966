package doctor

import (
	"context"
	"go/build"
	"io/fs"
	"path/filepath"
	"strings"
)

// maxScanDirs bounds the module scan: a module bigger than this is scanned
// in part (Truncated says so).
const maxScanDirs = 5000

// moduleInfo is what the cgo checks need to know of the module the working
// folder is in.
type moduleInfo struct {
	// Root is the folder holding go.mod; empty when the working folder is
	// in no module.
	Root, Path string
	// CgoFiles are the files (relative to Root) that import "C" and would
	// be built for the target platform.
	CgoFiles []string
	// PkgConfig are the packages '#cgo pkg-config:' lines name for the
	// target, in order, and From where each was first named (go/build
	// gathers them per package: the package's first cgo file).
	PkgConfig []string
	From      map[string]string
	Truncated bool
}

// scanModule reads the module's packages as go/build does for the target
// platform (build tags, _GOOS_GOARCH file names, #cgo line conditions),
// skipping vendor, testdata, folders starting with . or _, and nested
// modules.
func (s *state) scanModule() moduleInfo {
	var m moduleInfo
	m.Root = findUp(s.env.Dir, "go.mod", isFile)
	if m.Root == "" {
		return m
	}
	m.Path = modulePath(filepath.Join(m.Root, "go.mod"))
	m.From = map[string]string{}
	ctx, cancel := context.WithTimeout(s.base, s.opt.timeout())
	defer cancel()
	goos, goarch := s.target(ctx)
	bctx := build.Context{
		GOOS:        goos,
		GOARCH:      goarch,
		Compiler:    "gc",
		CgoEnabled:  true,
		ReleaseTags: build.Default.ReleaseTags,
		ToolTags:    build.Default.ToolTags,
	}
	dirs := 0
	filepath.WalkDir(m.Root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if ctx.Err() != nil || dirs >= maxScanDirs {
			m.Truncated = true
			return filepath.SkipAll
		}
		name := d.Name()
		if path != m.Root && (name == "vendor" || name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || isFile(filepath.Join(path, "go.mod"))) {
			return filepath.SkipDir
		}
		dirs++
		p, err := bctx.ImportDir(path, 0)
		if p == nil || err != nil && len(p.CgoFiles) == 0 {
			return nil
		}
		rel, _ := filepath.Rel(m.Root, path)
		for _, f := range p.CgoFiles {
			m.CgoFiles = append(m.CgoFiles, filepath.ToSlash(filepath.Join(rel, f)))
		}
		for _, name := range p.CgoPkgConfig {
			if strings.HasPrefix(name, "-") {
				continue // --static and friends
			}
			if _, seen := m.From[name]; !seen {
				m.PkgConfig = append(m.PkgConfig, name)
				m.From[name] = filepath.ToSlash(filepath.Join(rel, p.CgoFiles[0]))
			}
		}
		return nil
	})
	return m
}
