#!/usr/bin/env bash
# bench/shim.sh — how much the gover shim adds to a go call.
#
# Runs `go version` in a folder three levels below its .go-version, with
# hyperfine -N (no shell in between), and prints the medians and their ratios:
#   direct       the toolchain's own bin/go
#   trampoline   a static C program that only execs that bin/go: the floor for
#                any shim, since one extra exec costs about 1 ms here
#   minimal-go   the smallest Go program that walks up for .go-version and
#                execs: the floor for a shim written in Go
#   shim         gover's shim ($GOVER_ROOT/shims/go) as `go build` makes it:
#                with a C compiler, the C fast path (dynamically linked)
#   shim-static  the shim as the release builds it for Linux: the fast path,
#                linked statically (.goreleaser.yaml)
#   shim-pure    the shim built with CGO_ENABLED=0: the Go code alone, as on
#                macOS and Windows and wherever the fast path declines
#   line-static, line-pure
#                `env GOVER_VERSION=1.22 go version` through the two: a line
#                word, which the fast path leaves to the Go code, so the
#                pair shows what a cgo build costs the Go code
#   gotoolchain  `env GOTOOLCHAIN=goX go version` with the go on PATH, for
#                comparison (only when a go outside gover is on PATH)
# The issue's bar: shim/trampoline ≤ 1.1.
#
# The toolchain is installed with gover itself (from the module proxy when the
# official site cannot be reached). Knobs: GO_VERSION (1.22.5), RUNS (300),
# WARMUP (30), BENCH_DIR (a temp folder), GOVER_ROOT (reuse a root that holds
# the toolchain already, to skip the download).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
version=${GO_VERSION:-1.22.5}
runs=${RUNS:-300}
warmup=${WARMUP:-30}
work=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/gover-bench.XXXXXX")}

need() {
	command -v "$1" >/dev/null || { echo "bench/shim.sh: $1 is missing (apt-get install -y $2)" >&2; exit 1; }
}
need hyperfine hyperfine
need cc gcc
need go golang-go

export GOVER_ROOT=${GOVER_ROOT:-$work/root}
mkdir -p "$work/bin"
(cd "$repo" && go build -o "$work/bin/" ./cmd/gover ./cmd/gover-shim)
"$work/bin/gover" install --quiet "$version"
"$work/bin/gover" reshim --quiet
goexe=$GOVER_ROOT/versions/go$version/bin/go
shim=$GOVER_ROOT/shims/go

# The release's Linux shim and the pure Go one, each run as go.
mkdir -p "$work/static" "$work/pure"
(cd "$repo" && CGO_ENABLED=1 go build -trimpath -ldflags '-s -w -linkmode=external -extldflags=-static' -o "$work/static/gover-shim" ./cmd/gover-shim)
(cd "$repo" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$work/pure/gover-shim" ./cmd/gover-shim)
ln -sf gover-shim "$work/static/go"
ln -sf gover-shim "$work/pure/go"

# The trampoline: exec the toolchain's go, nothing else. Static, like a Go
# binary, so that neither pays for the dynamic loader.
cat >"$work/trampoline.c" <<'C'
#include <unistd.h>
int main(int argc, char **argv, char **envp) {
	(void)argc;
	execve(GO, argv, envp);
	return 127;
}
C
cc -O2 -static -DGO="\"$goexe\"" -o "$work/trampoline" "$work/trampoline.c"

# The issue's reference: the smallest Go program that walks up for
# .go-version and execs. Whatever a Go shim does, the Go runtime's start-up
# (threads, signal handlers, the heap) is in this figure too.
mkdir -p "$work/minimal"
cat >"$work/minimal/main.go" <<'GO'
package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

func main() {
	dir, _ := os.Getwd()
	for {
		if b, err := os.ReadFile(filepath.Join(dir, ".go-version")); err == nil {
			exe := filepath.Join(os.Getenv("GOVER_ROOT"), "versions", "go"+strings.TrimSpace(string(b)), "bin", "go")
			os.Args[0] = exe
			syscall.Exec(exe, os.Args, os.Environ())
			os.Exit(127)
		}
		if p := filepath.Dir(dir); p != dir {
			dir = p
			continue
		}
		os.Exit(1)
	}
}
GO
printf 'module minimal\n\ngo 1.22\n' >"$work/minimal/go.mod"
(cd "$work/minimal" && GOTOOLCHAIN=local go build -o "$work/minimal-go" .)

mkdir -p "$work/proj/a/b/c"
echo "$version" >"$work/proj/.go-version"
cd "$work/proj/a/b/c"
unset GOVER_VERSION GOROOT GOTOOLCHAIN GOFLAGS
# A stranger's go env file: this machine's own may hold a GOTOOLCHAIN line,
# which the fast path leaves to the Go code (docs/shims.md), and would time
# that instead of the common case.
: >"$work/goenv"
export GOENV=$work/goenv

check() {
	out=$("$@")
	case $out in
	"go version go$version "*) ;;
	*) echo "bench/shim.sh: '$*' printed '$out', not go$version" >&2; exit 1 ;;
	esac
}
check "$goexe" version
check "$work/trampoline" version
check "$shim" version
check "$work/static/go" version
check "$work/pure/go" version
check "$work/minimal-go" version
check env GOVER_VERSION=1.22 "$work/static/go" version

cmds=(-n direct "$goexe version" -n trampoline "$work/trampoline version" -n minimal-go "$work/minimal-go version"
	-n shim "$shim version" -n shim-static "$work/static/go version" -n shim-pure "$work/pure/go version"
	-n line-static "env GOVER_VERSION=1.22 $work/static/go version" -n line-pure "env GOVER_VERSION=1.22 $work/pure/go version")
sysgo=$(PATH=$(echo "$PATH" | tr ':' '\n' | grep -vxF "$GOVER_ROOT/shims" | paste -sd:) command -v go || true)
if [ -n "$sysgo" ] && GOTOOLCHAIN=go$version "$sysgo" version >/dev/null 2>&1; then
	cmds+=(-n gotoolchain "env GOTOOLCHAIN=go$version $sysgo version")
fi

echo "gover shim benchmark: go$version, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), in $work" >&2
hyperfine -N --style basic -w "$warmup" -r "$runs" --export-csv "$work/results.csv" "${cmds[@]}" >&2

# command,mean,stddev,median,user,system,min,max (seconds)
awk -F, 'NR > 1 { med[$1] = $4 * 1000; order[n++] = $1 }
END {
	for (i = 0; i < n; i++) printf "%-12s median %7.3f ms\n", order[i], med[order[i]]
	printf "shim/trampoline       %.3f  (goal: at most 1.1)\n", med["shim"] / med["trampoline"]
	printf "shim-static/trampoline %.3f (the Linux release shim)\n", med["shim-static"] / med["trampoline"]
	printf "shim-pure/trampoline  %.3f  (the Go code alone)\n", med["shim-pure"] / med["trampoline"]
	printf "line-static/line-pure %.3f  (what the fast path costs when it declines)\n", med["line-static"] / med["line-pure"]
	printf "trampoline/direct     %.3f  (the cost of one extra exec)\n", med["trampoline"] / med["direct"]
	printf "minimal-go/trampoline %.3f  (the floor for a shim written in Go)\n", med["minimal-go"] / med["trampoline"]
	printf "shim/minimal-go       %.3f\n", med["shim"] / med["minimal-go"]
	if ("gotoolchain" in med) printf "gotoolchain/trampoline %.3f\n", med["gotoolchain"] / med["trampoline"]
}' "$work/results.csv"
