package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/goversion"
	"github.com/goverdev/gover/shims/selection"
	"github.com/goverdev/gover/shims/toolenv"
	"github.com/goverdev/gover/verify"
)

func ciCommand(e *Env) *cli.Command {
	return &cli.Command{
		Name:  "ci",
		Usage: "CI step: install the version this repo selects and export its environment",
		Description: "Installs the version selected here (.go-version, .tool-versions, go.work/go.mod toolchain\n" +
			"line), or the one --go-version or --go-version-file names, then hands it to the next steps:\n" +
			"  GitHub Actions   the toolchain's bin, the shims and GOPATH/bin to $GITHUB_PATH; GOROOT and\n" +
			"                   GOTOOLCHAIN=local to $GITHUB_ENV; go-version, go-path, cache-key to $GITHUB_OUTPUT\n" +
			"  Azure Pipelines  ##vso[task.prependpath] and ##vso[task.setvariable] lines\n" +
			"  CircleCI         export lines appended to $BASH_ENV\n" +
			"Everywhere, export lines go to stdout, so 'eval \"$(gover ci)\"' sets up the current shell\n" +
			"(GitLab CI and others).\n\n" +
			"An installed toolchain (e.g. restored by a CI cache) is re-hashed against its install record\n" +
			"first, and installed again if it does not match. --cache-key prints a key naming the exact\n" +
			"version and platform (gover-go1.22.5-linux-amd64); the paths to cache are the toolchain's\n" +
			"folder and its install record beside it (on GitHub Actions: the cache-path output).",
		Flags: append(sourceFlags(),
			&cli.StringFlag{Name: "go-version", Usage: "install this version instead of the one selected here (1.22.5, 1.22, stable…)"},
			&cli.StringFlag{Name: "go-version-file", Usage: "read the version from this .go-version, .tool-versions, go.mod or go.work (go.mod's go line counts)"},
			&cli.BoolFlag{Name: "cache-key", Usage: "print the cache key (gover-go1.22.5-linux-amd64) and install nothing"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print nothing for people, only errors and the export lines"},
		),
		Action: func(c *cli.Context) error {
			if c.Args().Len() > 0 {
				return usageErrorf("'gover ci' takes no arguments (use --go-version %s)", c.Args().First())
			}
			word, origin, err := ciWord(e, c.String("go-version"), c.String("go-version-file"))
			if err != nil {
				return err
			}
			sources, err := e.sources(c.String("source"), c.String("mirror"))
			if err != nil {
				return err
			}
			if c.Bool("cache-key") {
				return runCacheKey(c.Context, e, word, sources)
			}
			return runCI(c.Context, e, word, origin, sources, c.Bool("quiet"))
		},
	}
}

// ciWord is the version gover ci installs: --go-version, else the file
// --go-version-file names, else what selects a version here.
func ciWord(e *Env, flagVersion, flagFile string) (goversion.Word, string, error) {
	if flagVersion != "" && flagFile != "" {
		return goversion.Word{}, "", usageErrorf("--go-version and --go-version-file both name a version (use one)")
	}
	if flagVersion != "" {
		w, err := goversion.Parse(flagVersion)
		if err != nil {
			return w, "", usageErrorf("--go-version: %w", err)
		}
		return w, "--go-version", nil
	}
	var sel selection.Selection
	var err error
	if flagFile != "" {
		sel, err = selection.ReadFile(flagFile)
	} else {
		sel, _, err = e.Selection()
	}
	if err != nil {
		return goversion.Word{}, "", err
	}
	switch {
	case !sel.Found():
		return goversion.Word{}, "", usageErrorf("no Go version is selected here (pin one with 'gover use 1.22.5' or go.mod's toolchain line, or pass --go-version or --go-version-file go.mod)")
	case sel.System:
		return goversion.Word{}, "", usageErrorf("%s selects the system Go, which gover ci does not install (pass --go-version)", sel.Origin)
	}
	return ciInstallWord(sel), sel.Origin, nil
}

// ciInstallWord is the word that satisfies a selection in CI. A go line
// names a minimum; an exact one is installed as it is, as setup-go does:
// the build stays reproducible and the cache key needs no network.
func ciInstallWord(sel selection.Selection) goversion.Word {
	if !sel.Minimum() {
		return sel.Word
	}
	w, _ := goversion.Parse(sel.InstallWord())
	return w
}

// cacheKey names a toolchain in a CI cache.
func cacheKey(version string, p installer.Platform) string {
	return "gover-" + version + "-" + p.OS + "-" + p.Arch
}

// runCacheKey prints the cache key; on GitHub Actions it also sets the
// step outputs cache-key, cache-path and go-version.
func runCacheKey(ctx context.Context, e *Env, word goversion.Word, sources installer.Sources) error {
	host := e.Host()
	version, err := sources.Resolve(ctx, word, host, e.say(false))
	if err != nil {
		return err
	}
	key := cacheKey(version, host)
	fmt.Fprintln(e.Stdout, key)
	if e.Getenv("GITHUB_ACTIONS") != "true" {
		return nil
	}
	l := e.Layout()
	return appendGitHubFile(e, "GITHUB_OUTPUT", githubLines([][2]string{
		{"cache-key", key},
		{"cache-path", l.Toolchain(version) + "\n" + l.Record(version)},
		{"go-version", strings.TrimPrefix(version, "go")},
	}))
}

func runCI(ctx context.Context, e *Env, word goversion.Word, origin string, sources installer.Sources, quiet bool) error {
	host := e.Host()
	in := e.installer(quiet)
	in.Progress = nil // plain lines in CI logs, never a bar
	say := e.say(quiet)
	if say == nil {
		say = func(string, ...any) {}
	}
	req := installer.Request{Word: word, Platform: host, Host: true, Sources: sources}
	res, err := in.Install(ctx, req)
	if err != nil {
		return err
	}
	summary := ""
	if res.Already {
		n, vouched, verr := checkInstalled(ctx, e, e.Layout().Record(res.Name), res.Dir)
		if verr == nil {
			summary = fmt.Sprintf("%s in %s matches its install record (%d files re-hashed)%s", res.Version, res.Dir, n, vouched)
			say("%s", summary)
		} else {
			warn(e, fmt.Sprintf("%s in %s cannot be used: %v; installing it again", res.Version, res.Dir, verr))
			req.Word = goversion.Word{Kind: goversion.Exact, Version: res.Version}
			req.Force = true
			if res, err = in.Install(ctx, req); err != nil {
				return err
			}
			res.Already = false
		}
	}
	if !res.Already {
		summary = res.String()
		say("%s", summary)
	}
	if err := e.reshim(true); err != nil {
		return err
	}
	gopath, err := toolchainGOPATH(ctx, e, res.Dir)
	if err != nil {
		return err
	}
	layout := e.Layout()
	x := ciExports{
		Path: []string{filepath.Join(res.Dir, "bin"), layout.Shims},
		Env:  [][2]string{{"GOROOT", res.Dir}},
		Outputs: [][2]string{
			{"go-version", strings.TrimPrefix(res.Version, "go")},
			{"go-path", res.Dir},
			{"cache-key", cacheKey(res.Version, host)},
		},
	}
	// GOTOOLCHAIN=local, as the shims set it, unless the user chose a
	// GOTOOLCHAIN (the environment, or 'go env -w'): the job's later
	// steps keep that choice.
	if v, _ := toolenv.UserToolchain(e.Getenv); v == "" {
		x.Env = append(x.Env, [2]string{"GOTOOLCHAIN", toolenv.DefaultToolchain})
	}
	if gopath != "" {
		x.Path = append(x.Path, filepath.Join(gopath, "bin"))
	}
	if err := exportCI(e, detectCI(e.Getenv), x); err != nil {
		return err
	}
	if p := e.Getenv("GITHUB_STEP_SUMMARY"); p != "" {
		line := fmt.Sprintf("gover: %s (selected by %s)\n", summary, origin)
		appendFile(p, line) // a summary is a courtesy: never fail the step over it
	}
	say("%s is first on PATH for what runs next (GOROOT=%s, GOTOOLCHAIN=local)", res.Version, res.Dir)
	return nil
}

// warn prints a one-line warning, as an annotation on GitHub Actions.
func warn(e *Env, msg string) {
	if e.Getenv("GITHUB_ACTIONS") == "true" {
		fmt.Fprintf(e.Stderr, "::warning::gover: %s\n", msg)
		return
	}
	fmt.Fprintf(e.Stderr, "gover: %s\n", msg)
}

// toolchainGOPATH asks the toolchain for its GOPATH (first entry), as
// setup-go does to put GOPATH/bin on PATH. It runs outside the project, so
// no go.mod or go.work there can refuse the toolchain or start a download.
func toolchainGOPATH(ctx context.Context, e *Env, goroot string) (string, error) {
	cmd := exec.CommandContext(ctx, filepath.Join(goroot, "bin", "go"+toolenv.ExeSuffix), "env", "GOPATH")
	cmd.Env = append(e.Environ(), "GOROOT="+goroot, "GOTOOLCHAIN=local", "GOFLAGS=")
	cmd.Dir = os.TempDir()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("run %s env GOPATH: %w: %s", cmd.Path, err, strings.TrimSpace(stderr.String()))
	}
	list := filepath.SplitList(strings.TrimSpace(string(out)))
	if len(list) == 0 {
		return "", nil
	}
	return list[0], nil
}

