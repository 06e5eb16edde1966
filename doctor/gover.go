package doctor

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/goverdev/gover/installer"
	"github.com/goverdev/gover/internal/manifest"
	"github.com/goverdev/gover/shims"
	"github.com/goverdev/gover/shims/selection"
	"github.com/goverdev/gover/shims/toolenv"
	"github.com/goverdev/gover/verify"
)

// checkShims: the shims folder holds a shim for every program the
// installed toolchains have, each identical to this gover's gover-shim.
// After an upgrade of gover the old shims keep running the old resolver.
func checkShims(ctx context.Context, s *state) Result {
	l := s.env.Layout
	if s.env.ShimExe == "" {
		return warnf("gover-shim is not beside gover nor on PATH: the shims cannot be checked or rewritten",
			"reinstall gover with install.sh (or install.ps1), which puts gover-shim beside gover")
	}
	src, err := os.Stat(s.env.ShimExe)
	if err != nil {
		return warnf(fmt.Sprintf("gover-shim: %v", err), "reinstall gover with install.sh (or install.ps1)")
	}
	wanted := shims.Wanted(l)
	if !isDir(l.Shims) {
		return warnf(fmt.Sprintf("no shims yet in %s", l.Shims), "run 'gover reshim'")
	}
	var missing, stale, extra []string
	for _, name := range wanted {
		p := filepath.Join(l.Shims, name+toolenv.ExeSuffix)
		fi, err := os.Stat(p)
		switch {
		case err != nil:
			missing = append(missing, name)
		case !toolenv.IsShim(p, fi, s.env.ShimExe, src):
			stale = append(stale, name)
		}
	}
	entries, _ := os.ReadDir(l.Shims)
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), toolenv.ExeSuffix)
		if !strings.HasPrefix(e.Name(), ".") && !slices.Contains(wanted, name) {
			extra = append(extra, name)
		}
	}
	var problems []string
	if len(missing) > 0 {
		problems = append(problems, "missing "+strings.Join(missing, ", "))
	}
	if len(stale) > 0 {
		problems = append(problems, strings.Join(stale, ", ")+" differ from "+s.env.ShimExe+" (gover upgraded since the last reshim?)")
	}
	if len(extra) > 0 {
		problems = append(problems, "left over: "+strings.Join(extra, ", "))
	}
	if len(problems) > 0 {
		return warnf(fmt.Sprintf("shims in %s are out of date: %s", l.Shims, strings.Join(problems, "; ")), "run 'gover reshim'")
	}
	return okf(fmt.Sprintf("%s in %s, up to date", strings.Join(wanted, ", "), l.Shims))
}

func repairShims(ctx context.Context, s *state, found Result) (string, error) {
	if s.env.Reshim == nil || s.env.ShimExe == "" {
		return "", nil
	}
	changed, err := s.env.Reshim()
	if err != nil {
		return "", err
	}
	if len(changed) == 0 {
		return "reshimmed", nil
	}
	return "reshimmed " + strings.Join(changed, ", "), nil
}

// checkGlobalVersion: the global version file, when there is one, names a
// version that is installed; if not, every go outside pinned folders fails.
func checkGlobalVersion(ctx context.Context, s *state) Result {
	file := s.env.Layout.GlobalFile
	sel, err := selection.FromFile(file, selection.Options{Getenv: s.env.Getenv})
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return okf("no global version: where nothing pins one, go runs the next go on PATH ('gover use --global 1.22.5' sets one)")
	case err != nil:
		return failf(err.Error(), pinFix(err, "run 'gover use --global 1.22.5' to rewrite it, or delete it"))
	}
	if !sel.Found() {
		return failf(fmt.Sprintf("%s names no Go version", file), "run 'gover use --global 1.22.5' to rewrite it, or delete it")
	}
	if sel.System {
		return okf(fmt.Sprintf("global version: system (%s)", file))
	}
	v, err := selection.ResolveIn(sel, s.env.Layout)
	if err != nil {
		return failf(fmt.Sprintf("the global version %s (%s) is not installed: go fails outside folders that pin a version", sel.Requested(), file),
			"run 'gover install "+sel.InstallWord()+"'")
	}
	return okf(fmt.Sprintf("%s (%s)", v, sel.Describe()))
}

