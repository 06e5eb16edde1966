package platform

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var winEnv = mapEnv(map[string]string{"USERPROFILE": `C:\Users\u`, "LOCALAPPDATA": `C:\Users\u\AppData\Local`})

func TestAddPathEntry(t *testing.T) {
	const shims = `C:\Users\u\AppData\Local\gover\shims`
	for _, tc := range []struct {
		name, raw, want string
		changed         bool
	}{
		{"missing value", "", shims, true},
		{"keeps %VAR% entries as written", `%USERPROFILE%\tools;C:\bin`, shims + `;%USERPROFILE%\tools;C:\bin`, true},
		{"already first", shims + `;C:\bin`, shims + `;C:\bin`, false},
		{"already first, other spelling", `%LOCALAPPDATA%\gover\shims\;C:\bin`, `%LOCALAPPDATA%\gover\shims\;C:\bin`, false},
		{"moves it first, no duplicate", `C:\bin;c:/users/u/appdata/local/gover/shims;D:\x`, shims + `;C:\bin;D:\x`, true},
		{"drops a later duplicate", shims + `;C:\bin;` + shims, shims + `;C:\bin`, true},
		{"keeps empty entries and the trailing separator", `C:\a;;C:\b;`, shims + `;C:\a;;C:\b;`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, changed := AddPathEntry(tc.raw, shims, winEnv)
			if got != tc.want || changed != tc.changed {
				t.Errorf("AddPathEntry(%q) = %q, %v; want %q, %v", tc.raw, got, changed, tc.want, tc.changed)
			}
		})
	}
}

func TestRemovePathEntryUndoesAdd(t *testing.T) {
	const shims = `C:\Users\u\AppData\Local\gover\shims`
	for _, raw := range []string{"", `%USERPROFILE%\tools`, `C:\a;;%SystemRoot%\x;`, `"C:\Program Files\x";C:\y`} {
		added, _ := AddPathEntry(raw, shims, winEnv)
		got, changed := RemovePathEntry(added, shims, winEnv)
		if got != raw || !changed {
			t.Errorf("RemovePathEntry(AddPathEntry(%q)) = %q, %v; want it back as written", raw, got, changed)
		}
	}
	if got, changed := RemovePathEntry(`C:\a;C:\b`, shims, winEnv); got != `C:\a;C:\b` || changed {
		t.Errorf("RemovePathEntry without the entry = %q, %v; want it unchanged", got, changed)
	}
}

func TestUnexpanded(t *testing.T) {
	got := unexpanded(`C:\Windows;%NOPE%\bin;C:\x`)
	if len(got) != 1 || got[0] != `%NOPE%\bin` {
		t.Errorf("unexpanded = %q", got)
	}
}

// mapRegistry is a registry in memory.
type mapRegistry map[string]regValue

