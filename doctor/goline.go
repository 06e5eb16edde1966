package doctor

import (
	"context"
	"fmt"
	"strings"

	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/shims/selection"
)

// checkGoLine: the Go version that runs here is not older than the go
// line of the go.work or go.mod here. If it is (a .go-version pinning
// 1.22.5 in a module that says go 1.23.0), every go build fails with "go.mod
// requires go >= 1.23.0", while the pin itself is valid and installed.
func checkGoLine(ctx context.Context, s *state) Result {
	opt := selection.ForLayout(s.env.Layout, s.env.Getenv)
	m, err := selection.FindModule(s.env.Dir, opt)
	switch {
	case err != nil:
		return skipf(fmt.Sprintf("cannot read the go.mod or go.work here (see active-version): %v", err))
	case m == nil || m.Go.Version == "":
		return okf("no go.mod or go.work go line applies here")
	}
	version, sel := s.versionHere(ctx, opt)
	if version == "" {
		return skipf("cannot tell which Go version runs here")
	}
	if below := selection.CheckGoLine(m, version, sel); below != nil {
		return failf(below.Error(), below.Fix())
	}
	return okf(fmt.Sprintf("%s satisfies the go line of %s (go %s)", version, m.File, strings.TrimPrefix(m.Go.Version, "go")))
}

// versionHere is the release the go command runs as here, and what
// selected it when gover did: through a shim, the selection; else (the
// shell hook, a go outside gover) what 'go env GOVERSION' says, with the
// selection when it resolves to that release.
func (s *state) versionHere(ctx context.Context, opt selection.Options) (string, selection.Selection) {
	g, _ := s.goCmd.get(ctx)
	if g.Shim {
		switch {
		case g.SelErr != nil || !g.Sel.Found() || g.Sel.System:
		case g.Version != "":
			return g.Version, g.Sel
		case g.Sel.Word.Kind == goversion.Exact:
			return g.Sel.Word.Version, g.Sel // not installed (active-version says so): what would run
		}
	}
	ge, ok := s.goEnv.get(ctx)
	if !ok || ge.Err != nil {
		return "", selection.Selection{}
	}
	// "go1.22.5" or "go1.22.5 X:boringcrypto": the release is the first word.
	fields := strings.Fields(ge.Vars["GOVERSION"])
	if len(fields) == 0 || !goversion.IsValid(fields[0]) {
		return "", selection.Selection{}
	}
	version := fields[0]
	if sel, err := selection.Find(s.env.Dir, opt); err == nil && sel.Found() && !sel.System {
		if v, err := selection.ResolveIn(sel, s.env.Layout); err == nil && v == version {
			return version, sel
		}
	}
	return version, selection.Selection{}
}
