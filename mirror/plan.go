package mirror

import (
	"fmt"
	"strings"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/toolchainmod"
)

// An itemKey names one thing a mirror holds: an official archive, or a
// toolchain module version (its .zip, .mod and .info).
type itemKey struct {
	Format   Format
	Version  string
	Platform installer.Platform
}

func (k itemKey) String() string {
	if k.Format == Archive {
		return k.Platform.ArchiveName(k.Version)
	}
	return toolchainmod.Path + "@" + k.Platform.ModuleVersion(k.Version)
}

// An Item is something a sync fetches, keeps or drops.
type Item struct {
	itemKey
	// Size is the download's size when the source says (archives), else 0.
	Size int64
}

// A Plan is what a sync will do. Plan makes it from the sources' lists and
// the mirror's manifest; Apply carries it out.
type Plan struct {
	Fetch, Keep, Drop []Item
	// Missed are selector terms that picked nothing, per platform and format.
	Missed []string
	// Skipped are formats that could not be listed: nothing of them is
	// fetched or dropped, and the sync ends with this error.
	Skipped map[Format]error
	// Bytes is the known size of what Fetch downloads.
	Bytes int64
	// Wanted counts the items the selection picked in the listed formats.
	Wanted int

	opts Options
	// held are the wanted items the mirror already holds (Keep also has
	// the ones no longer selected that stay).
	held []Item
}

// decide is the pure part of planning: fetch what is wanted and not held;
// keep what is held; with prune, drop what the manifest has that is no
// longer wanted, in formats that were listed (an unlisted format keeps
// everything). held says whether an item's files are all in place.
func decide(wanted []Item, inManifest []itemKey, held func(itemKey) bool, listed map[Format]bool, prune bool) (fetch, keep []Item, drop []itemKey) {
	want := map[itemKey]bool{}
	for _, w := range wanted {
		if want[w.itemKey] {
			continue
		}
		want[w.itemKey] = true
		if held(w.itemKey) {
			keep = append(keep, w)
		} else {
			fetch = append(fetch, w)
		}
	}
	for _, k := range inManifest {
		if want[k] {
			continue
		}
		if prune && listed[k.Format] {
			drop = append(drop, k)
		} else if held(k) {
			keep = append(keep, Item{itemKey: k})
		}
	}
	return fetch, keep, drop
}

// Summary is one line saying what the plan does.
func (p *Plan) Summary() string {
	s := fmt.Sprintf("%d to fetch", len(p.Fetch))
	if p.Bytes > 0 {
		s += fmt.Sprintf(" (%s known)", HumanBytes(p.Bytes))
	}
	s += fmt.Sprintf(", %d already held", len(p.Keep))
	if len(p.Drop) > 0 {
		s += fmt.Sprintf(", %d to prune", len(p.Drop))
	}
	return s
}

// A Missing is something a sync was asked for that the mirror does not
// hold afterwards, and why.
type Missing struct {
	What string // "go1.21.0.linux-amd64.tar.gz", "archives for linux/amd64", "1.30 for linux/amd64 (module)"
	Err  error
}

// Incomplete says, in a few lines for people, what a sync that left
// something out holds and lacks: one line with what is there, then one
// per missing thing with its reason. It is empty when nothing is missing.
func (r *Report) Incomplete(dir string) []string {
	if len(r.Missing) == 0 {
		return nil
	}
	names := make([]string, len(r.Held))
	for i, it := range r.Held {
		names[i] = it.String()
	}
	held := "nothing"
	if len(names) > 0 {
		held = strings.Join(names, ", ")
	}
	lines := []string{
		fmt.Sprintf("mirror %s is incomplete: %d asked for held, %d missing", dir, len(r.Held), len(r.Missing)),
		"  held: " + held,
	}
	for _, m := range r.Missing {
		lines = append(lines, "  missing: "+m.What+": "+firstLine(m.Err.Error()))
	}
	return lines
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// HumanBytes spells a size for people: "71.3 MiB".
func HumanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// PlatformList spells platforms for people: "linux/amd64, windows/amd64".
func PlatformList(ps []installer.Platform) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.String()
	}
	return strings.Join(names, ", ")
}
