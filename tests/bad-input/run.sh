#!/bin/bash
# The bad-input corpus: every tests/bad-input/NN-name/ is a golden generator case
# (same layout as tests/generator/, run by its run-golden.sh: FILE:LINE messages,
# exit status, and the valid rest of the config still emitted and passing
# `systemd-analyze verify`).  Then what the golden layout cannot express:
#   - `hostvirt check` reports every error the generator reports, case by case;
#   - files and directories the generator cannot read.  As root, mode 000 does
#     not stop a read (CAP_DAC_OVERRIDE), so the generator runs with
#     CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH taken out of its bounding set
#     (still uid 0, as at boot), the way the kernel refuses a read for real.
source "$SRCDIR/tests/lib/common.sh"
GEN=$BUILDDIR/generators/hostvirt-generator
CLI=$BUILDDIR/src/cli/hostvirt
here=$SRCDIR/tests/bad-input

bash "$SRCDIR/tests/generator/run-golden.sh" "$here"/[0-9][0-9]-*/ || fail golden "see above"

# --- hostvirt check reports every error the generator reports ---------------------------------
# (check also looks at the host, e.g. which page sizes the kernel has: it may say more)
for c in "$here"/[0-9][0-9]-*/; do
        name=$(basename "$c"); root=$(mktempdir)/root
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
