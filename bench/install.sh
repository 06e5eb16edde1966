#!/bin/sh
# bench/install.sh — the installer's figures, each pair measured in one run,
# alternating the two commands RUNS times (default 5) and comparing medians:
#
#  1. gover install (download + SHA-256 + OpenPGP signature + unpack + record)
#     against `curl | tar xz` (no verification) of the same real go1.22.5
#     linux-amd64 archive from the same loopback server, and gover's peak RSS.
#     Goal: gover ≤ 0.8 × curl|tar, peak memory < 64 MiB.
#  2. gover install --source proxy (download + checksum database + unpack)
#     against `GOTOOLCHAIN=go1.22.5 go version` on a cold module cache, both
#     from the real module proxy (PROXY_RUNS, default 3). Goal: faster; aim
#     for half.
#
# Every run writes into a fresh folder and nothing is deleted until the end:
# on ext4, creating files right after deleting a large tree is several times
# slower (the allocator walks recently deleted inodes), which would punish
# whichever command runs second. `sync` before each run keeps the previous
# run's writeback out of its time.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/archive.sh"
bench_need go sync awk
[ -x /usr/bin/time ] || { echo "benchmark: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 1; }
bench_archives

work=$(mktemp -d "${TMPDIR:-/tmp}/gover-bench.XXXXXX")
cleanup() {
	[ -n "${dist_pid:-}" ] && kill "$dist_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

(cd "$here/.." && go build -o "$work/bin/" ./cmd/gover ./cmd/gover-shim ./internal/testdist/cmd/testdist)

# timed NAME CMD...: run CMD after a sync, append "wall rss" to $work/NAME.
n=0
timed() {
	name=$1
	shift
	n=$((n + 1))
	sync
	/usr/bin/time -o "$work/time" -f '%e %M' "$@"
	cat "$work/time" >>"$work/$name"
	printf '  %-10s %s s, %s KB peak RSS\n' "$name" $(cat "$work/time")
}
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", b/a}'; }

# A loopback official site serving the real archive, with its index entry,
# .sha256 and .asc (signed by a throwaway key that GOVER_KEYRING trusts).
mkdir "$work/key"
"$work/bin/testdist" -dir "$work/key" -publish "go1.22.5.linux-amd64.tar.gz=$bench_tgz" >"$work/dist.env" &
dist_pid=$!
while ! grep -q '^# serving' "$work/dist.env" 2>/dev/null; do
	kill -0 "$dist_pid" 2>/dev/null || { echo "benchmark: the loopback distribution did not start" >&2; exit 1; }
	sleep 0.1
done
. "$work/dist.env"
# The loopback checksum database vouches for its own synthetic go1.22.5
# module, not for the real tree this archive holds, and an archive install
# proves its tree against the checksum database too: ask the real one
# (proxy.golang.org, sum.golang.org), as a user's install does.
unset GOPROXY GOSUMDB
url="$GOVER_DOWNLOAD_URL/go1.22.5.linux-amd64.tar.gz"

echo "== 1. official archive from loopback: gover install (verifying) vs curl | tar xz (not verifying)"
echo "   $(nproc) CPUs, $(wc -c <"$bench_tgz") bytes of tar.gz, ${RUNS:-5} runs each"
for i in $(seq "${RUNS:-5}"); do
	mkdir "$work/tar$i"
	timed curl-tar sh -c "curl -s '$url' | tar xz -C '$work/tar$i'"
	timed gover env GOVER_ROOT="$work/root$i" "$work/bin/gover" install -q 1.22.5
done
"$work/root1/versions/go1.22.5/bin/go" version
tar_s=$(cut -d' ' -f1 "$work/curl-tar" | median)
gover_s=$(cut -d' ' -f1 "$work/gover" | median)
gover_rss=$(cut -d' ' -f2 "$work/gover" | sort -n | tail -1)
echo "median: curl|tar ${tar_s} s, gover ${gover_s} s; gover/curl|tar = $(ratio "$tar_s" "$gover_s") (goal <= 0.8)"
echo "gover peak RSS: $((gover_rss / 1024)) MiB (goal < 64)"
kill "$dist_pid"
dist_pid=

echo
echo "== 2. real module proxy: gover install --source proxy vs GOTOOLCHAIN=go1.22.5 go version (cold module cache)"
unset GOVER_INDEX_URL GOVER_DOWNLOAD_URL GOPROXY GOSUMDB GOVER_KEYRING
for i in $(seq "${PROXY_RUNS:-3}"); do
	timed gotoolchain env GOTOOLCHAIN=go1.22.5 GOPATH="$work/gopath$i" GOMODCACHE="$work/gopath$i/pkg/mod" GOFLAGS=-modcacherw go version
	timed gover-proxy env GOVER_ROOT="$work/proxyroot$i" "$work/bin/gover" install -q --source proxy 1.22.5
done
gt_s=$(cut -d' ' -f1 "$work/gotoolchain" | median)
gp_s=$(cut -d' ' -f1 "$work/gover-proxy" | median)
echo "median: GOTOOLCHAIN ${gt_s} s, gover ${gp_s} s; gover/GOTOOLCHAIN = $(ratio "$gt_s" "$gp_s") (goal < 1, aim 0.5)"
