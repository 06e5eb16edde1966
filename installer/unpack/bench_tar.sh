#!/bin/sh
# bench_tar.sh times `tar xzf` against gover's unpacker on the go1.22.5 linux-amd64 toolchain,
# alternating them RUNS times (default 5) on the same file, and prints the medians, their ratio
# and the Go side's peak RSS. The Go side streams the file through SHA-256, as `gover install` does.
#
# The archive is the golang.org/toolchain module zip from the module proxy (the official
# download site may be unreachable), repacked once as a go/-rooted tar.gz with gzip -6 and
# kept in ${XDG_CACHE_HOME:-~/.cache}/gover-bench. It also times unpack.Zip on the zip itself.
set -eu

runs=${RUNS:-5}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../../bench/archive.sh"
bench_need go
[ -x /usr/bin/time ] || { echo "bench_tar.sh: /usr/bin/time is missing; apt-get install time" >&2; exit 1; }
bench_archives
version=$bench_module_version
zip=$bench_zip
tgz=$bench_tgz

work=$(mktemp -d "${TMPDIR:-/tmp}/gover-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

(cd "$here" && go build -o "$work/benchunpack" ./internal/benchunpack)

# run NAME CMD... times CMD into a fresh, empty folder, after flushing the previous run's dirty
# pages so that its writeback does not land in this run's time. Trees are only deleted at the
# end: ext4 scans past recently deleted inodes when it allocates new ones, which made a run
# right after an `rm -rf` of the previous tree up to five times slower, in the kernel.
n=0
run() {
	name=$1
	shift
	n=$((n + 1))
	out=$work/out$n
	mkdir "$out"
	sync
	/usr/bin/time -o "$work/time" -f '%e %U %S %M' "$@" "$out" >"$work/stdout"
	cat "$work/time" >>"$work/$name"
	printf '  %-6s %s s wall, %s s user, %s s sys, %s KB peak RSS\n' "$name" $(cat "$work/time")
}

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# ext4 also slows file creation for about half a minute after any large delete (it skips
# inodes freed that recently); let the last one, maybe this script's, age first.
settle=${SETTLE:-40}
echo "settling ${settle}s after recent deletes (SETTLE=0 skips)"
sleep "$settle"

echo "$(nproc) CPUs, $(uname -sr); $(ls -l "$tgz" | awk '{print $5}') bytes of tar.gz, $runs runs each"
for i in $(seq "$runs"); do
	echo "run $i"
	run tar tar xzf "$tgz" -C
	run gover "$work/benchunpack" "$tgz"
	run zip "$work/benchunpack" -module -prefix "golang.org/toolchain@$version/" "$zip"
done
cat "$work/stdout"

tar_s=$(cut -d' ' -f1 "$work/tar" | median)
go_s=$(cut -d' ' -f1 "$work/gover" | median)
zip_s=$(cut -d' ' -f1 "$work/zip" | median)
go_sys=$(cut -d' ' -f3 "$work/gover" | median)
tar_sys=$(cut -d' ' -f3 "$work/tar" | median)
go_rss=$(cut -d' ' -f4 "$work/gover" | sort -n | tail -1)
zip_rss=$(cut -d' ' -f4 "$work/zip" | sort -n | tail -1)
echo "median wall: tar xzf $tar_s s (sys $tar_sys s); gover TarGz $go_s s (sys $go_sys s); gover Zip $zip_s s"
awk -v g="$go_s" -v t="$tar_s" 'BEGIN {printf "ratio gover/tar: %.2f (goal: <= 0.80)\n", g/t}'
echo "peak RSS: TarGz $go_rss KB, Zip $zip_rss KB (goal: < 65536 KB)"
