#!/bin/sh
# install.sh — install gover and gover-shim.
#
# From a checkout of gover (this file beside go.mod), it builds both with
# the local Go and installs them to ${GOVER_INSTALL_DIR:-$HOME/.local/bin}.
set -eu

dir=${GOVER_INSTALL_DIR:-$HOME/.local/bin}
here=$(cd "$(dirname "$0")" && pwd)

die() {
	printf 'install.sh: %s\n' "$*" >&2
	exit 1
}

if [ -f "$here/go.mod" ] && grep -q '^module github.com/goverdev/gover$' "$here/go.mod"; then
	command -v go >/dev/null 2>&1 || die "building from a checkout needs Go on PATH (https://go.dev/dl/)"
	mkdir -p "$dir" || die "cannot create $dir (set GOVER_INSTALL_DIR to a folder you can write)"
	[ -w "$dir" ] || die "cannot write to $dir (set GOVER_INSTALL_DIR to a folder you can write)"
	(cd "$here" && GOTOOLCHAIN=local CGO_ENABLED=0 go build -trimpath -o "$dir/" ./cmd/gover ./cmd/gover-shim) ||
		die "go build failed"
	printf 'installed gover and gover-shim in %s\n' "$dir" >&2
else
	die "run this from a checkout of gover"
fi

case ":${PATH:-}:" in
*":$dir:"*) ;;
*) printf 'add %s to PATH, e.g.: export PATH="%s:$PATH"\n' "$dir" "$dir" >&2 ;;
esac
