package platform

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goverdev/gover/shims/toolenv"
)

// A winKey names a registry key gover reads or writes.
type winKey int

const (
	userEnv     winKey = iota // HKCU\Environment
	systemEnv                 // HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment
	userGover                 // HKCU\Software\gover: what setup added to the user PATH
	systemGover               // HKLM\SOFTWARE\gover: what setup --system added
	goMSI                     // HKCU\Software\GoProgrammingLanguage: the MSI's install location
)

func (k winKey) String() string {
	return [...]string{
		`HKCU\Environment`,
		`HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment`,
		`HKCU\Software\gover`,
		`HKLM\SOFTWARE\gover`,
		`HKCU\Software\GoProgrammingLanguage`,
	}[k]
}

// winRegistry is the part of the Windows registry gover uses; the real one
// is in registry_windows.go, tests use a map.
type winRegistry interface {
	// get reads a string value as stored (never expanded) and its type; a
	// missing key or value is fs.ErrNotExist.
	get(k winKey, name string) (value string, kind uint32, err error)
	// set writes a value of type kind (regSZ or regExpandSZ), creating the key.
	set(k winKey, name, value string, kind uint32) error
	// del removes a value; a missing one is no error.
	del(k winKey, name string) error
}

// recordValue names the value under HKCU\Software\gover (HKLM with
// --system) that holds the PATH entry setup added, so that --undo removes
// that and nothing else.
const recordValue = "PathEntry"

// Windows is the System of Windows: the user and system PATH in the
// registry, the MSI, GOROOT left in the registry. Its logic has no build
// tags; registry_windows.go supplies the registry and the broadcast.
type Windows struct {
	Env Env
	reg winRegistry
	// broadcast tells running programs (Explorer) that the environment
	// changed, so the terminals they start next see the new PATH.
	broadcast func() error
}

// winState is what status reads from the registry.
type winState struct {
	user, system             regValue // the Path values
	userGOROOT, systemGOROOT string
	msiLocation              string
}

type regValue struct {
	value  string
	kind   uint32
	exists bool
}

func (w *Windows) value(k winKey, name string) (regValue, error) {
	v, kind, err := w.reg.get(k, name)
	if errors.Is(err, fs.ErrNotExist) {
		return regValue{}, nil
	}
	if err != nil {
		return regValue{}, fmt.Errorf("read %s %s: %w", k, name, err)
	}
	return regValue{value: v, kind: kind, exists: true}, nil
}

func (w *Windows) read() (winState, error) {
	var s winState
	var err error
	if s.user, err = w.value(userEnv, "Path"); err != nil {
		return s, err
	}
	if s.system, err = w.value(systemEnv, "Path"); err != nil {
		return s, err
	}
	for _, v := range []struct {
		k    winKey
		name string
		to   *string
	}{{userEnv, "GOROOT", &s.userGOROOT}, {systemEnv, "GOROOT", &s.systemGOROOT}, {goMSI, "installLocation", &s.msiLocation}} {
		rv, err := w.value(v.k, v.name)
		if err != nil {
			return s, err
		}
		*v.to = rv.value
	}
	return s, nil
}

// newPath is the PATH a new terminal gets: the system's entries, then the
// user's, expanded.
func (s winState) newPath(getenv func(string) string) string {
	var all []string
	for _, v := range []string{s.system.value, s.user.value} {
		for _, e := range splitPathValue(v) {
			if e = expandEntry(e, getenv); e != "" {
				all = append(all, e)
			}
		}
	}
	return strings.Join(all, string(os.PathListSeparator))
}

// msi is the Go the official MSI installed: where its registry key says,
// or a …\Go\bin folder on the system PATH.
func (w *Windows) msi(s winState) *Install {
	goroot := strings.TrimSpace(s.msiLocation)
	if goroot == "" {
		for _, e := range splitPathValue(s.system.value) {
			e = filepath.Clean(expandEntry(e, w.Env.Getenv))
			if strings.EqualFold(filepath.Base(e), "bin") && strings.EqualFold(filepath.Base(filepath.Dir(e)), "Go") {
				goroot = filepath.Dir(e)
				break
			}
		}
	}
	if goroot == "" || !isGoroot(goroot) {
		return nil
	}
	goroot = filepath.Clean(goroot)
	return &Install{Kind: KindMSI, GOROOT: goroot, Go: filepath.Join(goroot, "bin", "go.exe"), Version: toolenv.GorootVersion(goroot)}
}

