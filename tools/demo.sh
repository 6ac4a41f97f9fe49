#!/bin/bash
# Quick start, command 1: install what is missing, build, and run the generator on the
# shipped example config (conf.d/), printing what it emitted and systemd-analyze verify's
# verdict.  Nothing is installed into the system and nothing is applied.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
# (meson says what went wrong on stdout: shown only then)
if [ ! -f build/build.ninja ] && ! out=$(meson setup build --prefix=/usr 2>&1); then
        echo "$out" >&2; exit 1
fi
ninja -C build >/dev/null

root=$(mktemp -d); out=$(mktemp -d); trap 'rm -rf "$root" "$out"' EXIT
mkdir -p "$root/etc/hostvirt"; cp conf.d/*.conf "$root/etc/hostvirt/"
echo "== hostvirt-generator on conf.d/ (HOSTVIRT_ROOT=$root)"
rc=0; HOSTVIRT_ROOT=$root build/generators/hostvirt-generator "$out" || rc=$?
echo "== generator exit status: $rc"
(cd "$out" && find . -mindepth 1 \( -type l -printf '%P -> %l\n' \) -o \( -type f -printf '%P\n' \) | sort) | sed 's/^/   /'
echo
# the same units as text (hostvirt plan uses the generator's own code)
HOSTVIRT_ROOT=$root build/src/cli/hostvirt plan || true

echo "== systemd-analyze verify (template units from the build tree)"
if tools/verify-units.sh "$out" build/units; then
        echo "== verify: OK"
else
        echo "== verify: FAILED"; exit 1
fi
exit $rc
