//go:build !windows

package doctor_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"

	"github.com/goverdev/gover/doctor"
)

// fileProxy lays out a GOPROXY folder (file://) serving one module
// version with the given files, and returns its URL.
func (w *world) fileProxy(mod, version string, files map[string]string) string {
	w.t.Helper()
	src := filepath.Join(w.tmp, "modsrc", mod)
	files["go.mod"] = "module " + mod + "\n"
	for name, body := range files {
		w.write(filepath.Join(src, name), body, 0o644)
	}
	dir := filepath.Join(w.tmp, "goproxy", mod, "@v")
	w.write(filepath.Join(dir, "list"), version+"\n", 0o644)
	w.write(filepath.Join(dir, version+".info"), `{"Version":"`+version+`"}`, 0o644)
	w.write(filepath.Join(dir, version+".mod"), files["go.mod"], 0o644)
	f, err := os.Create(filepath.Join(dir, version+".zip"))
	if err != nil {
		w.t.Fatal(err)
	}
	defer f.Close()
	if err := modzip.CreateFromDir(f, module.Version{Path: mod, Version: version}, src); err != nil {
		w.t.Fatal(err)
	}
	return "file://" + filepath.Join(w.tmp, "goproxy")
}

// runFix runs, in dir, each 'go …' command a fix names, in its order.
func (w *world) runFix(dir, fix string) {
	w.t.Helper()
	cmds := regexp.MustCompile(`'(go [^']+)'`).FindAllStringSubmatch(fix, -1)
	if len(cmds) == 0 {
		w.t.Fatalf("no go command in the fix %q", fix)
	}
	work := w.work
	w.work = dir
	defer func() { w.work = work }()
	for _, c := range cmds {
		w.goWorks(strings.Fields(c[1])[1:]...)
	}
}

// TestVendorFixFollowed: a GOPATH-era project with vendor/ and no go.mod
// does not build; the fix's commands, run in its order, make it build.
// The same for vendor/ with no modules.txt.
func TestVendorFixFollowed(t *testing.T) {
	w := newWorld(t)
	w.vars["GOPROXY"] = w.fileProxy("github.com/pkg/errors", "v0.9.1", map[string]string{
		"errors.go": "package errors\n\nfunc New(s string) error { return nil }\n"})
	w.vars["GOSUMDB"] = "off"
	proj := filepath.Join(w.home, "src", "app")
	w.write(filepath.Join(proj, "vendor", "github.com", "pkg", "errors", "errors.go"), "package errors\n\nfunc New(s string) error { return nil }\n", 0o644)
	w.write(filepath.Join(proj, "main.go"), "package main\n\nimport \"github.com/pkg/errors\"\n\nfunc main() { _ = errors.New(\"x\") }\n", 0o644)
	w.work = proj

	w.goFails([]string{"build", "-o", os.DevNull, "."}, "go.mod file not found")
	r := w.check("vendor-without-gomod")
	want(t, r, doctor.Fail, "has no go.mod")
	wantFix(t, r, "'go mod init example.com/app'", "then 'go mod tidy'", "then 'go mod vendor'")
	w.runFix(proj, r.Fix)
	w.goWorks("build", "-o", os.DevNull, ".")
	want(t, w.check("vendor-without-gomod"), doctor.OK)

	// modules.txt lost: go stops with "inconsistent vendoring".
	if err := os.Remove(filepath.Join(proj, "vendor", "modules.txt")); err != nil {
		t.Fatal(err)
	}
	w.goFails([]string{"build", "-o", os.DevNull, "."}, "inconsistent vendoring")
	r = w.check("vendor-without-gomod")
	want(t, r, doctor.Fail, "has no modules.txt", "inconsistent vendoring")
	w.runFix(proj, r.Fix)
	w.goWorks("build", "-o", os.DevNull, ".")
	want(t, w.check("vendor-without-gomod"), doctor.OK)

	// go.mod requiring nothing: go builds from vendor/ as it is, so no
	// modules.txt is only a warning.
	w.write(filepath.Join(proj, "go.mod"), "module example.com/app\n\ngo 1.22\n", 0o644)
	os.Remove(filepath.Join(proj, "vendor", "modules.txt"))
	os.Remove(filepath.Join(proj, "go.sum"))
	w.goWorks("build", "-o", os.DevNull, ".")
	want(t, w.check("vendor-without-gomod"), doctor.Warn, "has no modules.txt")
}
