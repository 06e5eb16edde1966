# archive.sh — sourced by the benchmark scripts: fetch the real go1.22.5
# linux-amd64 toolchain once and keep it as the module zip and as an
# official-style go/-rooted tar.gz (gzip -6), in ${XDG_CACHE_HOME:-~/.cache}/gover-bench.
#
# The official download site may be unreachable, so the tree comes from the
# golang.org/toolchain module on the Go module proxy and is repacked.
# After sourcing: $bench_zip, $bench_tgz, $bench_module_version.

bench_module_version=v0.0.1-go1.22.5.linux-amd64
bench_cache=${XDG_CACHE_HOME:-$HOME/.cache}/gover-bench
bench_zip=$bench_cache/$bench_module_version.zip
bench_tgz=$bench_cache/go1.22.5.linux-amd64.tar.gz

bench_need() {
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || {
			echo "benchmark: $tool is missing (apt-get install -y $tool)" >&2
			exit 1
		}
	done
}

bench_archives() {
	bench_need curl unzip tar gzip
	mkdir -p "$bench_cache"
	if [ ! -f "$bench_zip" ]; then
		echo "downloading $bench_module_version.zip into $bench_cache" >&2
		curl -fsSL -o "$bench_zip.part" "${GOPROXY_URL:-https://proxy.golang.org}/golang.org/toolchain/@v/$bench_module_version.zip"
		mv "$bench_zip.part" "$bench_zip"
	fi
	if [ ! -f "$bench_tgz" ]; then
		echo "repacking as a go/-rooted tar.gz (gzip -6)" >&2
		repack=$(mktemp -d "${TMPDIR:-/tmp}/gover-repack.XXXXXX")
		(cd "$repack" && unzip -q "$bench_zip" && mv "golang.org/toolchain@$bench_module_version" go &&
			find go -name _go.mod -exec sh -c 'for f; do mv "$f" "${f%_go.mod}go.mod"; done' sh {} + &&
			tar --sort=name --owner=0 --group=0 --numeric-owner -cf - go | gzip -6 >"$bench_tgz.part")
		mv "$bench_tgz.part" "$bench_tgz"
		rm -rf "$repack"
	fi
}