// A ciSystem is the CI service gover ci runs under.
type ciSystem int

const (
	ciPlain ciSystem = iota // GitLab CI, Jenkins, a shell: export lines only
	ciGitHub
	ciAzure
	ciCircle
)

// detectCI tells CI systems apart by the variables each one sets.
func detectCI(getenv func(string) string) ciSystem {
	switch {
	case getenv("GITHUB_ACTIONS") == "true":
		return ciGitHub
	case strings.EqualFold(getenv("TF_BUILD"), "true"):
		return ciAzure
	case getenv("CIRCLECI") == "true":
		return ciCircle
	}
	return ciPlain
}

// ciExports is what later steps need.
type ciExports struct {
	// Path lists folders to put on PATH, the first one first.
	Path    []string
	Env     [][2]string
	Outputs [][2]string
}

// exportCI writes x for the next steps, the CI system's way, and always as
// export lines on stdout for 'eval "$(gover ci)"'.
func exportCI(e *Env, sys ciSystem, x ciExports) error {
	switch sys {
	case ciGitHub:
		// The runner puts each line of GITHUB_PATH ahead of the earlier
		// ones, so the folder meant to come first is written last.
		var path strings.Builder
		for i := len(x.Path) - 1; i >= 0; i-- {
			path.WriteString(x.Path[i] + "\n")
		}
		for _, f := range []struct{ name, text string }{
			{"GITHUB_PATH", path.String()},
			{"GITHUB_ENV", githubLines(x.Env)},
			{"GITHUB_OUTPUT", githubLines(x.Outputs)},
		} {
			if err := appendGitHubFile(e, f.name, f.text); err != nil {
				return err
			}
		}
	case ciAzure:
		// Logging commands start with '#', so they are comments to a shell
		// that evals this output.
		fmt.Fprint(e.Stdout, azureCommands(x))
	case ciCircle:
		env := e.Getenv("BASH_ENV")
		if env == "" {
			return errors.New("export for later steps: BASH_ENV is not set (CircleCI sets it; run 'eval \"$(gover ci)\"' in the step that builds)")
		}
		if err := appendFile(env, shellExports(x)); err != nil {
			return fmt.Errorf("export for later steps: %w", err)
		}
	}
	_, err := io.WriteString(e.Stdout, shellExports(x))
	return err
}

