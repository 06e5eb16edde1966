package installer_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/testdist"
)

// CheckInstalled is the one chain verify, ci and doctor render: each step
// that can go wrong says so in Kind, and the tree's differences are in the
// report.
func TestCheckInstalled(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	res, err := e.install("1.22.5", e.official())
	if err != nil {
		t.Fatal(err)
	}
	in := installer.Installed{Name: res.Name, Version: res.Version, Dir: res.Dir}
	record := e.layout.Record(res.Name)
	check := func() *installer.Check {
		t.Helper()
		c, err := installer.CheckInstalled(context.Background(), in, record, installer.CheckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := check(); !c.OK() || c.Kind != installer.CheckFine || c.Record == nil || c.Report.Files == 0 {
		t.Fatalf("genuine tree: %+v", c)
	}
	os.WriteFile(filepath.Join(res.Dir, "VERSION"), []byte("go1.99"), 0o644)
	if c := check(); c.OK() || c.Kind != installer.CheckFine || c.Report == nil || c.Report.Differences() != 1 {
		t.Fatalf("changed tree: %+v", c)
	}
	os.WriteFile(record, []byte(`{"version":"go1.22.5"}`), 0o644)
	if c := check(); c.OK() || c.Kind != installer.CheckNoFiles {
		t.Fatalf("empty record: %+v", c)
	}
	os.Remove(record)
	if c := check(); c.OK() || c.Kind != installer.CheckNoRecord || !os.IsNotExist(c.Problem) {
		t.Fatalf("no record: %+v", c)
	}
}

// A tree is bound to its folder's name, whatever its record says (issue 12,
// item 3): a record naming another release or platform than the folder,
// or a host folder holding another platform's tree, is CheckIdentity.
func TestCheckInstalledBindsTheName(t *testing.T) {
	e := newEnv(t, testdist.Options{})
	res, err := e.install("1.22.5", e.official())
	if err != nil {
		t.Fatal(err)
	}
	record := e.layout.Record(res.Name)
	genuine, err := installer.ReadRecord(record)
	if err != nil {
		t.Fatal(err)
	}
	host := installer.Platform{OS: genuine.OS, Arch: genuine.Arch}
	for _, tt := range []struct {
		name    string
		folder  string
		edit    func(r *installer.Record)
		host    installer.Platform
		problem string // "" for none
	}{
		{"genuine", res.Name, nil, host, ""},
		{"genuine, host unknown", res.Name, nil, installer.Platform{}, ""},
		{"record of another release", res.Name, func(r *installer.Record) { r.Version = "go1.22.4" }, host, "install record is for go1.22.4, not go1.22.5"},
		{"another platform's folder name", res.Name + ".windows-amd64", nil, host, "install record is for " + host.String() + ", not windows/amd64"},
		{"another machine's tree", res.Name, nil, installer.Platform{OS: "plan9", Arch: "386"}, "holds this machine's plan9/386"},
		{"not a toolchain's name", "gobbledygook", nil, host, "not a toolchain folder's name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := *genuine
			if tt.edit != nil {
				tt.edit(&rec)
			}
			data, err := json.Marshal(&rec)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "record.json")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			in := installer.Installed{Name: tt.folder, Dir: res.Dir}
			c, err := installer.CheckInstalled(context.Background(), in, path, installer.CheckOptions{Host: tt.host})
			if err != nil {
				t.Fatal(err)
			}
			if tt.problem == "" {
				if !c.OK() {
					t.Fatalf("%+v: %v", c.Kind, c.Problem)
				}
				return
			}
			if c.OK() || c.Kind != installer.CheckIdentity || !strings.Contains(c.Problem.Error(), tt.problem) {
				t.Fatalf("kind %v, problem %v; want CheckIdentity saying %q", c.Kind, c.Problem, tt.problem)
			}
		})
	}
}
