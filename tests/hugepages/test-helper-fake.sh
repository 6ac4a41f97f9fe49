#!/bin/bash
# hostvirt-hugepages on fake sysfs trees (HOSTVIRT_ROOT).
#
# Why a fake tree: this machine has one NUMA node, and the kernel cannot be
# made to fall short of pages on demand without starving the host.  The tree
# has what the helper reads and writes: both page sizes globally and on two
# nodes, /proc/sys/vm/compact_memory, and the config.  Plain files keep what
# is written, so a shortfall is played by the LD_PRELOAD shim fault-inject.so
# (FAULT_HUGEPAGES_LIMIT: it grants fewer pages than the helper writes, as the
# kernel would, and more after each compaction; the helper itself has no test
# seam for it) and a failing write by a read-only bind mount in a private
# mount namespace.  test-helper-real.sh does the same on the real /sys.
#
# usage: test-helper-fake.sh FAULT_INJECT_SO   (BUILDDIR, SRCDIR from meson)
source "$SRCDIR/tests/lib/common.sh"
SHIM=$(realpath "$1")
HELPER=$BUILDDIR/src/hugepages/hostvirt-hugepages
unset FAULT_HUGEPAGES_LIMIT JOURNAL_STREAM FAULT_MATCH FAULT_NTH FAULT_ERRNO FAULT_BLOCK FAULT_LOG FAULT_SENDTO_NTH
# under ASan (tests/sanitizers) the runtime must come first in the library list; the shim
# only wraps write/open/sendto and calls on, so its place does not matter
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

G2=sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
G1=sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
n2() { echo "sys/devices/system/node/node$1/hugepages/hugepages-2048kB/nr_hugepages"; }
n1() { echo "sys/devices/system/node/node$1/hugepages/hugepages-1048576kB/nr_hugepages"; }

# A fresh tree: every pool at 0 (or as given: "PATH=N ..."), config on stdin.
new_root() {
        local r kb n kv
        r=$(mktempdir)
        for kb in 2048 1048576; do
                mkdir -p "$r/sys/kernel/mm/hugepages/hugepages-${kb}kB"
                echo 0 > "$r/sys/kernel/mm/hugepages/hugepages-${kb}kB/nr_hugepages"
                for n in 0 1; do
                        mkdir -p "$r/sys/devices/system/node/node$n/hugepages/hugepages-${kb}kB"
                        echo 0 > "$r/sys/devices/system/node/node$n/hugepages/hugepages-${kb}kB/nr_hugepages"
                done
        done
        mkdir -p "$r/proc/sys/vm" "$r/etc/hostvirt"
        : > "$r/proc/sys/vm/compact_memory"
        for kv in "$@"; do echo "${kv#*=}" > "$r/${kv%%=*}"; done
        cat > "$r/etc/hostvirt/hugepages.conf"
        echo "$r"
}

# run ROOT ARGS...: the helper's exit status in $rc, its log in $out
run() {
        local r=$1; shift
        rc=0
        out=$(HOSTVIRT_ROOT=$r "$HELPER" "$@" 2>&1) || rc=$?
}
# short LIMIT ROOT ARGS...: the same on a kernel short of pages (FAULT_HUGEPAGES_LIMIT=LIMIT)
short() {
        local limit=$1 r=$2; shift 2
        rc=0
        out=$(HOSTVIRT_ROOT=$r LD_PRELOAD=$SHIM FAULT_HUGEPAGES_LIMIT=$limit "$HELPER" "$@" 2>&1) || rc=$?
}

# expect NAME WANT_RC: fails with the log when the status differs
expect_rc() {
        if [ "$rc" = "$2" ]; then pass "$1"; else fail "$1" "exit status $rc, expected $2; log: $out"; fi
}
expect_log() {
        if grep -qxF -- "$2" <<<"$out"; then pass "$1"; else fail "$1" "no line '$2' in: $out"; fi
}
expect_value() { # NAME ROOT FILE WANT
        local v; v=$(cat "$2/$3")
        if [ "$v" = "$4" ]; then pass "$1"; else fail "$1" "$3 is '$v', expected '$4'"; fi
}

