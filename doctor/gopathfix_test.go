//go:build !windows

package doctor_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/goverdev/gover/doctor"
)

// gopathProject writes a GOPATH-era program at dir: no go.mod, a package
// of its own imported by its GOPATH import path, and a public module.
func (w *world) gopathProject(dir, importPath string) {
	w.write(filepath.Join(dir, "main.go"), "package main\n\nimport (\n\t\"github.com/pkg/errors\"\n\n\t\""+importPath+"/util\"\n)\n\nfunc main() { _ = errors.New(util.Name) }\n", 0o644)
	w.write(filepath.Join(dir, "util", "util.go"), "package util\n\nconst Name = \"app\"\n", 0o644)
}

// TestGOPATHLeftovers: code written for GOPATH mode, under GOPATH/src or
// moved out of it, with no go.mod: every build fails in module mode, and
// the fix's commands, run in order, give a build that works.
func TestGOPATHLeftovers(t *testing.T) {
	w := newWorld(t)
	w.vars["GOPROXY"] = w.fileProxy("github.com/pkg/errors", "v0.9.1", map[string]string{
		"errors.go": "package errors\n\nfunc New(s string) error { return nil }\n"})
	w.vars["GOSUMDB"] = "off"
	gp := filepath.Join(w.home, "gopath")
	w.vars["GOPATH"] = gp

	for _, tc := range []struct{ name, dir string }{
		{"under GOPATH/src", filepath.Join(gp, "src", "example.org", "team", "app")},
		{"moved out of GOPATH", filepath.Join(w.home, "code", "app")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w.t = t
			w.gopathProject(tc.dir, "example.org/team/app")
			w.work = filepath.Join(tc.dir, "util") // a package folder inside the project
			w.goFails([]string{"build", "-o", os.DevNull, "."}, "go.mod file not found")
			r := w.check("gopath-layout")
			want(t, r, doctor.Fail, tc.dir, "go.mod file not found")
			wantFix(t, r, "in "+tc.dir+" run 'go mod init example.org/team/app', then 'go mod tidy'")
			w.runFix(tc.dir, r.Fix)
			w.work = tc.dir
			w.goWorks("build", "-o", os.DevNull, ".")
			want(t, w.check("gopath-layout"), doctor.OK)
		})
	}
}
