package platform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Unix is the System of Linux, macOS and the other Unix systems. GOOS
// picks what it looks at: distro packages and snaps on Linux, Homebrew,
// the C compiler and Rosetta on macOS (and Homebrew on Linux when it is
// there). It has no build tags, so each OS's logic is tested anywhere.
type Unix struct {
	Env  Env
	GOOS string
}

func (u *Unix) linux() bool  { return u.GOOS == "linux" }
func (u *Unix) darwin() bool { return u.GOOS == "darwin" }

// Status implements System.
func (u *Unix) Status(ctx context.Context, o StatusOptions) (Status, error) {
	var st Status
	var installs []Install
	var checks []Check
	root := rootOf(u.Env)
	if u.linux() {
		debs, err := u.debs(ctx)
		if err != nil {
			return st, err
		}
		di := debInstalls(debs, root)
		installs = append(installs, di...)
		if c, ok := holdCheck("apt-hold", di); ok {
			checks = append(checks, c)
		}
		rpm, err := u.rpmGo(ctx)
		if err != nil {
			return st, err
		}
		if rpm != nil {
			installs = append(installs, *rpm)
			if c, ok := holdCheck("dnf-versionlock", []Install{*rpm}); ok {
				checks = append(checks, c)
			}
		}
		if s := snapGo(root); s != nil {
			installs = append(installs, *s)
		}
	}
	if hb := u.homebrew(ctx); hb != nil {
		st.Homebrew = hb
		installs = append(installs, hb.brewGos()...)
		checks = append(checks, pkgConfigCheck(hb, u.Env.Getenv, o.Kegs))
	}
	if l := usrLocal(root); l != nil {
		installs = append(installs, *l)
	}
	if u.linux() {
		installs = append(installs, usrLib(root, installs)...)
	}
	ahead, onPath := goAhead(u.Env.Getenv("PATH"), u.Env.Shims)
	installs, shadow := settle(installs, ahead, onPath, u.Env, unixAdvice)
	st.Installs = installs
	st.Checks = append(shadow, checks...)
	if u.darwin() {
		st.Checks = append(st.Checks, ccCheck(ctx, u.Env.Run))
		if rosetta(ctx, u.Env.Run) {
			st.Rosetta = true
			st.Checks = append(st.Checks, Check{ID: "rosetta", Status: Warn,
				Message: "gover runs under Rosetta (an Intel build on Apple Silicon); it installs arm64 toolchains all the same (--arch amd64 for Intel ones)",
				Fix:     "reinstall gover from a native shell ('arch -arm64 ./install.sh')"})
		}
	}
	return st, nil
}

// homebrew finds Homebrew on macOS, and on Linux only when brew is there
// (Linuxbrew is rare, and asking costs an exec).
func (u *Unix) homebrew(ctx context.Context) *Homebrew {
	if !u.darwin() {
		_, err := lookPath("brew", u.Env.Getenv("PATH"))
		if _, err2 := os.Stat(filepath.Join(rootOf(u.Env), brewPlaces[2])); err != nil && err2 != nil {
			return nil
		}
	}
	return findHomebrew(ctx, u.Env)
}

