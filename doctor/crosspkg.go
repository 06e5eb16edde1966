package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// debianArch is Debian's name for a GOARCH, for multiarch packages
// (lib…-dev:arm64).
var debianArch = map[string]string{
	"amd64": "amd64", "arm64": "arm64", "arm": "armhf", "386": "i386", "riscv64": "riscv64",
	"ppc64le": "ppc64el", "s390x": "s390x", "loong64": "loong64", "mips64le": "mips64el",
}

// crossPkgLink checks, for a cross build with cgo, what the go command
// will do with this module's '#cgo pkg-config:' names: ask pkg-config for
// each one's flags (the environment's PKG_CONFIG_LIBDIR and
// PKG_CONFIG_SYSROOT_DIR point it at the target), then compile and link
// with them using the target's CC. A .pc missing from the target's
// pkg-config path stops the build in pkg-config; a .pc whose library is
// not in the sysroot stops it in the linker. An empty Result means fine.
func (s *state) crossPkgLink(ctx context.Context, cc []string, goos, goarch string, mod moduleInfo) Result {
	pc := s.pkgConfigCommand(ctx)
	tgt := goos + "/" + goarch
	where := s.pkgConfigWhere(ctx)
	if _, err := s.lookPath(pc[0]); err != nil {
		return failf(fmt.Sprintf("cross build to %s with cgo, and this module names pkg-config packages (%s), but %s is not on PATH", tgt, strings.Join(mod.PkgConfig, ", "), pc[0]), s.pkgConfigInstallFix())
	}
	var cflags, libs []string
	for _, name := range mod.PkgConfig {
		cf, err1 := s.pkgConfigFlags(ctx, pc, "--cflags", name)
		lf, err2 := s.pkgConfigFlags(ctx, pc, "--libs", name)
		if err := errors.Join(err1, err2); err != nil {
			return failf(fmt.Sprintf("cross build to %s: pkg-config%s has no %s (named in %s): go build stops with 'Package %s was not found in the pkg-config search path'", tgt, where, name, mod.From[name], name),
				s.crossLibFix(goarch, name))
		}
		cflags, libs = append(cflags, cf...), append(libs, lf...)
	}
	if len(libs) == 0 {
		return Result{}
	}
	o, err := s.linkC(ctx, cc, cflags, libs)
	if err != nil {
		return failf(fmt.Sprintf("cross build to %s: linking with pkg-config's flags for %s (%s) fails: %s: the target's libraries are not where pkg-config%s says",
			tgt, strings.Join(mod.PkgConfig, ", "), strings.Join(libs, " "), linkFailure(o, err), where),
			s.crossLibFix(goarch, mod.PkgConfig[0])+"; check that PKG_CONFIG_SYSROOT_DIR names the sysroot that holds them")
	}
	return Result{}
}

// pkgConfigWhere says where pkg-config is told to look, for messages.
func (s *state) pkgConfigWhere(ctx context.Context) string {
	var parts []string
	for _, k := range []string{"PKG_CONFIG_LIBDIR", "PKG_CONFIG_SYSROOT_DIR", "PKG_CONFIG_PATH"} {
		if v := s.setting(ctx, k).Value; v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// pkgConfigFlags runs pkg-config as cgo does ('pkg-config --cflags --
// name').
func (s *state) pkgConfigFlags(ctx context.Context, pc []string, what, name string) ([]string, error) {
	o, err := s.run(ctx, s.env.Dir, nil, pc[0], append(append([]string{}, pc[1:]...), what, "--", name)...)
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("%s", o.lastLine())
		}
		return nil, err
	}
	return strings.Fields(o.Stdout), nil
}

// linkC compiles and links the one-line program with extra compiler flags
// before it and libraries after it, as a cgo link does.
func (s *state) linkC(ctx context.Context, cc, cflags, libs []string) (output, error) {
	dir, err := os.MkdirTemp("", "gover-doctor-link-")
	if err != nil {
		return output{}, err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "main.c")
	if err := os.WriteFile(src, []byte(oneLiner), 0o644); err != nil {
		return output{}, err
	}
	args := append(append(append([]string{}, cc[1:]...), cflags...), "-o", filepath.Join(dir, "a.out"), src)
	return s.run(ctx, dir, nil, cc[0], append(args, libs...)...)
}

// crossLibFix says how to get a library for the target.
func (s *state) crossLibFix(goarch, name string) string {
	fix := fmt.Sprintf("install %s's development package for the target", name)
	if a := debianArch[goarch]; a != "" {
		fix += fmt.Sprintf(" (Debian, Ubuntu: 'sudo dpkg --add-architecture %s && sudo apt update && sudo apt install lib…-dev:%s'; 'apt-file search %s.pc' names it)", a, a, name)
	}
	return fix + fmt.Sprintf(", or copy the target's %s.pc and its library into the sysroot, under a folder PKG_CONFIG_LIBDIR lists", name)
}

// linkFailure says why a link failed: the linker's own line ("cannot find
// -lfoo"), not gcc's closing "ld returned 1 exit status".
func linkFailure(o output, err error) string {
	for _, line := range strings.Split(o.Stderr, "\n") {
		if strings.Contains(line, "cannot find") || strings.Contains(line, "undefined reference") || strings.Contains(line, "library not found") {
			return strings.TrimSpace(line)
		}
	}
	return compileFailure(o, err)
}
