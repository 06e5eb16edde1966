package doctor

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestFlagArches(t *testing.T) {
	for _, tc := range []struct {
		flags string
		want  []flagClaim
	}{
		{"-O2 -g", nil},
		{"-O2 -arch x86_64 -I/opt/x", []flagClaim{{"-arch x86_64", []string{"amd64"}}}},
		{"-arch arm64e", []flagClaim{{"-arch arm64e", []string{"arm64"}}}},
		{"-target aarch64-apple-darwin --target=x86_64-linux-gnu", []flagClaim{
			{"-target aarch64-apple-darwin", []string{"arm64"}}, {"--target=x86_64-linux-gnu", []string{"amd64"}}}},
		{"-target armv7a-linux-gnueabihf", []flagClaim{{"-target armv7a-linux-gnueabihf", []string{"arm"}}}},
		{"-march=armv8.2-a", []flagClaim{{"-march=armv8.2-a", []string{"arm64", "arm"}}}},
		{"-march=haswell", []flagClaim{{"-march=haswell", []string{"amd64", "386"}}}},
		{"-march=x86-64-v3", []flagClaim{{"-march=x86-64-v3", []string{"amd64", "386"}}}},
		{"-march=native", []flagClaim{{"-march=native", []string{"riscv64"}}}},
		{"-march=rv64gc", []flagClaim{{"-march=rv64gc", []string{"riscv64"}}}},
		{"-march=unknowncpu -mtune=generic", nil},
		{"-m32", []flagClaim{{"-m32", []string{"386", "arm", "mips", "mipsle", "ppc", "wasm"}}}},
		{"-arch", nil},
		{"-arch sparc", nil},
	} {
		if got := flagArches(tc.flags, "riscv64"); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("flagArches(%q) = %+v, want %+v", tc.flags, got, tc.want)
		}
	}
}

func TestParseLdd(t *testing.T) {
	for _, tc := range []struct{ out, family, version string }{
		{"ldd (Debian GLIBC 2.36-9+deb12u4) 2.36\nCopyright (C) 2022 Free Software Foundation, Inc.\n", "glibc", "2.36"},
		{"ldd (GNU libc) 2.17\n", "glibc", "2.17"},
		{"ldd (Ubuntu EGLIBC 2.19-0ubuntu6.15) 2.19\n", "glibc", "2.19"},
		{"\nmusl libc (x86_64)\nVersion 1.2.4\nDynamic Program Loader\n", "musl", "1.2.4"},
		{"musl libc (aarch64)\n", "musl", ""},
		{"ldd: unrecognized option '--version'\n", "", ""},
		{"", "", ""},
	} {
		if f, v := parseLdd(tc.out); f != tc.family || v != tc.version {
			t.Errorf("parseLdd(%q) = %q %q, want %q %q", tc.out, f, v, tc.family, tc.version)
		}
	}
}

func TestVersionLess(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		less bool
	}{
		{"2.12", "2.17", true}, {"2.17", "2.17", false}, {"2.36", "2.17", false},
		{"2.5", "2.17", true}, {"3.0", "2.17", false}, {"2", "2.17", true}, {"x", "2.17", false},
	} {
		if got := versionLess(tc.a, tc.b); got != tc.less {
			t.Errorf("versionLess(%s, %s) = %v", tc.a, tc.b, got)
		}
	}
}

func TestAuthSchemes(t *testing.T) {
	got := authSchemes([]string{`Basic realm="corp", charset="UTF-8"`, "NTLM", `Negotiate, Digest realm="x", qop="auth"`})
	want := []string{"Basic", "NTLM", "Negotiate", "Digest"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("authSchemes = %q, want %q", got, want)
	}
}

func TestSetsVar(t *testing.T) {
	re := setsVar("GOROOT")
	for line, want := range map[string]bool{
		"export GOROOT=/usr/local/go":        true,
		"GOROOT=/opt/go":                     true,
		"declare -x GOROOT=/x":               true,
		"[ -d /x ] && export GOROOT=/x":      true,
		"set -gx GOROOT /usr/local/go":       true,
		"setenv GOROOT /usr/local/go":        true,
		"$env:GOROOT = 'C:\\Go'":             true,
		"export MYGOROOT=/x":                 false,
		"export PATH=$GOROOT/bin:$PATH":      false,
		"echo GOROOT is unset":               false,
		"set -gx GOROOTS /x":                 false,
		`eval "$(gover init bash)"  # gover`: false,
	} {
		if got := re.MatchString(line); got != want {
			t.Errorf("setsVar(GOROOT) on %q = %v, want %v", line, got, want)
		}
	}
}

