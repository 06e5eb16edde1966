package platform

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/goverdev/gover/internal/fspath"
	"github.com/goverdev/gover/shims/toolenv"
)

// A pathGo is a go command in a PATH folder.
type pathGo struct {
	Path string // dir/go
	Real string // Path with links resolved
}

// goAhead lists the go commands in the PATH folders before the shims folder
// (in all of them when the shims are not on PATH), and whether the shims
// folder is on PATH. Only the first one runs; the others would, if the
// ones before went away.
func goAhead(pathList, shims string) (ahead []pathGo, shimsOnPath bool) {
	seen := map[string]bool{}
	for _, dir := range filepath.SplitList(pathList) {
		if dir == "" {
			continue
		}
		if shims != "" && fspath.Same(dir, shims) {
			return ahead, true
		}
		p := filepath.Join(dir, "go"+toolenv.ExeSuffix)
		fi, err := os.Stat(p)
		if err != nil || !toolenv.IsExecutable(fi) {
			continue
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			real = p
		}
		if seen[real] {
			continue
		}
		seen[real] = true
		ahead = append(ahead, pathGo{Path: p, Real: real})
	}
	return ahead, false
}

// isGoroot reports whether dir holds a Go toolchain.
func isGoroot(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, "bin", "go"+toolenv.ExeSuffix))
	return err == nil && !fi.IsDir()
}

// advice is how to fix what shadowChecks finds, in this OS's words.
type advice struct {
	kinds map[Kind]string // how to get each kind of install out of the way
	order string          // how to put the shims ahead of the rest of PATH
	setup string          // how to put the shims on PATH at all
}

// unixAdvice is for shells that get the shims from 'gover init'.
var unixAdvice = advice{
	kinds: map[Kind]string{
		KindDeb:      "remove it ('sudo apt remove golang-go')",
		KindRPM:      "remove it ('sudo dnf remove golang')",
		KindSnap:     "remove it ('sudo snap remove go')",
		KindHomebrew: "take it off PATH ('brew unlink go'; 'brew pin go' keeps it at its version)",
		KindUsrLocal: "take /usr/local/go/bin off PATH (see /etc/profile, /etc/paths.d and your shell's rc file)",
	},
	order: "put the shims first on PATH: the 'gover init' line in your shell's rc file must come after every line that changes PATH",
	setup: "run 'gover setup', then open a new shell",
}

// settle finishes a list of installs against PATH: it marks the ones whose
// go runs ahead of the shims, adds the go commands ahead of the shims that
// none of them explains (except gover's own toolchains), and says what
// that means in the doctor's system-go and path-shadowing checks.
func settle(installs []Install, ahead []pathGo, shimsOnPath bool, env Env, adv advice) ([]Install, []Check) {
	claimed := make([]bool, len(ahead))
	for i := range installs {
		in := &installs[i]
		root := ""
		if in.GOROOT != "" {
			root = fspath.Real(in.GOROOT)
		}
		for j, g := range ahead {
			if (root != "" && fspath.Within(g.Real, root)) || (in.Go != "" && (g.Path == in.Go || g.Real == fspath.Real(in.Go))) {
				claimed[j] = true
				if !in.Shadows {
					in.Shadows, in.Go = true, g.Path
				}
			}
		}
	}
	versions := ""
	if env.Versions != "" {
		versions = fspath.Real(env.Versions)
	}
	for j, g := range ahead {
		if claimed[j] || (versions != "" && fspath.Within(g.Real, versions)) {
			continue
		}
		goroot := filepath.Dir(filepath.Dir(g.Real))
		in := Install{Kind: KindPath, Go: g.Path, Shadows: true}
		if isGoroot(goroot) {
			in.GOROOT, in.Version = goroot, toolenv.GorootVersion(goroot)
		}
		installs = append(installs, in)
	}
	return installs, shadowChecks(installs, ahead, shimsOnPath, env, adv)
}

// shadowChecks are the doctor's system-go and path-shadowing checks.
func shadowChecks(installs []Install, ahead []pathGo, shimsOnPath bool, env Env, adv advice) []Check {
	var checks []Check

	sys := Check{ID: "system-go", Status: OK}
	var names, shadowing []string
	fix := []string{}
	for _, in := range installs {
		if in.Kind == KindPath {
			continue
		}
		names = append(names, describe(in))
		if in.Shadows {
			shadowing = append(shadowing, describe(in))
			if f := adv.kinds[in.Kind]; f != "" && !slices.Contains(fix, f) {
				fix = append(fix, f)
			}
		}
	}
	switch {
	case len(names) == 0:
		sys.Message = "no Go installed outside gover"
	case len(shadowing) == 0:
		sys.Message = "Go outside gover, not in the shims' way: " + strings.Join(names, "; ")
	default:
		sys.Status = Warn
		sys.Message = "Go outside gover runs instead of gover's shims: " + strings.Join(shadowing, "; ")
		sys.Fix = strings.Join(append(fix, "or "+adv.order), "; ")
	}
	checks = append(checks, sys)

	shadow := Check{ID: "path-shadowing", Status: OK, Message: "gover's shims come first on PATH"}
	var gos []string
	for _, g := range ahead {
		if env.Versions != "" && fspath.Within(g.Real, fspath.Real(env.Versions)) {
			continue
		}
		gos = append(gos, g.Path)
	}
	switch {
	case !shimsOnPath:
		shadow.Status = Warn
		shadow.Message = fmt.Sprintf("gover's shims (%s) are not on PATH", env.Shims)
		if len(gos) > 0 {
			shadow.Message += "; go runs " + gos[0]
		}
		shadow.Fix = adv.setup
	case len(gos) > 0:
		shadow.Status = Warn
		shadow.Message = fmt.Sprintf("%s comes before gover's shims on PATH", strings.Join(gos, " and "))
		shadow.Fix = adv.order
	}
	return append(checks, shadow)
}

// describe names an install for people: "go1.19.8 from golang-1.19-go 1.19.8-2 (deb)".
func describe(in Install) string {
	var b strings.Builder
	if in.Version != "" {
		b.WriteString(in.Version + " ")
	} else {
		b.WriteString("Go ")
	}
	switch {
	case in.Package != "":
		b.WriteString("from " + in.Package)
		if in.PackageVersion != "" {
			b.WriteString(" " + in.PackageVersion)
		}
		b.WriteString(" (" + string(in.Kind) + ")")
	case in.GOROOT != "":
		b.WriteString("in " + in.GOROOT + " (" + string(in.Kind) + ")")
	default:
		b.WriteString("at " + in.Go)
	}
	return b.String()
}
