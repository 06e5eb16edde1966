package doctor

import (
	"fmt"
	"io"
	"strings"
)

// marks are the status marks of the human report: words, so that they
// survive any terminal and grep.
var marks = map[Status]string{OK: "ok", Warn: "warn", Fail: "FAIL", Skip: "skip"}

// groupOrder is the order groups appear in.
var groupOrder = []string{GroupGover, GroupPath, GroupModules, GroupNetwork, GroupCgo, GroupBaseline}

// WriteText writes the report for people: the checks grouped, one line
// each with its mark, the fix under each problem, then a summary. With
// fixing, the problems left are listed again as what to do by hand.
func WriteText(w io.Writer, r Report, fixing bool) {
	width := 0
	for _, c := range r.Checks {
		width = max(width, len(c.ID))
	}
	for _, g := range groupOrder {
		first := true
		for _, c := range r.Checks {
			if c.Group != g {
				continue
			}
			if first {
				fmt.Fprintln(w, groupTitles[g])
				first = false
			}
			mark := marks[c.Status]
			if c.Fixed {
				mark = "fixed"
			}
			fmt.Fprintf(w, "  %-5s %-*s  %s\n", mark, width, c.ID, oneLine(c.Message))
			if c.Fix != "" && (c.Status == Warn || c.Status == Fail) {
				fmt.Fprintf(w, "  %-5s %-*s  fix: %s\n", "", width, "", oneLine(c.Fix))
			}
		}
	}
	counts := map[Status]int{}
	fixed := 0
	for _, c := range r.Checks {
		counts[c.Status]++
		if c.Fixed {
			fixed++
		}
	}
	summary := fmt.Sprintf("%d ok, %d %s, %d failed, %d skipped", counts[OK], counts[Warn], plural(counts[Warn], "warning"), counts[Fail], counts[Skip])
	if fixed > 0 {
		summary += fmt.Sprintf("; %d repaired", fixed)
	}
	fmt.Fprintln(w, summary)
	if !fixing {
		return
	}
	var left []string
	for _, g := range groupOrder {
		for _, c := range r.Checks {
			if c.Group == g && (c.Status == Warn || c.Status == Fail) && c.Fix != "" {
				left = append(left, fmt.Sprintf("  %s: %s", c.ID, oneLine(c.Fix)))
			}
		}
	}
	if len(left) > 0 {
		fmt.Fprintln(w, "not safe or not possible to repair from here; do these yourself:")
		fmt.Fprintln(w, strings.Join(left, "\n"))
	}
}

func oneLine(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), "\n", "; ") }

func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}
