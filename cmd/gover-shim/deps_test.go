package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The shim starts on every go call: it must not link the CLI, crypto,
// networking, progress bars or reflection-heavy formatting (SPEC.md,
// "Binaries"). Each of these would add start-up work or pages to touch.
func TestShimImportsStaySmall(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	forbidden := []string{
		"fmt", "reflect", "crypto", "net", "encoding/json", "text/template", "runtime/debug", "os/exec",
		"github.com/urfave/", "github.com/schollz/", "github.com/ProtonMail/", "golang.org/x/",
		"github.com/goverdev/gover/internal/cli", "github.com/goverdev/gover/installer",
		"github.com/goverdev/gover/verify", "github.com/goverdev/gover/shims/shell",
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if dep == f || strings.HasPrefix(dep, strings.TrimSuffix(f, "/")+"/") {
				t.Errorf("gover-shim links %s (via %s): keep it out of the shim", f, dep)
			}
		}
	}
}
