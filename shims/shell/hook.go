package shell

import (
	"encoding/json"
	"path/filepath"

	"github.com/goverdev/gover/shims/toolenv"
)

// StateVar is where hook mode remembers what it applied, so that it can
// undo exactly that when the folder or the pin changes. It is exported: a
// shell started from this one inherits both the changed variables and the
// record of the change.
const StateVar = "__GOVER_HOOK"

// applied is what the hook changed.
type applied struct {
	// Bin is the toolchain bin it put first on PATH.
	Bin string `json:"bin"`
	// GOROOT is the value GOROOT had before, "" when it was unset.
	GOROOT string `json:"goroot,omitempty"`
	// Toolchain says the hook set GOTOOLCHAIN=local.
	Toolchain bool `json:"toolchain,omitempty"`
}

// A Change sets Name to Value, or unsets it when Unset is true.
type Change struct {
	Name  string
	Value string
	Unset bool
}

// HookChanges are the changes that take the environment from what the hook
// applied last (recorded in StateVar) to the toolchain at goroot, or to no
// toolchain when goroot is "": the old bin leaves PATH, GOROOT gets its
// earlier value back and GOTOOLCHAIN=local goes if the hook set it, then
// the new toolchain's variables are applied as a shim would set them. Only
// variables whose value changes are listed. Changes the user made meanwhile
// (other PATH entries, their own GOTOOLCHAIN) are kept.
func HookChanges(getenv func(string) string, goroot string) []Change {
	cur := map[string]string{}
	names := []string{toolenv.PathKey, "GOROOT", "GOTOOLCHAIN", StateVar}
	for _, n := range names {
		cur[n] = getenv(n)
	}
	next := map[string]string{}
	for k, v := range cur {
		next[k] = v
	}
	var old applied
	if s := cur[StateVar]; s != "" && json.Unmarshal([]byte(s), &old) == nil && old.Bin != "" {
		next[toolenv.PathKey] = toolenv.Remove(next[toolenv.PathKey], old.Bin)
		next["GOROOT"] = old.GOROOT
		if old.Toolchain && next["GOTOOLCHAIN"] == "local" {
			next["GOTOOLCHAIN"] = ""
		}
	}
	next[StateVar] = ""
	if goroot != "" {
		now := applied{Bin: filepath.Join(goroot, "bin"), GOROOT: next["GOROOT"]}
		// The variables the hook changes as they will be; the others (the
		// go env file's whereabouts: GOENV, HOME, …) as they are.
		after := func(k string) string {
			if v, ok := next[k]; ok {
				return v
			}
			return getenv(k)
		}
		for _, v := range toolenv.Vars(after, goroot) {
			next[v.Name] = v.Value
			if v.Name == "GOTOOLCHAIN" {
				now.Toolchain = true
			}
		}
		state, _ := json.Marshal(now)
		next[StateVar] = string(state)
	}
	var changes []Change
	for _, n := range names {
		if next[n] == cur[n] {
			continue
		}
		if next[n] == "" {
			changes = append(changes, Change{Name: n, Unset: true})
		} else {
			changes = append(changes, Change{Name: n, Value: next[n]})
		}
	}
	return changes
}

// Statements renders changes for sh, one statement a line.
func Statements(sh Shell, changes []Change) string {
	var out string
	for _, c := range changes {
		if c.Unset {
			out += sh.Unset(c.Name) + "\n"
		} else {
			out += sh.Set(c.Name, c.Value) + "\n"
		}
	}
	return out
}
