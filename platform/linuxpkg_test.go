//go:build !windows

// These build fake Linux systems with symbolic links, which Windows only
// allows administrators; the Windows side has winsys_test.go.

package platform

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseDebs(t *testing.T) {
	out := "golang-1.19-go 1.19.8-2 hi \n" +
		"golang-1.19-src 1.19.8-2 ii \n" +
		"golang-go 2:1.19~1 ii \n" +
		"golang-go-linux-amd64  un \n" +
		"golang-1.21-go 1.21.5-1~bpo12+1 rc \n" +
		"golang-github-foo-dev 1.0 ii \n"
	want := []deb{
		{Name: "golang-1.19-go", Version: "1.19.8-2", Installed: true, Held: true},
		{Name: "golang-go", Version: "2:1.19~1", Installed: true},
		{Name: "golang-1.21-go", Version: "1.21.5-1~bpo12+1", Installed: false},
	}
	if got := parseDebs(out); !reflect.DeepEqual(got, want) {
		t.Errorf("parseDebs =\n%+v\nwant\n%+v", got, want)
	}
}

func TestDebHoldTargets(t *testing.T) {
	debs := []deb{
		{Name: "golang-1.19-go", Installed: true},
		{Name: "golang-1.21-go", Installed: true},
		{Name: "golang-go", Installed: true},
	}
	deps := debDepends("golang-1.21-go, golang-src (>= 2:1.21~2)")
	if want := []string{"golang-1.21-go"}; !reflect.DeepEqual(deps, want) {
		t.Errorf("debDepends = %q, want %q", deps, want)
	}
	if got, want := debHoldTargets(debs, deps), []string{"golang-go", "golang-1.21-go"}; !reflect.DeepEqual(got, want) {
		t.Errorf("with golang-go: %q, want %q", got, want)
	}
	// Without golang-go, the versioned packages someone installed by name.
	if got, want := debHoldTargets(debs[:2], nil), []string{"golang-1.19-go", "golang-1.21-go"}; !reflect.DeepEqual(got, want) {
		t.Errorf("without golang-go: %q, want %q", got, want)
	}
}

func TestParseVersionlock(t *testing.T) {
	for _, tc := range []struct {
		out  string
		want bool
	}{
		{"Last metadata expiration check: 0:01:02 ago.\ngolang-0:1.21.5-1.fc39.*\n", true},
		{"golang-bin-0:1.21.5-1.fc39.*\n", false},
		{"# Added by 'versionlock add' command on 2024-01-10 13:21:04\nPackage name: golang\nevr = 1.21.5-1.fc39\n", true},
		{"Package name: golang-bin\n", false},
		{"", false},
	} {
		if got := parseVersionlock(tc.out); got != tc.want {
			t.Errorf("parseVersionlock(%q) = %v", tc.out, got)
		}
	}
}

// debianRoot is a Debian system with golang-go installed, and PATH as a
// user has it before running gover setup.
func debianRoot(t *testing.T) (root, path string) {
	root = t.TempDir()
	writeFiles(t, root, map[string]string{
		"usr/lib/go-1.19/VERSION": "go1.19.8",
		"usr/lib/go-1.19/bin/go":  "#!/bin/sh\n",
		"usr/lib/go":              "-> go-1.19",
		"usr/bin/go":              "-> ../lib/go-1.19/bin/go",
		"usr/local/go/VERSION":    "go1.22.5\ntime 2024-07-02T00:00:00Z\n",
		"usr/local/go/bin/go":     "#!/bin/sh\n",
		"usr/lib/go-hand/bin/go":  "#!/bin/sh\n", // built by hand: no package
		"home/u/sdk/bin/go":       "#!/bin/sh\n", // something else on PATH
	})
	return root, filepath.Join(root, "home/u/sdk/bin") + ":" + filepath.Join(root, "usr/bin")
}

func debianRunner(held string) *fakeRunner {
	return &fakeRunner{answers: map[string]fakeAnswer{
		"dpkg-query -W -f=" + dpkgFormat + " golang*":            {out: "golang-1.19-go 1.19.8-2 " + held + "i \ngolang-go 2:1.19~1 " + held + "i \ngolang-src 2:1.19~1 ii \n"},
		"dpkg-query -W -f=${Depends} golang-go":                  {out: "golang-1.19-go, golang-src (>= 2:1.19~1)"},
		"apt-mark hold golang-go golang-1.19-go":                 {out: "golang-go set on hold.\ngolang-1.19-go set on hold.\n"},
		"apt-mark unhold golang-1.19-go golang-go":               {out: "Canceled hold on golang-1.19-go.\n"},
		"rpm -q --qf %{NAME} %{VERSION}-%{RELEASE}\\n golang":    {out: "package golang is not installed\n", stderr: " "},
		"dnf -q -C versionlock list":                             {},
		"rpm -q --qf %{NAME} %{VERSION}-%{RELEASE}\\n golang-go": {},
	}}
}

