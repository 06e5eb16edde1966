package doctor

import (
	"context"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"fmt"
	"strings"
)

// A crossTool is the usual C cross compiler for a Go platform.
type crossTool struct {
	CC string // its command
	// Package is the Debian/Ubuntu package that provides it.
	Package string
	// Zig is the target triple for 'zig cc -target'.
	Zig string
}

// crossTools are the C cross compilers Debian and Ubuntu package, by Go
// platform.
var crossTools = map[string]crossTool{
	"linux/amd64":    {"x86_64-linux-gnu-gcc", "gcc-x86-64-linux-gnu", "x86_64-linux-gnu"},
	"linux/386":      {"i686-linux-gnu-gcc", "gcc-i686-linux-gnu", "x86-linux-gnu"},
	"linux/arm64":    {"aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu", "aarch64-linux-gnu"},
	"linux/arm":      {"arm-linux-gnueabihf-gcc", "gcc-arm-linux-gnueabihf", "arm-linux-gnueabihf"},
	"linux/riscv64":  {"riscv64-linux-gnu-gcc", "gcc-riscv64-linux-gnu", "riscv64-linux-gnu"},
	"linux/ppc64le":  {"powerpc64le-linux-gnu-gcc", "gcc-powerpc64le-linux-gnu", "powerpc64le-linux-gnu"},
	"linux/s390x":    {"s390x-linux-gnu-gcc", "gcc-s390x-linux-gnu", "s390x-linux-gnu"},
	"linux/loong64":  {"loongarch64-linux-gnu-gcc", "gcc-loongarch64-linux-gnu", "loongarch64-linux-gnu"},
	"linux/mips64le": {"mips64el-linux-gnuabi64-gcc", "gcc-mips64el-linux-gnuabi64", "mips64el-linux-gnuabi64"},
	"windows/amd64":  {"x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64", "x86_64-windows-gnu"},
	"windows/386":    {"i686-w64-mingw32-gcc", "gcc-mingw-w64-i686", "x86-windows-gnu"},
	"windows/arm64":  {"", "", "aarch64-windows-gnu"},
	"darwin/arm64":   {"", "", "aarch64-macos"},
	"darwin/amd64":   {"", "", "x86_64-macos"},
}

// crossFix says how to get a C compiler for goos/goarch: the one on PATH
// already, else the package to install, else zig.
func (s *state) crossFix(goos, goarch string) string {
	t := crossTools[goos+"/"+goarch]
	var fixes []string
	if t.CC != "" {
		if p, err := s.lookPath(t.CC); err == nil {
			return fmt.Sprintf("set CC=%s (installed at %s)", t.CC, p)
		}
		if s.env.HostOS == "linux" {
			fixes = append(fixes, fmt.Sprintf("install %s ('sudo apt install %s') and set CC=%s", t.CC, t.Package, t.CC))
		} else {
			fixes = append(fixes, fmt.Sprintf("install a %s cross compiler and set CC to it", t.CC))
		}
	}
	if t.Zig != "" {
		fixes = append(fixes, fmt.Sprintf("set CC='zig cc -target %s'", t.Zig))
	}
	if goos == "darwin" || goos == "ios" {
		fixes = append(fixes, "or build on a Mac")
	}
	if len(fixes) == 0 {
		return fmt.Sprintf("set CC to a C compiler for %s/%s, or build there", goos, goarch)
	}
	return strings.Join(fixes, ", or ")
}

// checkCrossCC: building for another GOOS/GOARCH with cgo on needs a C
// compiler for that platform. The check compiles the one-line program to
// an object file and reads the object's architecture: a host gcc left in
// CC builds the wrong code long before the linker says so.
func checkCrossCC(ctx context.Context, s *state) Result {
	goos, goarch := s.target(ctx)
	tgt := goos + "/" + goarch
	if !s.cross(ctx) {
		return skipf(fmt.Sprintf("not cross compiling: builds are for this machine (%s)", tgt))
	}
	cgo := s.cgoSetting(ctx)
	mod, _ := s.module.get(ctx)
	if cgo.Value != "1" {
		if len(mod.CgoFiles) > 0 {
			return warnf(fmt.Sprintf("builds target %s with cgo off (Go's default when cross compiling): this module's cgo code (%s) is left out", tgt, mod.CgoFiles[0]),
				"if the build needs it, set CGO_ENABLED=1 and "+s.crossFix(goos, goarch))
		}
		return okf(fmt.Sprintf("builds target %s with cgo off (Go's default when cross compiling): no C cross compiler needed", tgt))
	}
	cc, from := s.ccCommand(ctx)
	ccText := strings.Join(cc, " ")
	if _, err := s.lookPath(cc[0]); err != nil {
		return failf(fmt.Sprintf("CGO_ENABLED=1 for %s, but CC=%s (%s) is not on PATH", tgt, cc[0], from), s.crossFix(goos, goarch))
	}
	obj, cleanup, o, err := s.compileC(ctx, cc, true)
	defer cleanup()
	if err != nil {
		return failf(fmt.Sprintf("CGO_ENABLED=1 for %s, but CC=%s (%s) cannot compile C: %s", tgt, ccText, from, compileFailure(o, err)), s.crossFix(goos, goarch))
	}
	format, arch := objectArch(obj)
	if format != objectFormat(goos) || arch != goarch {
		return failf(fmt.Sprintf("CGO_ENABLED=1 for %s, but CC=%s (%s) builds %s code", tgt, ccText, from, describeObject(format, arch)), s.crossFix(goos, goarch))
	}
	r := okf(fmt.Sprintf("CC=%s builds %s code for %s", ccText, describeObject(format, arch), tgt))
	if len(mod.PkgConfig) > 0 {
		if w := s.crossPkgConfig(ctx, cc, goos, goarch, mod); w.Status != "" {
			return w
		}
		if f := s.crossPkgLink(ctx, cc, goos, goarch, mod); f.Status != "" {
			return f
		}
		r.Message += fmt.Sprintf("; pkg-config%s finds %s for it, and they link", s.pkgConfigWhere(ctx), strings.Join(mod.PkgConfig, ", "))
	}
	return r
}

