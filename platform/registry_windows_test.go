package platform

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// needThrowawayRegistry stops tests that write the real registry unless
// the Wine harness (platform/winetest) runs them in a throwaway prefix:
// on a real Windows machine they would rewrite the user's PATH.
func needThrowawayRegistry(t *testing.T) {
	t.Helper()
	if os.Getenv("GOVER_TEST_REGISTRY") != "1" {
		t.Skip("writes the real user and system PATH; platform/winetest runs it under Wine with GOVER_TEST_REGISTRY=1")
	}
}

// readPath reads HKCU\Environment Path with the registry package itself,
// not through the code under test.
func readPath(t *testing.T) (string, uint32) {
	t.Helper()
	k, err := registry.OpenKey(registry.CURRENT_USER, `Environment`, registry.QUERY_VALUE)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	v, kind, err := k.GetStringValue("Path")
	if errors.Is(err, registry.ErrNotExist) {
		return "", 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return v, kind
}

func TestRealRegistrySetup(t *testing.T) {
	needThrowawayRegistry(t)
	ctx := context.Background()
	reg := realRegistry{}
	shims := filepath.Join(tempDir(t), "gover", "shims")
	sys := New(Env{Getenv: os.Getenv, Shims: shims, Privileged: Privileged})

	if err := reg.set(userEnv, "Path", `%USERPROFILE%\tools`, regExpandSZ); err != nil {
		t.Fatal(err)
	}
	changes, err := sys.Setup(ctx, SetupOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("setup: %+v", changes)
	if v, kind := readPath(t); v != shims+`;%USERPROFILE%\tools` || kind != registry.EXPAND_SZ {
		t.Fatalf("user Path = %q (type %d), want %q as REG_EXPAND_SZ", v, kind, shims+`;%USERPROFILE%\tools`)
	}
	// The broadcast went out (SendMessageTimeout answered).
	for _, c := range changes {
		if strings.Contains(c.Message, "could not tell running programs") {
			t.Errorf("broadcast: %s", c.Message)
		}
	}
	if _, err := sys.Setup(ctx, SetupOptions{Undo: true}); err != nil {
		t.Fatal(err)
	}
	if v, kind := readPath(t); v != `%USERPROFILE%\tools` || kind != registry.EXPAND_SZ {
		t.Errorf("after undo, user Path = %q (type %d)", v, kind)
	}

	// A missing value is an empty PATH.
	if err := reg.del(userEnv, "Path"); err != nil {
		t.Fatal(err)
	}
	if _, err := sys.Setup(ctx, SetupOptions{}); err != nil {
		t.Fatal(err)
	}
	if v, kind := readPath(t); v != shims || kind != registry.EXPAND_SZ {
		t.Errorf("from no value: %q (type %d)", v, kind)
	}
	if _, err := sys.Setup(ctx, SetupOptions{Undo: true}); err != nil {
		t.Fatal(err)
	}
	if v, _ := readPath(t); v != "" {
		t.Errorf("after undo: %q", v)
	}
}

func TestRealRegistryStatus(t *testing.T) {
	needThrowawayRegistry(t)
	ctx := context.Background()
	reg := realRegistry{}
	tmp := tempDir(t)
	goroot := filepath.Join(tmp, "Program Files", "Go")
	makeGoroot(t, goroot, "go1.22.5")
	shims := filepath.Join(tmp, "shims")

	// What the MSI leaves: its bin on the system PATH, its key under HKCU.
	oldSystem, oldKind, err := reg.get(systemEnv, "Path")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.set(systemEnv, "Path", oldSystem, oldKind) })
	if err := reg.set(systemEnv, "Path", oldSystem+";"+filepath.Join(goroot, "bin"), regExpandSZ); err != nil {
		t.Fatalf("write the system PATH (Wine lets a test do it): %v", err)
	}
	if err := reg.set(goMSI, "installLocation", goroot+`\`, regSZ); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.del(goMSI, "installLocation") })

	sys := New(Env{Getenv: os.Getenv, Shims: shims, Privileged: Privileged})
	if _, err := sys.Setup(ctx, SetupOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sys.Setup(ctx, SetupOptions{Undo: true}) })
	st, err := sys.Status(ctx, StatusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("status: %+v", st)
	if len(st.Installs) == 0 || st.Installs[0].Kind != KindMSI || st.Installs[0].Version != "go1.22.5" || !st.Installs[0].Shadows {
		t.Errorf("installs = %+v, want the MSI's go1.22.5 shadowing the shims", st.Installs)
	}
	if c := checkByID(t, st.Checks, "msi-install"); c.Status != Warn {
		t.Errorf("msi-install = %+v", c)
	}

	// Elevated, setup --system puts the shims ahead of the MSI.
	t.Logf("elevated: %v", Privileged())
	_, err = sys.Setup(ctx, SetupOptions{System: true})
	if !Privileged() {
		if !errors.Is(err, ErrNeedsElevation) {
			t.Errorf("setup --system, not elevated: %v", err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	st, err = sys.Status(ctx, StatusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := checkByID(t, st.Checks, "msi-install"); c.Status != OK {
		t.Errorf("after setup --system, msi-install = %+v", c)
	}
	if _, err := sys.Setup(ctx, SetupOptions{System: true, Undo: true}); err != nil {
		t.Fatal(err)
	}
	if v, _, _ := reg.get(systemEnv, "Path"); v != oldSystem+";"+filepath.Join(goroot, "bin") {
		t.Errorf("after setup --system --undo, the system Path = %q", v)
	}
}