func TestObjectArch(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	elf := func(class, data byte, machine uint16) []byte {
		h := make([]byte, 64)
		copy(h, "\x7fELF")
		h[4], h[5], h[6] = class, data, 1
		var bo binary.ByteOrder = binary.LittleEndian
		if data == 2 {
			bo = binary.BigEndian
		}
		bo.PutUint16(h[16:], 1)
		bo.PutUint16(h[18:], machine)
		bo.PutUint32(h[20:], 1)
		if class == 2 {
			bo.PutUint16(h[52:], 64)
		} else {
			bo.PutUint16(h[40:], 52)
		}
		return h
	}
	coff := func(machine uint16) []byte {
		h := make([]byte, 96) // debug/pe reads a DOS header's worth first
		binary.LittleEndian.PutUint16(h[0:], machine)
		return h
	}
	macho := func(cpu uint32) []byte {
		h := make([]byte, 32)
		binary.LittleEndian.PutUint32(h[0:], 0xfeedfacf)
		binary.LittleEndian.PutUint32(h[4:], cpu)
		binary.LittleEndian.PutUint32(h[12:], 1) // MH_OBJECT
		return h
	}
	for _, tc := range []struct {
		name         string
		data         []byte
		format, arch string
	}{
		{"x86_64.o", elf(2, 1, 62), "elf", "amd64"},
		{"aarch64.o", elf(2, 1, 183), "elf", "arm64"},
		{"armhf.o", elf(1, 1, 40), "elf", "arm"},
		{"ppc64le.o", elf(2, 1, 21), "elf", "ppc64le"},
		{"ppc64.o", elf(2, 2, 21), "elf", "ppc64"},
		{"riscv64.o", elf(2, 1, 243), "elf", "riscv64"},
		{"mips64el.o", elf(2, 1, 8), "elf", "mips64le"},
		{"mingw64.o", coff(0x8664), "pe", "amd64"},
		{"mingw32.o", coff(0x14c), "pe", "386"},
		{"darwin-arm64.o", macho(0x0100000c), "macho", "arm64"},
		{"darwin-amd64.o", macho(0x01000007), "macho", "amd64"},
		{"text.o", []byte("not an object file at all, just text that is long enough to read\n"), "", ""},
	} {
		f, a := objectArch(write(tc.name, tc.data))
		if f != tc.format || a != tc.arch {
			t.Errorf("objectArch(%s) = %q %q, want %q %q", tc.name, f, a, tc.format, tc.arch)
		}
	}
}

func TestWorse(t *testing.T) {
	for _, tc := range []struct{ a, b, want Status }{
		{Skip, OK, OK}, {OK, Warn, Warn}, {Fail, Warn, Fail}, {Skip, Skip, Skip}, {Warn, Skip, Warn},
	} {
		if got := worse(tc.a, tc.b); got != tc.want {
			t.Errorf("worse(%s, %s) = %s", tc.a, tc.b, got)
		}
	}
	r := merge(okf("one"), Result{Status: Warn, Message: "two", Fix: "do two"})
	if r.Status != Warn || r.Message != "one; two" || r.Fix != "do two" {
		t.Errorf("merge = %+v", r)
	}
}

// TestRunOneDeadline: a check stuck where its context does not reach (a
// system call, a program that ignores signals) is cut off at its deadline
// and reported; the report does not wait for it.
func TestRunOneDeadline(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	s := newState(context.Background(), Env{Now: time.Now}, Options{Timeout: 100 * time.Millisecond})
	start := time.Now()
	r := runOne(context.Background(), s, check{id: "stuck", group: GroupGover, run: func(ctx context.Context, s *state) Result {
		<-release
		return okf("never")
	}})
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("runOne waited %s for a stuck check with a 100ms deadline", elapsed)
	}
	if r.ID != "stuck" || r.Status != Warn || !strings.Contains(r.Message, "did not finish within 100ms") || r.Fix == "" {
		t.Errorf("stuck check: %+v", r)
	}

	// Network checks get two network timeouts and a second.
	s = newState(context.Background(), Env{Now: time.Now}, Options{NetTimeout: 50 * time.Millisecond, Timeout: time.Hour})
	r = runOne(context.Background(), s, check{id: "net", net: true, run: func(ctx context.Context, s *state) Result {
		<-release
		return okf("never")
	}})
	if !strings.Contains(r.Message, "within 1.1s") {
		t.Errorf("network check deadline: %+v", r)
	}

	// A check that panics is a failure, not a crash of the doctor.
	r = runOne(context.Background(), s, check{id: "bug", run: func(ctx context.Context, s *state) Result { panic("oops") }})
	if r.Status != Fail || !strings.Contains(r.Message, "crashed: oops") {
		t.Errorf("panicking check: %+v", r)
	}
}

