#!/bin/bash
# Quick start, command 1: install what is missing, build, and run the generator on the
# shipped example config (conf.d/), printing what it emitted and systemd-analyze verify's
# verdict.  Nothing is installed into the system and nothing is applied.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
[ -f build/build.ninja ] || meson setup build --prefix=/usr >/dev/null
ninja -C build >/dev/null

root=$(mktemp -d); out=$(mktemp -d); trap 'rm -rf "$root" "$out"' EXIT
mkdir -p "$root/etc/hostvirt"; cp conf.d/*.conf "$root/etc/hostvirt/"
echo "== hostvirt-generator on conf.d/ (HOSTVIRT_ROOT=$root)"
rc=0; HOSTVIRT_ROOT=$root build/generators/hostvirt-generator "$out" || rc=$?
echo "== generator exit status: $rc"
(cd "$out" && find . -mindepth 1 \( -type l -printf '%P -> %l\n' \) -o \( -type f -printf '%P\n' \) | sort) | sed 's/^/   /'
echo
HOSTVIRT_ROOT=$root build/src/cli/hostvirt plan 2>/dev/null || (cd "$out" && for f in $(find . -type f | sort); do echo "# $f"; cat "$f"; echo; done)

echo "== systemd-analyze verify (template units from the build tree)"
units=$(mktemp -d); trap 'rm -rf "$root" "$out" "$units"' EXIT
for f in build/units/test-*@.service; do b=$(basename "$f"); cp "$f" "$units/${b#test-}"; done
list=$(cd "$out" && { find . -type l -printf '%f\n'; find . -maxdepth 1 -name '*.d' -printf '%f\n' | sed 's/\.d$//'; find . -maxdepth 1 -type f -printf '%f\n'; } | sort -u | tr ':' '_')
(cd "$out" && find . -depth -name '*:*' -execdir bash -c 'mv "$1" "${1//:/_}"' _ {} \;)
for u in $list; do case $u in *@*|*.device) ;; *) [ -e "$out/$u" ] || [ -e "/lib/systemd/system/$u" ] || printf '[Service]\nExecStart=/bin/true\n' > "$units/$u" ;; esac; done
if (cd "$out" && SYSTEMD_UNIT_PATH="$units:$out:" systemd-analyze verify --man=no $list); then
        echo "== verify: OK ($(echo $list | wc -w) units)"
else
        echo "== verify: FAILED"; exit 1
fi
exit $rc
