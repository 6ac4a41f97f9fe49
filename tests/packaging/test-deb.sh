#!/bin/bash
# The Debian package: dpkg-buildpackage -us -uc -b in a copy of the source tree, then the
# .deb unpacked with dpkg -x into a throwaway root, where every file must be where CONTRACT
# section 1 says (the directories from pkg-config, as meson reads them) and the programs
# must run.  The package's own test step is skipped (DEB_BUILD_OPTIONS=nocheck): those
# suites run on their own.
source "$SRCDIR/tests/lib/common.sh"
for p in dpkg-buildpackage dh pkg-config; do
        command -v $p >/dev/null || { echo "$p is needed (Debian packages dpkg-dev, debhelper)"; exit 1; }
done
T=$(mktempdir)

# the tree as meson sees it, without version control, build directories or package output
mkdir "$T/src"
tar -C "$SRCDIR" --exclude=./.git --exclude='./build*' --exclude='./obj-*' --exclude=./debian/hostvirt \
        --exclude=./debian/.debhelper --exclude=./debian/files --exclude='./debian/*.substvars' \
        --exclude='./debian/*debhelper*' -cf - . | tar -C "$T/src" -xf -
if (cd "$T/src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b) > "$T/build.log" 2>&1; then
        pass dpkg-buildpackage
else
        tail -40 "$T/build.log"; fail dpkg-buildpackage "see the log above"; finish
fi
version=$(dpkg-parsechangelog -l "$SRCDIR/debian/changelog" -S Version)
deb=$(ls "$T"/hostvirt_"$version"_*.deb 2>/dev/null | head -1)
[ -f "$deb" ] && pass "one package: $(basename "$deb")" || { fail package-file "no hostvirt_${version}_*.deb in $(ls "$T")"; finish; }

# debian/changelog and meson.build agree on the version
mversion=$(sed -n "s/^ *version : '\([^']*\)'.*/\1/p" "$SRCDIR/meson.build" | head -1)
[ "$version" = "$mversion" ] && pass version-matches-meson || fail version-matches-meson "changelog $version, meson.build $mversion"

R=$T/root
dpkg -x "$deb" "$R"
files=$(cd "$R" && find . ! -type d | sed 's|^\.||' | sort)
has() { # NAME PATH: the package holds PATH
        if grep -qxF -- "$2" <<<"$files"; then pass "$1"; else fail "$1" "$2 is not in the package"; fi
}
gendir=$(pkg-config --variable=systemdsystemgeneratordir systemd)
unitdir=$(pkg-config --variable=systemdsystemunitdir systemd)
udevdir=$(pkg-config --variable=udevdir udev 2>/dev/null || echo /lib/udev)
has generator "$gendir/hostvirt-generator"
for u in interface-vf@.service hostvirt-hugepages@.service hostvirt-vlan@.service hostvirt-bridge@.service; do
        has "template $u" "$unitdir/$u"
done
has cli /usr/bin/hostvirt
grep -q "^$udevdir/rules.d/.*\.rules$" <<<"$files" && pass udev-rules || fail udev-rules "nothing in $udevdir/rules.d"
for m in man5/hostvirt.conf.5 man8/hostvirt-generator.8 man8/hostvirt.8 man8/interface-vf@.service.8; do
        has "man $m" "/usr/share/man/$m.gz"
done
has bash-completion /usr/share/bash-completion/completions/hostvirt
has example /usr/share/doc/hostvirt/examples/example.conf
[ -d "$R/etc/hostvirt" ] && pass config-dir || fail config-dir "no /etc/hostvirt"
# nothing outside the places the contract names (and the docs)
stray=$(grep -v "^$gendir/\|^$unitdir/\|^/usr/libexec/hostvirt/\|^/usr/bin/hostvirt$\|^$udevdir/rules.d/\|^/usr/share/man/\|^/usr/share/bash-completion/\|^/usr/share/doc/hostvirt/" <<<"$files" || true)
[ -z "$stray" ] && pass no-stray-files || fail no-stray-files "$stray"

# every helper a template runs is in the package, under $(libexecdir)/hostvirt/
for u in "$R$unitdir"/*.service; do
        for exe in $(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\([^ ]*\).*/\1/p' "$u" | sort -u); do
                case $exe in
                /usr/libexec/hostvirt/*) [ -x "$R$exe" ] && pass "$(basename "$u") runs $exe" || fail "$(basename "$u") runs $exe" "not in the package" ;;
                *) [ -x "$exe" ] && pass "$(basename "$u") runs $exe (system)" || fail "$(basename "$u") runs $exe" "neither ours nor on this system" ;;
                esac
        done
done

# the packaged programs run, linked against the libraries the package depends on
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libinih1 libmnl0 libsystemd0 libudev1 systemd; do
        grep -qw "$lib" <<<"$depends" && pass "depends on $lib" || fail "depends on $lib" "$depends"
done
"$R/usr/bin/hostvirt" --version | grep -qx "hostvirt $version" && pass cli-runs || fail cli-runs
C=$T/conf; mkdir -p "$C/etc/hostvirt" "$C/sys/kernel/mm/hugepages/hugepages-2048kB" "$C/out"
printf '[Hugepages 2M]\nPages = 8\n' > "$C/etc/hostvirt/hp.conf"
HOSTVIRT_ROOT=$C "$R/usr/bin/hostvirt" check -q && pass cli-check || fail cli-check
HOSTVIRT_ROOT=$C "$R$gendir/hostvirt-generator" "$C/out" 2>/dev/null
[ -L "$C/out/sysinit.target.wants/hostvirt-hugepages@2M.service" ] && [ "$(readlink "$C/out/sysinit.target.wants/hostvirt-hugepages@2M.service")" = "$unitdir/hostvirt-hugepages@.service" ] &&
        pass generator-runs || fail generator-runs "$(cd "$C/out" && find . -printf '%p %l\n')"
finish
