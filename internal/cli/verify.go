package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/internal/manifest"
	"github.com/goverdev/gover/verify"
)

func verifyCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "re-hash installed trees against their install records",
		ArgsUsage: "[VERSION…]",
		Description: "Checks every file of each installed toolchain (all of them when no VERSION is\n" +
			"given) against the manifest its install recorded: content, permissions, links,\n" +
			"and files missing or added. VERSION is 1.22.5, 1.22 (every 1.22.x installed),\n" +
			"latest (the newest installed), or the folder name of another platform's tree,\n" +
			"such as go1.22.5.windows-amd64.\n\n" +
			"The record's files must also hash to the h1 the checksum database proved at\n" +
			"install (a proxy install's whole tree; an archive's files its module holds);\n" +
			"--sumdb asks the database again for every toolchain of Go 1.21 or later (over\n" +
			"the network), which also catches a record rewritten whole.\n\n" +
			"Exit status 3 when any tree differs or has no usable record, 4 when a VERSION\n" +
			"is not installed. docs/verify.md describes the trust model and the --json shape.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the reports as JSON"},
			&cli.BoolFlag{Name: "sumdb", Usage: "ask the checksum database to vouch again for every toolchain (Go 1.21 and later): a proxy install's files, an archive install's module files"},
		},
		Action: func(c *cli.Context) error {
			var vouch func(context.Context, *installer.Record) (verify.Proof, error)
			if c.Bool("sumdb") {
				p, err := e.proxySource()
				if err != nil {
					return err
				}
				vouch = p.Vouch
			}
			return runVerify(c.Context, e, c.Args().Slice(), c.Bool("json"), vouch)
		},
	}
}

// verifyEntry is one element of 'gover verify --json' (docs/verify.md).
type verifyEntry struct {
	Version string `json:"version"`
	// Name is the folder under versions/: the version, or version.os-arch
	// for another platform's tree.
	Name     string               `json:"name"`
	Path     string               `json:"path"`
	Platform string               `json:"platform,omitempty"`
	Source   installer.SourceName `json:"source,omitempty"`
	// OK is true when the tree is exactly as installed.
	OK bool `json:"ok"`
	// TreeHash identifies the recorded tree (manifest.TreeHash).
	TreeHash string `json:"tree_hash,omitempty"`
	// H1 is the module zip hash the checksum database proved (proxy
	// installs only).
	H1     string         `json:"h1,omitempty"`
	Proofs []verify.Proof `json:"proofs,omitempty"`
	// Vouched names the checksum database that vouched for the tree
	// again (--sumdb).
	Vouched string `json:"vouched,omitempty"`
	// NotVouched says why --sumdb could not be answered for this tree: a
	// release before Go 1.21 has no module for the database to vouch for.
	NotVouched string `json:"not_vouched,omitempty"`
	// The report's files, changed, missing and extra; absent when the
	// tree could not be checked.
	*verify.TreeReport
	// Error says why the tree could not be checked.
	Error string `json:"error,omitempty"`
}

// runVerify checks the named installs; vouch, when set, asks the checksum
// database about proxy installs.
func runVerify(ctx context.Context, e *Env, args []string, asJSON bool, vouch func(context.Context, *installer.Record) (verify.Proof, error)) error {
	installed, err := installer.List(e.Layout())
	if err != nil {
		return fmt.Errorf("list installed toolchains: %w", err)
	}
	targets, err := verifyTargets(installed, args)
	if err != nil {
		return err
	}
	if len(targets) == 0 {
		if asJSON {
			return writeJSON(e, []verifyEntry{})
		}
		fmt.Fprintln(e.Stderr, "no toolchains installed (run 'gover install latest')")
		return nil
	}
	entries := make([]verifyEntry, 0, len(targets))
	var bad []string
	for _, in := range targets {
		v, err := verifyTree(ctx, e, in, vouch)
		if err != nil {
			return err
		}
		if !v.OK {
			bad = append(bad, v.Name)
		}
		entries = append(entries, v)
		if !asJSON {
			printVerify(e.Stdout, v)
		}
	}
	if asJSON {
		if err := writeJSON(e, entries); err != nil {
			return err
		}
	}
	if len(bad) == 0 {
		return nil
	}
	msg := bad[0] + " differs from its install record"
	if len(bad) > 1 {
		msg = strings.Join(bad, ", ") + " differ from their install records"
	}
	return &exitError{code: ExitVerify, err: fmt.Errorf("%s (reinstall with %s)", msg, reinstallCommands(targets, bad))}
}

// verifyTargets picks the installed toolchains args name: all of them when
// there are none. A word that names nothing installed is an error (exit 4).
func verifyTargets(installed []installer.Installed, args []string) ([]installer.Installed, error) {
	if len(args) == 0 {
		return installed, nil
	}
	var out []installer.Installed
	seen := map[string]bool{}
	add := func(in installer.Installed) {
		if !seen[in.Name] {
			seen[in.Name] = true
			out = append(out, in)
		}
	}
	for _, a := range args {
		var match []installer.Installed
		for _, in := range installed {
			if in.Name == a {
				match = append(match, in)
			}
		}
		if len(match) == 0 {
			// A version word names this platform's trees; another
			// platform's tree is named by its folder name.
			w, err := goversion.Parse(a)
			if err != nil {
				return nil, usageErrorf("%w", err)
			}
			var host []installer.Installed
			var versions []string
			for _, in := range installed {
				if in.Foreign == "" {
					host = append(host, in)
					versions = append(versions, in.Version)
				}
			}
			if w.Kind == goversion.Latest {
				// The newest installed, not every stable one.
				if v, ok := w.Pick(versions); ok {
					w = goversion.MustParse(v)
				}
			}
			for _, in := range host {
				if w.Matches(in.Version) {
					match = append(match, in)
				}
			}
		}
		if len(match) == 0 {
			return nil, &exitError{code: ExitNotFound, err: fmt.Errorf("%s is not installed (see 'gover list')", a)}
		}
		for _, in := range match {
			add(in)
		}
	}
	return out, nil
}