// windowsAdvice is how to fix shadowing on Windows.
var windowsAdvice = advice{
	kinds: map[Kind]string{
		KindMSI: "uninstall the Go MSI (Settings > Apps > Installed apps)",
	},
	order: "put the shims first: 'gover setup' for the user PATH; a Go on the system PATH (which comes first) needs 'gover setup --system' in an elevated prompt",
	setup: "run 'gover setup', then open a new terminal",
}

// Status implements System.
func (w *Windows) Status(ctx context.Context, o StatusOptions) (Status, error) {
	s, err := w.read()
	if err != nil {
		return Status{}, err
	}
	var installs []Install
	msi := w.msi(s)
	if msi != nil {
		installs = append(installs, *msi)
	}
	ahead, onPath := goAhead(s.newPath(w.Env.Getenv), w.Env.Shims)
	installs, checks := settle(installs, ahead, onPath, w.Env, windowsAdvice)
	for i := range checks {
		if checks[i].ID == "path-shadowing" && checks[i].Status != OK && len(ahead) > 0 {
			checks[i].Fix = w.shadowFix(ahead, s)
		}
	}
	checks = append(checks, w.pathCheck(s), msiCheck(msi, s, w.Env), gorootCheck(s))
	return Status{Installs: installs, Checks: checks}, nil
}

// shadowFix says how to get the first go ahead of the shims out of the
// way: a folder the user can write can lose its go.exe; a system PATH
// folder needs an administrator.
func (w *Windows) shadowFix(ahead []pathGo, s winState) string {
	g := ahead[0]
	dir := filepath.Dir(g.Path)
	if HasPathEntry(s.system.value, dir, w.Env.Getenv) && !HasPathEntry(s.system.value, w.Env.Shims, w.Env.Getenv) {
		return fmt.Sprintf("%s is on the system PATH, which comes before the user PATH: uninstall what put it there, or run 'gover setup --system' in an elevated prompt", dir)
	}
	if writable(dir) {
		return fmt.Sprintf("%s is a folder you can write: delete or rename its go.exe, or run 'gover setup' to put the shims ahead of it", dir)
	}
	return "run 'gover setup' to put the shims ahead of it, then open a new terminal"
}

// writable reports whether this user can create files in dir.
func writable(dir string) bool {
	f, err := os.CreateTemp(dir, ".gover-probe-*")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}

// pathCheck is the doctor's windows-path check: the shims on the user
// PATH, the PATH values' types, and %VAR% entries nothing expanded.
func (w *Windows) pathCheck(s winState) Check {
	var msgs, fixes []string
	shims := w.Env.Shims
	if !HasPathEntry(s.user.value, shims, w.Env.Getenv) && !HasPathEntry(s.system.value, shims, w.Env.Getenv) {
		msgs = append(msgs, fmt.Sprintf("gover's shims (%s) are not on the user PATH (%s)", shims, userEnv))
		fixes = append(fixes, "run 'gover setup', then open a new terminal")
	}
	if s.user.kind == regSZ && strings.Contains(s.user.value, "%") {
		msgs = append(msgs, fmt.Sprintf("%s Path is REG_SZ, so its %%VAR%% entries are never expanded", userEnv))
		fixes = append(fixes, "run 'gover setup' (it writes Path back as REG_EXPAND_SZ)")
	}
	if s.system.kind == regSZ && strings.Contains(s.system.value, "%") {
		msgs = append(msgs, fmt.Sprintf("the system Path (%s) is REG_SZ, so its %%VAR%% entries are never expanded", systemEnv))
		fixes = append(fixes, "an administrator must rewrite it as REG_EXPAND_SZ (System Properties > Environment Variables does)")
	}
	for _, e := range splitPathValue(s.system.value) {
		dir := expandEntry(e, w.Env.Getenv)
		if dir != "" && isFile(filepath.Join(dir, "go.exe")) && !HasPathEntry(s.system.value, shims, w.Env.Getenv) {
			msgs = append(msgs, fmt.Sprintf("%s on the system PATH holds go.exe and comes before the user PATH", dir))
			fixes = append(fixes, "uninstall that Go, or run 'gover setup --system' in an elevated prompt")
			break
		}
	}
	if bad := unexpanded(w.Env.Getenv("PATH")); len(bad) > 0 {
		msgs = append(msgs, "PATH holds entries nothing expanded: "+strings.Join(bad, ", "))
		fixes = append(fixes, "define those variables, or make the registry value that holds them REG_EXPAND_SZ; then open a new terminal")
	}
	if len(msgs) == 0 {
		return Check{ID: "windows-path", Status: OK, Message: fmt.Sprintf("the shims are on the user PATH (%s, REG_EXPAND_SZ)", userEnv)}
	}
	return Check{ID: "windows-path", Status: Warn, Message: strings.Join(msgs, "; "), Fix: strings.Join(fixes, "; ")}
}