# --- Pages=: the global pool, recorded and put back ---
r=$(new_root <<'EOF'
[Hugepages 2M]
Pages = 16
EOF
)
run "$r" start 2M
expect_rc global-start 0
expect_log global-log "2M: allocated 16 of 16 pages."
expect_value global-count "$r" $G2 16
expect_value global-nodes-untouched "$r" "$(n2 0)" 0
check global-recorded grep -qx 'global 0' "$r/run/hostvirt/hugepages/2M"
check global-no-compaction test ! -s "$r/proc/sys/vm/compact_memory"
run "$r" stop 2M
expect_rc global-stop 0
expect_log global-stop-log "2M: put back the counts found at start (0 pages)."
expect_value global-put-back "$r" $G2 0
check global-record-gone test ! -e "$r/run/hostvirt/hugepages/2M"
run "$r" stop 2M
expect_rc stop-twice 0
expect_log stop-twice-log "2M: no counts recorded by start, nothing to put back."

# --- the instance may be written 2048kB: the same pool, the same record ---
run "$r" start 2048kB
expect_rc size-kb-start 0
expect_log size-kb-log "2M: allocated 16 of 16 pages."
check size-kb-record test -e "$r/run/hostvirt/hugepages/2M"
run "$r" stop 2M
expect_value size-kb-stop "$r" $G2 0

# --- NodePages=: two nodes of 1G, the global file is left alone ---
r=$(new_root <<'EOF'
[Hugepages 1048576kB]
NodePages = 0:4 1:2
EOF
)
run "$r" start 1G
expect_rc nodes-start 0
expect_log nodes-log "1G: allocated 6 of 6 pages (node 0: 4 of 4, node 1: 2 of 2)."
expect_value nodes-node0 "$r" "$(n1 0)" 4
expect_value nodes-node1 "$r" "$(n1 1)" 2
expect_value nodes-global-untouched "$r" $G1 0
expect_value nodes-2M-untouched "$r" "$(n2 0)" 0
run "$r" stop 1G
expect_rc nodes-stop 0
expect_log nodes-stop-log "1G: put back the counts found at start (node 0: 0, node 1: 0)."
expect_value nodes-stop-node0 "$r" "$(n1 0)" 0
expect_value nodes-stop-node1 "$r" "$(n1 1)" 0

# --- pages found at start (kernel command line) are never released ---
r=$(new_root "$(n1 1)=3" "$(n1 0)=1" <<'EOF'
[Hugepages 1G]
NodePages = 0:4 1:2
EOF
)
run "$r" start 1G
expect_rc found-start 0
expect_log found-kept-log "1G: node 1 had 3 pages before start, more than the 2 asked; keeping them (pages hostvirt did not allocate are never released)."
expect_value found-node0-raised "$r" "$(n1 0)" 4
expect_value found-node1-kept "$r" "$(n1 1)" 3
run "$r" stop 1G
expect_value found-node0-back "$r" "$(n1 0)" 1
expect_value found-node1-back "$r" "$(n1 1)" 3

# --- stop needs no config: the record alone says what to put back ---
r=$(new_root <<'EOF'
[Hugepages 2M]
Pages = 8
EOF
)
run "$r" start 2M
rm "$r/etc/hostvirt/hugepages.conf"
run "$r" stop 2M
expect_rc stop-without-config 0
expect_value stop-without-config-count "$r" $G2 0

# --- a second start keeps the first record (the counts from before us) ---
r=$(new_root <<'EOF'
[Hugepages 2M]
Pages = 4
EOF
)
run "$r" start 2M
printf '[Hugepages 2M]\nPages = 8\n' > "$r/etc/hostvirt/hugepages.conf"
run "$r" start 2M
expect_rc restart-start 0
expect_value restart-count "$r" $G2 8
check restart-first-record grep -qx 'global 0' "$r/run/hostvirt/hugepages/2M"
run "$r" stop 2M
expect_value restart-stop "$r" $G2 0

