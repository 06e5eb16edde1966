package doctor

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// missingHeader matches a compiler saying a header is not there: gcc's
// "fatal error: stdio.h: No such file or directory", clang's "fatal error:
// 'stdio.h' file not found".
var missingHeader = regexp.MustCompile(`fatal error: '?([\w./+-]+\.h)'?(: No such file or directory| file not found)`)

// headerMissing is the standard header a failed compile could not find;
// "" when it failed for another reason.
func headerMissing(o output) string {
	if m := missingHeader.FindStringSubmatch(o.Stderr + "\n" + o.Stdout); m != nil {
		return m[1]
	}
	return ""
}

// libcDevSign is what the linker says when the C library's start files
// and libc.so are missing while the compiler is there: the same package
// as the headers (libc6-dev), half installed or removed.
var libcDevSign = regexp.MustCompile(`cannot find (S?crt1\.o|crti\.o|-lc\b)`)

// libcDevMissing is what a failed link says is missing of the C library's
// development files; "" when it failed for another reason.
func libcDevMissing(o output) string {
	return libcDevSign.FindString(o.Stderr + "\n" + o.Stdout)
}

// libcDevFix is how to install the C library's development files — its
// headers, crt1.o and libc.so, which a compiler alone does not bring (WSL
// and slim containers often have gcc without them) — on this machine's
// distribution (/etc/os-release's ID, then ID_LIKE).
func (s *state) libcDevFix() string {
	const (
		apt   = "'sudo apt install libc6-dev' (build-essential brings it with gcc and make)"
		dnf   = "'sudo dnf install glibc-devel'"
		apk   = "'apk add musl-dev' (build-base brings it with gcc and make)"
		noCgo = "; or set CGO_ENABLED=0 to build without cgo"
	)
	switch s.env.HostOS {
	case "darwin":
		return "run 'xcode-select --install' (the command line tools bring the SDK's headers and libraries)" + noCgo
	case "windows":
		return "install a complete MinGW-w64 toolchain (MSYS2's mingw-w64-ucrt-x86_64-gcc brings the headers and C runtime)" + noCgo
	}
	pkg := apt + " on Debian and Ubuntu, " + dnf + " on Fedora and RHEL, " + apk + " on Alpine"
	for _, id := range osReleaseIDs(s.env.Root) {
		if p, ok := map[string]string{"debian": apt, "ubuntu": apt, "fedora": dnf, "rhel": dnf, "centos": dnf, "alpine": apk,
			"suse": "'sudo zypper install glibc-devel'", "opensuse": "'sudo zypper install glibc-devel'", "arch": "'sudo pacman -S glibc base-devel'"}[id]; ok {
			pkg = p
			break
		}
	}
	return "install the C library's development files: " + pkg + " (with --sysroot in CC or CGO_CFLAGS, they belong under that sysroot's usr/include and usr/lib)" + noCgo
}

// osReleaseIDs are the distribution's ID and then its ID_LIKE words, read
// from root's /etc/os-release (else /usr/lib/os-release).
func osReleaseIDs(root string) []string {
	if root == "" {
		root = "/"
	}
	var ids, like []string
	for _, p := range []string{"etc/os-release", "usr/lib/os-release"} {
		data, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			k, v, _ := strings.Cut(strings.TrimSpace(line), "=")
			v = strings.Trim(v, `"'`)
			switch k {
			case "ID":
				ids = append(ids, v)
			case "ID_LIKE":
				like = strings.Fields(v)
			}
		}
		break
	}
	return append(ids, like...)
}
