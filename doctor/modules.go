package doctor

import (
	"context"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"

	"github.com/goverdev/gover/internal/fspath"
	"github.com/goverdev/gover/shims/selection"
)

// findUp returns the nearest folder, from dir up, that holds name; "" when
// none does.
func findUp(dir, name string, want func(string) bool) string {
	for d := filepath.Clean(dir); ; {
		if want(filepath.Join(d, name)) {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// modulePath reads the module path from a go.mod; "" when it has none.
func modulePath(gomod string) string {
	data, err := selection.ReadPin(gomod)
	if err != nil {
		return ""
	}
	return modfile.ModulePath(data)
}

// checkGO111MODULE: anything but unset or "on" takes the go command back
// to GOPATH mode somewhere, or (an unknown value) stops it.
func checkGO111MODULE(ctx context.Context, s *state) Result {
	st := s.setting(ctx, "GO111MODULE")
	v := st.Value
	if st.From == "default" {
		v = ""
	}
	from := s.origin(ctx, "GO111MODULE")
	if from == "" {
		from = strings.TrimPrefix(fromWords(st.From), "from ")
	}
	fix := s.unsetFix(ctx, "GO111MODULE") + " (module mode has been the default since Go 1.16)"
	switch v {
	case "":
		return okf("GO111MODULE is unset: module mode")
	case "on":
		return okf(fmt.Sprintf("GO111MODULE=on (from %s): module mode, as by default", from))
	case "auto":
		return warnf(fmt.Sprintf("GO111MODULE=auto (from %s): outside a module, go falls back to GOPATH mode", from), fix)
	case "off":
		if mod := findUp(s.env.Dir, "go.mod", isFile); mod != "" {
			return failf(fmt.Sprintf("GO111MODULE=off (from %s): go ignores %s and looks for imports in GOPATH/src", from, filepath.Join(mod, "go.mod")), fix)
		}
		return warnf(fmt.Sprintf("GO111MODULE=off (from %s): GOPATH mode everywhere; modules and 'go install pkg@version' do not work", from), fix)
	}
	return failf(fmt.Sprintf("GO111MODULE=%s (from %s) is not on, off or auto: every go command stops with 'unknown environment setting'", v, from), fix)
}

// checkVendor: a vendor/ folder only works at the root of a module; one
// with no go.mod beside it is a GOPATH-era project that module mode does
// not build.
func checkVendor(ctx context.Context, s *state) Result {
	vendRoot := findUp(s.env.Dir, "vendor", isDir)
	if vendRoot == "" {
		return okf("no vendor folder here")
	}
	vendor := filepath.Join(vendRoot, "vendor")
	modRoot := findUp(vendRoot, "go.mod", isFile)
	work := findUp(vendRoot, "go.work", isFile)
	switch {
	case work == vendRoot:
		return okf(fmt.Sprintf("%s belongs to the workspace %s", vendor, filepath.Join(work, "go.work")))
	case modRoot == "":
		return failf(fmt.Sprintf("%s has no go.mod beside it or above: module mode ignores it, and go stops with 'go.mod file not found'", vendor),
			fmt.Sprintf("in %s run 'go mod init %s', then 'go mod tidy' (it finds the module of each import, through GOPROXY), then 'go mod vendor' (or delete vendor/ instead of the last step)", vendRoot, guessModulePath(ctx, s, vendRoot)))
	case modRoot != vendRoot:
		return warnf(fmt.Sprintf("%s is inside the module at %s, not at its root: go uses only %s", vendor, modRoot, filepath.Join(modRoot, "vendor")),
			fmt.Sprintf("delete %s, or run 'go mod vendor' in %s", vendor, modRoot))
	case !isFile(filepath.Join(vendor, "modules.txt")):
		return s.noModulesTxt(ctx, vendor, modRoot)
	}
	return okf(fmt.Sprintf("%s belongs to %s", vendor, filepath.Join(modRoot, "go.mod")))
}

// noModulesTxt judges a vendor folder at a module's root without
// vendor/modules.txt. go builds from it (a go line of 1.14 or later, or
// -mod=vendor) and, as soon as go.mod requires a module, stops with
// "inconsistent vendoring"; requiring nothing, it builds from it as it is.
func (s *state) noModulesTxt(ctx context.Context, vendor, modRoot string) Result {
	fix := fmt.Sprintf("in %s run 'go mod tidy', then 'go mod vendor'", modRoot)
	data, err := readGoMod(filepath.Join(modRoot, "go.mod"))
	if err != nil {
		return warnf(fmt.Sprintf("%s has no modules.txt", vendor), fix)
	}
	mf, err := modfile.ParseLax("go.mod", data, nil)
	if err != nil {
		return warnf(fmt.Sprintf("%s has no modules.txt", vendor), fix)
	}
	mode := buildModFlag(s.setting(ctx, "GOFLAGS").Value)
	fromVendor := s.vendorUse(ctx, modRoot, mf).On
	switch {
	case fromVendor && len(mf.Require) > 0:
		return failf(fmt.Sprintf("%s has no modules.txt, and go builds from it: every build stops with 'inconsistent vendoring' (%s is required in go.mod)", vendor, mf.Require[0].Mod.Path), fix)
	case fromVendor:
		return warnf(fmt.Sprintf("%s has no modules.txt: go builds from it as it is while go.mod requires nothing, and stops with 'inconsistent vendoring' once it requires a module", vendor), fix)
	}
	return warnf(fmt.Sprintf("%s has no modules.txt: go does not build from it now (-mod=%s or a go line before 1.14), and stops with 'inconsistent vendoring' when asked to", vendor, firstNonEmpty(mode, "mod")), fix)
}

// guessModulePath proposes a module path for a folder: its path under
// GOPATH/src (host/owner/repo), else its name.
func guessModulePath(ctx context.Context, s *state, dir string) string {
	for _, gp := range filepath.SplitList(s.gopath(ctx)) {
		src := filepath.Join(gp, "src")
		if fspath.Within(dir, src) && dir != src {
			rel, _ := filepath.Rel(src, dir)
			return filepath.ToSlash(rel)
		}
	}
	return "example.com/" + filepath.Base(dir)
}

// gopath is GOPATH as the go command sees it (default ~/go).
func (s *state) gopath(ctx context.Context) string {
	if v := s.setting(ctx, "GOPATH").Value; v != "" {
		return v
	}
	for _, k := range []string{"HOME", "USERPROFILE"} {
		if home := s.env.Getenv(k); home != "" {
			return filepath.Join(home, "go")
		}
	}
	return ""
}

// checkGOPATH: GOPATH entries must be absolute and must not be a GOROOT;
// code under GOPATH/src should sit at its import path, and without a
// go.mod module mode does not build it.
func checkGOPATH(ctx context.Context, s *state) Result {
	gp := s.gopath(ctx)
	if gp == "" {
		return skipf("GOPATH is unset and there is no $HOME to default it to")
	}
	fix := s.unsetFix(ctx, "GOPATH") + " (the default, ~/go, is fine)"
	goroots := []string{s.env.Getenv("GOROOT")}
	if g, ok := s.goCmd.get(ctx); ok {
		goroots = append(goroots, g.GOROOT)
	}
	for _, entry := range filepath.SplitList(gp) {
		switch {
		case entry == "":
			continue
		case strings.HasPrefix(entry, "~"):
			return failf(fmt.Sprintf("GOPATH entry %q starts with ~, which nothing expanded: go rejects it as relative", entry),
				fmt.Sprintf("write it out ($HOME/%s), or unset GOPATH: %s", strings.TrimPrefix(strings.TrimPrefix(entry, "~"), "/"), fix))
		case !filepath.IsAbs(entry):
			return failf(fmt.Sprintf("GOPATH entry %q is relative: go stops with 'GOPATH entry is relative; must be absolute path'", entry), fix)
		}
		for _, root := range goroots {
			if root != "" && fspath.Same(fspath.Real(entry), fspath.Real(root)) {
				return failf(fmt.Sprintf("GOPATH %s is GOROOT: go ignores it ('GOPATH set to GOROOT has no effect') and 'go install' writes into the toolchain", entry), fix)
			}
		}
		if fspath.Within(fspath.Real(entry), fspath.Real(s.env.Layout.Versions)) {
			return failf(fmt.Sprintf("GOPATH %s is inside gover's toolchains folder: 'go install' and the module cache would write into installed toolchains", entry), fix)
		}
	}
	// Code under GOPATH/src.
	for _, entry := range filepath.SplitList(gp) {
		src := filepath.Join(entry, "src")
		dir := s.env.Dir
		if entry == "" || !fspath.Within(fspath.Real(dir), fspath.Real(src)) || fspath.Same(dir, src) {
			continue
		}
		rel, _ := filepath.Rel(fspath.Real(src), fspath.Real(dir))
		modRoot := findUp(dir, "go.mod", isFile)
		if modRoot == "" || !fspath.Within(fspath.Real(modRoot), fspath.Real(src)) {
			if v := s.setting(ctx, "GO111MODULE").Value; v == "off" {
				return okf(fmt.Sprintf("%s is GOPATH code at %s, built in GOPATH mode (GO111MODULE=off)", dir, filepath.ToSlash(rel)))
			}
			root := legacyRoot(dir, src)
			path, _ := filepath.Rel(fspath.Real(src), fspath.Real(root))
			return failf(fmt.Sprintf("%s is GOPATH code under GOPATH/src without a go.mod: in module mode (the default) every build there stops with 'go.mod file not found'", root),
				moduleInitFix(root, filepath.ToSlash(path)))
		}
		modRel, _ := filepath.Rel(fspath.Real(src), fspath.Real(modRoot))
		want := modulePath(filepath.Join(modRoot, "go.mod"))
		if want != "" && filepath.ToSlash(modRel) != want {
			return warnf(fmt.Sprintf("module %s is at %s under GOPATH/src: GOPATH-mode tools and editors expect %s", want, filepath.ToSlash(modRel), filepath.Join(src, filepath.FromSlash(want))),
				fmt.Sprintf("move it to %s, or anywhere outside GOPATH (modules need not live there)", filepath.Join(src, filepath.FromSlash(want))))
		}
	}
	if r := s.legacyOutsideGOPATH(ctx); r.Status != "" {
		return r
	}
	return okf(fmt.Sprintf("GOPATH=%s", gp))
}

// legacyOutsideGOPATH: Go code in no module and outside GOPATH/src — a
// GOPATH-era project moved out, whose packages import each other by
// their old GOPATH paths. In module mode every build there stops with
// "go.mod file not found".
func (s *state) legacyOutsideGOPATH(ctx context.Context) Result {
	dir := s.env.Dir
	if s.setting(ctx, "GO111MODULE").Value == "off" || findUp(dir, "go.mod", isFile) != "" || findUp(dir, "go.work", isFile) != "" || !hasGoFiles(dir) {
		return Result{}
	}
	root := legacyRoot(dir, "")
	path := selfImportPath(root)
	if path == "" {
		path = "example.com/" + filepath.Base(root)
	}
	return failf(fmt.Sprintf("%s holds Go code in no module: in module mode (the default) every build there stops with 'go.mod file not found'", root),
		moduleInitFix(root, path))
}

// moduleInitFix makes GOPATH-era code at root the module path: go.mod,
// then the requirements its imports need (through GOPROXY).
func moduleInitFix(root, path string) string {
	return fmt.Sprintf("in %s run 'go mod init %s', then 'go mod tidy' (it adds the modules the imports need, through GOPROXY)", root, path)
}

// legacyRoot is the top of the Go code around dir: from dir up, the last
// folder whose parent holds no .go files (never above stop, when given).
func legacyRoot(dir, stop string) string {
	root := dir
	for {
		parent := filepath.Dir(root)
		if parent == root || stop != "" && !fspath.Within(parent, stop) || fspath.Same(parent, stop) || !hasGoFiles(parent) {
			return root
		}
		root = parent
	}
}

func hasGoFiles(dir string) bool {
	m, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	return len(m) > 0
}

// selfImportPath is the import path GOPATH-era code at root used for
// itself: an import naming one of root's own subfolders (".../util" for
// root/util) gives the path, less that suffix. "" when none does.
func selfImportPath(root string) string {
	var rels []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != root && (d.Name() == "vendor" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) || len(rels) > 500 {
			return filepath.SkipDir
		}
		if rel, _ := filepath.Rel(root, p); rel != "." {
			rels = append(rels, filepath.ToSlash(rel))
		}
		return nil
	})
	files, _ := filepath.Glob(filepath.Join(root, "*.go"))
	for _, rel := range rels {
		more, _ := filepath.Glob(filepath.Join(root, filepath.FromSlash(rel), "*.go"))
		files = append(files, more...)
	}
	for _, f := range files {
		parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, imp := range parsed.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				continue
			}
			for _, rel := range rels {
				if prefix, ok := strings.CutSuffix(p, "/"+rel); ok && prefix != "" {
					return prefix
				}
			}
		}
	}
	return ""
}
