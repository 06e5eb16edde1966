package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// ccCommand is the C compiler cgo runs, as words (CC may carry flags): CC
// from the environment or the go env file, else go env's CC, else
// cmd/go's default for the target OS.
func (s *state) ccCommand(ctx context.Context) (words []string, from string) {
	st := s.setting(ctx, "CC")
	if st.Value != "" {
		words, from = strings.Fields(st.Value), st.From
	}
	if len(words) == 0 {
		goos, _ := s.target(ctx)
		words, from = []string{defaultCC(goos)}, "default"
	}
	switch from {
	case "default":
		from = "Go's default"
	case "environment":
		from = "from the environment"
	default:
		from = "from " + from
	}
	return words, from
}

// defaultCC is cmd/go's default C compiler (cfg.DefaultCC).
func defaultCC(goos string) string {
	switch goos {
	case "darwin", "ios", "freebsd", "openbsd":
		return "clang"
	}
	return "gcc"
}

// oneLiner is the C program the compiler checks build. It includes the
// standard headers cgo's own generated code includes, so a compiler
// without the C library's headers (WSL, slim containers) fails here as
// every cgo build would.
const oneLiner = "#include <stdio.h>\n#include <stdlib.h>\n\nint main(void) { return 0; }\n"

// compileC builds the one-line program with cc in a temporary folder: an
// object file with object, else a linked program. It returns the output
// file's path, and a function that removes the folder.
func (s *state) compileC(ctx context.Context, cc []string, object bool) (string, func(), output, error) {
	dir, err := os.MkdirTemp("", "gover-doctor-cc-")
	if err != nil {
		return "", func() {}, output{}, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	src := filepath.Join(dir, "main.c")
	if err := os.WriteFile(src, []byte(oneLiner), 0o644); err != nil {
		return "", cleanup, output{}, err
	}
	out := filepath.Join(dir, "a.out")
	args := append([]string{}, cc[1:]...)
	if object {
		out = filepath.Join(dir, "main.o")
		args = append(args, "-c")
	}
	args = append(args, "-o", out, src)
	o, err := s.run(ctx, dir, nil, cc[0], args...)
	if err == nil && !isFile(out) {
		err = fmt.Errorf("it wrote no %s", filepath.Base(out))
	}
	return out, cleanup, o, err
}

// compileFailure says why a compile failed, in one line.
func compileFailure(o output, err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if line := o.lastLine(); line != "" {
			return line
		}
	}
	return err.Error()
}

// ccFix is how to get a C compiler on this OS.
func (s *state) ccFix() string {
	switch s.env.HostOS {
	case "linux":
		return "install a C compiler ('sudo apt install gcc', 'sudo dnf install gcc' or 'apk add build-base'), or set CGO_ENABLED=0 to build without cgo"
	case "darwin":
		return "run 'xcode-select --install', or set CGO_ENABLED=0 to build without cgo"
	case "windows":
		return "install MinGW-w64 gcc (MSYS2's mingw-w64-ucrt-x86_64-gcc, or WinLibs) and put its bin on PATH, or set CGO_ENABLED=0 to build without cgo"
	}
	return "install a C compiler (gcc or clang), or set CGO_ENABLED=0 to build without cgo"
}

// checkCC: with cgo on, a C compiler that builds a one-line program. Since
// Go 1.20 a missing compiler turns cgo off by itself when CGO_ENABLED is
// unset, so that is a warning unless the module has cgo code or the user
// asked for cgo. On macOS the backend adds whether xcrun finds clang.
func checkCC(ctx context.Context, s *state) Result {
	r := s.ccVerdict(ctx)
	if pr, ok, _ := s.platformCheck(ctx, "cgo-cc"); ok {
		r = merge(r, pr)
	}
	return r
}

