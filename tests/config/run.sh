#!/bin/bash
# The config cases: what the generator makes of a config, good or broken, hostile or
# odd, grouped by what they are about (tests/config/GROUP/NN-name/: syntax, files,
# cmdline, sriov, hugepages, net, libvirt, several-kinds).  One runner for all:
#   1. golden: the output tree, exact diagnostics and exit status, and
#      `systemd-analyze verify` of every unit the output names;
#   2. `hostvirt check` reports every error the generator reports, case by case;
#   3. files and directories the generator may not read (what git cannot store).
#
# Each case holds:
#   input/           the tree HOSTVIRT_ROOT points at (etc/hostvirt/*.conf, proc/cmdline, sys/...)
#   expected/        the generator's output tree (absent: no output at all)
#   expected.stderr  exact diagnostics (absent: none)
#   expected.rc      exit status (absent: 0)
#   env              optional KEY=VALUE lines for the generator's environment
#   args             optional: "three" to call the generator with three directories
#   prepare          optional script run in a copy of input/ first (for what git cannot
#                    store: file modes, NUL bytes, symlink loops)
# expected/ names the template directory as @UNITDIR@ (see tests/lib/unitdir.sh).
# Compared: sorted file list with types, file contents, symlink targets (diff -r
# --no-dereference), stderr and exit status.  Then `systemd-analyze verify` loads
# every unit the output names, with the template units built for the tests (their
# helpers exist in the build tree) and stand-ins for libvirt's services.
#
# usage: run.sh [CASE...]   (default: every GROUP/NN-* directory; a CASE given runs parts 1 and 2)
source "$SRCDIR/tests/lib/common.sh"
source "$SRCDIR/tests/lib/unitdir.sh"
GEN=$BUILDDIR/generators/hostvirt-generator
CLI=$BUILDDIR/src/cli/hostvirt
here=$SRCDIR/tests/config
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=("$here"/*/[0-9][0-9]-*/)

verify_tree() { "$SRCDIR/tools/verify-units.sh" "$1" "$UNITS_BUILD_DIR"; }

# The verifier itself must be able to fail: a drop-in requiring a unit that does not exist.
broken=$(mktempdir); mkdir -p "$broken/interface-vf@x.service.d"
printf '[Unit]\nRequires=hostvirt-no-such-unit.service\n' > "$broken/interface-vf@x.service.d/50-hostvirt.conf"
if verify_tree "$broken" >/dev/null 2>&1; then fail verify-catches-errors "systemd-analyze verify accepted a broken unit"; else pass verify-catches-errors; fi

for c in "${cases[@]}"; do
        c=$(realpath "$c"); name=$(basename "$(dirname "$c")")/$(basename "$c")
        out=$(mktempdir)/out; mkdir "$out"
        envs=(); [ -f "$c/env" ] && mapfile -t envs < "$c/env"
        dirs=("$out"); [ "$(cat "$c/args" 2>/dev/null)" = three ] && { mkdir "$out.early" "$out.late"; dirs=("$out" "$out.early" "$out.late"); }
        # (git keeps no empty directories: an input/ that prepare fills may be absent)
        root=$(mktempdir)/root; if [ -d "$c/input" ]; then cp -a "$c/input" "$root"; else mkdir -p "$root"; fi
        [ -x "$c/prepare" ] && (cd "$root" && "$c/prepare")
        rc=0
        env -u SYSTEMD_VIRTUALIZATION HOSTVIRT_ROOT="$root" "${envs[@]}" "$GEN" "${dirs[@]}" 2> "$out.stderr" || rc=$?
        ok=1
        want_rc=$(cat "$c/expected.rc" 2>/dev/null || echo 0)
        [ "$rc" = "$want_rc" ] || { fail "$name" "exit status $rc, expected $want_rc"; ok=0; }
        if ! diff -u "${c}/expected.stderr" "$out.stderr" >/dev/null 2>&1; then
                if [ -f "$c/expected.stderr" ] || [ -s "$out.stderr" ]; then
                        diff -u "$c/expected.stderr" "$out.stderr" 2>/dev/null || diff -u /dev/null "$out.stderr" || true
                        fail "$name" "stderr differs"; ok=0
                fi
        fi
        exp=$(mktempdir)/expected
        if [ -d "$c/expected" ]; then expected_tree "$c/expected" "$exp"; else mkdir "$exp"; fi
        if ! diff -u <(cd "$exp" && find . -mindepth 1 -printf '%y %P\n' | sort) <(cd "$out" && find . -mindepth 1 -printf '%y %P\n' | sort); then
                fail "$name" "file list differs"; ok=0
        elif ! diff -r --no-dereference -u "$exp" "$out"; then
                fail "$name" "contents differ"; ok=0
        fi
        for d in "${dirs[@]:1}"; do [ -z "$(ls -A "$d")" ] || { fail "$name" "wrote into $d"; ok=0; }; done
        if [ $ok = 1 ]; then
                if verify_out=$(verify_tree "$out" 2>&1); then pass "$name"; else echo "$verify_out"; fail "$name" "systemd-analyze verify failed"; fi
        fi