func repairGlobalVersion(ctx context.Context, s *state, found Result) (string, error) {
	sel, err := selection.FromFile(s.env.Layout.GlobalFile, selection.Options{Getenv: s.env.Getenv})
	if err != nil || !sel.Found() || sel.System {
		return "", nil
	}
	return installSelected(ctx, s, sel)
}

// checkActiveVersion: what selects a version in this folder (GOVER_VERSION,
// .go-version, .tool-versions, go.mod's toolchain line) can be read and is
// installed; if not, every go here fails.
func checkActiveVersion(ctx context.Context, s *state) Result {
	sel, err := selection.Find(s.env.Dir, selection.ForLayout(s.env.Layout, s.env.Getenv))
	if err != nil {
		return failf(err.Error(), pinFix(err, "write a version such as 1.22.5 there, or run 'gover use 1.22.5'"))
	}
	switch {
	case !sel.Found():
		return okf("nothing selects a version here")
	case sel.Kind == selection.Global:
		return s.inForce(ctx, okf("the global version applies here (see global-version)"))
	case sel.System:
		return okf(fmt.Sprintf("system: go runs the next go on PATH (%s)", sel.Describe()))
	}
	v, err := selection.ResolveIn(sel, s.env.Layout)
	if err != nil {
		return failf(fmt.Sprintf("%s (%s) is not installed: every go here fails", sel.Requested(), sel.Describe()),
			"run 'gover install "+sel.InstallWord()+"'")
	}
	return s.inForce(ctx, okf(fmt.Sprintf("%s (%s)", v, sel.Describe())))
}

func repairActiveVersion(ctx context.Context, s *state, found Result) (string, error) {
	sel, err := selection.Find(s.env.Dir, selection.ForLayout(s.env.Layout, s.env.Getenv))
	if err != nil || !sel.Found() || sel.System || sel.Kind == selection.Global {
		return "", nil
	}
	return installSelected(ctx, s, sel)
}

// pinFix is the fix a *selection.PinError names, else def.
func pinFix(err error, def string) string {
	var pe *selection.PinError
	if errors.As(err, &pe) && pe.Fix != "" {
		return pe.Fix
	}
	return def
}

func installSelected(ctx context.Context, s *state, sel selection.Selection) (string, error) {
	if s.env.Install == nil {
		return "", nil
	}
	word := sel.InstallWord()
	if err := s.env.Install(ctx, word); err != nil {
		return "", fmt.Errorf("install %s: %w", word, err)
	}
	return "installed " + word, nil
}

// integrityParallel is how many toolchains install-integrity checks at once.
const integrityParallel = 4

// checkIntegrity re-hashes every installed toolchain against the manifest
// its install recorded, checks the record against the proof made at
// install, and (with Env.Vouch) asks the checksum database to vouch again
// for every record whatever its source says (installer.CheckInstalled).