func (s *state) ccVerdict(ctx context.Context) Result {
	cgo := s.cgoSetting(ctx)
	if cgo.Value == "0" {
		return skipf(fmt.Sprintf("cgo is off (CGO_ENABLED=0, %s)", fromWords(cgo.From)))
	}
	goos, goarch := s.target(ctx)
	if s.cross(ctx) {
		return skipf(fmt.Sprintf("builds target %s/%s, not this machine (see cross-cc)", goos, goarch))
	}
	cc, from := s.ccCommand(ctx)
	mod, _ := s.module.get(ctx)
	severity, why := Warn, ": go turns cgo off by itself, so packages that need it (SQLite drivers, GUI toolkits, …) do not build"
	switch {
	case cgo.Value == "1":
		severity, why = Fail, ": CGO_ENABLED=1, so every build stops"
	case len(mod.CgoFiles) > 0:
		severity, why = Fail, fmt.Sprintf(": this module has cgo code (%s), which then does not build", mod.CgoFiles[0])
	}
	fix := s.ccFix()
	if from != "Go's default" {
		fix = s.unsetFix(ctx, "CC") + ", or point CC at a C compiler that is installed; or " + fix
	}
	if _, err := s.lookPath(cc[0]); err != nil {
		return resultOf(severity, fmt.Sprintf("no C compiler: CC=%s (%s) is not on PATH%s", cc[0], from, why), fix)
	}
	_, cleanup, o, err := s.compileC(ctx, cc, false)
	defer cleanup()
	if h := headerMissing(o); err != nil && h != "" {
		return resultOf(severity, fmt.Sprintf("CC=%s (%s) compiles no C that includes <%s>: the C library's headers are missing (%s not found)%s", strings.Join(cc, " "), from, h, h, why), s.libcDevFix())
	}
	if err != nil {
		if sign := libcDevMissing(o); sign != "" {
			return resultOf(severity, fmt.Sprintf("CC=%s (%s) runs, but the C library's development files are missing (%s)%s", strings.Join(cc, " "), from, sign, why), s.libcDevFix())
		}
		return resultOf(severity, fmt.Sprintf("CC=%s (%s) cannot build a one-line C program: %s%s", strings.Join(cc, " "), from, compileFailure(o, err), why), fix)
	}
	version := ""
	if v, err := s.run(ctx, "", nil, cc[0], "--version"); err == nil {
		version = " (" + strings.TrimSpace(strings.SplitN(v.Stdout, "\n", 2)[0]) + ")"
	}
	return okf(fmt.Sprintf("%s compiles and links C%s", strings.Join(cc, " "), version))
}

// pkgConfigCommand is the pkg-config cgo runs: PKG_CONFIG, else pkg-config.
func (s *state) pkgConfigCommand(ctx context.Context) []string {
	if w := strings.Fields(s.setting(ctx, "PKG_CONFIG").Value); len(w) > 0 {
		return w
	}
	return []string{"pkg-config"}
}

// checkPkgConfig: the packages this module's '#cgo pkg-config:' lines name
// are found by pkg-config. On macOS the backend adds whether
// PKG_CONFIG_PATH covers Homebrew's (and the given kegs') libraries.
func checkPkgConfig(ctx context.Context, s *state) Result {
	r := s.pkgConfigVerdict(ctx)
	if pr, ok, _ := s.platformCheck(ctx, "pkg-config"); ok {
		r = merge(r, pr)
	}
	return r
}

func (s *state) pkgConfigVerdict(ctx context.Context) Result {
	if cgo := s.cgoSetting(ctx); cgo.Value == "0" || s.cross(ctx) && cgo.Value != "1" {
		return skipf("cgo is off, so '#cgo pkg-config:' lines are not used")
	}
	if s.cross(ctx) {
		goos, goarch := s.target(ctx)
		return skipf(fmt.Sprintf("builds target %s/%s: cross-cc asks pkg-config for the target's packages and links them", goos, goarch))
	}
	mod, ok := s.module.get(ctx)
	switch {
	case !ok:
		return warnf("gave up reading this module's packages", "run 'gover doctor pkg-config' again")
	case mod.Root == "":
		return skipf("not in a Go module: no '#cgo pkg-config:' lines to check")
	case len(mod.PkgConfig) == 0:
		return skipf(fmt.Sprintf("no '#cgo pkg-config:' lines in %s", firstNonEmpty(mod.Path, mod.Root)))
	}
	pc := s.pkgConfigCommand(ctx)
	names := strings.Join(mod.PkgConfig, ", ")
	if _, err := s.lookPath(pc[0]); err != nil {
		return failf(fmt.Sprintf("this module's cgo code needs pkg-config for %s, but %s is not on PATH", names, pc[0]), s.pkgConfigInstallFix())
	}
	var missing []string
	for _, name := range mod.PkgConfig {
		o, err := s.run(ctx, s.env.Dir, nil, pc[0], append(append([]string{}, pc[1:]...), "--exists", "--", name)...)
		var ee *exec.ExitError
		switch {
		case errors.As(err, &ee):
			missing = append(missing, name)
		case err != nil:
			return warnf(fmt.Sprintf("%s --exists %s: %s", pc[0], name, compileFailure(o, err)), "run it yourself to see why it fails")
		}
	}
	if len(missing) > 0 {
		var from []string
		for _, m := range missing {
			from = append(from, m+" (named in "+mod.From[m]+")")
		}
		return failf(fmt.Sprintf("pkg-config cannot find %s", strings.Join(from, ", ")),
			fmt.Sprintf("install their development packages (on Debian and Ubuntu, 'apt-file search %s.pc' names the package, usually lib…-dev), or add the folder holding %s.pc to PKG_CONFIG_PATH", missing[0], missing[0]))
	}
	return okf(fmt.Sprintf("pkg-config finds %s", names))
}

