#!/bin/bash
# The record directories below /run/hostvirt: tmpfiles.d/hostvirt.conf makes them
# (systemd-tmpfiles itself, in a scratch root), and every /run/hostvirt path a unit makes
# writable is one it makes.  No unit uses an exec directory (RuntimeDirectory= and
# friends): from systemd 257 on each start of such a unit forks a process to probe for
# ID-mapped mounts, against the zero-process goal that the integration suite measures.
# usage: tmpfiles.sh UNIT...   (the units as installed)
source "$SRCDIR/tests/lib/common.sh"
conf=$SRCDIR/tmpfiles.d/hostvirt.conf
command -v systemd-tmpfiles >/dev/null || { fail systemd-tmpfiles "systemd-tmpfiles is not installed"; finish; }
r=$(mktempdir)
owner="root root"
if [ "$(id -u)" != 0 ]; then
        # (as another user, e.g. in a package build, nothing can be given to root: the
        # owners are checked in the file, the rest with a copy that leaves them out)
        for d in /run/hostvirt /run/hostvirt/net /run/hostvirt/hugepages; do
                grep -qxE "d $d 0755 root root -" "$conf" && pass "$d is root's" || fail "$d is root's" "no 'd $d 0755 root root -' line"
        done
        sed -E 's/^(d [^ ]+ [0-7]+) root root /\1 - - /' "$conf" > "$r.conf"
        conf=$r.conf owner="$(id -un) $(id -gn)"
fi
if out=$(systemd-tmpfiles --root="$r" --create "$conf" 2>&1); then pass "tmpfiles-create"; else fail tmpfiles-create "$out"; fi
for d in /run/hostvirt /run/hostvirt/net /run/hostvirt/hugepages; do
        m=$(stat -c '%a %U %G' "$r$d" 2>/dev/null || echo missing)
        [ "$m" = "755 $owner" ] && pass "made $d ($m)" || fail "made $d" "$m"
done
n=0
for u in "$@"; do
        b=$(basename "$u")
        bad=$(grep -E '^(RuntimeDirectory|StateDirectory|CacheDirectory|LogsDirectory)=' "$u" || true)
        [ -z "$bad" ] && pass "$b: no exec directory" || fail "$b: no exec directory" "$bad"
        for p in $(sed -n 's/^ReadWritePaths=//p' "$u"); do
                p=${p#-}
                case $p in /run/hostvirt*) ;; *) continue ;; esac
                n=$((n + 1))
                [ -d "$r$p" ] && pass "$b: $p is made by tmpfiles.d" || fail "$b: $p" "not made by tmpfiles.d/hostvirt.conf"
                grep -qE '^After=.*\bsystemd-tmpfiles-setup\.service\b' "$u" && pass "$b: after systemd-tmpfiles-setup" ||
                        fail "$b: after systemd-tmpfiles-setup" "ReadWritePaths=$p but no After=systemd-tmpfiles-setup.service"
        done
done
[ "$n" -ge 3 ] && pass "record directories named by the units ($n)" || fail record-directories "only $n /run/hostvirt paths in ReadWritePaths="
finish