// TestLazy: a shared value is computed once under the run's context, so a
// caller whose deadline passed does not spoil it for the next.
func TestLazy(t *testing.T) {
	calls := 0
	gate := make(chan struct{})
	l := newLazy(func() int { calls++; <-gate; return 42 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, ok := l.get(ctx); ok {
		t.Fatal("get returned before the value was ready")
	}
	close(gate)
	if v, ok := l.get(context.Background()); !ok || v != 42 || calls != 1 {
		t.Errorf("get = %d, %v after %d calls", v, ok, calls)
	}
}

func TestCompare(t *testing.T) {
	b := Baseline{Format: 1, Facts: map[string]string{
		factGo: "/r/shims/go", factGOPROXY: "https://proxy.golang.org,direct", factGOROOT: "",
		factToolchain + "go1.22.5": "h1:aaa", factToolchain + "go1.21.13": "h1:bbb",
	}, Checks: map[string]Status{"goproxy": OK, "libc": OK, "cross-cc": Skip}}
	r := Report{Facts: map[string]string{
		factGo: "/usr/local/bin/go", factGOPROXY: "https://proxy.golang.org,direct", factGOROOT: "/usr/local/go",
		factToolchain + "go1.22.5": "h1:ccc", factToolchain + "go1.23.0": "h1:ddd",
	}, Checks: []Result{{ID: "goproxy", Status: Fail}, {ID: "libc", Status: OK}, {ID: "cross-cc", Status: Fail}}}
	got := Compare(b, r)
	want := []Drift{
		{What: factGo, Was: "/r/shims/go", Now: "/usr/local/bin/go"},
		{What: factGOROOT, Was: "", Now: "/usr/local/go"},
		{What: factToolchain + "go1.21.13", Was: "h1:bbb", Now: "removed"},
		{What: factToolchain + "go1.22.5", Was: "h1:aaa", Now: "reinstalled or its install record rewritten (tree h1:ccc)"},
		{What: factToolchain + "go1.23.0", Was: "", Now: "installed since (h1:ddd)"},
		{What: "check goproxy", Was: "ok", Now: "fail"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Compare =\n%+v\nwant\n%+v", got, want)
	}
	res := DriftResult(got, "base.json", time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	if res.Status != Warn || !strings.Contains(res.Message, "6 changes since base.json") ||
		!strings.Contains(res.Message, "GOROOT: /usr/local/go, was unset") || !strings.Contains(res.Fix, "--save-baseline base.json") {
		t.Errorf("DriftResult = %+v", res)
	}
	if res := DriftResult(nil, "base.json", time.Time{}); res.Status != OK {
		t.Errorf("no drift: %+v", res)
	}
}

func TestWriteText(t *testing.T) {
	r := Report{Checks: []Result{
		{ID: "goproxy", Group: GroupNetwork, Status: Fail, Message: "refused", Fix: "start it"},
		{ID: "shims", Group: GroupGover, Status: OK, Message: "up to date", Fixed: true},
		{ID: "libc", Group: GroupCgo, Status: Skip, Message: "not Linux"},
		{ID: "go111module", Group: GroupModules, Status: Warn, Message: "auto\nfrom rc", Fix: "unset it"},
	}}
	var b bytes.Buffer
	WriteText(&b, r, true)
	want := `gover
  fixed shims        up to date
modules
  warn  go111module  auto; from rc
                     fix: unset it
network
  FAIL  goproxy      refused
                     fix: start it
cgo
  skip  libc         not Linux
1 ok, 1 warning, 1 failed, 1 skipped; 1 repaired
not safe or not possible to repair from here; do these yourself:
  go111module: unset it
  goproxy: start it
`
	if b.String() != want {
		t.Errorf("WriteText =\n%s\nwant\n%s", b.String(), want)
	}
	if !r.Failed(false) || (Report{Checks: r.Checks[3:]}).Failed(false) || !(Report{Checks: r.Checks[3:]}).Failed(true) {
		t.Error("Failed: a failure fails; a warning fails only with strict")
	}
}

func TestPublicProxy(t *testing.T) {
	for u, want := range map[string]bool{
		"https://proxy.golang.org": true, "https://goproxy.cn/": true, "https://PROXY.golang.org": true,
		"https://goproxy.corp.example": false, "http://127.0.0.1:8080": false, "file:///srv/goproxy": false,
	} {
		if got := publicProxy(u); got != want {
			t.Errorf("publicProxy(%q) = %v, want %v", u, got, want)
		}
	}
}

func TestPatternProblems(t *testing.T) {
	got := patternProblems("GOPRIVATE", "corp.example, https://git.corp.example/*,*,http://me@git.x.example/")
	want := []patternProblem{
		{Var: "GOPRIVATE", Entry: "https://git.corp.example/*", Meant: "git.corp.example/*"},
		{Var: "GOPRIVATE", Entry: "*", All: true},
		{Var: "GOPRIVATE", Entry: "http://me@git.x.example/", Meant: "git.x.example"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("patternProblems = %+v, want %+v", got, want)
	}
	for path, want := range map[string]string{"github.com/acme/app": "github.com/acme", "corp.example/a/b": "corp.example", "gitlab.com": "gitlab.com"} {
		if got := privatePattern(path); got != want {
			t.Errorf("privatePattern(%q) = %q, want %q", path, got, want)
		}
	}
}
