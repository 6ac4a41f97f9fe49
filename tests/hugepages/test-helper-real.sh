#!/bin/bash
# hostvirt-hugepages on this machine's real /sys: a few 2M pages through the
# helper, the hugetlbfs mount the generator emits for them, a file mapped on
# it, and stop putting the pool back as found.
#
# The config directories are re-rooted only together with /sys and /proc, so
# HOSTVIRT_ROOT is a directory holding etc/hostvirt/ and symlinks sys -> /sys,
# proc -> /proc: the helper reads our config and writes the real pools.  The
# mount is made in a private mount namespace (unshare -m), so it vanishes with
# the test whatever happens.  The pool counts are host-global: every count is
# snapshot first and put back on exit, whatever the helper did.
#
# usage: test-helper-real.sh HUGETLB_MAP FAULT_INJECT_SO   (BUILDDIR, SRCDIR from meson)
source "$SRCDIR/tests/lib/common.sh"
MAP=$1
SHIM=$(realpath "$2")
HELPER=$BUILDDIR/src/hugepages/hostvirt-hugepages
GEN=$BUILDDIR/generators/hostvirt-generator
POOL=/sys/kernel/mm/hugepages/hugepages-2048kB
unset FAULT_HUGEPAGES_LIMIT JOURNAL_STREAM FAULT_MATCH FAULT_NTH FAULT_ERRNO FAULT_BLOCK FAULT_LOG FAULT_SENDTO_NTH
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

if [ "$(id -u)" != 0 ] || [ ! -w "$POOL/nr_hugepages" ]; then
        echo "SKIP: needs root and 2M hugepages in this kernel"
        exit 77
fi

snapshot=$(for f in /sys/kernel/mm/hugepages/*/nr_hugepages /sys/devices/system/node/node*/hugepages/*/nr_hugepages; do
        echo "$f $(cat "$f")"; done)
restore_host() {
        local f v
        while read -r f v; do
                [ "$(cat "$f")" = "$v" ] || echo "$v" > "$f" || echo "could not put $f back to $v" >&2
        done <<<"$snapshot"
}
# ahead of common.sh's own exit trap (the temporary directories)
trap "restore_host; $(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")" EXIT

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

found=$(cat "$POOL/nr_hugepages")
want=$((found + 4))
hugetlb_before=$(meminfo Hugetlb)
t=$(mktempdir)
root=$t/root
mkdir -p "$root/etc/hostvirt"
ln -s /sys "$root/sys"
ln -s /proc "$root/proc"
cat > "$root/etc/hostvirt/hugepages.conf" <<EOF
[Hugepages 2M]
Pages = $want
Mount = $t/hugepages-2M
Mode = 1770
Group = root
EOF

# --- start: the pool grows by 4 pages ---
rc=0; out=$(HOSTVIRT_ROOT=$root "$HELPER" start 2M 2>&1) || rc=$?
echo "$out"
if [ $rc = 0 ]; then pass start; else fail start "exit status $rc"; fi
if grep -qxF "2M: allocated $want of $want pages." <<<"$out"; then pass start-log; else fail start-log "$out"; fi
v=$(cat "$POOL/nr_hugepages")
if [ "$v" = "$want" ]; then pass nr_hugepages; else fail nr_hugepages "$v, expected $want"; fi
v=$(meminfo Hugetlb)
if [ "$v" = $((hugetlb_before + 4 * 2048)) ]; then pass meminfo-hugetlb; else fail meminfo-hugetlb "Hugetlb: $v kB, expected $((hugetlb_before + 4 * 2048))"; fi
if [ "$(meminfo Hugepagesize)" = 2048 ]; then
        v=$(meminfo HugePages_Total)
        if [ "$v" = "$want" ]; then pass meminfo-total; else fail meminfo-total "HugePages_Total: $v, expected $want"; fi
fi
check recorded grep -qx "global $found" "$root/run/hostvirt/hugepages/2M"

# --- the generated mount unit, mounted as systemd would, and a file mapped on it ---
mkdir "$t/out"
HOSTVIRT_ROOT=$root "$GEN" "$t/out" 2> "$t/gen.err" || fail generator "$(cat "$t/gen.err")"
unit=$(find "$t/out" -maxdepth 1 -name '*.mount')
if [ -n "$unit" ]; then
        key() { sed -n "s/^$1=//p" "$unit"; }
        what=$(key What); where=$(key Where); type=$(key Type); opts=$(key Options)
        echo "mount unit: $(basename "$unit"): $what $where -t $type -o $opts"
        check mount-options test "$opts" = "pagesize=2M,mode=1770,gid=root"
        rc=0
        res=$(unshare -m --propagation private bash -ec '
                mkdir -p "$2"; mount -t "$3" -o "$4" "$1" "$2"
                stat -c "mode=%a group=%G" "$2"
                free0=$(cat '"$POOL"'/free_hugepages)
                "$5" "$2/guest-ram" 2048 2
                echo "taken=$((free0 - $(cat '"$POOL"'/free_hugepages)))"
                rm "$2/guest-ram"
                echo "back=$(( $(cat '"$POOL"'/free_hugepages) - free0 ))"
                umount "$2"' sh "$what" "$where" "$type" "$opts" "$MAP" 2>&1) || rc=$?
        echo "$res"
        if [ $rc = 0 ]; then pass mount-and-map; else fail mount-and-map "exit status $rc"; fi
        check mount-mode grep -qx "mode=1770 group=root" <<<"$res"
        check map-takes-pages grep -qx "taken=2" <<<"$res"
        check rm-gives-back grep -qx "back=0" <<<"$res"
else
        fail mount-unit "the generator emitted no .mount unit: $(ls -R "$t/out")"
fi

# --- stop: back to the count found ---
rc=0; out=$(HOSTVIRT_ROOT=$root "$HELPER" stop 2M 2>&1) || rc=$?
echo "$out"
if [ $rc = 0 ]; then pass stop; else fail stop "exit status $rc"; fi
v=$(cat "$POOL/nr_hugepages")
if [ "$v" = "$found" ]; then pass stop-count; else fail stop-count "$v, expected $found"; fi
v=$(meminfo Hugetlb)
if [ "$v" = "$hugetlb_before" ]; then pass stop-meminfo; else fail stop-meminfo "Hugetlb: $v kB, expected $hugetlb_before"; fi
check stop-record-gone test ! -e "$root/run/hostvirt/hugepages/2M"

# --- a shortfall on the real kernel: one page short at first (played by
#     fault-inject.so, which writes the lower count in place of the helper's, so
#     the kernel really grants one page fewer), then the real
#     /proc/sys/vm/compact_memory and a retry that gets it ---
rc=0
out=$(HOSTVIRT_ROOT=$root LD_PRELOAD=$SHIM FAULT_HUGEPAGES_LIMIT="2M=$((want - 1))+1" "$HELPER" start 2M 2>&1) || rc=$?
echo "$out"
if [ $rc = 0 ]; then pass compact-start; else fail compact-start "exit status $rc"; fi
if grep -qxF "2M: short of pages, compacting memory and trying again (1 of 3)." <<<"$out" &&
   ! grep -q "failed to compact" <<<"$out"; then pass compact-real; else fail compact-real "$out"; fi
if grep -qxF "2M: allocated $want of $want pages." <<<"$out"; then pass compact-got-all; else fail compact-got-all "$out"; fi
HOSTVIRT_ROOT=$root "$HELPER" stop 2M
v=$(cat "$POOL/nr_hugepages")
if [ "$v" = "$found" ]; then pass compact-stop-count; else fail compact-stop-count "$v, expected $found"; fi

finish
