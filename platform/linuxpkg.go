package platform

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/goverdev/gover/internal/fspath"
	"github.com/goverdev/gover/shims/toolenv"
)

// Debian and Ubuntu package Go as golang-go, which depends on one
// versioned golang-1.NN-go that holds the GOROOT (/usr/lib/go-1.NN);
// /usr/bin/go leads there through /usr/lib/go.
var versionedDeb = regexp.MustCompile(`^golang-(\d+\.\d+)-go$`)

// A deb is one line of dpkg-query's answer.
type deb struct {
	Name, Version   string
	Installed, Held bool
}

// dpkgFormat asks dpkg-query for what parseDebs reads.
const dpkgFormat = `${Package} ${Version} ${db:Status-Abbrev}\n`

// parseDebs reads dpkg-query -W -f=dpkgFormat output, keeping golang-go and
// golang-1.NN-go. The status abbreviation's first letter is the wanted
// state (h: hold), the second the current one (n: not installed, c: only
// config files left).
func parseDebs(out string) []deb {
	var debs []deb
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || (f[0] != "golang-go" && !versionedDeb.MatchString(f[0])) {
			continue
		}
		st := f[2]
		if len(st) < 2 {
			continue
		}
		debs = append(debs, deb{Name: f[0], Version: f[1], Installed: st[1] != 'n' && st[1] != 'c', Held: st[0] == 'h'})
	}
	return debs
}

// debDepends picks the versioned Go packages out of a Depends field
// ("golang-1.19-go, golang-src (>= 2:1.19~1)").
func debDepends(field string) []string {
	var names []string
	for _, alt := range strings.FieldsFunc(field, func(r rune) bool { return r == ',' || r == '|' }) {
		name, _, _ := strings.Cut(strings.TrimSpace(alt), " ")
		name, _, _ = strings.Cut(name, ":") // golang-1.19-go:amd64
		if versionedDeb.MatchString(name) {
			names = append(names, name)
		}
	}
	return names
}

// debs lists the Go packages dpkg knows; nil when there is no dpkg.
func (u *Unix) debs(ctx context.Context) ([]deb, error) {
	out, err := u.Env.Run.Output(ctx, "dpkg-query", "-W", "-f="+dpkgFormat, "golang*")
	var re *RunError
	switch {
	case IsMissing(err):
		return nil, nil
	case errors.As(err, &re) && strings.Contains(re.Stderr, "no packages found"):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("list Go packages: %w", err)
	}
	return parseDebs(string(out)), nil
}

func debInstalls(debs []deb, root string) []Install {
	var ins []Install
	for _, d := range debs {
		if !d.Installed {
			continue
		}
		in := Install{Kind: KindDeb, Package: d.Name, PackageVersion: d.Version, Held: d.Held}
		if m := versionedDeb.FindStringSubmatch(d.Name); m != nil {
			in.GOROOT = filepath.Join(root, "usr", "lib", "go-"+m[1])
			in.Go = filepath.Join(in.GOROOT, "bin", "go")
		} else {
			in.GOROOT = filepath.Join(root, "usr", "lib", "go")
			in.Go = filepath.Join(root, "usr", "bin", "go")
		}
		in.Version = toolenv.GorootVersion(in.GOROOT)
		ins = append(ins, in)
	}
	return ins
}

// debHoldTargets are the packages 'gover system hold' holds: golang-go and
// the versioned package it depends on (holding golang-go alone still lets
// apt upgrade the GOROOT under it); without golang-go, every installed
// versioned package.
func debHoldTargets(debs []deb, depends []string) []string {
	installed := map[string]bool{}
	for _, d := range debs {
		installed[d.Name] = d.Installed
	}
	var names []string
	if installed["golang-go"] {
		names = append(names, "golang-go")
		for _, n := range depends {
			if installed[n] && !slices.Contains(names, n) {
				names = append(names, n)
			}
		}
		return names
	}
	for _, d := range debs {
		if d.Installed && d.Name != "golang-go" {
			names = append(names, d.Name)
		}
	}
	return names
}