// msiCheck is the doctor's msi-install check: the MSI appends its bin to
// the system PATH, which Windows puts before the user PATH.
func msiCheck(msi *Install, s winState, env Env) Check {
	if msi == nil {
		return Check{ID: "msi-install", Status: OK, Message: "no Go MSI installed"}
	}
	bin := filepath.Join(msi.GOROOT, "bin")
	onSystem := HasPathEntry(s.system.value, bin, env.Getenv)
	shimsFirst := false
	for _, e := range splitPathValue(s.system.value) {
		if samePathEntry(e, env.Shims, env.Getenv) {
			shimsFirst = true
			break
		}
		if samePathEntry(e, bin, env.Getenv) {
			break
		}
	}
	what := describe(*msi)
	if onSystem && !shimsFirst {
		return Check{ID: "msi-install", Status: Warn,
			Message: fmt.Sprintf("%s is on the system PATH, which Windows puts before the user PATH: its go runs instead of gover's shims", what),
			Fix:     "uninstall Go (Settings > Apps > Installed apps), or run 'gover setup --system' in an elevated prompt"}
	}
	return Check{ID: "msi-install", Status: OK, Message: what + " is installed but does not come before gover's shims"}
}

// gorootCheck: a GOROOT in the registry reaches every program. The shims
// set their own, but an IDE that runs a go.exe directly gets that one.
func gorootCheck(s winState) Check {
	var msgs, fixes []string
	if s.userGOROOT != "" {
		msgs = append(msgs, fmt.Sprintf("GOROOT is set to %s in %s", s.userGOROOT, userEnv))
		fixes = append(fixes, fmt.Sprintf(`run 'reg delete "%s" /v GOROOT'`, userEnv))
	}
	if s.systemGOROOT != "" {
		msgs = append(msgs, fmt.Sprintf("GOROOT is set to %s in %s", s.systemGOROOT, systemEnv))
		fixes = append(fixes, fmt.Sprintf(`run 'reg delete "%s" /v GOROOT' in an elevated prompt`, systemEnv))
	}
	if len(msgs) == 0 {
		return Check{ID: "goroot-mismatch", Status: OK, Message: "no GOROOT set in the registry"}
	}
	return Check{ID: "goroot-mismatch", Status: Warn,
		Message: strings.Join(msgs, "; ") + ": programs that do not go through gover's shims use that Go",
		Fix:     strings.Join(fixes, "; ")}
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// Hold implements System: the MSI does not update itself, so there is
// nothing to hold.
func (w *Windows) Hold(ctx context.Context, hold bool) ([]Change, error) {
	return nil, fmt.Errorf("%s Go: %w (the Go MSI never updates itself; with winget, 'winget pin add GoLang.Go' holds it)", holdWord(hold), ErrUnsupported)
}

// Setup implements System: the shims folder first on the user PATH (with
// o.System, the system PATH), and gover's own folder after it when no PATH
// entry names it (install.ps1 relies on that), written back as
// REG_EXPAND_SZ with every other entry as it was, then WM_SETTINGCHANGE.
func (w *Windows) Setup(ctx context.Context, o SetupOptions) ([]Change, error) {
	envKey, recKey, where := userEnv, userGover, "the user PATH ("+userEnv.String()+")"
	if o.System {
		if !w.Env.privileged() {
			return nil, fmt.Errorf("edit the system PATH: %w (run 'gover setup --system' in a terminal opened with 'Run as administrator')", ErrNeedsElevation)
		}
		envKey, recKey, where = systemEnv, systemGover, "the system PATH ("+systemEnv.String()+")"
	}
	s, err := w.read()
	if err != nil {
		return nil, err
	}
	cur := s.user
	if o.System {
		cur = s.system
	}
	record, err := w.value(recKey, recordValue)
	if err != nil {
		return nil, err
	}
	if o.Undo {
		return w.undo(envKey, recKey, where, cur, record)
	}

	next, added, changes := planPath(s, cur, o, w.Env.Shims, where, w.Env.Getenv)
	retype := cur.kind == regSZ && strings.Contains(cur.value, "%")
	if next == cur.value && !retype {
		return w.advise([]Change{{Message: fmt.Sprintf("%s already leads %s: nothing to do", w.Env.Shims, where)}})
	}
	if err := w.reg.set(envKey, "Path", next, regExpandSZ); err != nil {
		return nil, fmt.Errorf("write %s Path: %w", envKey, err)
	}
	if err := w.record(recKey, record, added); err != nil {
		return nil, err
	}
	if retype {
		changes = append(changes, Change{Message: fmt.Sprintf("rewrote %s Path as REG_EXPAND_SZ, so its %%VAR%% entries expand", envKey), Done: true})
	}
	changes = append(changes, w.tell())
	return w.advise(changes)
}

// planPath decides the PATH value setup writes (cur, the user's or the
// system's, per o.System): the shims first; gover's own folder behind them
// on the user PATH unless some entry names it already. It returns the
// entries it adds and what it says about them.
func planPath(s winState, cur regValue, o SetupOptions, shims, where string, getenv func(string) string) (next string, added []string, changes []Change) {
	next = cur.value
	if dir := o.GoverDir; dir != "" && !o.System && !HasPathEntry(s.user.value, dir, getenv) && !HasPathEntry(s.system.value, dir, getenv) {
		next, _ = AddPathEntry(next, dir, getenv)
		added = append(added, dir)
	}
	next, _ = AddPathEntry(next, shims, getenv)
	switch {
	case !HasPathEntry(cur.value, shims, getenv):
		added = append([]string{shims}, added...)
		changes = append(changes, Change{Message: fmt.Sprintf("put %s first on %s", shims, where), Done: true})
	case !samePathEntry(splitPathValue(cur.value)[0], shims, getenv):
		changes = append(changes, Change{Message: fmt.Sprintf("moved %s to the front of %s", shims, where), Done: true})
	}
	if len(added) > 0 && added[len(added)-1] != shims {
		changes = append(changes, Change{Message: fmt.Sprintf("put %s (gover itself) on %s, after the shims", added[len(added)-1], where), Done: true})
	}
	return next, added, changes
}

// record adds the entries setup put on PATH to what earlier setups
// recorded in recKey: undo removes all of them.
func (w *Windows) record(recKey winKey, record regValue, added []string) error {
	if len(added) == 0 {
		return nil
	}
	all := splitPathValue(record.value)
	for _, a := range added {
		if !slices.Contains(all, a) {
			all = append(all, a)
		}
	}
	if err := w.reg.set(recKey, recordValue, strings.Join(all, ";"), regSZ); err != nil {
		return fmt.Errorf("record the PATH entries in %s: %w", recKey, err)
	}
	return nil
}

// undo removes the entries setup recorded, and the record.
func (w *Windows) undo(envKey, recKey winKey, where string, cur, record regValue) ([]Change, error) {
	entries := splitPathValue(record.value)
	if len(entries) == 0 {
		return []Change{{Message: fmt.Sprintf("'gover setup' added nothing to %s: nothing to undo", where)}}, nil
	}
	next := cur.value
	var removed, gone []string
	for _, e := range entries {
		var changed bool
		if next, changed = RemovePathEntry(next, e, w.Env.Getenv); changed {
			removed = append(removed, e)
		} else {
			gone = append(gone, e)
		}
	}
	var changes []Change
	if len(removed) > 0 {
		if err := w.reg.set(envKey, "Path", next, regExpandSZ); err != nil {
			return nil, fmt.Errorf("write %s Path: %w", envKey, err)
		}
		changes = append(changes, Change{Message: fmt.Sprintf("removed %s from %s", strings.Join(removed, " and "), where), Done: true})
	}
	if len(gone) > 0 {
		changes = append(changes, Change{Message: fmt.Sprintf("%s no longer on %s", strings.Join(gone, " and "), where)})
	}
	if err := w.reg.del(recKey, recordValue); err != nil {
		return nil, fmt.Errorf("delete %s %s: %w", recKey, recordValue, err)
	}
	if len(removed) > 0 {
		changes = append(changes, w.tell())
	}
	return changes, nil
}

// tell broadcasts the change. Terminals already open keep their PATH.
func (w *Windows) tell() Change {
	if w.broadcast != nil {
		if err := w.broadcast(); err != nil {
			return Change{Message: fmt.Sprintf("could not tell running programs (%v): sign out and in again if new terminals miss the change", err)}
		}
	}
	return Change{Message: "open a new terminal: terminals already open keep their old PATH"}
}

// advise adds what still stands in the shims' way after setup.
func (w *Windows) advise(changes []Change) ([]Change, error) {
	s, err := w.read()
	if err != nil {
		return changes, nil
	}
	for _, c := range []Check{msiCheck(w.msi(s), s, w.Env), gorootCheck(s)} {
		if c.Status != OK {
			changes = append(changes, Change{Message: c.Message + ": " + c.Fix})
		}
	}
	return changes, nil
}