// Hold implements System: apt-mark or dnf versionlock for distro packages,
// brew pin for Homebrew's go.
func (u *Unix) Hold(ctx context.Context, hold bool) ([]Change, error) {
	if u.linux() {
		debs, err := u.debs(ctx)
		if err != nil {
			return nil, err
		}
		for _, d := range debs {
			if d.Installed {
				return u.aptHold(ctx, debs, hold)
			}
		}
		rpm, err := u.rpmGo(ctx)
		if err != nil {
			return nil, err
		}
		if rpm != nil {
			if rpm.Held == hold {
				return []Change{{Message: "golang is already " + map[bool]string{true: "locked", false: "not locked"}[hold] + " in dnf's versionlock"}}, nil
			}
			return u.dnfHold(ctx, hold)
		}
	}
	if hb := u.homebrew(ctx); hb != nil {
		if gos := hb.brewGos(); len(gos) > 0 {
			return u.brewPin(ctx, hb, gos, hold)
		}
	}
	var hints []string
	if u.linux() && snapGo(rootOf(u.Env)) != nil {
		hints = append(hints, "the go snap is held with 'sudo snap refresh --hold go'")
	}
	if l := usrLocal(rootOf(u.Env)); l != nil {
		hints = append(hints, l.GOROOT+" changes only when you replace it")
	}
	hint := ""
	if len(hints) > 0 {
		hint = " (" + strings.Join(hints, "; ") + ")"
	}
	return nil, fmt.Errorf("%s Go: %w%s", holdWord(hold), ErrNothingToHold, hint)
}

// brewPin runs brew pin|unpin on the installed Go formulae. Homebrew
// refuses to run as root, so there is no privilege to check.
func (u *Unix) brewPin(ctx context.Context, hb *Homebrew, gos []Install, hold bool) ([]Change, error) {
	verb := map[bool]string{true: "pin", false: "unpin"}[hold]
	var names []string
	for _, in := range gos {
		if in.Held != hold {
			names = append(names, in.Package)
		}
	}
	if len(names) == 0 {
		return []Change{{Message: fmt.Sprintf("Homebrew's Go is already %sned", verb)}}, nil
	}
	if _, err := u.Env.Run.Output(ctx, hb.Brew, append([]string{verb}, names...)...); err != nil {
		return nil, fmt.Errorf("brew %s %s: %w", verb, strings.Join(names, " "), err)
	}
	msg := fmt.Sprintf("%sned %s with Homebrew", verb, strings.Join(names, " and "))
	if hold {
		msg += " (brew upgrade leaves it alone; 'brew unlink go' takes it off PATH)"
	}
	return []Change{{Message: msg, Done: true}}, nil
}

// Setup implements System: one line in the shell's rc file; on macOS also
// pkgconf from Homebrew, offered (run with o.Yes), and with o.PkgConfig a
// PKG_CONFIG_PATH line.
func (u *Unix) Setup(ctx context.Context, o SetupOptions) ([]Change, error) {
	if o.System {
		return nil, fmt.Errorf("setup --system: %w (it edits the Windows machine PATH; on Unix run 'gover setup' as each user)", ErrUnsupported)
	}
	var hb *Homebrew
	var pkgDirs []string
	if !o.Undo && (o.PkgConfig || u.darwin()) {
		hb = u.homebrew(ctx)
		if o.PkgConfig {
			if hb == nil {
				return nil, fmt.Errorf("setup --pkg-config: Homebrew not found (it sets PKG_CONFIG_PATH for Homebrew's libraries; install Homebrew first, or drop --pkg-config)")
			}
			pkgDirs = hb.PkgConfigPath(o.Kegs)
		}
	}
	changes, err := rcSetup(o, u.Env.Getenv, u.darwin(), pkgDirs)
	if err != nil || o.Undo || !u.darwin() {
		return changes, err
	}
	if hb != nil && hb.PkgConfig == "" {
		if o.Yes {
			if err := u.Env.Run.Run(ctx, hb.Brew, "install", "pkgconf"); err != nil {
				return changes, fmt.Errorf("brew install pkgconf: %w", err)
			}
			changes = append(changes, Change{Message: "installed pkgconf with Homebrew, so cgo finds Homebrew's libraries", Done: true})
		} else {
			changes = append(changes, Change{Message: "cgo needs pkg-config to find Homebrew's libraries: run 'brew install pkgconf' (or 'gover setup --yes')"})
		}
	}
	if c := ccCheck(ctx, u.Env.Run); c.Status != OK {
		changes = append(changes, Change{Message: c.Message + ": " + c.Fix})
	}
	return changes, nil
}