// crossPkgConfig judges a cross build whose pkg-config nothing points at
// the target's .pc files: it answers with this machine's libraries, which
// the target's linker cannot use — a failure when linking with them fails
// (crossPkgLink), a warning when it happens to work. An empty Result
// means pkg-config is pointed at the target.
func (s *state) crossPkgConfig(ctx context.Context, cc []string, goos, goarch string, mod moduleInfo) Result {
	if s.setting(ctx, "PKG_CONFIG_LIBDIR").Value != "" || s.setting(ctx, "PKG_CONFIG_SYSROOT_DIR").Value != "" {
		return Result{}
	}
	if pc := s.pkgConfigCommand(ctx); strings.Contains(pc[0], "-pkg-config") {
		return Result{}
	}
	t := crossTools[goos+"/"+goarch]
	triple := strings.TrimSuffix(t.CC, "-gcc")
	msg := fmt.Sprintf("cross build to %s/%s with cgo, and this module names pkg-config packages (%s): pkg-config would hand it this machine's libraries", goos, goarch, strings.Join(mod.PkgConfig, ", "))
	if s.setting(ctx, "PKG_CONFIG_PATH").Value != "" {
		msg += " (PKG_CONFIG_PATH adds folders, but pkg-config still searches this machine's own)"
	}
	fix := "set PKG_CONFIG_LIBDIR to the target's .pc folders, and PKG_CONFIG_SYSROOT_DIR to its sysroot when its files live under one"
	if triple != "" {
		fix = fmt.Sprintf("set PKG_CONFIG_LIBDIR=/usr/lib/%s/pkgconfig:/usr/share/pkgconfig (Debian multiarch) or to the target's .pc folders, or PKG_CONFIG=%s-pkg-config; with a sysroot, also PKG_CONFIG_SYSROOT_DIR", triple, triple)
	}
	if s.setting(ctx, "PKG_CONFIG_PATH").Value != "" {
		fix += "; take this machine's folders out of PKG_CONFIG_PATH, which pkg-config searches first"
	}
	// go's build cache keys a cgo package by CC and the CGO_ flags, not by
	// pkg-config's answer (cmd/go buildActionID): a package built with
	// this machine's flags stays cached until rebuilt.
	fix += "; then build once with 'go build -a', as go's build cache keeps the flags pkg-config gave before"
	if f := s.crossPkgLink(ctx, cc, goos, goarch, mod); f.Status == Fail {
		return failf(msg+"; "+f.Message, fix)
	}
	return warnf(msg+"; linking with them works here, but they are not the target's", fix)
}

// objectFormat is the object file format a GOOS uses.
func objectFormat(goos string) string {
	switch goos {
	case "windows":
		return "pe"
	case "darwin", "ios":
		return "macho"
	}
	return "elf"
}

func describeObject(format, arch string) string {
	names := map[string]string{"elf": "ELF", "macho": "Mach-O", "pe": "Windows (COFF)", "": "unrecognised"}
	if arch == "" {
		return names[format]
	}
	return names[format] + " " + arch
}

// objectArch reads an object file's format and architecture, in GOARCH
// names; empty strings when it is none it knows.
func objectArch(path string) (format, arch string) {
	if f, err := elf.Open(path); err == nil {
		defer f.Close()
		return "elf", elfArch(f)
	}
	if f, err := macho.Open(path); err == nil {
		defer f.Close()
		switch f.Cpu {
		case macho.CpuAmd64:
			return "macho", "amd64"
		case macho.CpuArm64:
			return "macho", "arm64"
		case macho.Cpu386:
			return "macho", "386"
		case macho.CpuArm:
			return "macho", "arm"
		}
		return "macho", ""
	}
	if f, err := pe.Open(path); err == nil {
		defer f.Close()
		switch f.Machine {
		case pe.IMAGE_FILE_MACHINE_AMD64:
			return "pe", "amd64"
		case pe.IMAGE_FILE_MACHINE_I386:
			return "pe", "386"
		case pe.IMAGE_FILE_MACHINE_ARM64:
			return "pe", "arm64"
		case pe.IMAGE_FILE_MACHINE_ARMNT:
			return "pe", "arm"
		}
		return "pe", ""
	}
	return "", ""
}

func elfArch(f *elf.File) string {
	is64 := f.Class == elf.ELFCLASS64
	little := f.ByteOrder == binary.LittleEndian
	switch f.Machine {
	case elf.EM_X86_64:
		return "amd64"
	case elf.EM_386:
		return "386"
	case elf.EM_AARCH64:
		return "arm64"
	case elf.EM_ARM:
		return "arm"
	case elf.EM_RISCV:
		if is64 {
			return "riscv64"
		}
	case elf.EM_PPC64:
		if little {
			return "ppc64le"
		}
		return "ppc64"
	case elf.EM_S390:
		return "s390x"
	case elf.EM_LOONGARCH:
		return "loong64"
	case elf.EM_MIPS:
		switch {
		case is64 && little:
			return "mips64le"
		case is64:
			return "mips64"
		case little:
			return "mipsle"
		}
		return "mips"
	}
	return ""
}
