#!/bin/sh
# bench_serve.sh — installs per second one loopback static server sustains
# for CLIENTS (default 20) concurrent clients, from a mirror built by
# 'gover mirror sync' holding the real go1.22.5 linux-amd64 archive and
# module zip (see internal/mirrorbench for what one install is).
#
# Servers: net/http's FileServer, and nginx (sendfile, as in docs/mirror.md)
# when it is installed, whose own CPU time per install is also printed:
# on one machine the clients' hashing competes with the server for the
# CPUs, so that is the figure to size a real server by.
#
# EACH (default 5) installs per client for archives, MODULE_EACH (default
# 2) for modules. Needs go, curl, unzip, tar, gzip (bench/archive.sh), and
# nginx for the second server. Module clients keep each zip in /dev/shm
# while hashing it, so disks stay out of the figure.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../bench/archive.sh"
bench_need go
bench_archives

work=$(mktemp -d "${TMPDIR:-/tmp}/gover-mirrorbench.XXXXXX")
chmod 755 "$work" # nginx workers run as another user
nginx_pid=
cleanup() {
	[ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

(cd "$here/.." && go build -o "$work/bin/" ./mirror/internal/mirrorbench)
"$work/bin/mirrorbench" prepare -dir "$work/mirror" -tgz "$bench_tgz" -zip "$bench_zip" 2>/dev/null
tmp=/dev/shm
[ -d "$tmp" ] && [ -w "$tmp" ] || tmp=$work

clients=${CLIENTS:-20}
echo "== $(nproc) CPUs, $clients clients, $(wc -c <"$bench_tgz") bytes of archive, $(wc -c <"$bench_zip") bytes of module zip"
"$work/bin/mirrorbench" run -env "$work/mirror.env" -dir "$work/mirror" -clients "$clients" -each "${EACH:-5}" -mode archive -tmp "$tmp"
"$work/bin/mirrorbench" run -env "$work/mirror.env" -dir "$work/mirror" -clients "$clients" -each "${MODULE_EACH:-2}" -mode module -tmp "$tmp"

if ! command -v nginx >/dev/null 2>&1; then
	echo "nginx is not installed (apt-get install -y nginx-light): skipping it" >&2
	exit 0
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18473)
mkdir -p "$work/nginx/logs"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log;
daemon off;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	default_type application/octet-stream;
	types { application/json json; }
	server {
		listen 127.0.0.1:$port;
		root $work/mirror;
	}
}
EOF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
nginx_pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do curl -fs -o /dev/null "http://127.0.0.1:$port/index.json" && break; sleep 0.2; done

# nginx_cpu prints the CPU seconds nginx's processes have used so far.
nginx_cpu() {
	ticks=0
	for p in $nginx_pid $(pgrep -P "$nginx_pid"); do
		set -- $(cut -d' ' -f14,15 "/proc/$p/stat")
		ticks=$((ticks + $1 + $2))
	done
	echo "$ticks $(getconf CLK_TCK)" | awk '{printf "%.2f", $1/$2}'
}
for mode in archive module; do
	each=${EACH:-5}
	[ "$mode" = module ] && each=${MODULE_EACH:-2}
	before=$(nginx_cpu)
	out=$("$work/bin/mirrorbench" run -env "$work/mirror.env" -url "http://127.0.0.1:$port" -clients "$clients" -each "$each" -mode "$mode" -tmp "$tmp") || {
		echo "$out"
		exit 1
	}
	after=$(nginx_cpu)
	echo "$out" | sed "s|static server at http://127.0.0.1:$port|nginx $(nginx -v 2>&1 | sed 's|.*/||'), sendfile|"
	echo "$before $after $((clients * each))" | awk '{cpu=$2-$1; printf "   nginx used %.2f CPU-seconds for %d %s installs: %.0f installs per nginx CPU-second\n", cpu, $3, "'"$mode"'", (cpu > 0 ? $3/cpu : 0)}'
done
