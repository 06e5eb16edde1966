package doctor

import (
	"context"
	"fmt"
	"strings"

	"github.com/goverdev/gover/internal/goenv"
	"github.com/goverdev/gover/shims/toolenv"
)

// checkGOTOOLCHAIN says which GOTOOLCHAIN the go command runs with here,
// and why: the user's (the environment, else the go env file 'go env -w'
// writes — gover's shims pass both on, as toolenv.UserToolchain decides),
// else the shims' GOTOOLCHAIN=local. A value that names one release runs
// that release for every go command, whatever gover selects: a warning.
func checkGOTOOLCHAIN(ctx context.Context, s *state) Result {
	g, _ := s.goCmd.get(ctx)
	value, from := toolenv.UserToolchain(s.env.Getenv)
	var why string
	switch {
	case from == goenv.FromEnvironment:
		why = "set in the environment"
		if where := s.origin(ctx, "GOTOOLCHAIN"); where != "" {
			why += " (" + where + ")"
		}
	case from != "":
		why = "from the go env file " + from + " ('go env -w')"
	case g.Shim:
		value = toolenv.DefaultToolchain
		msg := fmt.Sprintf("GOTOOLCHAIN=%s: gover's shims set it, as nothing else chooses one ('go env -w GOTOOLCHAIN=auto' would)", value)
		return okf(msg + ": the go command " + toolchainMeaning(value, true))
	default:
		return okf("GOTOOLCHAIN is not set, and gover's shims do not run go here: the go command's default applies (auto, from its GOROOT/go.env)")
	}
	msg := fmt.Sprintf("GOTOOLCHAIN=%s, %s", value, why)
	if g.Shim {
		msg += ": gover's shims leave it to the go command, which " + toolchainMeaning(value, true)
	} else {
		msg += ": the go command " + toolchainMeaning(value, false)
	}
	release, _, _ := strings.Cut(value, "+")
	pinned := !strings.Contains(value, "+") && release != "local" && release != "auto" && release != "path"
	selected := ""
	if g.Shim {
		selected = g.Version
	}
	if !pinned || release == selected {
		return okf(msg)
	}
	msg = fmt.Sprintf("GOTOOLCHAIN=%s, %s: every go command runs %s (downloading it), whatever gover selects here", value, why, release)
	if selected != "" {
		msg += " (" + selected + ")"
	}
	fix := s.unsetFix(ctx, "GOTOOLCHAIN")
	if from != goenv.FromEnvironment {
		// GOTOOLCHAIN=local first: the go command would otherwise switch
		// to that release before it read 'env -u'.
		fix = "run 'GOTOOLCHAIN=local go env -u GOTOOLCHAIN' (or delete its line from " + from + ")"
	}
	return warnf(msg, fix+"; then gover's pins choose")
}

// toolchainMeaning says what the go command does with a GOTOOLCHAIN value
// (a phrase that follows "the go command").
func toolchainMeaning(value string, shim bool) string {
	release, mode, _ := strings.Cut(value, "+")
	switch {
	case value == "local" && shim:
		return "runs the toolchain gover selects, never another"
	case value == "local":
		return "runs its own toolchain, never another"
	case release == "auto" || mode == "auto":
		return "switches to a newer toolchain when go.mod or go.work asks for one"
	case release == "path" || mode == "path":
		return "switches to a newer toolchain found on PATH when go.mod or go.work asks for one"
	}
	return "runs " + release + " for every go command"
}
