package platform

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestAptHoldForReal holds and releases the real golang-go on Debian or
// Ubuntu, as root. CI installs golang-go and sets GOVER_TEST_APT=1, which
// turns every missing piece into a failure; elsewhere the test runs when
// it can (root, dpkg, golang-go installed) and says why when it cannot.
// Holds that were there before the test are there after it.
func TestAptHoldForReal(t *testing.T) {
	required := os.Getenv("GOVER_TEST_APT") == "1"
	need := func(ok bool, why string) {
		t.Helper()
		if ok {
			return
		}
		if required {
			t.Fatalf("GOVER_TEST_APT=1 but %s", why)
		}
		t.Skipf("%s (GOVER_TEST_APT=1 makes this a failure; CI sets it)", why)
	}
	_, err := exec.LookPath("apt-mark")
	need(err == nil, "apt-mark is not installed: not Debian or Ubuntu")
	need(os.Geteuid() == 0, "not root: apt-mark hold needs root")
	ctx := context.Background()
	run := ExecRunner{}
	out, err := run.Output(ctx, "dpkg-query", "-W", "-f=${db:Status-Abbrev}", "golang-go")
	need(err == nil && len(out) > 1 && out[1] == 'i', "golang-go is not installed (apt-get install -y golang-go)")
	out, err = run.Output(ctx, "dpkg-query", "-W", "-f=${Depends}", "golang-go")
	if err != nil {
		t.Fatal(err)
	}
	versioned := debDepends(string(out))
	if len(versioned) != 1 {
		t.Fatalf("golang-go depends on %q, want one golang-1.NN-go", out)
	}
	want := []string{"golang-go", versioned[0]}

	showhold := func() []string {
		t.Helper()
		out, err := run.Output(ctx, "apt-mark", "showhold")
		if err != nil {
			t.Fatal(err)
		}
		return strings.Fields(string(out))
	}
	before := showhold()
	t.Cleanup(func() {
		for _, p := range want {
			verb := "unhold"
			if slices.Contains(before, p) {
				verb = "hold"
			}
			run.Output(context.Background(), "apt-mark", verb, p)
		}
	})

	u := &Unix{GOOS: "linux", Env: Env{Getenv: os.Getenv, Run: run, Privileged: Privileged}}
	if _, err := u.Hold(ctx, true); err != nil {
		t.Fatal(err)
	}
	held := showhold()
	for _, p := range want {
		if !slices.Contains(held, p) {
			t.Errorf("after hold, apt-mark showhold = %q, want %s in it", held, p)
		}
	}
	st, err := u.Status(ctx, StatusOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c := checkByID(t, st.Checks, "apt-hold"); c.Status != OK || !strings.HasPrefix(c.Message, "held: ") {
		t.Errorf("apt-hold after hold = %+v", c)
	}
	for _, in := range st.Installs {
		if in.Kind == KindDeb && (!in.Held || !strings.HasPrefix(in.Version, "go1.")) {
			t.Errorf("after hold: %+v", in)
		}
	}

	if _, err := u.Hold(ctx, false); err != nil {
		t.Fatal(err)
	}
	held = showhold()
	for _, p := range want {
		if slices.Contains(held, p) {
			t.Errorf("after unhold, apt-mark showhold = %q, still has %s", held, p)
		}
	}
}
