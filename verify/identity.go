package verify

import (
	"bytes"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"debug/plan9obj"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ProofTree is the proof a tree gives of itself: its VERSION file names the
// version, and its programs are built for the platform.
const ProofTree ProofKind = "tree"

// An IdentityError is a tree that is not the toolchain asked for: another
// version, or another platform. A signature proves "a genuine Go release";
// only the tree itself says which one.
type IdentityError struct {
	What   string // the archive or module zip
	Detail string // "its VERSION says go1.20", "bin/go is for darwin/arm64"
	Want   string // "go1.22.5 for linux/amd64"
}

func (e *IdentityError) Error() string {
	return fmt.Sprintf("%s is not %s: %s (whoever signed or listed it, it is another toolchain; nothing was installed)", e.What, e.Want, e.Detail)
}

func (e *IdentityError) Is(target error) bool { return target == ErrFailed }

// Identity proves that the unpacked tree at dir is version for goos/goarch:
// the first line of its VERSION file is version, and bin/go, every other
// program in bin/ and every program in pkg/tool/<goos>_<goarch>/ is an
// executable of that platform (ELF, Mach-O, PE, XCOFF or Plan 9 machine and
// operating system, and the GOOS/GOARCH Go records in a binary when it has
// them). what names the file the tree came from, for messages.
func Identity(dir, what, version, goos, goarch string) (Proof, error) {
	want := version + " for " + goos + "/" + goarch
	fail := func(format string, args ...any) (Proof, error) {
		return Proof{}, &IdentityError{What: what, Want: want, Detail: fmt.Sprintf(format, args...)}
	}
	first, err := versionLine(filepath.Join(dir, "VERSION"))
	if err != nil {
		return fail("%v", err)
	}
	if first != version {
		return fail("its VERSION says %q", first)
	}
	exe := ""
	if goos == "windows" {
		exe = ".exe"
	}
	tool := "pkg/tool/" + goos + "_" + goarch
	if fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(tool))); err != nil || !fi.IsDir() {
		var others []string
		entries, _ := os.ReadDir(filepath.Join(dir, "pkg", "tool"))
		for _, e := range entries {
			others = append(others, "pkg/tool/"+e.Name())
		}
		if len(others) == 0 {
			return fail("it has no %s/", tool)
		}
		return fail("it has no %s/, but %s", tool, strings.Join(others, ", "))
	}
	programs := []string{"bin/go" + exe}
	for _, folder := range []string{"bin", tool} {
		entries, err := os.ReadDir(filepath.Join(dir, filepath.FromSlash(folder)))
		if err != nil {
			return fail("read %s: %v", folder, err)
		}
		for _, e := range entries {
			if p := folder + "/" + e.Name(); e.Type().IsRegular() && p != programs[0] {
				programs = append(programs, p)
			}
		}
	}
	for _, p := range programs {
		got, err := Platform(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			return fail("%s: %v", p, err)
		}
		if !got.matches(goos, goarch) {
			return fail("%s is a program for %s", p, got)
		}
	}
	return Proof{Kind: ProofTree, Value: version + " " + goos + "/" + goarch,
		Authority: fmt.Sprintf("its VERSION file and %d programs (bin/go%s and %s/)", len(programs), exe, tool)}, nil
}

// TreeVersion is the first line of the VERSION file of the tree at dir:
// the release the tree says it is.
func TreeVersion(dir string) (string, error) {
	return versionLine(filepath.Join(dir, "VERSION"))
}

// versionLine reads the first line of a VERSION file (a small regular file).
func versionLine(file string) (string, error) {
	fi, err := os.Lstat(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", errors.New("it has no VERSION file")
		}
		return "", err
	}
	if !fi.Mode().IsRegular() || fi.Size() > 4<<10 {
		return "", errors.New("its VERSION is not a small regular file")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return strings.TrimSuffix(string(line), "\r"), nil
}

// An ExePlatform is what an executable's headers say it runs on. OSes
// lists the operating systems its format and markings allow (ELF without
// an OS/ABI mark runs on linux, android, dragonfly, solaris or illumos).
type ExePlatform struct {
	OSes []string
	Arch string
	// GOOS and GOARCH are the build settings Go records in binaries it
	// builds (Go 1.18 and later), if any.
	GOOS, GOARCH string
}

func (p ExePlatform) String() string {
	if p.GOOS != "" {
		return p.GOOS + "/" + p.GOARCH
	}
	return strings.Join(p.OSes, "|") + "/" + p.Arch
}

func (p ExePlatform) matches(goos, goarch string) bool {
	if p.GOOS != "" && (p.GOOS != goos || p.GOARCH != goarch) {
		return false
	}
	return slices.Contains(p.OSes, goos) && p.Arch == goarch
}

// errNotProgram is a file no executable format recognises.
var errNotProgram = errors.New("not a program (no ELF, Mach-O, PE, XCOFF or Plan 9 header)")

