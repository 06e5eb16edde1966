package installer_test

import (
	"context"
	"os"
	"path/filepath"
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
