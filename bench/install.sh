#!/bin/sh
# bench/install.sh — the installer's figures, each pair measured in one run:
#
#  1. gover install (download + SHA-256 + OpenPGP signature + unpack + record)
#     against `curl | tar xz` (no verification) of the same real go1.22.5
#     linux-amd64 archive from the same loopback server, and gover's peak RSS.
#     Goal: gover ≤ 0.8 × curl|tar, peak memory < 64 MiB.
#  2. gover install --source proxy (download + checksum database + unpack)
#     against `GOTOOLCHAIN=go1.22.5 go version` on a cold module cache, both
#     from the real module proxy. Goal: faster; aim for half.
#
# Needs hyperfine, curl, unzip, jq and /usr/bin/time. RUNS (default 5) and
# PROXY_RUNS (default 3) set the run counts.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/archive.sh"
bench_need hyperfine jq go
[ -x /usr/bin/time ] || { echo "benchmark: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 1; }
bench_archives

work=$(mktemp -d "${TMPDIR:-/tmp}/gover-bench.XXXXXX")
cleanup() {
	[ -n "${dist_pid:-}" ] && kill "$dist_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

(cd "$here/.." && go build -o "$work/bin/" ./cmd/gover ./cmd/gover-shim ./internal/testdist/cmd/testdist)

# A loopback official site serving the real archive, with its index entry,
# .sha256 and .asc (signed by a throwaway key; GOVER_KEYRING trusts it).
"$work/bin/testdist" -dir "$work/key" -publish "go1.22.5.linux-amd64.tar.gz=$bench_tgz" >"$work/dist.env" &
dist_pid=$!
while ! grep -q '^# serving' "$work/dist.env" 2>/dev/null; do sleep 0.1; done
. "$work/dist.env"
archive_url="$GOVER_DOWNLOAD_URL/go1.22.5.linux-amd64.tar.gz"

ratio() { # ratio CSV: median of command 2 / median of command 1
	awk -F, 'NR==2 {a=$4} NR==3 {b=$4} END {printf "%.2f", b/a}' "$1"
}

echo "== 1. official archive from loopback: gover install (verifying) vs curl | tar xz (not verifying)"
echo "   $(nproc) CPUs, $(wc -c <"$bench_tgz") bytes of tar.gz"
# Each run starts from empty folders; sync first so the previous run's
# writeback does not land in this run's time.
hyperfine -N --runs "${RUNS:-5}" --export-csv "$work/archive.csv" \
	--prepare "sh -c 'rm -rf $work/tar $work/root; mkdir -p $work/tar; sync'" \
	-n 'curl | tar xz' "sh -c 'curl -s $archive_url | tar xz -C $work/tar'" \
	-n 'gover install' "env GOVER_ROOT=$work/root $work/bin/gover install -q 1.22.5"
rm -rf "$work/root"
/usr/bin/time -o "$work/rss" -f '%M' env GOVER_ROOT="$work/root" "$work/bin/gover" install -q 1.22.5
"$work/root/versions/go1.22.5/bin/go" version
echo "gover/curl|tar ratio of medians: $(ratio "$work/archive.csv")  (goal <= 0.8)"
echo "gover peak RSS: $(($(cat "$work/rss") / 1024)) MiB  (goal < 64)"
kill "$dist_pid"
dist_pid=

echo
echo "== 2. real module proxy: gover install --source proxy vs GOTOOLCHAIN=go1.22.5 go version (cold module cache)"
unset GOVER_INDEX_URL GOVER_DOWNLOAD_URL GOPROXY GOSUMDB GOVER_KEYRING
hyperfine -N --runs "${PROXY_RUNS:-3}" --export-csv "$work/proxy.csv" \
	--prepare "sh -c 'chmod -R u+w $work/gopath 2>/dev/null; rm -rf $work/gopath $work/root; sync'" \
	-n 'GOTOOLCHAIN=go1.22.5 go version' "env GOTOOLCHAIN=go1.22.5 GOPATH=$work/gopath GOMODCACHE=$work/gopath/pkg/mod GOFLAGS=-modcacherw go version" \
	-n 'gover install --source proxy' "env GOVER_ROOT=$work/root $work/bin/gover install -q --source proxy 1.22.5"
echo "gover/GOTOOLCHAIN ratio of medians: $(ratio "$work/proxy.csv")  (goal < 1, aim 0.5)"