func (m mapRegistry) key(k winKey, name string) string { return k.String() + `\` + name }

func (m mapRegistry) get(k winKey, name string) (string, uint32, error) {
	v, ok := m[m.key(k, name)]
	if !ok {
		return "", 0, fs.ErrNotExist
	}
	return v.value, v.kind, nil
}

func (m mapRegistry) set(k winKey, name, value string, kind uint32) error {
	m[m.key(k, name)] = regValue{value: value, kind: kind, exists: true}
	return nil
}

func (m mapRegistry) del(k winKey, name string) error {
	delete(m, m.key(k, name))
	return nil
}

func newTestWindows(reg mapRegistry, shims string, env map[string]string, privileged func() bool) (*Windows, *int) {
	broadcasts := 0
	getenv := func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		return winEnv(k)
	}
	return &Windows{
		Env: Env{Getenv: getenv, Shims: shims, Privileged: privileged},
		reg: reg,
		broadcast: func() error {
			broadcasts++
			return nil
		},
	}, &broadcasts
}

func TestWindowsSetupUserPath(t *testing.T) {
	const shims = `C:\Users\u\AppData\Local\gover\shims`
	ctx := context.Background()
	reg := mapRegistry{}
	reg.set(userEnv, "Path", `%USERPROFILE%\tools`, regExpandSZ)
	w, broadcasts := newTestWindows(reg, shims, nil, no)

	changes, err := w.Setup(ctx, SetupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := reg[reg.key(userEnv, "Path")]; got.value != shims+`;%USERPROFILE%\tools` || got.kind != regExpandSZ {
		t.Fatalf("user Path = %q (type %d), want the shims first and %%USERPROFILE%% unexpanded, REG_EXPAND_SZ", got.value, got.kind)
	}
	if got := reg[reg.key(userGover, recordValue)].value; got != shims {
		t.Errorf("record = %q, want %q", got, shims)
	}
	if *broadcasts != 1 {
		t.Errorf("broadcasts = %d, want 1", *broadcasts)
	}
	if !strings.Contains(changes[0].Message, "put "+shims+" first on the user PATH") {
		t.Errorf("changes = %+v", changes)
	}

	// Again: nothing changes, nothing is broadcast.
	changes, err = w.Setup(ctx, SetupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(changes[0].Message, "already leads") || *broadcasts != 1 {
		t.Errorf("second setup: %+v, %d broadcasts", changes, *broadcasts)
	}

	// Undo restores the value as it was.
	if _, err := w.Setup(ctx, SetupOptions{Undo: true}); err != nil {
		t.Fatal(err)
	}
	if got := reg[reg.key(userEnv, "Path")]; got.value != `%USERPROFILE%\tools` || got.kind != regExpandSZ {
		t.Errorf("after undo, user Path = %q (type %d)", got.value, got.kind)
	}
	if _, ok := reg[reg.key(userGover, recordValue)]; ok {
		t.Error("undo left the record behind")
	}
	changes, err = w.Setup(ctx, SetupOptions{Undo: true})
	if err != nil || !strings.Contains(changes[0].Message, "nothing to undo") {
		t.Errorf("second undo: %+v, %v", changes, err)
	}
}

// install.ps1 puts gover in %LOCALAPPDATA%\gover\bin and counts on setup to
// put that folder on PATH too, behind the shims.
func TestWindowsSetupAddsGoversFolder(t *testing.T) {
	const shims, bin = `C:\g\shims`, `C:\g\bin`
	ctx := context.Background()
	reg := mapRegistry{}
	reg.set(userEnv, "Path", `%USERPROFILE%\tools`, regExpandSZ)
	w, _ := newTestWindows(reg, shims, nil, no)
	changes, err := w.Setup(ctx, SetupOptions{GoverDir: bin})
	if err != nil {
		t.Fatal(err)
	}
	if got := reg[reg.key(userEnv, "Path")].value; got != shims+";"+bin+`;%USERPROFILE%\tools` {
		t.Errorf("user Path = %q", got)
	}
	if len(changes) < 2 || changes[1].Message != "put "+bin+" (gover itself) on the user PATH (HKCU\\Environment), after the shims" {
		t.Errorf("changes = %+v", changes)
	}
	if _, err := w.Setup(ctx, SetupOptions{GoverDir: bin}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Setup(ctx, SetupOptions{Undo: true}); err != nil {
		t.Fatal(err)
	}
	if got := reg[reg.key(userEnv, "Path")].value; got != `%USERPROFILE%\tools` {
		t.Errorf("after undo, user Path = %q", got)
	}

	// A folder already on PATH (here, the system's) is left alone, and
	// undo leaves it too.
	reg.set(systemEnv, "Path", bin, regExpandSZ)
	w.Setup(ctx, SetupOptions{GoverDir: bin})
	if got := reg[reg.key(userEnv, "Path")].value; got != shims+`;%USERPROFILE%\tools` {
		t.Errorf("with gover on the system PATH, user Path = %q", got)
	}
}

func TestWindowsSetupMissingValueAndREGSZ(t *testing.T) {
	const shims = `C:\g\shims`
	ctx := context.Background()

	reg := mapRegistry{}
	w, _ := newTestWindows(reg, shims, nil, no)
	if _, err := w.Setup(ctx, SetupOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := reg[reg.key(userEnv, "Path")]; got.value != shims || got.kind != regExpandSZ {
		t.Errorf("from a missing value: %q (type %d)", got.value, got.kind)
	}
	w.Setup(ctx, SetupOptions{Undo: true})
	if got := reg[reg.key(userEnv, "Path")]; got.value != "" {
		t.Errorf("undo of a missing value left %q", got.value)
	}

	// Shims already first, but the value is REG_SZ with a %VAR% entry that
	// therefore never expanded: setup rewrites the type, and undo leaves
	// the entry it did not add.
	reg = mapRegistry{}
	reg.set(userEnv, "Path", shims+`;%USERPROFILE%\go\bin`, regSZ)
	w, _ = newTestWindows(reg, shims, nil, no)
	changes, err := w.Setup(ctx, SetupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := reg[reg.key(userEnv, "Path")]; got.value != shims+`;%USERPROFILE%\go\bin` || got.kind != regExpandSZ {
		t.Errorf("REG_SZ value: %q (type %d)", got.value, got.kind)
	}
	if !strings.Contains(changes[0].Message, "REG_EXPAND_SZ") {
		t.Errorf("changes = %+v", changes)
	}
	w.Setup(ctx, SetupOptions{Undo: true})
	if got := reg[reg.key(userEnv, "Path")].value; got != shims+`;%USERPROFILE%\go\bin` {
		t.Errorf("undo removed an entry setup did not add: %q", got)
	}
}

func TestWindowsSetupSystemNeedsElevation(t *testing.T) {
	const shims = `C:\g\shims`
	reg := mapRegistry{}
	reg.set(systemEnv, "Path", `%SystemRoot%\system32;C:\Program Files\Go\bin`, regExpandSZ)
	w, _ := newTestWindows(reg, shims, nil, no)
	_, err := w.Setup(context.Background(), SetupOptions{System: true})
	if !errors.Is(err, ErrNeedsElevation) || !strings.Contains(err.Error(), "Run as administrator") {
		t.Fatalf("unelevated setup --system: %v", err)
	}
	if got := reg[reg.key(systemEnv, "Path")].value; got != `%SystemRoot%\system32;C:\Program Files\Go\bin` {
		t.Errorf("system Path changed without elevation: %q", got)
	}

	w, _ = newTestWindows(reg, shims, nil, yes)
	if _, err := w.Setup(context.Background(), SetupOptions{System: true}); err != nil {
		t.Fatal(err)
	}
	if got := reg[reg.key(systemEnv, "Path")]; got.value != shims+`;%SystemRoot%\system32;C:\Program Files\Go\bin` || got.kind != regExpandSZ {
		t.Errorf("system Path = %q (type %d)", got.value, got.kind)
	}
	if _, ok := reg[reg.key(userEnv, "Path")]; ok {
		t.Error("setup --system wrote the user PATH")
	}
	w.Setup(context.Background(), SetupOptions{System: true, Undo: true})
	if got := reg[reg.key(systemEnv, "Path")].value; got != `%SystemRoot%\system32;C:\Program Files\Go\bin` {
		t.Errorf("after undo, system Path = %q", got)
	}
}

// makeGoroot creates a toolchain folder with a VERSION and a go command
// under both names (so the test means the same on Windows and elsewhere).
func makeGoroot(t *testing.T, dir, version string) {
	t.Helper()
	for _, name := range []string{"go", "go.exe"} {
		p := filepath.Join(dir, "bin", name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "VERSION"), []byte(version+"\ntime 2024-07-02T00:00:00Z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestWindowsStatusFindsWhatShadowsTheShims(t *testing.T) {
	tmp := tempDir(t)
	goroot := filepath.Join(tmp, "Go")
	makeGoroot(t, goroot, "go1.22.5")
	shims := filepath.Join(tmp, "shims")
	os.MkdirAll(shims, 0o755)

	reg := mapRegistry{}
	reg.set(systemEnv, "Path", filepath.Join(goroot, "bin"), regExpandSZ)
	reg.set(userEnv, "Path", shims+`;%USERPROFILE%\go\bin`, regSZ)
	reg.set(userEnv, "GOROOT", goroot, regSZ)
	reg.set(goMSI, "installLocation", goroot+string(filepath.Separator), regSZ)
	w, _ := newTestWindows(reg, shims, map[string]string{"PATH": `C:\x;%NOPE%\bin`}, no)

	st, err := w.Status(context.Background(), StatusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Installs) != 1 {
		t.Fatalf("installs = %+v, want the MSI", st.Installs)
	}
	msi := st.Installs[0]
	if msi.Kind != KindMSI || msi.Version != "go1.22.5" || msi.GOROOT != goroot || !msi.Shadows {
		t.Errorf("MSI install = %+v", msi)
	}
	if c := checkByID(t, st.Checks, "msi-install"); c.Status != Warn || !strings.Contains(c.Fix, "gover setup --system") {
		t.Errorf("msi-install = %+v", c)
	}
	c := checkByID(t, st.Checks, "windows-path")
	for _, want := range []string{"is REG_SZ", "holds go.exe and comes before the user PATH", `%NOPE%\bin`} {
		if c.Status != Warn || !strings.Contains(c.Message, want) {
			t.Errorf("windows-path = %+v, want a warning saying %q", c, want)
		}
	}
	if c := checkByID(t, st.Checks, "goroot-mismatch"); c.Status != Warn || !strings.Contains(c.Fix, `reg delete "HKCU\Environment" /v GOROOT`) {
		t.Errorf("goroot-mismatch = %+v", c)
	}
	if c := checkByID(t, st.Checks, "path-shadowing"); c.Status != Warn || !strings.Contains(c.Fix, "system PATH") {
		t.Errorf("path-shadowing = %+v", c)
	}

	// With the shims first on the system PATH, nothing is in their way.
	reg.set(systemEnv, "Path", shims+";"+filepath.Join(goroot, "bin"), regExpandSZ)
	reg.set(userEnv, "Path", `%USERPROFILE%\go\bin`, regExpandSZ)
	reg.del(userEnv, "GOROOT")
	w, _ = newTestWindows(reg, shims, map[string]string{"PATH": `C:\x`}, no)
	st, err = w.Status(context.Background(), StatusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range st.Checks {
		if c.Status != OK {
			t.Errorf("shims first on the system PATH: %+v", c)
		}
	}
}
