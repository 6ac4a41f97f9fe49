#!/bin/bash
# The Debian package, built the way Debian's buildds build it, on one release:
#
#   test-deb.sh RELEASE        (bookworm or trixie)
#
#  1. In a clean chroot of RELEASE (tests/lib/rootfs.sh RELEASE pkg: essential,
#     build-essential and `apt-get build-dep` of debian/control, nothing else), as the
#     unprivileged user "builder": dpkg-buildpackage -us -uc of a copy of the source
#     tree, with the package's own tests on (debian/rules runs them).  A Build-Depends
#     that is missing fails here.
#  2. Every compile command carried the hardening flags; every ELF file has BIND_NOW,
#     RELRO and PIE, every object the CET property (IBT, SHSTK) of -fcf-protection;
#     hardening-check (devscripts) agrees.
#  3. lintian -EviIL +pedantic on the .changes (source and binary): no error, no warning.
#     Its whole output is printed (and kept in the log).
#  4. In another chroot of RELEASE (tests/lib/rootfs.sh RELEASE lint) the .deb is
#     installed with apt (its Depends resolved from the archive), every file is where
#     that release's systemd.pc and udev.pc say, and the installed programs and units
#     work: hostvirt check, the generator, systemd-analyze verify of the installed units
#     and their helpers.
# Needs root (chroots); the trees are made once and cached.
source "$SRCDIR/tests/lib/common.sh"
RELEASE=${1:?usage: test-deb.sh RELEASE}
if [ "$(id -u)" != 0 ]; then echo "SKIP: needs root (chroot)"; exit 77; fi
PKG=$(SRCDIR=$SRCDIR "$SRCDIR/tests/lib/rootfs.sh" "$RELEASE" pkg)
LINT=$(SRCDIR=$SRCDIR "$SRCDIR/tests/lib/rootfs.sh" "$RELEASE" lint)
IN=$SRCDIR/tests/lib/in-root.sh
LOGS=$BUILDDIR/meson-logs/packaging-$RELEASE
rm -rf "$LOGS"; mkdir -p "$LOGS"
T=$(mktempdir)
version=$(dpkg-parsechangelog -l "$SRCDIR/debian/changelog" -S Version 2>/dev/null ||
          sed -n '1s/^hostvirt (\([^)]*\)).*/\1/p' "$SRCDIR/debian/changelog")
mversion=$(sed -n "s/^ *version : '\([^']*\)'.*/\1/p" "$SRCDIR/meson.build" | head -1)
[ "$version" = "$mversion" ] && pass version-matches-meson || fail version-matches-meson "changelog $version, meson.build $mversion"

# --- 1. build ---------------------------------------------------------------------------------
# the tree as meson sees it, without version control, build directories or package output
mkdir -p "$T/work/hostvirt-$version"
tar -C "$SRCDIR" --exclude=./.git --exclude='./build*' --exclude='./obj-*' --exclude=./debian/hostvirt \
        --exclude=./debian/.debhelper --exclude=./debian/files --exclude='./debian/*.substvars' \
        --exclude='./debian/*debhelper*' -cf - . | tar -C "$T/work/hostvirt-$version" -xf -
builder=$(awk -F: '$1 == "builder" { print $3 ":" $4 }' "$PKG/etc/passwd")
[ -n "$builder" ] || { fail builder-user "no user builder in $PKG"; finish; }
chown -R "$builder" "$T/work"
if "$IN" --rw "$T/work:/work" "$PKG" runuser -u builder -- env DEB_BUILD_OPTIONS="parallel=$(nproc)" \
        bash -c 'cd /work/hostvirt-* && dpkg-buildpackage -us -uc' >"$LOGS/build.log" 2>&1; then
        pass "dpkg-buildpackage ($RELEASE chroot, as builder, with the package's tests)"
else
        tail -60 "$LOGS/build.log"; fail dpkg-buildpackage "see the log above ($LOGS/build.log)"; finish
