package platform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/goverdev/gover/internal/fspath"
	"github.com/goverdev/gover/shims/toolenv"
)

// Homebrew is what gover needs to know of a Homebrew installation.
type Homebrew struct {
	// Prefix is 'brew --prefix': /opt/homebrew on Apple Silicon,
	// /usr/local on Intel Macs, /home/linuxbrew/.linuxbrew on Linux.
	Prefix string `json:"prefix"`
	// Brew is the brew command that answered.
	Brew string `json:"brew"`
	// PkgConfig is Homebrew's pkg-config (the pkgconf formula since late
	// 2024), empty when it is not installed.
	PkgConfig string `json:"pkg_config,omitempty"`
}

// brewPlaces are where Homebrew puts brew when it is not on PATH yet.
var brewPlaces = []string{"opt/homebrew/bin/brew", "usr/local/bin/brew", "home/linuxbrew/.linuxbrew/bin/brew"}

// findHomebrew asks brew for its prefix; nil when there is no brew. Each
// brew call takes about a second, so everything else is read from the
// prefix's folders (Cellar, opt, var/homebrew/pinned), whose layout
// Homebrew has kept for a decade.
func findHomebrew(ctx context.Context, env Env) *Homebrew {
	candidates := []string{"brew"}
	for _, p := range brewPlaces {
		candidates = append(candidates, filepath.Join(rootOf(env), p))
	}
	for _, brew := range candidates {
		out, err := env.Run.Output(ctx, brew, "--prefix")
		if err != nil {
			continue
		}
		prefix := strings.TrimSpace(string(out))
		if prefix == "" || !filepath.IsAbs(prefix) {
			continue
		}
		hb := &Homebrew{Prefix: prefix, Brew: brew}
		if fi, err := os.Stat(filepath.Join(prefix, "bin", "pkg-config")); err == nil && !fi.IsDir() {
			hb.PkgConfig = filepath.Join(prefix, "bin", "pkg-config")
		}
		return hb
	}
	return nil
}

func rootOf(env Env) string {
	if env.Root == "" {
		return string(filepath.Separator)
	}
	return env.Root
}

// goFormula matches Homebrew's Go formulae: go and the keg-only go@1.NN.
var goFormula = regexp.MustCompile(`^go(@\d+(\.\d+)*)?$`)

// brewGos lists the Go formulae installed in the Cellar. A formula's
// GOROOT is <prefix>/opt/NAME/libexec; 'brew pin' leaves a link in
// var/homebrew/pinned.
func (hb *Homebrew) brewGos() []Install {
	entries, _ := os.ReadDir(filepath.Join(hb.Prefix, "Cellar"))
	var ins []Install
	for _, e := range entries {
		name := e.Name()
		if !goFormula.MatchString(name) {
			continue
		}
		kegs, _ := os.ReadDir(filepath.Join(hb.Prefix, "Cellar", name))
		if len(kegs) == 0 {
			continue
		}
		opt := filepath.Join(hb.Prefix, "opt", name)
		in := Install{Kind: KindHomebrew, Package: name, GOROOT: filepath.Join(opt, "libexec")}
		if t, err := os.Readlink(opt); err == nil {
			in.PackageVersion = filepath.Base(t)
		} else {
			in.PackageVersion = kegs[len(kegs)-1].Name()
		}
		in.Version = toolenv.GorootVersion(in.GOROOT)
		in.Go = filepath.Join(in.GOROOT, "bin", "go")
		if name == "go" {
			in.Go = filepath.Join(hb.Prefix, "bin", "go")
		}
		_, err := os.Lstat(filepath.Join(hb.Prefix, "var", "homebrew", "pinned", name))
		in.Held = err == nil
		ins = append(ins, in)
	}
	return ins
}

// PkgConfigPath is the PKG_CONFIG_PATH that finds Homebrew's libraries
// and those of the keg-only formulae kegs, which Homebrew keeps out of
// its prefix (openssl@3, libpq, …).
func (hb *Homebrew) PkgConfigPath(kegs []string) []string {
	var dirs []string
	for _, k := range kegs {
		dirs = append(dirs, filepath.Join(hb.Prefix, "opt", k, "lib", "pkgconfig"))
	}
	return append(dirs, filepath.Join(hb.Prefix, "lib", "pkgconfig"), filepath.Join(hb.Prefix, "share", "pkgconfig"))
}

