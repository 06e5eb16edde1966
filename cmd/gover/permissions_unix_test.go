//go:build unix

package main

import (
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/goverdev/gover/internal/testdist"
)

// Folders gover may not write: a read-only versions folder, a GOVER_ROOT
// that belongs to another user. Each failure is one line naming the
// folder, with the fix; nothing is left half-done; what only reads (list,
// the shims) still works.
//
// Root may write anything, so as root these run gover as nobody; as
// another user they change modes instead.

// asOther is how gover runs as a user who does not own the folders: a
// world whose programs and files that user can reach.
type asOther struct {
	*world
	cred *syscall.Credential // nil: the test's own user, with modes changed
}

func newAsOther(t *testing.T, d *testdist.Dist) *asOther {
	w := newWorld(t, d)
	a := &asOther{world: w}
	if os.Geteuid() != 0 {
		return a
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Fatalf("look up nobody: %v", err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	a.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	// t.TempDir's folders are private to root: move the world to a
	// folder everyone may enter, with its own copies of the binaries and
	// the keyring.
	base, err := os.MkdirTemp("", "gover-perm-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	os.Chmod(base, 0o755)
	bin := filepath.Join(base, "bin")
	os.Mkdir(bin, 0o755)
	for _, name := range []string{"gover", "gover-shim"} {
		copyFile(t, filepath.Join(binDir, name), filepath.Join(bin, name), 0o755)
	}
	keyring := filepath.Join(base, "keyring.asc")
	copyFile(t, d.KeyringPath, keyring, 0o644)
	w.base, w.bin = base, bin
	w.root, w.home, w.work = filepath.Join(base, "root"), filepath.Join(base, "home"), filepath.Join(base, "work")
	for _, dir := range []string{w.home, w.work} {
		os.Mkdir(dir, 0o755)
		os.Chown(dir, uid, gid)
	}
	var env []string
	for _, kv := range w.env {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GOVER_ROOT", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "GOVER_KEYRING", "PATH":
			continue
		}
		env = append(env, kv)
	}
	w.env = append(env, "GOVER_ROOT="+w.root, "HOME="+w.home, "XDG_CONFIG_HOME="+w.home+"/.config",
		"XDG_DATA_HOME="+w.home+"/.local/share", "XDG_CACHE_HOME="+w.home+"/.cache", "GOVER_KEYRING="+keyring,
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return a
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, mode); err != nil {
		t.Fatal(err)
	}
}

// runAs runs gover as the other user.
func (a *asOther) runAs(args ...string) (string, string, int) {
	a.t.Helper()
	c := a.cmd("gover", args...)
	if a.cred != nil {
		c.SysProcAttr = &syscall.SysProcAttr{Credential: a.cred}
	}
	var out, errb strings.Builder
	c.Stdout, c.Stderr = &out, &errb
	err := c.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errb.String(), ee.ExitCode()
	}
	if err != nil {
		a.t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

// own gives the other user the world's root (as root); as another user
// it is theirs already.
func (a *asOther) own() {
	if a.cred == nil {
		return
	}
	filepath.Walk(a.root, func(p string, _ os.FileInfo, err error) error {
		if err == nil {
			os.Lchown(p, int(a.cred.Uid), int(a.cred.Gid))
		}
		return nil
	})
}

// disown gives the world's root back to the test's user.
func (a *asOther) disown() {
	if a.cred == nil {
		return
	}
	filepath.Walk(a.root, func(p string, _ os.FileInfo, err error) error {
		if err == nil {
			os.Lchown(p, os.Geteuid(), os.Getegid())
		}
		return nil
	})
}

// oneError returns the one "gover:" line of stderr, failing otherwise.
func oneError(t *testing.T, stderr string) string {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "gover: ") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("want one error line, got:\n%s", stderr)
	}
	return lines[0]
}

func TestReadOnlyVersionsFolder(t *testing.T) {
	d := testdist.New(t, testdist.Options{})
	a := newAsOther(t, d)
	a.must("install", "1.21.13") // as the test's user: versions/ exists and holds one toolchain
	a.own()
	versions := filepath.Join(a.root, "versions")
	if err := os.Chmod(versions, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(versions, 0o755)

	_, stderr, code := a.runAs("install", "1.22.5")
	line := oneError(t, stderr)
	want := regexp.MustCompile(`^gover: cannot write to ` + regexp.QuoteMeta(versions) + `: permission denied \(.*\)$`)
	if code != 1 || !want.MatchString(line) {
		t.Fatalf("exit %d, %q; want exit 1 and %s", code, line, want)
	}
	t.Log(line)
	// Reading still works: list, verify, the shims.
	if out, stderr, code := a.runAs("list"); code != 0 || !strings.Contains(out, "go1.21.13") {
		t.Fatalf("list on a read-only versions folder: exit %d %s %s", code, out, stderr)
	}
	os.Chmod(versions, 0o755)
	// checkWhole runs gover as the test's user, who trusts only its own
	// and root's toolchains (paths.Layout.CheckToolchain): give it back.
	a.disown()
	if listed := a.checkWhole(true); len(listed) != 1 {
		t.Fatalf("list shows %v", listed)
	}
}

func TestRootOwnedByAnotherUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("making a folder another user's needs root; CI runs this as root")
	}
	d := testdist.New(t, testdist.Options{})
	a := newAsOther(t, d)
	a.must("install", "1.21.13") // as root: the root is root's
	_, stderr, code := a.runAs("install", "1.22.5")
	line := oneError(t, stderr)
	if code != 1 || !strings.Contains(line, a.root) || !strings.Contains(line, "permission denied") || !strings.Contains(line, "GOVER_ROOT") {
		t.Fatalf("exit %d, %q; want exit 1, naming %s, with the fix", code, line, a.root)
	}
	t.Log(line)
	if out, stderr, code := a.runAs("list"); code != 0 || !strings.Contains(out, "go1.21.13") {
		t.Fatalf("list of another user's root: exit %d %s %s", code, out, stderr)
	}
	if entries, _ := os.ReadDir(filepath.Join(a.root, "versions")); len(entries) != 2 {
		t.Fatalf("versions/ holds %d entries after the refused install", len(entries))
	}
}
