package knownpins

import (
	"fmt"
	"slices"
	"strings"
)

// A Pin is a pin and the installed version it selects ("" for none).
type Pin struct {
	Version string
	// Origin says where it is: "set by /p/.go-version".
	Origin string
	// File is the pin file ("" for GOVER_VERSION); Global says it is the
	// global version file.
	File   string
	Global bool
}

// A Plan is what prune removes, and what it keeps and why.
type Plan struct {
	Keep   []Kept
	Remove []string
}

// Kept is a version prune keeps.
type Kept struct{ Name, Why string }

// MakePlan decides what prune removes from installed (names, newest first):
// every version no pin selects, except the keep newest. With force the
// pins protect nothing.
func MakePlan(installed []string, pins []Pin, keep int, force bool) Plan {
	var p Plan
	for i, name := range installed {
		var why []string
		if i < keep {
			why = append(why, fmt.Sprintf("one of the %d newest", keep))
		}
		for _, pin := range pins {
			if !force && pin.Version == name && !slices.Contains(why, pin.Origin) {
				why = append(why, pin.Origin)
			}
		}
		if len(why) == 0 {
			p.Remove = append(p.Remove, name)
			continue
		}
		p.Keep = append(p.Keep, Kept{Name: name, Why: strings.Join(why, "; ")})
	}
	return p
}