// pkgConfigCheck is the doctor's pkg-config check for Homebrew: cgo
// packages with '#cgo pkg-config:' lines need a pkg-config that searches
// Homebrew's prefix and the keg-only formulae they use. Homebrew's own
// pkg-config searches its prefix by itself; another one (MacPorts, Nix)
// needs PKG_CONFIG_PATH.
func pkgConfigCheck(hb *Homebrew, getenv func(string) string, kegs []string) Check {
	c := Check{ID: "pkg-config", Status: OK}
	if hb.PkgConfig == "" {
		c.Status = Warn
		c.Message = "Homebrew has no pkg-config: cgo packages cannot find Homebrew's libraries"
		c.Fix = "run 'brew install pkgconf' (or 'gover setup --yes')"
		return c
	}
	var need []string
	first, _ := lookPath("pkg-config", getenv("PATH"))
	if first == "" {
		c.Status = Warn
		c.Message = fmt.Sprintf("Homebrew's pkg-config (%s) is not on PATH", hb.PkgConfig)
		c.Fix = fmt.Sprintf(`add 'eval "$(%s shellenv)"' to your shell's rc file`, hb.Brew)
		return c
	}
	if !fspath.Within(fspath.Real(first), fspath.Real(hb.Prefix)) {
		need = append(need, filepath.Join(hb.Prefix, "lib", "pkgconfig"))
	}
	for _, k := range kegs {
		dir := filepath.Join(hb.Prefix, "opt", k, "lib", "pkgconfig")
		if _, err := os.Stat(dir); err != nil {
			c.Status = Warn
			c.Message = fmt.Sprintf("%s is not installed, or has no pkg-config files", k)
			c.Fix = fmt.Sprintf("run 'brew install %s'", k)
			return c
		}
		need = append(need, dir)
	}
	have := filepath.SplitList(getenv("PKG_CONFIG_PATH"))
	var missing []string
	for _, d := range need {
		if !slices.ContainsFunc(have, func(h string) bool { return filepath.Clean(h) == d }) {
			missing = append(missing, d)
		}
	}
	if len(missing) > 0 {
		c.Status = Warn
		c.Message = "PKG_CONFIG_PATH lacks " + strings.Join(missing, " and ")
		if len(need) > len(kegs) {
			c.Message += fmt.Sprintf(" (pkg-config on PATH is %s, not Homebrew's)", first)
		}
		c.Fix = "run 'gover setup --pkg-config"
		for _, k := range kegs {
			c.Fix += " --keg " + k
		}
		c.Fix += "', then open a new shell"
		return c
	}
	c.Message = fmt.Sprintf("%s finds Homebrew's libraries", hb.PkgConfig)
	if len(kegs) > 0 {
		c.Message += " and " + strings.Join(kegs, ", ")
	}
	return c
}

// ccCheck is the doctor's cgo-cc check on macOS: the C compiler comes with
// the Command Line Tools, and xcrun says where.
func ccCheck(ctx context.Context, r Runner) Check {
	out, err := r.Output(ctx, "xcrun", "--find", "clang")
	if err != nil || strings.TrimSpace(string(out)) == "" {
		msg := "no C compiler: cgo packages will not build"
		if err != nil && !IsMissing(err) {
			msg += " (" + err.Error() + ")"
		}
		return Check{ID: "cgo-cc", Status: Warn, Message: msg, Fix: "run 'xcode-select --install' (or set CGO_ENABLED=0)"}
	}
	return Check{ID: "cgo-cc", Status: OK, Message: "clang at " + strings.TrimSpace(string(out))}
}

// rosetta reports whether this process runs translated by Rosetta 2 on
// Apple Silicon: sysctl.proc_translated is 1. Intel Macs have no such key,
// so sysctl fails there, which means no.
func rosetta(ctx context.Context, r Runner) bool {
	out, err := r.Output(ctx, "sysctl", "-n", "sysctl.proc_translated")
	if IsMissing(err) {
		out, err = r.Output(ctx, "/usr/sbin/sysctl", "-n", "sysctl.proc_translated")
	}
	return err == nil && strings.TrimSpace(string(out)) == "1"
}