fi
grep -E '^(Ok|Fail|Skipped|Timeout): ' "$LOGS/build.log" | tr -s ' ' | tr '\n' ' ' | sed 's/^/package tests: /; s/$/\n/'
grep -qE '^Ok: +[1-9]' "$LOGS/build.log" && grep -qE '^Fail: +0' "$LOGS/build.log" &&
        pass package-tests-ran || fail package-tests-ran "no meson test summary with passes in the build log"
deb=$T/work/hostvirt_${version}_$(dpkg --print-architecture).deb
changes=$T/work/hostvirt_${version}_$(dpkg --print-architecture).changes
[ -f "$deb" ] && [ -f "$changes" ] && pass "package files: $(cd "$T/work" && ls hostvirt_* | tr '\n' ' ')" ||
        { fail package-files "no $deb or $changes: $(ls "$T/work")"; finish; }

# --- 2. hardening -------------------------------------------------------------------------------
cc_json=$(ls "$T"/work/hostvirt-*/obj-*/compile_commands.json 2>/dev/null | head -1)
if [ -f "$cc_json" ]; then
        for flag in -fstack-clash-protection -fcf-protection -fstack-protector-strong -D_FORTIFY_SOURCE=2; do
                n=$(jq 'length' "$cc_json"); m=$(jq --arg f "$flag" '[.[] | select(.command | contains($f))] | length' "$cc_json")
                [ "$n" -gt 0 ] && [ "$n" = "$m" ] && pass "compile-flag $flag ($m of $n commands)" ||
                        fail "compile-flag $flag" "in $m of $n compile commands"
        done
else
        fail compile-commands "no compile_commands.json in the package build directory"
