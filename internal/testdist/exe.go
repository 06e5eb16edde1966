package testdist

import (
	"bytes"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
)

// A real toolchain's programs are executables of its platform, and gover
// proves that before it installs a tree (verify.Identity). The fake's
// programs are shell scripts wrapped accordingly:
//
//   - for the platform the tests run on, a small C launcher (built once per
//     process with cc) followed by the script: run, it hands the script to
//     /bin/sh with its own path as $0, so the fake behaves as before;
//   - for every other platform, a minimal header of that platform's
//     executable format (ELF, Mach-O or PE: machine and OS as Go's linker
//     writes them) followed by the script. Those trees are never run.

// scriptMarker separates the launcher from the script it runs.
const scriptMarker = "\n#testdist-script\n"

// launcherC finds the last scriptMarker in its own file and runs what
// follows with sh -c, passing its path as $0 and its arguments after it.
const launcherC = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdint.h>
#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

int main(int argc, char **argv) {
	static const char marker[] = "` + `\n#testdist-script\n` + `";
	char self[4096];
#ifdef __APPLE__
	uint32_t size = sizeof self;
	if (_NSGetExecutablePath(self, &size) != 0) return 126;
#else
	ssize_t k = readlink("/proc/self/exe", self, sizeof self - 1);
	if (k < 0) return 126;
	self[k] = 0;
#endif
	FILE *f = fopen(self, "rb");
	if (!f) return 126;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc(n + 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n) return 126;
	fclose(f);
	buf[n] = 0;
	size_t m = sizeof marker - 1;
	char *script = NULL;
	for (long i = n - (long)m; i >= 0; i--) {
		if (memcmp(buf + i, marker, m) == 0) { script = buf + i + m; break; }
	}
	if (!script) return 126;
	char **args = malloc((argc + 4) * sizeof *args);
	args[0] = "sh"; args[1] = "-c"; args[2] = script; args[3] = self;
	for (int i = 1; i < argc; i++) args[3 + i] = argv[i];
	args[argc + 3] = NULL;
	execv("/bin/sh", args);
	return 127;
}
`

var launcher struct {
	once sync.Once
	data []byte
	err  error
}

// hostLauncher builds launcherC for the machine the tests run on.
func hostLauncher() ([]byte, error) {
	launcher.once.Do(func() {
		dir, err := os.MkdirTemp("", "testdist-launcher-")
		if err != nil {
			launcher.err = err
			return
		}
		defer os.RemoveAll(dir)
		src := filepath.Join(dir, "launcher.c")
		if err := os.WriteFile(src, []byte(launcherC), 0o644); err != nil {
			launcher.err = err
			return
		}
		out := filepath.Join(dir, "launcher")
		cmd := exec.Command("cc", "-O2", "-o", out, src)
		if b, err := cmd.CombinedOutput(); err != nil {
			launcher.err = fmt.Errorf("build the fake toolchain's launcher with cc (a C compiler is needed to run the tests): %v\n%s", err, b)
			return
		}
		launcher.data, launcher.err = os.ReadFile(out)
	})
	return launcher.data, launcher.err
}

// program is the bytes of a fake toolchain program for p that runs script
// (a shell script) where it can run, and carries it where it cannot.
func program(p platform, script string) ([]byte, error) {
	if p.goos == runtime.GOOS && p.goarch == runtime.GOARCH && runtime.GOOS != "windows" {
		l, err := hostLauncher()
		if err != nil {
			return nil, err
		}
		return append(append(append([]byte(nil), l...), scriptMarker...), script...), nil
	}
	h, err := ExeHeader(p.goos, p.goarch)
	if err != nil {
		return nil, err
	}
	return append(append(h, scriptMarker...), script...), nil
}

// elfMachines maps GOARCH to the ELF machine, class and byte order Go's
// linker writes.
var elfMachines = map[string]struct {
	machine elf.Machine
	is64    bool
	big     bool
}{
	"amd64": {elf.EM_X86_64, true, false}, "386": {elf.EM_386, false, false},
	"arm64": {elf.EM_AARCH64, true, false}, "arm": {elf.EM_ARM, false, false},
	"ppc64le": {elf.EM_PPC64, true, false}, "ppc64": {elf.EM_PPC64, true, true},
	"s390x": {elf.EM_S390, true, true}, "riscv64": {elf.EM_RISCV, true, false},
	"loong64":  {elf.EM_LOONGARCH, true, false},
	"mips64le": {elf.EM_MIPS, true, false}, "mips64": {elf.EM_MIPS, true, true},
	"mipsle": {elf.EM_MIPS, false, false}, "mips": {elf.EM_MIPS, false, true},
}

// ExeHeader is the smallest executable header of goos/goarch that Go's
// debug/elf, debug/macho and debug/pe read: what gover reads a program's
// platform from. Tests use it to plant programs of another platform.
func ExeHeader(goos, goarch string) ([]byte, error) {
	var b bytes.Buffer
	switch goos {
	case "darwin", "ios":
		cpu := map[string]macho.Cpu{"amd64": macho.CpuAmd64, "arm64": macho.CpuArm64}[goarch]
		if cpu == 0 {
			return nil, fmt.Errorf("testdist: no Mach-O header for %s/%s", goos, goarch)
		}
		binary.Write(&b, binary.LittleEndian, macho.FileHeader{Magic: macho.Magic64, Cpu: cpu, Type: macho.TypeExec})
		b.Write(make([]byte, 4)) // reserved (64-bit header)
	case "windows":
		m := map[string]uint16{"amd64": pe.IMAGE_FILE_MACHINE_AMD64, "386": pe.IMAGE_FILE_MACHINE_I386,
			"arm64": pe.IMAGE_FILE_MACHINE_ARM64, "arm": pe.IMAGE_FILE_MACHINE_ARMNT}[goarch]
		if m == 0 {
			return nil, fmt.Errorf("testdist: no PE header for %s/%s", goos, goarch)
		}
		dos := make([]byte, 0x40)
		copy(dos, "MZ")
		binary.LittleEndian.PutUint32(dos[0x3c:], 0x40)
		b.Write(dos)
		b.WriteString("PE\x00\x00")
		binary.Write(&b, binary.LittleEndian, pe.FileHeader{Machine: m, Characteristics: pe.IMAGE_FILE_EXECUTABLE_IMAGE})
		b.Write(make([]byte, 0x200-b.Len())) // debug/pe reads past the header
	default:
		m, ok := elfMachines[goarch]
		if !ok {
			return nil, fmt.Errorf("testdist: no ELF header for %s/%s", goos, goarch)
		}
		var ident [elf.EI_NIDENT]byte
		copy(ident[:], elf.ELFMAG)
		ident[elf.EI_CLASS], ident[elf.EI_DATA], ident[elf.EI_VERSION] = byte(elf.ELFCLASS32), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
		if m.is64 {
			ident[elf.EI_CLASS] = byte(elf.ELFCLASS64)
		}
		var order binary.ByteOrder = binary.LittleEndian
		if m.big {
			ident[elf.EI_DATA], order = byte(elf.ELFDATA2MSB), binary.BigEndian
		}
		ident[elf.EI_OSABI] = byte(map[string]elf.OSABI{"freebsd": elf.ELFOSABI_FREEBSD, "netbsd": elf.ELFOSABI_NETBSD, "openbsd": elf.ELFOSABI_OPENBSD}[goos])
		if m.is64 {
			binary.Write(&b, order, elf.Header64{Ident: ident, Type: uint16(elf.ET_EXEC), Machine: uint16(m.machine), Version: uint32(elf.EV_CURRENT), Ehsize: 64})
		} else {
			binary.Write(&b, order, elf.Header32{Ident: ident, Type: uint16(elf.ET_EXEC), Machine: uint16(m.machine), Version: uint32(elf.EV_CURRENT), Ehsize: 52})
		}
	}
	return b.Bytes(), nil
}