func (s *state) pkgConfigInstallFix() string {
	switch s.env.HostOS {
	case "darwin":
		return "run 'brew install pkgconf'"
	case "windows":
		return "install pkgconf (MSYS2: 'pacman -S mingw-w64-ucrt-x86_64-pkgconf') and put it on PATH"
	}
	return "install pkg-config ('sudo apt install pkg-config', 'sudo dnf install pkgconf' or 'apk add pkgconf')"
}

// checkLibc names the C library cgo programs built here link against.
func checkLibc(ctx context.Context, s *state) Result {
	if s.env.HostOS != "linux" {
		return skipf("only Linux systems differ in their C library")
	}
	family, version := "", ""
	if o, err := s.run(ctx, "", nil, "ldd", "--version"); err == nil || !errors.Is(err, errNotOnPath) {
		family, version = parseLdd(o.Stdout + "\n" + o.Stderr)
	}
	if family == "" {
		if o, err := s.run(ctx, "", nil, "getconf", "GNU_LIBC_VERSION"); err == nil {
			if f := strings.Fields(o.Stdout); len(f) == 2 && f[0] == "glibc" {
				family, version = "glibc", f[1]
			}
		}
	}
	if family == "" {
		root := s.env.Root
		if root == "" {
			root = "/"
		}
		if m, _ := filepath.Glob(filepath.Join(root, "lib", "ld-musl-*.so.1")); len(m) > 0 {
			family = "musl"
		}
	}
	if s.opt.TargetGlibc != "" {
		return s.targetGlibc(ctx, family, version)
	}
	switch family {
	case "glibc":
		if versionLess(version, "2.17") {
			return warnf(fmt.Sprintf("glibc %s: older than 2.17, which the race detector (go test -race) needs", version),
				"run race tests on a newer distribution (or in a container)")
		}
		return okf(fmt.Sprintf("glibc %s: cgo programs built here need glibc %s or newer where they run (CGO_ENABLED=0 builds run anywhere)", version, version))
	case "musl":
		v := ""
		if version != "" {
			v = " " + version
		}
		return okf(fmt.Sprintf("musl%s: cgo programs built here run only on musl systems such as Alpine (CGO_ENABLED=0 builds run anywhere)", v))
	}
	return skipf("cannot tell: ldd and getconf give no answer, and there is no musl loader")
}

var (
	muslVersion  = regexp.MustCompile(`(?m)^Version\s+(\S+)`)
	glibcVersion = regexp.MustCompile(`(\d+\.\d+(\.\d+)?)\s*$`)
)

// parseLdd reads 'ldd --version': glibc's first line ends in its version
// ("ldd (Debian GLIBC 2.36-9+deb12u4) 2.36"); musl's ldd names itself on
// stderr ("musl libc (x86_64)", "Version 1.2.4").
func parseLdd(out string) (family, version string) {
	if strings.Contains(out, "musl libc") {
		if m := muslVersion.FindStringSubmatch(out); m != nil {
			return "musl", m[1]
		}
		return "musl", ""
	}
	first := strings.TrimSpace(strings.SplitN(strings.TrimSpace(out), "\n", 2)[0])
	lower := strings.ToLower(first)
	if strings.Contains(lower, "glibc") || strings.Contains(lower, "gnu libc") || strings.Contains(lower, "eglibc") {
		if m := glibcVersion.FindStringSubmatch(first); m != nil {
			return "glibc", m[1]
		}
		return "glibc", ""
	}
	return "", ""
}

// versionLess compares dotted numbers ("2.5" < "2.17"); an unreadable one
// is not less.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, err1 := strconv.Atoi(as[i])
		y, err2 := strconv.Atoi(bs[i])
		if err1 != nil || err2 != nil {
			return false
		}
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}