fi
R=$T/root
dpkg -x "$deb" "$R"
elves=()
while IFS= read -r -d '' f; do
        [ "$(head -c 4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] && elves+=("$f")
done < <(find "$R" -type f -print0)
[ ${#elves[@]} -ge 6 ] && pass "elf-files (${#elves[@]})" || fail elf-files "only ${#elves[@]} ELF files in the package"
for f in "${elves[@]}"; do
        n=${f#"$R"}; bad=
        readelf -d "$f" | grep -q 'FLAGS.*\bNOW\b' || bad+=" no-BIND_NOW"
        readelf -lW "$f" | grep -q GNU_RELRO || bad+=" no-RELRO"
        readelf -h "$f" | grep -q 'Type: *DYN' || bad+=" not-PIE"
        [ -z "$bad" ] && pass "hardened $n" || fail "hardened $n" "$bad"
done
# -fcf-protection: every object compiled from our sources carries the CET property
# (IBT, SHSTK).  A linked program carries it only when every input does, and Debian's
# C start files (crt1.o, crti.o, libc_nonshared.a) have none on either release, so the
# programs themselves cannot: that is reported, not failed.
objs=$(find "$T"/work/hostvirt-*/obj-*/src "$T"/work/hostvirt-*/obj-*/generators -name '*.o' | sort)
nobj=$(wc -l <<<"$objs"); bad=
while IFS= read -r o; do readelf -nW "$o" | grep -q 'x86 feature: IBT, SHSTK' || bad+=" ${o##*/obj-*/}"; done <<<"$objs"
[ "$nobj" -ge 10 ] && [ -z "$bad" ] && pass "cf-protection: IBT and SHSTK in all $nobj objects" || fail cf-protection "$nobj objects, without:$bad"
crt=$("$IN" "$PKG" bash -c 'readelf -nW /usr/lib/*-linux-gnu/crt1.o /usr/lib/*-linux-gnu/Scrt1.o | grep -c "IBT, SHSTK"' 2>/dev/null || true)
echo "INFO programs with the CET property: $(for f in "${elves[@]}"; do readelf -nW "$f" | grep -q 'IBT, SHSTK' && echo x; done | wc -l) of ${#elves[@]} (this release's crt1.o/Scrt1.o with it: ${crt:-0} of 2)"
chmod -R a+rX "$T/work"
# hardening-check: exit 0 only when every test it makes passes; control flow integrity
# and (Debian 13's hardening-check) branch protection left out, both the whole-program
# property of the reason above
if "$IN" --ro "$T/work:/work" "$LINT" bash -c 'cd /tmp && for d in /work/*.deb; do dpkg-deb -x "$d" x; done &&
        opts=(--nocfprotection); ! hardening-check --help 2>&1 | grep -q -- --nobranchprotection || opts+=(--nobranchprotection)
        echo "hardening-check ${opts[*]}"
        find x -type f -perm -u+x -exec sh -c "head -c4 \"\$1\" | grep -q ELF" _ {} \; -print | sort |
        xargs hardening-check "${opts[@]}"' >"$LOGS/hardening-check.txt" 2>&1; then
        pass "$(head -1 "$LOGS/hardening-check.txt") ($(grep -c ':$' "$LOGS/hardening-check.txt") programs)"
        sed 's/^/    /' "$LOGS/hardening-check.txt"
else
        cat "$LOGS/hardening-check.txt"; fail hardening-check "see above"
fi

# --- 3. lintian ---------------------------------------------------------------------------------
rc=0
"$IN" --ro "$T/work:/work" "$LINT" runuser -u nobody -- env HOME=/tmp bash -c \
        'lintian --version; lintian -EviIL +pedantic --fail-on error,warning /work/*.changes' >"$LOGS/lintian.txt" 2>&1 || rc=$?
echo "--- lintian -EviIL +pedantic on $RELEASE:"
sed 's/^/    /' "$LOGS/lintian.txt"
echo "--- (end of lintian's output)"
if [ "$rc" = 0 ] && ! grep -qE '^[EW]: ' "$LOGS/lintian.txt"; then
        pass "lintian $(head -1 "$LOGS/lintian.txt"): no error, no warning ($(grep -cE '^[IPX]: ' "$LOGS/lintian.txt") info/pedantic/experimental tags)"
else
        fail lintian "exit $rc: $(grep -E '^[EW]: ' "$LOGS/lintian.txt" | head -20)"
fi

# --- 4. installed on the release -------------------------------------------------------------------
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libinih1 libmnl0 libsystemd0 libudev1 'systemd (>= 250)' udev; do
        grep -qF -- "$lib" <<<"$depends" && pass "depends on $lib" || fail "depends on $lib" "$depends"
done
cat >"$T/installed.sh" <<'EOF'
set -eu
ok() { echo "PASS $1"; }
no() { echo "FAIL $1${2:+: $2}"; }
apt-get install -y -q --no-install-recommends /work/*.deb >/tmp/apt.log 2>&1 || { tail -20 /tmp/apt.log; no apt-install; exit 0; }
ok "apt-get install of the .deb"
files=$(dpkg -L hostvirt | sort)
has() { if grep -qxF -- "$2" <<<"$files"; then ok "$1"; else no "$1" "$2 is not in the package"; fi; }
has generator "$gendir/hostvirt-generator"
for u in interface-vf@.service hostvirt-hugepages@.service hostvirt-vlan@.service hostvirt-bridge@.service hostvirt-bond@.service \
         hostvirt-virtiofsd@.service hostvirt-virtiofsd@.socket; do
        has "template $u" "$unitdir/$u"
done
has cli /usr/bin/hostvirt
grep -q "^$udevdir/rules.d/.*\.rules$" <<<"$files" && ok udev-rules || no udev-rules "nothing in $udevdir/rules.d"
for m in man5/hostvirt.conf.5 man8/hostvirt-generator.8 man8/hostvirt.8 man8/interface-vf@.service.8; do
        has "man $m" "/usr/share/man/$m.gz"
done
has bash-completion /usr/share/bash-completion/completions/hostvirt
has example /usr/share/doc/hostvirt/examples/example.conf
has tmpfiles "$tmpfilesdir/hostvirt.conf"
for d in /run/hostvirt/net /run/hostvirt/hugepages; do
        [ -d $d ] && ok "made on install: $d" || no "made on install: $d" "no $d after apt-get install (dh_installtmpfiles)"
done
[ -d /etc/hostvirt ] && ok config-dir || no config-dir "no /etc/hostvirt"
# nothing outside the places hostvirt-generator(8) names (and the docs)
stray=$(while IFS= read -r f; do [ -d "$f" ] || echo "$f"; done <<<"$files" |
        grep -v "^$gendir/\|^$unitdir/\|^/usr/libexec/hostvirt/\|^/usr/bin/hostvirt$\|^$udevdir/rules.d/\|^/usr/share/man/\|^/usr/share/bash-completion/\|^/usr/share/doc/hostvirt/\|^$tmpfilesdir/hostvirt.conf$" || true)
[ -z "$stray" ] && ok no-stray-files || no no-stray-files "$stray"
# every helper a template runs is installed and executable
for u in "$unitdir"/interface-vf@.service "$unitdir"/hostvirt-*@.service; do
        for exe in $(sed -n 's/^Exec[A-Za-z]*=[-@:+!]*\([^ ]*\).*/\1/p' "$u" | sort -u); do
                [ -x "$exe" ] && ok "$(basename "$u") runs $exe" || no "$(basename "$u") runs $exe" "not installed"
        done
done
version=$(dpkg-query -W -f='${Version}' hostvirt)
hostvirt --version | grep -qx "hostvirt $version" && ok cli-runs || no cli-runs "$(hostvirt --version 2>&1)"
C=/tmp/conf; mkdir -p "$C/etc/hostvirt" "$C/sys/kernel/mm/hugepages/hugepages-2048kB" "$C/out"
printf '[Hugepages 2M]\nPages = 8\n\n[Bridge br9]\n' > "$C/etc/hostvirt/hp.conf"
HOSTVIRT_ROOT=$C hostvirt check -q && ok cli-check || no cli-check
HOSTVIRT_ROOT=$C "$gendir/hostvirt-generator" "$C/out" 2>/dev/null || true
[ "$(readlink "$C/out/sysinit.target.wants/hostvirt-hugepages@2M.service")" = "$unitdir/hostvirt-hugepages@.service" ] &&
        ok generator-runs || no generator-runs "$(cd "$C/out" && find . -printf '%p %l\n')"
# the installed units, as instances, with the installed helpers: systemd-analyze verify
if (cd /tmp && systemd-analyze verify --man=no interface-vf@eno4.service hostvirt-hugepages@2M.service \
        hostvirt-vlan@vlan20.service hostvirt-bridge@br20.service hostvirt-virtiofsd@share0.service \
        hostvirt-virtiofsd@share0.socket) >/tmp/verify.log 2>&1; then
        ok "systemd-analyze verify of the installed units"
else
        no "systemd-analyze verify of the installed units" "$(tr '\n' ' ' </tmp/verify.log)"
fi
EOF
# where the files belong on this release: its systemd.pc and udev.pc, read in the build tree
dirs=$("$IN" "$PKG" bash -c 'echo "gendir=$(pkg-config --variable=systemdsystemgeneratordir systemd)"
        echo "unitdir=$(pkg-config --variable=systemdsystemunitdir systemd)"
        echo "tmpfilesdir=$(pkg-config --variable=tmpfilesdir systemd)"
        echo "udevdir=$(pkg-config --variable=udevdir udev)"')
grep -qE '^unitdir=/' <<<"$dirs" && pass "directories of $RELEASE: $(tr '\n' ' ' <<<"$dirs")" || { fail pkg-config-dirs "$dirs"; finish; }
printf '%s\n' "$dirs" "$(cat "$T/installed.sh")" >"$T/installed-with-dirs.sh"
out=$("$IN" --ro "$T/work:/work" --ro "$T/installed-with-dirs.sh:/installed.sh" "$LINT" bash /installed.sh 2>&1) || true
while IFS= read -r l; do
        case $l in
        "PASS "*) pass "installed: ${l#PASS }" ;;
        "FAIL "*) fail "installed: ${l#FAIL }" ;;
        *) echo "$l" ;;
        esac
done <<<"$out"
grep -q '^PASS systemd-analyze verify' <<<"$out" || fail installed-checks-ran "the checks in the $RELEASE tree did not run to the end"
finish