func TestLinuxStatus(t *testing.T) {
	root, path := debianRoot(t)
	shims := filepath.Join(root, "home/u/.local/share/gover/shims")
	u := &Unix{GOOS: "linux", Env: Env{
		Getenv: mapEnv(map[string]string{"PATH": path + ":" + shims}),
		Run:    debianRunner("h"), Root: root, Shims: shims, Privileged: no,
	}}
	st, err := u.Status(context.Background(), StatusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Kind             Kind
		Package, Version string
		Held, Shadows    bool
		Go               string
	}
	var got []row
	for _, in := range st.Installs {
		got = append(got, row{in.Kind, in.Package, in.Version, in.Held, in.Shadows, strings.TrimPrefix(in.Go, root)})
	}
	want := []row{
		{KindDeb, "golang-1.19-go", "go1.19.8", true, true, "/usr/bin/go"},
		{KindDeb, "golang-go", "go1.19.8", true, true, "/usr/bin/go"},
		{KindUsrLocal, "", "go1.22.5", false, false, "/usr/local/go/bin/go"},
		{KindUsrLib, "", "", false, false, "/usr/lib/go-hand/bin/go"},
		{KindPath, "", "", false, true, "/home/u/sdk/bin/go"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("installs:\n%+v\nwant\n%+v", got, want)
	}
	if c := checkByID(t, st.Checks, "apt-hold"); c.Status != OK || c.Message != "held: golang-1.19-go, golang-go" {
		t.Errorf("apt-hold = %+v", c)
	}
	c := checkByID(t, st.Checks, "system-go")
	if c.Status != Warn || !strings.Contains(c.Fix, "sudo apt remove golang-go") {
		t.Errorf("system-go = %+v", c)
	}
	c = checkByID(t, st.Checks, "path-shadowing")
	if c.Status != Warn || !strings.Contains(c.Message, filepath.Join(root, "home/u/sdk/bin/go")+" and "+filepath.Join(root, "usr/bin/go")+" comes before") {
		t.Errorf("path-shadowing = %+v", c)
	}

	// Shims first: nothing shadows them.
	u.Env.Getenv = mapEnv(map[string]string{"PATH": shims + ":" + path})
	st, err = u.Status(context.Background(), StatusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range st.Installs {
		if in.Shadows {
			t.Errorf("shims first, yet %+v shadows them", in)
		}
	}
	if c := checkByID(t, st.Checks, "path-shadowing"); c.Status != OK {
		t.Errorf("path-shadowing = %+v", c)
	}
}

func TestAptHold(t *testing.T) {
	root, _ := debianRoot(t)
	ctx := context.Background()

	run := debianRunner("i")
	u := &Unix{GOOS: "linux", Env: Env{Getenv: mapEnv(nil), Run: run, Root: root, Privileged: no}}
	_, err := u.Hold(ctx, true)
	if !errors.Is(err, ErrNeedsRoot) || err.Error() != "apt-mark hold golang-go golang-1.19-go: needs root (run 'sudo gover system hold')" {
		t.Fatalf("hold as a user: %v", err)
	}
	if run.called("apt-mark hold golang-go golang-1.19-go") {
		t.Error("ran apt-mark without root")
	}

	u.Env.Privileged = yes
	changes, err := u.Hold(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if !run.called("apt-mark hold golang-go golang-1.19-go") || !strings.Contains(changes[0].Message, "held golang-go and golang-1.19-go") {
		t.Errorf("hold: calls %q, changes %+v", run.calls, changes)
	}

	// Held already: hold says so; unhold releases what is held.
	u.Env.Run = debianRunner("h")
	changes, err = u.Hold(ctx, true)
	if err != nil || changes[0].Message != "already held: golang-go and golang-1.19-go" {
		t.Errorf("hold again: %+v, %v", changes, err)
	}
	if _, err := u.Hold(ctx, false); err != nil {
		t.Fatal(err)
	}
	if !u.Env.Run.(*fakeRunner).called("apt-mark unhold golang-1.19-go golang-go") {
		t.Errorf("unhold calls: %q", u.Env.Run.(*fakeRunner).calls)
	}
}

func fedoraRunner(locked bool, dnf5 bool) *fakeRunner {
	list := "golang-0:1.21.5-1.fc39.*\n"
	if dnf5 {
		list = "# Added by 'versionlock add' command\nPackage name: golang\nevr = 1.21.5-1.fc39\n"
	}
	if !locked {
		list = ""
	}
	return &fakeRunner{answers: map[string]fakeAnswer{
		"rpm -q --qf %{NAME} %{VERSION}-%{RELEASE}\\n golang": {out: "golang 1.21.5-1.fc39\n"},
		"dnf -q -C versionlock list":                          {out: list},
		"dnf -q versionlock add golang":                       {},
		"dnf -q versionlock delete golang":                    {},
	}}
}

func TestDnfHold(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"usr/lib/golang/VERSION": "go1.21.5", "usr/lib/golang/bin/go": "#!/bin/sh\n", "usr/bin/go": "-> ../lib/golang/bin/go"})
	ctx := context.Background()

	for _, dnf5 := range []bool{false, true} {
		u := &Unix{GOOS: "linux", Env: Env{Getenv: mapEnv(map[string]string{"PATH": filepath.Join(root, "usr/bin")}), Run: fedoraRunner(true, dnf5), Root: root, Privileged: no}}
		st, err := u.Status(ctx, StatusOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if in := st.Installs[0]; in.Kind != KindRPM || in.PackageVersion != "1.21.5-1.fc39" || in.Version != "go1.21.5" || !in.Held || !in.Shadows {
			t.Errorf("dnf5=%v: rpm install = %+v", dnf5, in)
		}
		if c := checkByID(t, st.Checks, "dnf-versionlock"); c.Status != OK || c.Message != "held: golang" {
			t.Errorf("dnf-versionlock = %+v", c)
		}
	}

	run := fedoraRunner(false, false)
	u := &Unix{GOOS: "linux", Env: Env{Getenv: mapEnv(nil), Run: run, Root: root, Privileged: no}}
	if _, err := u.Hold(ctx, true); !errors.Is(err, ErrNeedsRoot) || !strings.Contains(err.Error(), "sudo gover system hold") {
		t.Fatalf("hold as a user: %v", err)
	}
	u.Env.Privileged = yes
	if _, err := u.Hold(ctx, true); err != nil || !run.called("dnf -q versionlock add golang") {
		t.Fatalf("hold: %v, calls %q", err, run.calls)
	}

	// dnf4 without the plugin.
	run.answers["dnf -q versionlock add golang"] = fakeAnswer{stderr: "No such command: versionlock. Please use /usr/bin/dnf --help\nIt could be a DNF plugin command, try: \"dnf install 'dnf-command(versionlock)'\""}
	_, err := u.Hold(ctx, true)
	if err == nil || !strings.Contains(err.Error(), `on dnf4 it is a plugin: run 'sudo dnf install "dnf-command(versionlock)"'`) {
		t.Errorf("hold without the plugin: %v", err)
	}

	u.Env.Run = fedoraRunner(true, true)
	if _, err := u.Hold(ctx, false); err != nil || !u.Env.Run.(*fakeRunner).called("dnf -q versionlock delete golang") {
		t.Errorf("unhold: %v, calls %q", err, u.Env.Run.(*fakeRunner).calls)
	}
}

func TestHoldNothing(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"usr/local/go/bin/go": "#!/bin/sh\n", "snap/go/current/bin/go": "#!/bin/sh\n"})
	u := &Unix{GOOS: "linux", Env: Env{Getenv: mapEnv(nil), Run: &fakeRunner{}, Root: root, Privileged: yes}}
	_, err := u.Hold(context.Background(), true)
	if !errors.Is(err, ErrNothingToHold) || !strings.Contains(err.Error(), "snap refresh --hold go") {
		t.Errorf("hold with no package: %v", err)
	}
}

func TestHoldCheckPartlyHeld(t *testing.T) {
	c, ok := holdCheck("apt-hold", []Install{{Package: "golang-go", Held: true}, {Package: "golang-1.19-go"}})
	if !ok || c.Status != Warn || c.Fix != "run 'sudo gover system hold' (or 'sudo gover system unhold' to release them all)" {
		t.Errorf("partly held: %+v", c)
	}
	if _, ok := holdCheck("apt-hold", nil); ok {
		t.Error("a check with nothing installed")
	}
}