// verifyTree checks one installed tree against its record, and the
// record of a proxy install against its proof (installer.CheckInstalled).
// Only a cancelled context or a checksum database that cannot be asked is
// an error; anything wrong with the tree or its record is in the entry.
func verifyTree(ctx context.Context, e *Env, in installer.Installed, vouch func(context.Context, *installer.Record) (verify.Proof, error)) (verifyEntry, error) {
	v := verifyEntry{Version: in.Version, Name: in.Name, Path: in.Dir}
	if in.Foreign != "" {
		v.Platform = strings.Replace(in.Foreign, "-", "/", 1)
	}
	// Every file is hashed; the stat cache is refreshed for doctor's next run.
	statCache := func(ctx context.Context, dir string, m manifest.Manifest) (*verify.TreeReport, error) {
		return verify.TreeWith(ctx, dir, m, verify.TreeOptions{StatCache: e.Layout().StatCache(in.Name), Deep: true})
	}
	c, err := installer.CheckInstalled(ctx, in, e.Layout().Record(in.Name), installer.CheckOptions{Tree: statCache, Vouch: vouch, Host: e.Host()})
	if err != nil {
		return v, err
	}
	if rec := c.Record; rec != nil {
		v.Source, v.Proofs, v.TreeHash = rec.Source, rec.Proofs, rec.Manifest.TreeHash()
		for _, p := range rec.Proofs {
			if p.Kind == verify.ProofSumDB {
				v.H1 = p.Value
			}
		}
	}
	v.TreeReport, v.OK = c.Report, c.OK()
	switch c.Kind {
	case installer.CheckNoRecord:
		v.Error = "no usable install record: " + c.Problem.Error()
	case installer.CheckNoFiles:
		v.Error = "the install record lists no files"
	case installer.CheckFine:
	default:
		v.Error = c.Problem.Error()
	}
	if c.Unasked != nil {
		return v, fmt.Errorf("ask the checksum database about %s: %w", in.Name, c.Unasked)
	}
	if c.Vouched != nil {
		v.Vouched = c.Vouched.Authority
	}
	if c.NoModule != nil {
		v.NotVouched = "a release before Go 1.21 has no module for the checksum database to vouch for: only its install record proves it"
	}
	return v, nil
}

// printVerify writes one entry for people.
func printVerify(w io.Writer, v verifyEntry) {
	proven := ""
	if v.Source != "" {
		var how []string
		for _, p := range v.Proofs {
			s := p.String()
			if p.Kind == verify.ProofSumDB {
				s = p.Value + " proven by the " + s
			}
			how = append(how, s)
		}
		proven = " (installed from " + string(v.Source)
		if len(how) > 0 {
			proven += ", " + strings.Join(how, ", ")
		}
		proven += ")"
	}
	switch {
	case v.Error != "" && v.TreeReport != nil: // the tree was checked; its record was not sound
		fmt.Fprintf(w, "%s: %s\n", v.Name, v.Error)
	case v.Error != "":
		fmt.Fprintf(w, "%s: cannot verify: %s\n", v.Name, v.Error)
	case v.OK:
		again := ""
		switch {
		case v.Vouched != "":
			again = "; checksum database " + v.Vouched + " vouches for it again"
		case v.NotVouched != "":
			again = "; " + v.NotVouched
		}
		fmt.Fprintf(w, "%s: ok, %s as installed%s%s\n", v.Name, plural(v.Files, "file"), proven, again)
	default:
		fmt.Fprintf(w, "%s: %s of %d differ from the install record%s\n", v.Name, plural(v.Differences(), "path"), v.Files, proven)
		for _, c := range v.Changed {
			fmt.Fprintf(w, "  changed  %s\n", describeChange(c))
		}
		for _, p := range v.Missing {
			fmt.Fprintf(w, "  missing  %s\n", p)
		}
		for _, p := range v.Extra {
			fmt.Fprintf(w, "  extra    %s\n", p)
		}
	}
}

func describeChange(c verify.Change) string {
	switch c.What {
	case "content":
		return c.Path + " (content)"
	case "unreadable":
		return c.Path + " (unreadable: " + c.Got + ")"
	}
	return fmt.Sprintf("%s (%s %s, was %s)", c.Path, c.What, c.Got, c.Want)
}

// reinstallCommands are the commands that reinstall the named trees: one
// for this platform's, one per tree of another platform.
func reinstallCommands(targets []installer.Installed, names []string) string {
	var host, cmds []string
	for _, in := range targets {
		if !slices.Contains(names, in.Name) {
			continue
		}
		w := strings.TrimPrefix(in.Version, "go")
		if in.Foreign == "" {
			host = append(host, w)
			continue
		}
		goos, goarch, _ := strings.Cut(in.Foreign, "-")
		cmds = append(cmds, "'gover install --force --os "+goos+" --arch "+goarch+" "+w+"'")
	}
	if len(host) > 0 {
		cmds = append([]string{"'gover install --force " + strings.Join(host, " ") + "'"}, cmds...)
	}
	return strings.Join(cmds, " and ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