// shellExports renders x as POSIX sh export lines.
func shellExports(x ciExports) string {
	var b strings.Builder
	for _, kv := range x.Env {
		fmt.Fprintf(&b, "export %s=%s\n", kv[0], shellQuote(kv[1]))
	}
	if len(x.Path) > 0 {
		fmt.Fprintf(&b, "export PATH=%s\"%c$PATH\"\n", shellQuote(strings.Join(x.Path, string(filepath.ListSeparator))), filepath.ListSeparator)
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// azureCommands renders x as Azure Pipelines logging commands. The agent,
// like GitHub's runner, puts each prepended folder ahead of the earlier ones.
func azureCommands(x ciExports) string {
	var b strings.Builder
	for i := len(x.Path) - 1; i >= 0; i-- {
		fmt.Fprintf(&b, "##vso[task.prependpath]%s\n", azureEscape(x.Path[i]))
	}
	for _, kv := range x.Env {
		fmt.Fprintf(&b, "##vso[task.setvariable variable=%s]%s\n", kv[0], azureEscape(kv[1]))
	}
	return b.String()
}

// azureEscape escapes a logging command's message as the agent unescapes it.
func azureEscape(s string) string {
	return strings.NewReplacer("%", "%AZP25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// githubLines renders name=value pairs for GITHUB_ENV or GITHUB_OUTPUT;
// a value with a line break uses the runner's heredoc form, with a
// delimiter that cannot occur in it.
func githubLines(kvs [][2]string) string {
	var b strings.Builder
	for _, kv := range kvs {
		name, value := kv[0], kv[1]
		if !strings.ContainsAny(value, "\r\n") {
			fmt.Fprintf(&b, "%s=%s\n", name, value)
			continue
		}
		var delim string
		for delim == "" || strings.Contains(value, delim) {
			var r [8]byte
			rand.Read(r[:])
			delim = "gover_EOF_" + hex.EncodeToString(r[:])
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", name, delim, value, delim)
	}
	return b.String()
}

// appendGitHubFile appends text to the file the runner names in variable.
func appendGitHubFile(e *Env, variable, text string) error {
	p := e.Getenv(variable)
	if p == "" {
		return fmt.Errorf("export for later steps: %s is not set (the GitHub runner sets it; is this a GitHub Actions step?)", variable)
	}
	if err := appendFile(p, text); err != nil {
		return fmt.Errorf("export for later steps: %w", err)
	}
	return nil
}

func appendFile(path, text string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// checkInstalled re-hashes an installed tree against the manifest in its
// install record (as 'gover verify' does) and returns how many files it
// checked. A restored CI cache is used only when this passes. For a
// toolchain from the module proxy the checksum database must also vouch
// for the record (a cache poisoned with a changed tree and a record
// rewritten to match is caught); when the database cannot be reached that
// is said, and the record is trusted as before. vouched tells which
// database vouched, for the summary line.
func checkInstalled(ctx context.Context, e *Env, recordPath, dir string) (files int, vouched string, err error) {
	// Every record is proven again by the checksum database, whatever
	// its source says (the record is the attacker's to write): a proxy
	// install's whole tree, an archive install's module files.
	var setup error // a GOPROXY or GOSUMDB gover cannot use for a proxy install: an error, as before
	vouch := func(ctx context.Context, rec *installer.Record) (verify.Proof, error) {
		p, err := e.proxySource()
		if err != nil {
			if rec.FromProxy() {
				setup = err
			}
			return verify.Proof{}, err
		}
		return p.Vouch(ctx, rec)
	}
	in := installer.Installed{Name: filepath.Base(dir), Dir: dir}
	c, err := installer.CheckInstalled(ctx, in, recordPath, installer.CheckOptions{Vouch: vouch, Host: e.Host()})
	switch {
	case err != nil:
		return 0, "", err
	case c.Kind == installer.CheckNoRecord && errors.Is(c.Problem, fs.ErrNotExist):
		return 0, "", errors.New("it has no install record")
	case c.Report == nil:
		return 0, "", c.Problem
	case !c.Report.OK():
		return 0, "", errors.New(treeDifferences(c.Report))
	case c.Problem != nil:
		return 0, "", c.Problem
	case setup != nil:
		return 0, "", setup
	case c.NoModule != nil:
		// Nothing but its own record vouches for a restored tree of a
		// release before Go 1.21: installed again, proven afresh.
		return 0, "", fmt.Errorf("it cannot be proven again (%w)", c.NoModule)
	case c.Unasked != nil:
		warn(e, fmt.Sprintf("cannot ask the checksum database about %s (%v); trusting its install record", c.Record.Version, c.Unasked))
	case c.Vouched != nil:
		vouched = ", and checksum database " + c.Vouched.Authority + " vouches for it"
	}
	return c.Report.Files, vouched, nil
}

// treeDifferences says in one line how a tree differs from its record.
func treeDifferences(r *verify.TreeReport) string {
	var first string
	switch {
	case len(r.Changed) > 0:
		first = r.Changed[0].String()
	case len(r.Missing) > 0:
		first = r.Missing[0] + " is missing"
	case len(r.Extra) > 0:
		first = r.Extra[0] + " is not in its install record"
	}
	if n := r.Differences(); n > 1 {
		first += fmt.Sprintf(" (and %d more differences)", n-1)
	}
	return first
}