// rpmGo is the golang package rpm knows, or nil.
func (u *Unix) rpmGo(ctx context.Context) (*Install, error) {
	out, err := u.Env.Run.Output(ctx, "rpm", "-q", "--qf", `%{NAME} %{VERSION}-%{RELEASE}\n`, "golang")
	var re *RunError
	switch {
	case IsMissing(err):
		return nil, nil
	case errors.As(err, &re):
		// "package golang is not installed", exit 1.
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("ask rpm about golang: %w", err)
	}
	f := strings.Fields(string(out))
	if len(f) < 2 || f[0] != "golang" {
		return nil, nil
	}
	// Fedora and RHEL keep GOROOT in /usr/lib/golang.
	goroot := filepath.Join(rootOf(u.Env), "usr", "lib", "golang")
	in := &Install{Kind: KindRPM, Package: "golang", PackageVersion: f[1], GOROOT: goroot,
		Go: filepath.Join(rootOf(u.Env), "usr", "bin", "go"), Version: toolenv.GorootVersion(goroot)}
	in.Held = u.dnfLocked(ctx)
	return in, nil
}

// dnfLocked reports whether dnf's versionlock holds golang.
func (u *Unix) dnfLocked(ctx context.Context) bool {
	out, err := u.Env.Run.Output(ctx, "dnf", "-q", "-C", "versionlock", "list")
	if err != nil {
		return false
	}
	return parseVersionlock(string(out))
}

// parseVersionlock finds golang in 'dnf versionlock list': dnf4 prints
// "golang-0:1.21.5-1.fc39.*", dnf5 "Package name: golang".
func parseVersionlock(out string) bool {
	for _, line := range strings.Split(out, "\n") {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, "golang-"); ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			return true
		}
		if name, ok := strings.CutPrefix(line, "Package name:"); ok && strings.TrimSpace(name) == "golang" {
			return true
		}
	}
	return false
}

// dnfHold runs dnf versionlock add|delete golang.
func (u *Unix) dnfHold(ctx context.Context, hold bool) ([]Change, error) {
	verb, done := "delete", "released golang from dnf's versionlock"
	if hold {
		verb, done = "add", "locked golang at its version with dnf versionlock (dnf upgrade leaves it alone)"
	}
	if !u.Env.privileged() {
		return nil, fmt.Errorf("dnf versionlock %s golang: %w (run 'sudo gover system %s')", verb, ErrNeedsRoot, holdWord(hold))
	}
	_, err := u.Env.Run.Output(ctx, "dnf", "-q", "versionlock", verb, "golang")
	var re *RunError
	if errors.As(err, &re) && (strings.Contains(re.Stderr, "No such command") || strings.Contains(re.Stderr, "dnf-command(versionlock)")) {
		return nil, fmt.Errorf("dnf versionlock %s golang: dnf has no versionlock command (on dnf4 it is a plugin: run 'sudo dnf install \"dnf-command(versionlock)\"'; dnf5 has it built in)", verb)
	}
	if err != nil {
		return nil, fmt.Errorf("dnf versionlock %s golang: %w", verb, err)
	}
	return []Change{{Message: done, Done: true}}, nil
}

// aptHold runs apt-mark hold|unhold on the Go packages.
func (u *Unix) aptHold(ctx context.Context, debs []deb, hold bool) ([]Change, error) {
	var names []string
	if hold {
		var depends []string
		out, err := u.Env.Run.Output(ctx, "dpkg-query", "-W", "-f=${Depends}", "golang-go")
		if err == nil {
			depends = debDepends(string(out))
		}
		names = debHoldTargets(debs, depends)
		if held := heldDebs(debs); len(held) == len(names) && containsAll(held, names) {
			return []Change{{Message: "already held: " + strings.Join(names, " and ")}}, nil
		}
	} else {
		names = heldDebs(debs)
		if len(names) == 0 {
			return []Change{{Message: "no Go package is held: nothing to release"}}, nil
		}
	}
	verb := holdWord(hold)
	if !u.Env.privileged() {
		return nil, fmt.Errorf("apt-mark %s %s: %w (run 'sudo gover system %s')", verb, strings.Join(names, " "), ErrNeedsRoot, verb)
	}
	if _, err := u.Env.Run.Output(ctx, "apt-mark", append([]string{verb}, names...)...); err != nil {
		return nil, fmt.Errorf("apt-mark %s %s: %w", verb, strings.Join(names, " "), err)
	}
	if hold {
		return []Change{{Message: "held " + strings.Join(names, " and ") + " with apt-mark (apt upgrade leaves them alone; 'apt-mark showhold' lists them)", Done: true}}, nil
	}
	return []Change{{Message: "released " + strings.Join(names, " and ") + " (apt-mark unhold)", Done: true}}, nil
}

