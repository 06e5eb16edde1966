package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// A flagClaim is a C compiler flag that ties a build to architectures.
type flagClaim struct {
	Flag string // as written: "-arch x86_64", "-march=armv8-a"
	// Arches are the GOARCH values the flag is compatible with.
	Arches []string
}

// archWords maps the architecture names of -arch and of target triples to
// GOARCH.
var archWords = map[string]string{
	"x86_64": "amd64", "amd64": "amd64", "x86-64": "amd64", "x64": "amd64",
	"i386": "386", "i486": "386", "i586": "386", "i686": "386", "x86": "386",
	"arm64": "arm64", "arm64e": "arm64", "aarch64": "arm64",
	"arm": "arm", "armhf": "arm", "armel": "arm",
	"riscv64": "riscv64", "ppc64le": "ppc64le", "powerpc64le": "ppc64le",
	"ppc64": "ppc64", "powerpc64": "ppc64", "s390x": "s390x", "loongarch64": "loong64",
	"mips64el": "mips64le", "mips64": "mips64", "mipsel": "mipsle", "mips": "mips",
	"wasm32": "wasm",
}

// archWord turns an -arch value or a triple's first part into a GOARCH.
func archWord(w string) string {
	w = strings.ToLower(w)
	if a, ok := archWords[w]; ok {
		return a
	}
	// A triple's armv7…, and armv8… too, is the 32-bit instruction set
	// (64-bit triples say aarch64 or arm64).
	if strings.HasPrefix(w, "armv") || strings.HasPrefix(w, "thumbv") {
		return "arm"
	}
	return ""
}

// marchArches says which GOARCH values an -march value suits.
func marchArches(v, host string) []string {
	v = strings.ToLower(v)
	switch {
	case v == "native":
		return []string{host}
	case strings.HasPrefix(v, "x86-64"), slices.Contains([]string{"core2", "nehalem", "westmere", "sandybridge", "ivybridge", "haswell", "broadwell",
		"skylake", "skylake-avx512", "cascadelake", "cooperlake", "cannonlake", "icelake-client", "icelake-server", "tigerlake", "alderlake",
		"raptorlake", "meteorlake", "sapphirerapids", "graniterapids", "k8", "opteron", "athlon64", "btver2", "bdver4"}, v),
		strings.HasPrefix(v, "znver"):
		return []string{"amd64", "386"}
	case v == "i386" || v == "i486" || v == "i586" || v == "i686" || strings.HasPrefix(v, "pentium"):
		return []string{"386"}
	case strings.HasPrefix(v, "armv8") || strings.HasPrefix(v, "armv9"):
		return []string{"arm64", "arm"}
	case strings.HasPrefix(v, "armv"):
		return []string{"arm"}
	case strings.HasPrefix(v, "rv64"):
		return []string{"riscv64"}
	case strings.HasPrefix(v, "loongarch64"):
		return []string{"loong64"}
	}
	return nil
}

// cpuArches says which GOARCH values a -mcpu or -mtune value suits: a
// processor name (apple-m1, cortex-a72, neoverse-n1, power9, sifive-u74),
// or one -march also takes (skylake, znver3).
func cpuArches(v, host string) []string {
	v = strings.ToLower(v)
	switch {
	case v == "native":
		return []string{host}
	case strings.HasPrefix(v, "apple-"), strings.HasPrefix(v, "neoverse-"), strings.HasPrefix(v, "thunderx"),
		strings.HasPrefix(v, "ampere1"), strings.HasPrefix(v, "octeontx"), strings.HasPrefix(v, "exynos-m"),
		slices.Contains([]string{"a64fx", "carmel", "falkor", "kryo", "saphira", "tsv110", "xgene1", "qdf24xx", "cortex-x1", "cortex-x2", "cortex-x3", "cortex-x4"}, v):
		return []string{"arm64"}
	case strings.HasPrefix(v, "cortex-a"):
		// 64-bit Cortex-A cores run 32-bit code too; the older ones only that.
		return []string{"arm64", "arm"}
	case strings.HasPrefix(v, "cortex-m"), strings.HasPrefix(v, "cortex-r"), strings.HasPrefix(v, "arm"):
		return []string{"arm"}
	case strings.HasPrefix(v, "power"):
		return []string{"ppc64", "ppc64le"}
	case strings.HasPrefix(v, "sifive-"), strings.HasPrefix(v, "thead-"), strings.HasPrefix(v, "xiangshan-"):
		return []string{"riscv64"}
	}
	return marchArches(v, host)
}