# --- a shortfall: compaction, retries, the warning and the kernel command line ---
r=$(new_root <<'EOF'
[Hugepages 1G]
NodePages = 0:4 1:2
EOF
)
short "1G@1=1" "$r" start 1G
expect_rc short-start 0
expect_log short-retry1 "1G: short of pages, compacting memory and trying again (1 of 3)."
expect_log short-retry3 "1G: short of pages, compacting memory and trying again (3 of 3)."
expect_log short-log "1G: allocated 5 of 6 pages (node 0: 4 of 4, node 1: 1 of 2)."
expect_log short-cmdline "1G: to reserve them at boot, add to the kernel command line: hugepagesz=1G hugepages=0:4,1:2"
expect_value short-compacted "$r" proc/sys/vm/compact_memory 1
expect_value short-node1 "$r" "$(n1 1)" 1
check short-recorded test -e "$r/run/hostvirt/hugepages/1G"
if [ "$(grep -c 'compacting memory' <<<"$out")" = 3 ]; then pass short-bounded; else fail short-bounded "expected 3 retries: $out"; fi
run "$r" stop 1G
expect_value short-stop "$r" "$(n1 1)" 0

# --- compaction helps: the second retry gets the last page ---
r=$(new_root <<'EOF'
[Hugepages 1G]
NodePages = 0:4 1:2
EOF
)
short "1G@1=0+1" "$r" start 1G
expect_rc compact-start 0
expect_log compact-log "1G: allocated 6 of 6 pages (node 0: 4 of 4, node 1: 2 of 2)."
if [ "$(grep -c 'compacting memory' <<<"$out")" = 2 ]; then pass compact-two-retries; else fail compact-two-retries "$out"; fi

# --- the helper itself plays no kernel: the old test seam's variable does nothing ---
r=$(new_root <<<$'[Hugepages 2M]\nPages = 16')
HOSTVIRT_TEST_HUGEPAGES_LIMIT="2M=10" run "$r" start 2M
expect_rc no-seam-start 0
expect_log no-seam-log "2M: allocated 16 of 16 pages."
run "$r" stop 2M

# --- the shim grants per pool: a limit on one node or size leaves the others alone ---
r=$(new_root <<<$'[Hugepages 2M]\nNodePages = 0:3 1:3')
short "1G@0=1 2M@1=2 2M=0" "$r" start 2M
expect_log shim-per-pool "2M: allocated 5 of 6 pages (node 0: 3 of 3, node 1: 2 of 3)."
run "$r" stop 2M
expect_value shim-per-pool-stop "$r" "$(n2 1)" 0

# --- a global shortfall names the global form of the command line ---
r=$(new_root <<'EOF'
[Hugepages 2M]
Pages = 16
EOF
)
short "2M=10" "$r" start 2M
expect_rc global-short-start 0
expect_log global-short-log "2M: allocated 10 of 16 pages."
expect_log global-short-cmdline "2M: to reserve them at boot, add to the kernel command line: hugepagesz=2M hugepages=16"

# --- Strict=yes: a shortfall fails, and everything goes back as found ---
r=$(new_root "$(n1 0)=1" <<'EOF'
[Hugepages 1G]
NodePages = 0:4 1:2
Strict = yes
EOF
)
short "1G@1=1" "$r" start 1G
expect_rc strict-fails 1
expect_log strict-log "1G: allocated 5 of 6 pages (node 0: 4 of 4, node 1: 1 of 2); Strict=yes, so giving them back and failing."
expect_value strict-node0-back "$r" "$(n1 0)" 1
expect_value strict-node1-back "$r" "$(n1 1)" 0
check strict-no-record test ! -e "$r/run/hostvirt/hugepages/1G"
# ... and with enough pages, Strict=yes succeeds
run "$r" start 1G
expect_rc strict-enough 0

