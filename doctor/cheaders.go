package doctor

import (
	"regexp"
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

// libcHeadersFix says how to get the C library's headers, which a
// compiler alone does not bring: WSL and slim container images often have
// gcc without them.
func (s *state) libcHeadersFix() string {
	switch s.env.HostOS {
	case "linux":
		return "install the C library's headers: 'sudo apt install libc6-dev' (Debian, Ubuntu, WSL; or build-essential), 'sudo dnf install glibc-devel', 'apk add musl-dev'; with --sysroot in CC or CGO_CFLAGS, they belong under that sysroot's usr/include; or set CGO_ENABLED=0 to build without cgo"
	case "darwin":
		return "run 'xcode-select --install' (the command line tools bring the SDK's headers), or set CGO_ENABLED=0 to build without cgo"
	case "windows":
		return "install a complete MinGW-w64 toolchain (MSYS2's mingw-w64-ucrt-x86_64-gcc brings the headers), or set CGO_ENABLED=0 to build without cgo"
	}
	return "install the C library's development headers, or set CGO_ENABLED=0 to build without cgo"
}
