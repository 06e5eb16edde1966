package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/installer"
)

func listCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:    "list",
		Aliases: []string{"ls"},
		Usage:   "list installed toolchains; * marks the one active here",
		Flags:   []cli.Flag{&cli.BoolFlag{Name: "json", Usage: "print JSON"}},
		Action: func(c *cli.Context) error {
			return runList(e, c.Bool("json"))
		},
	}
}

// listEntry is one element of 'gover list --json' (SPEC.md, "JSON shapes").
type listEntry struct {
	Version  string               `json:"version"`
	Path     string               `json:"path"`
	Active   bool                 `json:"active"`
	Origin   string               `json:"origin,omitempty"`
	Source   installer.SourceName `json:"source,omitempty"`
	Platform string               `json:"platform,omitempty"`
	// Proofs say how the toolchain was proven when it was installed.
	Proofs any `json:"proofs,omitempty"`
	// Untrusted says why gover neither runs nor counts this entry
	// (another user's folder in a shared root, one others may write).
	Untrusted string `json:"untrusted,omitempty"`
}

func runList(e *Env, asJSON bool) error {
	list, err := installer.List(e.Layout())
	if err != nil {
		return err
	}
	active, sel := e.activeVersion()
	entries := make([]listEntry, 0, len(list))
	for _, in := range list {
		le := listEntry{Version: in.Version, Path: in.Dir}
		if in.Foreign != "" {
			le.Platform = strings.Replace(in.Foreign, "-", "/", 1)
		} else if in.Name == active {
			le.Active, le.Origin = true, sel.Origin
		}
		if in.Untrusted != nil {
			le.Active, le.Origin, le.Untrusted = false, "", in.Untrusted.Error()
		}
		if in.Summary != nil {
			le.Source = in.Summary.Source
			if len(in.Summary.Proofs) > 0 {
				le.Proofs = in.Summary.Proofs
			}
		}
		entries = append(entries, le)
	}
	if asJSON {
		return writeJSON(e, entries)
	}
	if len(entries) == 0 {
		fmt.Fprintln(e.Stderr, "no toolchains installed (run 'gover install latest')")
		return nil
	}
	for _, le := range entries {
		mark := " "
		if le.Active {
			mark = "*"
		}
		var notes []string
		if le.Platform != "" {
			notes = append(notes, le.Platform)
		}
		switch {
		case le.Untrusted != "":
			notes = append(notes, "not trusted: "+le.Untrusted)
		case le.Source != "":
			notes = append(notes, string(le.Source))
		default:
			notes = append(notes, "no install record")
		}
		if le.Active {
			notes = append(notes, "set by "+le.Origin)
		}
		fmt.Fprintf(e.Stdout, "%s %-12s (%s)\n", mark, le.Version, strings.Join(notes, ", "))
	}
	return nil
}

func writeJSON(e *Env, v any) error { return encodeJSON(e.Stdout, v) }

// encodeJSON writes v as gover's commands print JSON: indented, one value.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