# --- a size the kernel does not offer: a clear error, nothing written ---
r=$(new_root <<'EOF'
[Hugepages 32M]
Pages = 4
EOF
)
run "$r" start 32M
expect_rc unknown-size 1
expect_log unknown-size-log "32M: this kernel has no 32M pages (/sys/kernel/mm/hugepages/hugepages-32768kB is missing); it offers: 2M 1G."
check unknown-size-no-record test ! -e "$r/run/hostvirt/hugepages/32M"

# --- a node that does not exist: an error before anything is written ---
r=$(new_root <<'EOF'
[Hugepages 2M]
NodePages = 0:4 2:4
EOF
)
run "$r" start 2M
expect_rc missing-node 1
expect_log missing-node-log "2M: NodePages= names NUMA node 2, but there is no /sys/devices/system/node/node2."
expect_value missing-node-node0 "$r" "$(n2 0)" 0
check missing-node-no-record test ! -e "$r/run/hostvirt/hugepages/2M"

# --- no section, or an invalid one (dropped by the loader) ---
r=$(new_root <<'EOF'
[Hugepages 2M]
Pages = 4
EOF
)
run "$r" start 1G
expect_rc no-section 6
expect_log no-section-log "1G: no valid [Hugepages 1G] section in the configuration (see 'hostvirt check')."
printf '[Hugepages 2M]\nPages = lots\n' > "$r/etc/hostvirt/hugepages.conf"
run "$r" start 2M
expect_rc invalid-section 6
if grep -q "^/etc/hostvirt/hugepages.conf:2: error: .*Pages=lots" <<<"$out"; then pass invalid-section-says-why; else fail invalid-section-says-why "$out"; fi
expect_value invalid-section-count "$r" $G2 0
check invalid-section-no-record test ! -e "$r/run/hostvirt/hugepages/2M"
# errors in other sections: a warning that counts them, and the pool is set all the same
printf '[Hugepages 2M]\nPages = 4\n[Hugepages 1G]\nPages = lots\n[VLAN a/b]\nLink = eth0\nId = 5\n' > "$r/etc/hostvirt/hugepages.conf"
run "$r" start 2M
expect_rc other-errors-start 0
expect_log other-errors-counted "2M: the configuration has 2 errors in other sections, which do not stop this one (see 'hostvirt check')."
expect_value other-errors-count "$r" $G2 4
if grep -q 'Pages=lots' <<<"$out"; then fail other-errors-not-listed "$out"; else pass other-errors-not-listed; fi
run "$r" stop 2M

# --- a write the kernel refuses halfway: the first node is put back ---
r=$(new_root <<'EOF'
[Hugepages 2M]
NodePages = 0:4 1:2
EOF
)
f1=$r/$(n2 1)
rc=0
out=$(HOSTVIRT_ROOT=$r unshare -m --propagation private sh -c \
        'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$2" start 2M' sh "$f1" "$HELPER" 2>&1) || rc=$?
expect_rc write-fails 1
if grep -q "2M: failed to set node 1 to 2 pages" <<<"$out"; then pass write-fails-log; else fail write-fails-log "$out"; fi
expect_value write-fails-node0-back "$r" "$(n2 0)" 0
check write-fails-no-record test ! -e "$r/run/hostvirt/hugepages/2M"

# --- the record directory cannot be written (read-only, as in the unit's sandbox when
# tmpfiles.d has not made it): no pool changed, and the message says what to run ---
r=$(new_root <<<$'[Hugepages 2M]\nPages = 4')
mkdir -p "$r/run"
rc=0
out=$(HOSTVIRT_ROOT=$r unshare -m --propagation private sh -c \
        'mount -t tmpfs -o ro tmpfs "$1/run" && exec "$2" start 2M' sh "$r" "$HELPER" 2>&1) || rc=$?