done
# --- hostvirt check reports every error the generator reports ---------------------------------
# (check also looks at the host, e.g. which page sizes the kernel has: it may say more)
for c in "${cases[@]}"; do
        c=$(realpath "$c"); name=$(basename "$(dirname "$c")")/$(basename "$c"); root=$(mktempdir)/root
        if [ -d "$c/input" ]; then cp -a "$c/input" "$root"; else mkdir -p "$root"; fi
        [ -x "$c/prepare" ] && (cd "$root" && "$c/prepare")
        rc=0; out=$(HOSTVIRT_ROOT=$root "$CLI" check 2>&1 >/dev/null) || rc=$?
        missing=$(comm -23 <(grep -a ': error: ' "$c/expected.stderr" 2>/dev/null | sort) \
                           <(grep -a ': error: ' <<<"$out" | sort))
        if [ -n "$missing" ]; then
                echo "$missing"
                fail "check-$name" "hostvirt check does not report these errors of the generator"
        elif [ -s "$c/expected.rc" ] && [ "$rc" != 1 ]; then
                fail "check-$name" "exit status $rc with errors, expected 1"
        else
                pass "check-$name"
        fi
done

[ $# -gt 0 ] && finish   # only the cases asked for

# --- unreadable files and directories ------------------------------------------------------------
# As another user, mode 000 refuses the read by itself.  As root it does not
# (CAP_DAC_OVERRIDE): the generator then runs with CAP_DAC_OVERRIDE and
# CAP_DAC_READ_SEARCH out of its bounding set, still uid 0, as at boot.
if [ "$(id -u)" != 0 ]; then
        unreadable() { env -u SYSTEMD_VIRTUALIZATION HOSTVIRT_ROOT="$1" "$GEN" "$2"; }
elif setpriv --bounding-set -dac_override,-dac_read_search true 2>/dev/null; then
        unreadable() { # ROOT OUT: the generator as root, minus the capabilities that read anything
                env -u SYSTEMD_VIRTUALIZATION HOSTVIRT_ROOT="$1" \
                        setpriv --bounding-set -dac_override,-dac_read_search "$GEN" "$2"
        }
else
        skip unreadable "setpriv cannot drop capabilities here"
        finish
fi
root=$(mktempdir); out=$(mktempdir)
mkdir -p "$root/etc/hostvirt" "$root/usr/lib/hostvirt/private"
printf '[SR-IOV secret0]\nVirtualFunctions = 1\n' > "$root/etc/hostvirt/10-secret.conf"
chmod 000 "$root/etc/hostvirt/10-secret.conf"
printf '[SR-IOV ok1]\nVirtualFunctions = 1\n' > "$root/etc/hostvirt/20-ok.conf"
printf '[SR-IOV vendor2]\nVirtualFunctions = 1\n' > "$root/usr/lib/hostvirt/30-vendor.conf"
ln -s private/x.conf "$root/usr/lib/hostvirt/40-behind.conf"   # in a directory it may not search
printf '[SR-IOV hidden3]\nVirtualFunctions = 1\n' > "$root/usr/lib/hostvirt/private/x.conf"
chmod 000 "$root/usr/lib/hostvirt/private"
mkdir -p "$root/run/hostvirt"; chmod 000 "$root/run/hostvirt"   # a directory it may not list
rc=0; err=$(unreadable "$root" "$out" 2>&1) || rc=$?
want="/etc/hostvirt/10-secret.conf: error: cannot open: Permission denied
/run/hostvirt: error: cannot open directory: Permission denied
/usr/lib/hostvirt/40-behind.conf: error: cannot open: Permission denied"
if [ "$(sort <<<"$err")" = "$(sort <<<"$want")" ]; then pass unreadable-messages; else
        diff -u <(sort <<<"$want") <(sort <<<"$err") || true; fail unreadable-messages; fi
check unreadable-exit-status test "$rc" = 1
check unreadable-rest-emitted test -e "$out/interface-vf@ok1.service.d/50-hostvirt.conf" -a \
        -e "$out/interface-vf@vendor2.service.d/50-hostvirt.conf"
check unreadable-nothing-of-it-emitted test ! -e "$out/interface-vf@secret0.service.d" -a \
        ! -e "$out/interface-vf@hidden3.service.d"
# and the same tree with the capabilities: everything is read (the test above is not vacuous)
if [ "$(id -u)" = 0 ]; then
        out2=$(mktempdir)
        env -u SYSTEMD_VIRTUALIZATION HOSTVIRT_ROOT="$root" "$GEN" "$out2" 2>/dev/null || true
        check unreadable-readable-with-caps test -e "$out2/interface-vf@secret0.service.d/50-hostvirt.conf"
else
        chmod 644 "$root/etc/hostvirt/10-secret.conf"; chmod 755 "$root/usr/lib/hostvirt/private" "$root/run/hostvirt"
        out2=$(mktempdir)
        env -u SYSTEMD_VIRTUALIZATION HOSTVIRT_ROOT="$root" "$GEN" "$out2" 2>/dev/null || true
        check unreadable-readable-with-modes test -e "$out2/interface-vf@secret0.service.d/50-hostvirt.conf" -a \
                -e "$out2/interface-vf@hidden3.service.d/50-hostvirt.conf"
fi
# (the temporary tree is removed at exit; as another user it needs its modes back for that)
chmod -R u+rwX "$root" 2>/dev/null || true
finish
