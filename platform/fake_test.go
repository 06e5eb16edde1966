package platform

import (
	"os"
	"testing"
)

// mapEnv is a Getenv over a map.
func mapEnv(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func checkByID(t *testing.T, checks []Check, id string) Check {
	t.Helper()
	for _, c := range checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no %s check in %+v", id, checks)
	return Check{}
}

// tempDir is t.TempDir, except that a folder that cannot be removed
// afterwards fails nothing: under Wine 8, Go 1.26's os.RemoveAll stops at
// "Invalid function" (Wine lacks the POSIX-semantics delete it asks for).
func tempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "gover-platform-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.RemoveAll(dir); err != nil {
			t.Logf("leaving %s: %v", dir, err)
		}
	})
	return dir
}

func yes() bool { return true }
func no() bool  { return false }