expect_rc read-only-records 1
if grep -q "systemd-tmpfiles --create hostvirt.conf" <<<"$out"; then pass read-only-records-says; else fail read-only-records-says "$out"; fi
expect_value read-only-records-pool-unchanged "$r" "$G2" 0

# --- a record that is not ours is not trusted ---
mkdir -p "$r/run/hostvirt/hugepages"
echo "garbage" > "$r/run/hostvirt/hugepages/2M"
run "$r" stop 2M
expect_rc bad-record 1

# --- a record is read as strictly as the configuration: a hostile or damaged one is refused
# whole, naming the file and the line, before anything is written; the record stays ---
HOSTILE=(
        # "LINE<TAB>RECORD" (printf %b escapes)
        $'2\t# hostvirt-hugepages 2M: the counts found before start; stop puts them back\\nglobal -1\\n'
        $'1\tglobal 18446744073709551615\\n'
        $'1\tglobal 18446744073709551616\\n'
        $'1\tglobal 99999999999999999999999999\\n'
        $'1\tglobal 4611686018427387904\\n'
        $'1\tglobal 4 junk\\n'
        $'1\tglobal 4x\\n'
        $'1\tglobal 0x10\\n'
        $'1\tglobal +4\\n'
        $'1\tglobal 04\\n'
        $'1\tglobal  4\\n'
        $'1\t global 4\\n'
        $'1\tglobal\\n'
        $'1\tglobal \\n'
        $'1\tglobal 4\\r\\n'
        $'1\tglobal\\t4\\n'
        $'1\tglo\\0bal 4\\n'
        $'1\tglobal 4\\xff\\n'
        $'1\tGlobal 4\\n'
        $'1\tnodes0 4\\n'
        $'1\tnode 4\\n'
        $'1\tnode-1 4\\n'
        $'1\tnode01 4\\n'
        $'1\tnode1024 4\\n'
        $'2\tnode0 0\\nnode99999 4\\n'
        $'2\tnode0 0\\nnode4294967296 4\\n'
        $'2\tnode0 0\\nnode1 -1\\n'
        $'3\tnode0 0\\nnode1 0\\nnode0 0\\n'
        $'2\tglobal 0\\nglobal 0\\n'
        $'2\tnode0 0\\nnode1 0'
        $'1\t# an overlong comment '"$(printf 'x%.0s' $(seq 300))"$'\\nnode0 0\\n'
        $'0\t# hostvirt-hugepages 2M: nothing but comments\\n\\n'
        $'0\t'
)
# the pools as found (not what any record says), so that any write shows
hostile_root() {
        new_root "$G2=8" "$(n2 0)=3" "$(n2 1)=5" <<<$'[Hugepages 2M]\nNodePages = 0:6 1:6'
}
pools() { echo "$(cat "$1/$G2") $(cat "$1/$(n2 0)") $(cat "$1/$(n2 1)")"; }
i=0
for h in "${HOSTILE[@]}"; do
        i=$((i + 1)); line=${h%%$'\t'*}; rec=${h#*$'\t'}
        r=$(hostile_root); mkdir -p "$r/run/hostvirt/hugepages"
        printf '%b' "$rec" > "$r/run/hostvirt/hugepages/2M"
        cp "$r/run/hostvirt/hugepages/2M" "$r/record.orig"
        where=$r/run/hostvirt/hugepages/2M:$line:; [ "$line" = 0 ] && where=$r/run/hostvirt/hugepages/2M:
        for verb in stop start; do
                run "$r" $verb 2M
                name="hostile-record-$i-$verb"
                if [ "$rc" != 1 ]; then fail "$name" "exit status $rc, expected 1; record $(od -c "$r/record.orig" | head -3); log: $out"
                elif ! grep -q "^$where" <<<"$out"; then fail "$name" "no line starting '$where' in: $out"
                elif ! grep -qxF "2M: $r/run/hostvirt/hugepages/2M is not a valid record of the counts found at start: refusing it whole, nothing changed (remove it to forget those counts)." <<<"$out"; then
                        fail "$name" "no refusal in: $out"
                elif [ "$(pools "$r")" != "8 3 5" ]; then fail "$name" "pools changed to $(pools "$r"): $out"
                elif ! cmp -s "$r/record.orig" "$r/run/hostvirt/hugepages/2M"; then fail "$name" "the record changed"
                else pass "$name"; fi
        done
done
# the same for records that are no file, or too large
r=$(hostile_root); mkdir -p "$r/run/hostvirt/hugepages/2M"
run "$r" stop 2M
if [ "$rc" = 1 ] && grep -qxF "$r/run/hostvirt/hugepages/2M: not a regular file." <<<"$out" && [ "$(pools "$r")" = "8 3 5" ]; then
        pass hostile-record-directory; else fail hostile-record-directory "rc=$rc: $out"; fi
r=$(hostile_root); mkdir -p "$r/run/hostvirt/hugepages"
{ echo "global 0"; for _ in $(seq 1000); do echo "# padding padding padding padding padding padding padding padding"; done; } > "$r/run/hostvirt/hugepages/2M"
run "$r" stop 2M
if [ "$rc" = 1 ] && grep -qxF "$r/run/hostvirt/hugepages/2M: larger than 64 KiB." <<<"$out" && [ "$(pools "$r")" = "8 3 5" ]; then
        pass hostile-record-too-large; else fail hostile-record-too-large "rc=$rc: $out"; fi
r=$(hostile_root); mkdir -p "$r/run/hostvirt/hugepages"; ln -s /dev/null "$r/run/hostvirt/hugepages/2M"
run "$r" stop 2M
if [ "$rc" = 1 ] && [ "$(pools "$r")" = "8 3 5" ]; then pass hostile-record-symlink; else fail hostile-record-symlink "rc=$rc: $out"; fi
# ... while a valid record with comments, empty lines, and both kinds of pool, is used
r=$(hostile_root); mkdir -p "$r/run/hostvirt/hugepages"
printf '# hostvirt-hugepages 2M: the counts found before start; stop puts them back\n\nnode1 0\nglobal 2\nnode0 1\n' > "$r/run/hostvirt/hugepages/2M"
run "$r" stop 2M
if [ "$rc" = 0 ] && [ "$(pools "$r")" = "2 1 0" ] && [ ! -e "$r/run/hostvirt/hugepages/2M" ]; then
        pass valid-record-used; else fail valid-record-used "rc=$rc, pools $(pools "$r"): $out"; fi
# ... and the bounds themselves are valid
r=$(hostile_root); mkdir -p "$r/run/hostvirt/hugepages" "$r/sys/devices/system/node/node1023/hugepages/hugepages-2048kB"
echo 0 > "$r/$(n2 1023)"
printf 'node1023 4611686018427387903\nglobal 0\n' > "$r/run/hostvirt/hugepages/2M"
run "$r" stop 2M
if [ "$rc" = 0 ] && [ "$(cat "$r/$(n2 1023)")" = 4611686018427387903 ] && [ "$(cat "$r/$G2")" = 0 ]; then
        pass valid-record-bounds; else fail valid-record-bounds "rc=$rc: $out"; fi

# --- usage (the helpers' exit status table in hostvirt(8)) ---
run "$r"
expect_rc usage-no-args 2
run "$r" start
expect_rc usage-no-size 2
run "$r" start 2M 1G
expect_rc usage-extra 2
run "$r" restart 2M
expect_rc usage-bad-verb 2
run "$r" start 2X
expect_rc usage-bad-size 2
expect_log usage-bad-size-log "Invalid hugepage size '2X' (expected e.g. 2M, 1G, 2048kB)."
run "$r" --help
expect_rc usage-help 0

finish