// Platform reads the platform an executable file is built for from its
// headers.
func Platform(file string) (ExePlatform, error) {
	f, err := os.Open(file)
	if err != nil {
		return ExePlatform{}, err
	}
	defer f.Close()
	var magic [4]byte
	if _, err := io.ReadFull(f, magic[:]); err != nil {
		return ExePlatform{}, errNotProgram
	}
	var p ExePlatform
	switch {
	case string(magic[:]) == elf.ELFMAG:
		p, err = elfPlatform(f)
	case isMachO(magic):
		p, err = machoPlatform(f)
	case magic[0] == 'M' && magic[1] == 'Z':
		p, err = pePlatform(f)
	case magic[0] == 0x01 && magic[1] == 0xf7: // XCOFF64
		p = ExePlatform{OSes: []string{"aix"}, Arch: "ppc64"}
	default:
		p, err = plan9Platform(f)
	}
	if err != nil {
		return ExePlatform{}, err
	}
	if bi, err := buildinfo.Read(f); err == nil {
		for _, s := range bi.Settings {
			switch s.Key {
			case "GOOS":
				p.GOOS = s.Value
			case "GOARCH":
				p.GOARCH = s.Value
			}
		}
		if p.GOOS == "" || p.GOARCH == "" {
			p.GOOS, p.GOARCH = "", ""
		}
	}
	return p, nil
}

func isMachO(m [4]byte) bool {
	switch binary.LittleEndian.Uint32(m[:]) {
	case macho.Magic32, macho.Magic64:
		return true
	}
	switch binary.BigEndian.Uint32(m[:]) {
	case macho.Magic32, macho.Magic64:
		return true
	}
	return false
}

func elfPlatform(r io.ReaderAt) (ExePlatform, error) {
	f, err := elf.NewFile(r)
	if err != nil {
		return ExePlatform{}, fmt.Errorf("unreadable ELF header: %v", err)
	}
	le := f.ByteOrder == binary.LittleEndian
	is64 := f.Class == elf.ELFCLASS64
	var arch string
	switch f.Machine {
	case elf.EM_X86_64:
		arch = "amd64"
	case elf.EM_386:
		arch = "386"
	case elf.EM_AARCH64:
		arch = "arm64"
	case elf.EM_ARM:
		arch = "arm"
	case elf.EM_PPC64:
		arch = pick(le, "ppc64le", "ppc64")
	case elf.EM_S390:
		arch = "s390x"
	case elf.EM_RISCV:
		arch = "riscv64"
	case elf.EM_LOONGARCH:
		arch = "loong64"
	case elf.EM_MIPS:
		arch = pick(is64, pick(le, "mips64le", "mips64"), pick(le, "mipsle", "mips"))
	default:
		arch = strings.ToLower(strings.TrimPrefix(f.Machine.String(), "EM_"))
	}
	var oses []string
	switch f.OSABI {
	case elf.ELFOSABI_FREEBSD:
		oses = []string{"freebsd"}
	case elf.ELFOSABI_NETBSD:
		oses = []string{"netbsd"}
	case elf.ELFOSABI_OPENBSD:
		oses = []string{"openbsd"}
	case elf.ELFOSABI_NONE, elf.ELFOSABI_LINUX:
		// Go marks freebsd, netbsd and openbsd binaries; older netbsd
		// and openbsd ones only by their note.
		switch {
		case f.Section(".note.netbsd.ident") != nil:
			oses = []string{"netbsd"}
		case f.Section(".note.openbsd.ident") != nil:
			oses = []string{"openbsd"}
		default:
			oses = []string{"linux", "android", "dragonfly", "solaris", "illumos"}
		}
	default:
		oses = []string{strings.ToLower(strings.TrimPrefix(f.OSABI.String(), "ELFOSABI_"))}
	}
	return ExePlatform{OSes: oses, Arch: arch}, nil
}

func machoPlatform(r io.ReaderAt) (ExePlatform, error) {
	f, err := macho.NewFile(r)
	if err != nil {
		return ExePlatform{}, fmt.Errorf("unreadable Mach-O header: %v", err)
	}
	arch := map[macho.Cpu]string{macho.CpuAmd64: "amd64", macho.CpuArm64: "arm64", macho.Cpu386: "386", macho.CpuArm: "arm"}[f.Cpu]
	if arch == "" {
		arch = strings.ToLower(f.Cpu.String())
	}
	return ExePlatform{OSes: []string{"darwin", "ios"}, Arch: arch}, nil
}

func pePlatform(r io.ReaderAt) (ExePlatform, error) {
	f, err := pe.NewFile(r)
	if err != nil {
		return ExePlatform{}, fmt.Errorf("unreadable PE header: %v", err)
	}
	arch := map[uint16]string{pe.IMAGE_FILE_MACHINE_AMD64: "amd64", pe.IMAGE_FILE_MACHINE_I386: "386",
		pe.IMAGE_FILE_MACHINE_ARM64: "arm64", pe.IMAGE_FILE_MACHINE_ARMNT: "arm"}[f.Machine]
	if arch == "" {
		arch = fmt.Sprintf("machine %#x", f.Machine)
	}
	return ExePlatform{OSes: []string{"windows"}, Arch: arch}, nil
}

func plan9Platform(r io.ReaderAt) (ExePlatform, error) {
	f, err := plan9obj.NewFile(r)
	if err != nil {
		return ExePlatform{}, errNotProgram
	}
	arch := map[uint32]string{plan9obj.Magic386: "386", plan9obj.MagicAMD64: "amd64", plan9obj.MagicARM: "arm"}[f.Magic]
	if arch == "" {
		return ExePlatform{}, errNotProgram
	}
	return ExePlatform{OSes: []string{"plan9"}, Arch: arch}, nil
}

func pick(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}
