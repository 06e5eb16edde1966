//go:build !windows

package doctor_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/goverdev/gover/doctor"
	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/fetch"
	"github.com/goverdev/gover/internal/goproxy"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/testdist"
	"github.com/goverdev/gover/shims"
)

// installFrom is a real install from a loopback distribution's module
// proxy, proven by its checksum database: what Env.Install does for the
// CLI. It counts its calls.
func (w *world) installFrom(d *testdist.Dist, calls *int) func(ctx context.Context, word string) error {
	return func(ctx context.Context, word string) error {
		*calls++
		f := fetch.New("gover-test")
		f.Backoff = func(int) time.Duration { return time.Millisecond }
		entries, err := goproxy.Parse(d.ProxyURL)
		if err != nil {
			return err
		}
		db, err := goproxy.ParseGOSUMDB(d.GOSUMDB)
		if err != nil {
			return err
		}
		src := &installer.Proxy{Proxies: entries, SumDB: db, Fetch: f, SumDBDir: filepath.Join(w.layout.Cache, "sumdb")}
		wd, err := goversion.Parse(word)
		if err != nil {
			return err
		}
		in := &installer.Installer{Layout: w.layout, Fetch: f, Now: time.Now, GoverVersion: "test"}
		_, err = in.Install(ctx, installer.Request{Word: wd, Platform: installer.Platform{OS: runtime.GOOS, Arch: runtime.GOARCH}, Host: true, Sources: []installer.Source{src}})
		return err
	}
}

func TestShims(t *testing.T) {
	w := newWorld(t)
	reshim := func() ([]string, error) { return shims.Reshim(w.layout, w.shimExe) }

	// Never reshimmed.
	r := w.check("shims")
	want(t, r, doctor.Warn, "no shims yet in "+w.layout.Shims)
	wantFix(t, r, "gover reshim")

	// --fix reshims, and the check then passes.
	e := w.env()
	e.Reshim = reshim
	rep := doctor.Run(context.Background(), e, doctor.Options{Only: []string{"shims"}, Fix: true})
	r = rep.Checks[0]
	want(t, r, doctor.OK, "reshimmed go, gofmt; go, gofmt in "+w.layout.Shims+", up to date")
	if !r.Fixed {
		t.Errorf("--fix: Fixed is false: %+v", r)
	}

	// gover upgraded: gover-shim changed, the shims did not; a program
	// no toolchain has any more; gofmt gone. (An upgrade replaces the
	// file, so the old shims, hard links of the old one, keep their bytes.)
	os.Remove(w.shimExe)
	w.write(w.shimExe, "#!/bin/sh\necho 'gover-shim v2'\n", 0o755)
	w.write(filepath.Join(w.layout.Shims, "vet"), "old", 0o755)
	os.Remove(filepath.Join(w.layout.Shims, "gofmt"))
	r = w.check("shims")
	want(t, r, doctor.Warn, "missing gofmt", "go differ from "+w.shimExe, "left over: vet")

	// A hard link of gover-shim counts as up to date, as reshim makes them.
	if _, err := reshim(); err != nil {
		t.Fatal(err)
	}
	want(t, w.check("shims"), doctor.OK)

	// No gover-shim at all: nothing to compare with or to copy.
	w.shimExe = ""
	r = w.check("shims")
	want(t, r, doctor.Warn, "gover-shim is not beside gover")
	wantFix(t, r, "install.sh")
}

func TestGlobalVersion(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t)
	calls := 0
	w.install = w.installFrom(d, &calls)

	want(t, w.check("global-version"), doctor.OK, "no global version")

	w.write(w.layout.GlobalFile, "1.22.5\n", 0o644)
	r := w.check("global-version")
	want(t, r, doctor.Fail, "the global version go1.22.5 ("+w.layout.GlobalFile+") is not installed")
	wantFix(t, r, "gover install 1.22.5")

	// --fix installs it for real (proxy, checksum database), then checks again.
	rep := w.run(doctor.Options{Only: []string{"global-version"}, Fix: true})
	r = rep.Checks[0]
	want(t, r, doctor.OK, "installed 1.22.5; go1.22.5 (set by "+w.layout.GlobalFile+")")
	if !r.Fixed || calls != 1 {
		t.Errorf("--fix: Fixed %v after %d installs", r.Fixed, calls)
	}
	if !isDir(filepath.Join(w.layout.Versions, "go1.22.5")) {
		t.Error("--fix did not install go1.22.5")
	}

	// A global file that is not a version.
	w.write(w.layout.GlobalFile, "one point twenty-two\n", 0o644)
	r = w.check("global-version")
	want(t, r, doctor.Fail, w.layout.GlobalFile)
	// A broken file is not something --fix guesses at.
	rep = w.run(doctor.Options{Only: []string{"global-version"}, Fix: true})
	if rep.Checks[0].Fixed || calls != 1 {
		t.Errorf("--fix acted on an unreadable global file: %+v, %d installs", rep.Checks[0], calls)
	}
}

func TestActiveVersion(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t)
	calls := 0
	w.install = w.installFrom(d, &calls)

	want(t, w.check("active-version"), doctor.OK, "nothing selects a version here")

	pin := filepath.Join(w.work, ".go-version")
	w.write(pin, "1.21.13\n", 0o644)
	r := w.check("active-version")
	want(t, r, doctor.Fail, "go1.21.13 (set by "+pin+") is not installed")
	wantFix(t, r, "gover install 1.21.13")

	rep := w.run(doctor.Options{Only: []string{"active-version"}, Fix: true})
	want(t, rep.Checks[0], doctor.OK, "installed 1.21.13; go1.21.13 (set by "+pin+")")
	if calls != 1 {
		t.Errorf("%d installs", calls)
	}

	// The global file is global-version's business.
	os.Remove(pin)
	w.write(w.layout.GlobalFile, "1.20\n", 0o644)
	want(t, w.check("active-version"), doctor.OK, "see global-version")

	// An unreadable pin.
	w.write(pin, "latest-ish\n", 0o644)
	r = w.check("active-version")
	want(t, r, doctor.Fail, pin)
}

func TestInstallIntegrity(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	w := newWorld(t)
	calls := 0
	install := w.installFrom(d, &calls)

	want(t, w.check("install-integrity"), doctor.Skip, "no toolchains installed")

	for _, v := range []string{"1.22.5", "1.21.13"} {
		if err := install(context.Background(), v); err != nil {
			t.Fatal(err)
		}
	}
	want(t, w.check("install-integrity"), doctor.OK, "2 toolchains as installed")

	// A file changed after install, and a tree without its record.
	w.write(filepath.Join(w.layout.Versions, "go1.22.5", "src", "fmt", "print.go"), "package fmt // changed\n", 0o644)
	os.Remove(w.layout.Record("go1.21.13"))
	r := w.check("install-integrity")
	want(t, r, doctor.Fail, "changed since installed: go1.22.5 (1 of ", "no usable install record: go1.21.13")
	wantFix(t, r, "gover verify", "gover install --force 1.22.5", "gover install --force 1.21.13")
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
