package doctor

import (
	"context"
	"debug/elf"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// glibcProbe is a C program that uses what a cgo program's runtime/cgo
// uses of the C library — the start files' __libc_start_main, threads,
// malloc, environment — so that the glibc symbol versions it needs are
// those of a cgo binary linked here.
const glibcProbe = `#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void *run(void *arg) { return arg; }

int main(void) {
	pthread_attr_t attr;
	pthread_t t;
	pthread_attr_init(&attr);
	if (pthread_create(&t, &attr, run, 0) == 0) pthread_join(t, 0);
	setenv("GOVER_DOCTOR", "1", 1);
	unsetenv("GOVER_DOCTOR");
	free(malloc(strlen("x")));
	return 0;
}
`

// glibcNeed links the probe with the C compiler cgo runs and returns the
// newest GLIBC_ symbol version it needs, and a symbol that needs it.
func (s *state) glibcNeed(ctx context.Context) (version, symbol string, err error) {
	cc, _ := s.ccCommand(ctx)
	dir, err := os.MkdirTemp("", "gover-doctor-glibc-")
	if err != nil {
		return "", "", err
	}
	defer os.RemoveAll(dir)
	src, out := filepath.Join(dir, "probe.c"), filepath.Join(dir, "probe")
	if err := os.WriteFile(src, []byte(glibcProbe), 0o644); err != nil {
		return "", "", err
	}
	args := append(append([]string{}, cc[1:]...), "-pthread", "-o", out, src)
	if o, err := s.run(ctx, dir, nil, cc[0], args...); err != nil {
		return "", "", fmt.Errorf("%s cannot link a C program: %s", strings.Join(cc, " "), compileFailure(o, err))
	}
	f, err := elf.Open(out)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	syms, err := f.ImportedSymbols()
	if err != nil {
		return "", "", err
	}
	for _, sym := range syms {
		v, ok := strings.CutPrefix(sym.Version, "GLIBC_")
		if ok && (version == "" || versionLess(version, v)) {
			version, symbol = v, sym.Name
		}
	}
	return version, symbol, nil
}

// targetGlibc compares what cgo programs built here need with the glibc
// of the machines they are for (Options.TargetGlibc).
func (s *state) targetGlibc(ctx context.Context, family, host string) Result {
	target := s.opt.TargetGlibc
	if cgo := s.cgoSetting(ctx); cgo.Value == "0" {
		return okf(fmt.Sprintf("cgo is off (CGO_ENABLED=0, %s): programs built here need no glibc, so they run with the target's %s", fromWords(cgo.From), target))
	}
	if family == "musl" {
		return warnf(fmt.Sprintf("this machine's C library is musl: cgo programs built here do not run with the target's glibc %s", target),
			"build with CGO_ENABLED=0, or on a glibc system as old as the target")
	}
	need, sym, err := s.glibcNeed(ctx)
	if err != nil {
		return warnf("cannot tell what glibc cgo programs built here need: "+err.Error(), "see cgo-cc")
	}
	if need == "" || !versionLess(target, need) {
		return okf(fmt.Sprintf("cgo programs built here need glibc %s (this machine has %s), and the target has %s", firstNonEmpty(need, "(no versioned symbol)"), firstNonEmpty(host, "?"), target))
	}
	return warnf(fmt.Sprintf("cgo programs built here need glibc %s (%s@GLIBC_%s; this machine has %s), but the target has %s: they stop there with \"version `GLIBC_%s' not found\"", need, sym, need, firstNonEmpty(host, "?"), target, need),
		fmt.Sprintf("build with CGO_ENABLED=0 if the program does not need cgo; else build on a system with glibc %s or older (e.g. in a container of the target's distribution), or link against it with CC='zig cc -target %s.%s'", target, firstNonEmpty(crossTools["linux/"+s.env.HostArch].Zig, "x86_64-linux-gnu"), target))
}
