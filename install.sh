#!/bin/sh
# install.sh — install gover and gover-shim.
#
# From a checkout of gover (this file beside gover's go.mod) it builds both
# with the local Go. Anywhere else, e.g.
#
#	curl -fsSL https://github.com/goverdev/gover/releases/latest/download/install.sh | sh
#
# it downloads the release archive for this OS and architecture, checks its
# SHA-256 against the release's checksums.txt, and installs from it. Nothing
# unverified is installed. Running it again replaces both binaries, or says
# they are up to date.
#
# Options:
#	--setup        run 'gover setup' afterwards (puts gover's shims on PATH)
#	--release      download a release even from a checkout
#	--version TAG  install release TAG (e.g. v0.3.0) instead of the latest
# Environment:
#	GOVER_INSTALL_DIR  where to install (default: $HOME/.local/bin)
#	GOVER_RELEASE_URL  the folder of release files (default: the latest
#	                   release on GitHub); a mirror of it works too
set -eu

repo=https://github.com/goverdev/gover
checksums=checksums.txt

die() {
	printf 'install.sh: %s\n' "$*" >&2
	exit 1
}

say() {
	printf '%s\n' "$*" >&2
}

usage() {
	cat >&2 <<EOF
usage: install.sh [--setup] [--release] [--version TAG]

Installs gover and gover-shim in \$GOVER_INSTALL_DIR (default: \$HOME/.local/bin):
built from this checkout, or else downloaded from \$GOVER_RELEASE_URL (default:
the latest release) and checked against the release's $checksums.

  --setup        run 'gover setup' afterwards (puts gover's shims on PATH)
  --release      download a release even from a checkout
  --version TAG  install release TAG (e.g. v0.3.0) instead of the latest
EOF
}

setup=
release=
tag=
while [ $# -gt 0 ]; do
	case $1 in
	--setup) setup=1 ;;
	--release) release=1 ;;
	--version)
		[ $# -ge 2 ] || die "--version needs a release tag, e.g. --version v0.3.0"
		tag=$2
		release=1
		shift
		;;
	--version=*)
		tag=${1#--version=}
		release=1
		;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		usage
		die "unknown option $1"
		;;
	esac
	shift
done

[ -n "${HOME:-}" ] || [ -n "${GOVER_INSTALL_DIR:-}" ] || die "HOME is not set (set GOVER_INSTALL_DIR to the folder to install into)"
dir=${GOVER_INSTALL_DIR:-$HOME/.local/bin}

# prepare_dir makes sure the install folder exists and can be written.
prepare_dir() {
	mkdir -p "$dir" 2>/dev/null || die "cannot create $dir (set GOVER_INSTALL_DIR to a folder you can write)"
	{ [ -d "$dir" ] && [ -w "$dir" ]; } || die "cannot write to $dir (set GOVER_INSTALL_DIR to a folder you can write)"
}

# place copies a binary into the install folder by rename, so a running
# gover (or a shell that is using gover-shim) never sees a half-written file.
place() {
	if [ -f "$dir/$2" ] && cmp -s "$1" "$dir/$2"; then
		return 1
	fi
	cp "$1" "$dir/.$2.tmp.$$" || die "cannot write to $dir (set GOVER_INSTALL_DIR to a folder you can write)"
	chmod 755 "$dir/.$2.tmp.$$"
	mv -f "$dir/.$2.tmp.$$" "$dir/$2" || die "cannot replace $dir/$2"
}

# install_from places gover and gover-shim from folder $1.
install_from() {
	changed=
	for bin in gover gover-shim; do
		[ -f "$1/$bin" ] || die "the archive holds no $bin (is GOVER_RELEASE_URL a gover release?)"
		if place "$1/$bin" "$bin"; then
			changed=1
		fi
	done
	version=$("$dir/gover" --version 2>/dev/null) || die "$dir/gover does not run on this machine ($(uname -s) $(uname -m))"
	if [ -n "$changed" ]; then
		say "installed $version and gover-shim in $dir"
	else
		say "$version in $dir is up to date"
	fi
}

# is_checkout reports whether this script sits in a checkout of gover.
is_checkout() {
	case $0 in
	*/*) here=$(cd "${0%/*}" && pwd) ;;
	*)
		# "sh install.sh" runs it from here; "curl … | sh" has no file at all.
		[ -f "$0" ] || return 1
		here=$(pwd)
		;;
	esac
	[ -f "$here/go.mod" ] && grep -q '^module github.com/goverdev/gover$' "$here/go.mod"
}

build_from_checkout() {
	command -v go >/dev/null 2>&1 || die "building from a checkout needs Go on PATH (or run with --release to download gover)"
	prepare_dir
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/gover-install.XXXXXX") || die "cannot create a temporary folder"
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 130' INT TERM
	say "building gover and gover-shim from $here"
	(cd "$here" && GOTOOLCHAIN=local CGO_ENABLED=0 go build -trimpath -o "$tmp/" ./cmd/gover ./cmd/gover-shim) ||
		die "go build failed (see above)"
	install_from "$tmp"
}

# target sets os and arch to this machine's, in Go's and the release's spelling.
target() {
	kernel=$(uname -s) || die "cannot run uname"
	machine=$(uname -m) || die "cannot run uname"
	case $kernel in
	Linux) os=linux ;;
	Darwin) os=darwin ;;
	MINGW* | MSYS* | CYGWIN* | Windows_NT) die "on Windows, run install.ps1 in PowerShell: irm $repo/releases/latest/download/install.ps1 | iex" ;;
	*) die "no gover release for $kernel (releases are built for Linux, macOS and Windows; elsewhere build it with: go install github.com/goverdev/gover/cmd/...@latest)" ;;
	esac
	case $machine in
	x86_64 | amd64) arch=amd64 ;;
	aarch64 | arm64) arch=arm64 ;;
	*) die "no gover release for $kernel on $machine (releases are built for amd64 and arm64; elsewhere build it with: go install github.com/goverdev/gover/cmd/...@latest)" ;;
	esac
	# A shell under Rosetta 2 reports x86_64 on Apple silicon; the native build is the one to use.
	if [ "$os" = darwin ] && [ "$arch" = amd64 ] && [ "$(sysctl -n hw.optional.arm64 2>/dev/null || true)" = 1 ]; then
		arch=arm64
	fi
}

# fetch downloads URL $1 to file $2.
fetch() {
	case $downloader in
	curl) curl -fsSL --retry 3 -o "$2" "$1" ;;
	wget) wget -q -O "$2" "$1" ;;
	esac || die "cannot download $1 (check the address and your network; set GOVER_RELEASE_URL to use a mirror)"
}

# pick_sha256 finds a SHA-256 tool before anything is downloaded.
pick_sha256() {
	if command -v sha256sum >/dev/null 2>&1; then
		sha256_cmd=sha256sum
	elif command -v shasum >/dev/null 2>&1; then
		sha256_cmd="shasum -a 256"
	elif command -v openssl >/dev/null 2>&1; then
		sha256_cmd="openssl dgst -sha256 -r"
	else
		die "cannot check downloads: no sha256sum, shasum or openssl found (install one, e.g. 'apt-get install coreutils')"
	fi
}

# sha256 prints the SHA-256 of file $1 in lowercase hex.
sha256() {
	# $sha256_cmd is a command and its options, split on purpose.
	# shellcheck disable=SC2086
	$sha256_cmd "$1" | {
		read -r sum _ || true
		printf '%s\n' "$sum" | tr 'A-F' 'a-f'
	}
}

download_release() {
	target
	if command -v curl >/dev/null 2>&1; then
		downloader=curl
	elif command -v wget >/dev/null 2>&1; then
		downloader=wget
	else
		die "neither curl nor wget is installed (install one, e.g. 'apt-get install curl')"
	fi
	command -v tar >/dev/null 2>&1 || die "tar is not installed (install it, e.g. 'apt-get install tar')"
	pick_sha256
	if [ -n "$tag" ]; then
		base=$repo/releases/download/$tag
	else
		base=${GOVER_RELEASE_URL:-$repo/releases/latest/download}
	fi
	base=${base%/}
	asset=gover_${os}_${arch}.tar.gz
	prepare_dir
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/gover-install.XXXXXX") || die "cannot create a temporary folder"
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 130' INT TERM

	say "downloading $asset from $base"
	fetch "$base/$checksums" "$tmp/$checksums"
	want=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print tolower($1); exit }' "$tmp/$checksums")
	case $want in
	'') die "$checksums at $base lists no $asset (is GOVER_RELEASE_URL a gover release?)" ;;
	*[!0-9a-f]*) die "$checksums at $base has no valid SHA-256 for $asset" ;;
	esac
	[ ${#want} -eq 64 ] || die "$checksums at $base has no valid SHA-256 for $asset"
	fetch "$base/$asset" "$tmp/$asset"
	got=$(sha256 "$tmp/$asset")
	if [ "$got" != "$want" ]; then
		# Exit 3, as gover does when a verification fails.
		printf 'install.sh: %s\n' "$asset SHA-256 is $got but $checksums says $want (the download was altered or corrupted; nothing was installed)" >&2
		exit 3
	fi
	mkdir "$tmp/x"
	tar -xzf "$tmp/$asset" -C "$tmp/x" gover gover-shim 2>/dev/null ||
		die "cannot unpack $asset (the archive holds no gover and gover-shim)"
	install_from "$tmp/x"
}

# finish puts gover's shims on PATH with --setup, else says how.
finish() {
	if [ -n "$setup" ]; then
		"$dir/gover" setup || die "'gover setup' failed; gover itself is installed in $dir (run '$dir/gover setup' once fixed)"
		return
	fi
	shown=$dir
	case $dir in
	"$HOME"/*)
		# shellcheck disable=SC2016 # $HOME is for the rc file to expand
		shown='$HOME'${dir#"$HOME"}
		;;
	esac
	case ":${PATH:-}:" in
	*":$dir:"*) onpath=1 ;;
	*) onpath= ;;
	esac
	case ${SHELL:-} in
	*/zsh) rc=$HOME/.zshrc shell=zsh ;;
	*/fish) rc=$HOME/.config/fish/config.fish shell=fish ;;
	*/bash) rc=$HOME/.bashrc shell=bash ;;
	*) rc='your shell startup file' shell= ;;
	esac
	if [ "$shell" = fish ]; then
		line="gover init fish | source"
		[ -n "$onpath" ] || line="fish_add_path $shown; $line"
	elif [ -n "$shell" ]; then
		line="eval \"\$(gover init $shell)\""
		[ -n "$onpath" ] || line="export PATH=\"$shown:\$PATH\"; $line"
	else
		line="export PATH=\"$shown:\$PATH\""
	fi
	# 'gover setup' writes gover's absolute path, so the line works in new
	# shells whatever their PATH; here, gover is on PATH only if $dir is.
	setup_cmd="gover setup"
	[ -n "$onpath" ] || setup_cmd="$dir/gover setup"
	say ""
	say "To use it, add this line to $rc (or run '$setup_cmd', which does it for you):"
	say ""
	say "	$line"
	say ""
}

if [ -z "$release" ] && is_checkout; then
	build_from_checkout
else
	download_release
fi
finish
