#!/bin/sh
# bench/doctor.sh — gover doctor with many toolchains installed, cold page
# cache: install-integrity on its own and the whole default doctor, with the
# stat cache (the default), without it (its first run: every file hashed) and
# with --deep. Goal (issue 17): the default doctor under 3 s with 10
# toolchains, cold.
#
# The toolchains (VERSIONS, default ten go1.22.x releases) come from the real
# module proxy once and stay in $GOVER_BENCH_DOCTOR_ROOT (default
# ~/.cache/gover-bench/doctor-root, about 2.3 GB). Each timed run starts with
# a cold page cache (sync; echo 3 > /proc/sys/vm/drop_caches), so it must run
# as root. RUNS (default 3) runs of each; medians.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/archive.sh"
bench_need go sync awk
[ -x /usr/bin/time ] || { echo "benchmark: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 1; }
if [ "$(id -u)" != 0 ] || ! [ -w /proc/sys/vm/drop_caches ]; then
	echo "benchmark: dropping the page cache needs root (echo 3 > /proc/sys/vm/drop_caches)" >&2
	exit 1
fi
root=${GOVER_BENCH_DOCTOR_ROOT:-$bench_cache/doctor-root}
versions=${VERSIONS:-1.22.0 1.22.1 1.22.2 1.22.3 1.22.4 1.22.5 1.22.6 1.22.7 1.22.8 1.22.9}

work=$(mktemp -d "${TMPDIR:-/tmp}/gover-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
(cd "$here/.." && go build -o "$work/bin/" ./cmd/gover)
gover() { env GOVER_ROOT="$root" "$work/bin/gover" "$@"; }

for v in $versions; do
	gover install -q --source proxy "$v"
done
echo "$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg); $(echo "$versions" | wc -w) toolchains in $root"

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
# cold NAME ARGS...: time one gover run on a cold page cache into $work/NAME.
cold() {
	name=$1
	shift
	sync
	echo 3 >/proc/sys/vm/drop_caches
	# Other checks may fail on this machine (no shims on PATH…): only the time counts.
	/usr/bin/time -o "$work/time" -f '%e' env GOVER_ROOT="$root" "$work/bin/gover" "$@" >"$work/out" 2>&1 || true
	t=$(tail -n 1 "$work/time")
	echo "$t" >>"$work/$name"
	printf '  %-16s %6s s  %s\n' "$name" "$t" "$(grep -m1 'install-integrity' "$work/out" | sed 's/^ *//')"
}

echo "== install-integrity alone"
for _ in $(seq "${RUNS:-3}"); do
	rm -rf "$root/cache/trees"
	cold no-stat-cache doctor install-integrity
	cold default doctor install-integrity
	cold deep doctor --deep install-integrity
done
echo "== the whole default doctor (every check, network ones included)"
for _ in $(seq "${RUNS:-3}"); do
	cold doctor-all doctor
	cold doctor-all-deep doctor --deep
done
echo "medians, cold page cache:"
for n in no-stat-cache default deep doctor-all doctor-all-deep; do
	printf '  %-16s %6s s\n' "$n" "$(median <"$work/$n")"
done
echo "goal: default doctor < 3 s with 10 toolchains, cold"