func heldDebs(debs []deb) []string {
	var names []string
	for _, d := range debs {
		if d.Held {
			names = append(names, d.Name)
		}
	}
	return names
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

func holdWord(hold bool) string {
	if hold {
		return "hold"
	}
	return "unhold"
}

// holdCheck is the doctor's apt-hold or dnf-versionlock check: a hold is
// all or nothing, since golang-go held over an unheld golang-1.NN-go still
// lets the GOROOT change.
func holdCheck(id string, ins []Install) (Check, bool) {
	var held, free []string
	for _, in := range ins {
		if in.Held {
			held = append(held, in.Package)
		} else {
			free = append(free, in.Package)
		}
	}
	switch {
	case len(held) == 0 && len(free) == 0:
		return Check{}, false
	case len(free) == 0:
		return Check{ID: id, Status: OK, Message: "held: " + strings.Join(held, ", ")}, true
	case len(held) == 0:
		return Check{ID: id, Status: OK, Message: "not held (upgrades change them; 'sudo gover system hold' keeps them): " + strings.Join(free, ", ")}, true
	}
	return Check{ID: id, Status: Warn,
		Message: fmt.Sprintf("%s held but %s not: upgrades can still change this Go", strings.Join(held, ", "), strings.Join(free, ", ")),
		Fix:     "run 'sudo gover system hold' (or 'sudo gover system unhold' to release them all)"}, true
}

// usrLib lists the GOROOTs in /usr/lib that no package above claims
// (Arch's /usr/lib/go, a golang built by hand).
func usrLib(root string, claimed []Install) []Install {
	dirs, _ := filepath.Glob(filepath.Join(root, "usr", "lib", "go*"))
	seen := map[string]bool{}
	for _, in := range claimed {
		if in.GOROOT != "" {
			seen[fspath.Real(in.GOROOT)] = true
		}
	}
	var ins []Install
	for _, d := range dirs {
		r := fspath.Real(d)
		if seen[r] || !isGoroot(d) {
			continue
		}
		seen[r] = true
		ins = append(ins, Install{Kind: KindUsrLib, GOROOT: d, Go: filepath.Join(d, "bin", "go"), Version: toolenv.GorootVersion(d)})
	}
	return ins
}

// snapGo is the go snap, or nil. Snaps refresh on their own; holding one is
// 'snap refresh --hold go'.
func snapGo(root string) *Install {
	goroot := filepath.Join(root, "snap", "go", "current")
	if !isGoroot(goroot) {
		return nil
	}
	in := &Install{Kind: KindSnap, Package: "go", GOROOT: goroot, Go: filepath.Join(root, "snap", "bin", "go"), Version: toolenv.GorootVersion(goroot)}
	if t, err := os.Readlink(goroot); err == nil {
		in.PackageVersion = "rev " + filepath.Base(t)
	}
	return in
}

// usrLocal is /usr/local/go, where the official archive's instructions and
// the macOS package put Go, or nil.
func usrLocal(root string) *Install {
	goroot := filepath.Join(root, "usr", "local", "go")
	if !isGoroot(goroot) {
		return nil
	}
	return &Install{Kind: KindUsrLocal, GOROOT: goroot, Go: filepath.Join(goroot, "bin", "go"), Version: toolenv.GorootVersion(goroot)}
}