func checkIntegrity(ctx context.Context, s *state) Result {
	installed, err := installer.List(s.env.Layout)
	if err != nil {
		return failf(fmt.Sprintf("list installed toolchains: %v", err), "")
	}
	if len(installed) == 0 {
		return skipf("no toolchains installed")
	}
	// Toolchains are checked several at a time: cold, each is mostly
	// waiting for the disk.
	checks := make([]*installer.Check, len(installed))
	errs := make([]error, len(installed))
	sem := make(chan struct{}, integrityParallel)
	var wg sync.WaitGroup
	for i, in := range installed {
		statCache := func(ctx context.Context, dir string, m manifest.Manifest) (*verify.TreeReport, error) {
			return verify.TreeWith(ctx, dir, m, verify.TreeOptions{StatCache: s.env.Layout.StatCache(in.Name), Deep: s.opt.Deep})
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			checks[i], errs[i] = installer.CheckInstalled(ctx, in, s.env.Layout.Record(in.Name), installer.CheckOptions{Tree: statCache, Vouch: s.env.Vouch, Host: installer.Platform{OS: s.env.HostOS, Arch: s.env.HostArch}})
		})
	}
	wg.Wait()
	var bad, unverifiable, reinstall, unasked, noModule []string
	files, hashed := 0, 0
	for i, in := range installed {
		c, err := checks[i], errs[i]
		if err != nil {
			return warnf(fmt.Sprintf("stopped while hashing %s", in.Name), "run 'gover verify'")
		}
		switch c.Kind {
		case installer.CheckUntrusted:
			bad = append(bad, c.Problem.Error())
			continue
		case installer.CheckNoRecord, installer.CheckNoFiles:
			unverifiable = append(unverifiable, in.Name)
			reinstall = append(reinstall, reinstallWord(in))
			continue
		case installer.CheckUnreadable:
			bad = append(bad, fmt.Sprintf("%s (%v)", in.Name, c.Problem))
			reinstall = append(reinstall, reinstallWord(in))
			continue
		}
		files += c.Report.Files
		hashed += c.Report.Hashed
		switch {
		case !c.Report.OK():
			bad = append(bad, fmt.Sprintf("%s (%d of %d paths differ)", in.Name, c.Report.Differences(), c.Report.Files))
			reinstall = append(reinstall, reinstallWord(in))
		case c.Kind == installer.CheckIdentity:
			bad = append(bad, fmt.Sprintf("%s (%v)", in.Name, c.Problem))
			reinstall = append(reinstall, reinstallWord(in))
		case c.Kind == installer.CheckVouch:
			bad = append(bad, fmt.Sprintf("%s (the checksum database does not vouch for its files)", in.Name))
			reinstall = append(reinstall, reinstallWord(in))
		case c.Problem != nil:
			bad = append(bad, fmt.Sprintf("%s (its record no longer matches the checksum database's proof)", in.Name))
			reinstall = append(reinstall, reinstallWord(in))
		case c.Unasked != nil:
			unasked = append(unasked, in.Name)
			s.proven.Store(in.Name, true)
		case c.NoModule != nil:
			noModule = append(noModule, in.Name)
			s.proven.Store(in.Name, true)
		default:
			s.proven.Store(in.Name, true)
		}
	}
	var msgs []string
	if len(bad) > 0 {
		msgs = append(msgs, "changed since installed: "+strings.Join(bad, ", "))
	}
	if len(unverifiable) > 0 {
		msgs = append(msgs, "no usable install record: "+strings.Join(unverifiable, ", "))
	}
	if len(msgs) > 0 {
		return failf(strings.Join(msgs, "; "), "see 'gover verify' for each path, then reinstall: "+strings.Join(reinstall, "; "))
	}
	how := fmt.Sprintf("%s re-hashed", count(files, "file"))
	if hashed < files {
		how = fmt.Sprintf("%s; %d re-hashed, the rest unchanged since last hashed: --deep hashes all", count(files, "file"), hashed)
	}
	if len(unasked) > 0 {
		how += "; the checksum database could not be asked to vouch again for " + strings.Join(unasked, ", ")
	}
	if len(noModule) > 0 {
		how += "; releases before Go 1.21 have no module for the checksum database to vouch for, so only their install records prove " + strings.Join(noModule, ", ")
	}
	return okf(fmt.Sprintf("%s as installed (%s)", count(len(installed), "toolchain"), how))
}

func reinstallWord(in installer.Installed) string {
	w := strings.TrimPrefix(in.Version, "go")
	if in.Foreign == "" {
		return "gover install --force " + w
	}
	goos, goarch, _ := strings.Cut(in.Foreign, "-")
	return "gover install --force --os " + goos + " --arch " + goarch + " " + w
}

// count says "1 file", "2 files".
func count(n int, noun string) string { return fmt.Sprintf("%d %s", n, plural(n, noun)) }