// flagArches finds the flags in a flags value that tie the build to some
// architectures: -arch (Apple clang), -target/--target (clang triples),
// -march, -mcpu, -mtune, -m32 and -m64. host resolves -march=native.
func flagArches(flags, host string) []flagClaim {
	words := strings.Fields(flags)
	var claims []flagClaim
	for i := 0; i < len(words); i++ {
		w := words[i]
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch {
		case w == "-arch" && next != "":
			if a := archWord(next); a != "" {
				claims = append(claims, flagClaim{Flag: w + " " + next, Arches: []string{a}})
			}
			i++
		case (w == "-target" || w == "--target") && next != "":
			if a := archWord(strings.SplitN(next, "-", 2)[0]); a != "" {
				claims = append(claims, flagClaim{Flag: w + " " + next, Arches: []string{a}})
			}
			i++
		case strings.HasPrefix(w, "--target=") || strings.HasPrefix(w, "-target="):
			_, triple, _ := strings.Cut(w, "=")
			if a := archWord(strings.SplitN(triple, "-", 2)[0]); a != "" {
				claims = append(claims, flagClaim{Flag: w, Arches: []string{a}})
			}
		case strings.HasPrefix(w, "-march="):
			if arches := marchArches(strings.TrimPrefix(w, "-march="), host); arches != nil {
				claims = append(claims, flagClaim{Flag: w, Arches: arches})
			}
		case strings.HasPrefix(w, "-mcpu=") || strings.HasPrefix(w, "-mtune="):
			_, v, _ := strings.Cut(w, "=")
			if arches := cpuArches(v, host); arches != nil {
				claims = append(claims, flagClaim{Flag: w, Arches: arches})
			}
		case w == "-m32":
			claims = append(claims, flagClaim{Flag: w, Arches: []string{"386", "arm", "mips", "mipsle", "ppc", "wasm"}})
		case w == "-m64":
			claims = append(claims, flagClaim{Flag: w, Arches: []string{"amd64", "arm64", "ppc64", "ppc64le", "s390x", "riscv64", "loong64", "mips64", "mips64le"}})
		}
	}
	return claims
}

// cgoFlagVars are the variables whose flags reach the C compiler or linker
// through cgo.
var cgoFlagVars = []string{"CGO_CFLAGS", "CGO_CPPFLAGS", "CGO_CXXFLAGS", "CGO_LDFLAGS"}

// otherFlagVars are read by C build steps (Makefiles, go generate, build
// scripts) but not by the go command.
var otherFlagVars = []string{"CFLAGS", "CXXFLAGS", "LDFLAGS"}

// checkCgoFlags: flags that name an architecture other than GOARCH, as
// '-arch x86_64' left in CGO_CFLAGS from an Intel Mac setup makes every
// cgo build on Apple Silicon fail in the linker.
func checkCgoFlags(ctx context.Context, s *state) Result {
	goos, goarch := s.target(ctx)
	cgo := s.cgoSetting(ctx)
	cgoOff := cgo.Value == "0" || s.cross(ctx) && cgo.Value != "1"
	var msgs, fixes []string
	status := OK
	for _, v := range append(append([]string{}, cgoFlagVars...), otherFlagVars...) {
		st := s.setting(ctx, v)
		if !slices.Contains(cgoFlagVars, v) {
			st = setting{Value: s.env.Getenv(v), From: "environment"}
		}
		if st.Value == "" || st.From == "default" {
			continue
		}
		for _, c := range flagArches(st.Value, s.env.HostArch) {
			if slices.Contains(c.Arches, goarch) {
				continue
			}
			msg := fmt.Sprintf("%s has %s, but builds target %s/%s", v, c.Flag, goos, goarch)
			if where := s.origin(ctx, v); where != "" {
				msg += " (set in " + where + ")"
			}
			sev := Fail
			switch {
			case !slices.Contains(cgoFlagVars, v):
				sev = Warn
				msg += ": go ignores " + v + ", but C build steps (Makefiles, go generate) use it"
			case cgoOff:
				sev = Warn
				msg += ": harmless while cgo is off, fatal once it is on"
			}
			status = worse(status, sev)
			msgs = append(msgs, msg)
			fixes = append(fixes, fmt.Sprintf("remove %s from %s, or set GOARCH=%s if you meant to build for that", c.Flag, v, c.Arches[0]))
		}
	}
	if len(msgs) == 0 {
		return okf(fmt.Sprintf("no -arch, -target, -march, -mcpu, -mtune, -m32 or -m64 in the C flags contradicts GOARCH=%s", goarch))
	}
	return resultOf(status, strings.Join(msgs, "; "), strings.Join(fixes, "; "))
}
