#!/bin/bash
# systemd-analyze verify over a generator output directory, with our template units
# from a build tree (their helpers exist there) and stand-ins for services we only
# add drop-ins to (libvirt's, when not installed).  Exit status: verify's.
# usage: tools/verify-units.sh OUTPUT-DIR UNITS-BUILD-DIR
set -euo pipefail
out=$1 built=$2
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
mkdir "$t/units" "$t/out"
for f in "$built"/test-*@.service "$built"/test-*@.socket; do cp "$f" "$t/units/$(basename "${f#"$built"/test-}")"; done
# systemd-analyze verify (252) cannot take a unit name with ':' (it splits the argument
# there), so it checks a copy of the tree with ':' turned into '_' in file names, symlink
# targets, and the paths that name mount units (Where=, RequiresMountsFor=), so that
# they still match; everything else is unchanged.
cp -a "$out/." "$t/out/"
(cd "$t/out" && find . -depth -name '*:*' -execdir bash -c 'mv "$1" "${1//:/_}"' _ {} \;
 find . -type f \( -name '*.mount' -o -name '*.conf' \) -exec sed -i '/^\(Where\|RequiresMountsFor\)=/s/:/_/g' {} +
 find . -type l -lname '*:*' -exec bash -c 't=$(readlink "$1"); ln -sfn "${t//:/_}" "$1"' _ {} \;)
# every unit named by a symlink or a drop-in directory, and every unit file
list=$(cd "$t/out" && { find . -type l -printf '%f\n'; find . -mindepth 1 -maxdepth 1 -type d -name '*.d' -printf '%f\n' | sed 's/\.d$//'; find . -maxdepth 1 -type f -printf '%f\n'; } | sort -u)
[ -n "$list" ] || exit 0
# (an instance, e.g. of a libvirt service named in Services=, gets a stand-in template)
for u in $list; do
        case $u in *.device) continue ;; esac
        f=$u
        case $u in *@*) f=${u%%@*}@.${u##*.} ;; esac
        [ -e "$t/out/$u" ] || [ -e "$t/out/$f" ] || [ -e "$t/units/$f" ] || [ -e "/usr/lib/systemd/system/$f" ] || [ -e "/lib/systemd/system/$f" ] ||
                printf '[Unit]\nDescription=stand-in\n[Service]\nExecStart=/bin/true\n' > "$t/units/$f"
done
cd "$t/out" && SYSTEMD_UNIT_PATH="$t/units:$t/out:" xargs -d '\n' systemd-analyze verify --man=no <<<"$list"
