# Sourced by the golden runners and bless.sh.  Expected generator trees name the
# directory of the template units as @UNITDIR@ (symlink targets and file contents),
# because it is the distribution's: /lib/systemd/system on Debian 12,
# /usr/lib/systemd/system on Debian 13 (systemd.pc's systemdsystemunitdir, compiled
# into the generator as UNITDIR).
#   hv_unitdir                 the build's UNITDIR (from $UNITDIR, else BUILDDIR's config.h)
#   expected_tree SRC DEST     copy of the expected tree SRC with @UNITDIR@ filled in
#   placeholder_tree DIR       the reverse, in place, for bless.sh
hv_unitdir() {
        if [ -n "${UNITDIR:-}" ]; then echo "$UNITDIR"; return; fi
        sed -n 's/^#define UNITDIR "\(.*\)"$/\1/p' "${BUILDDIR:?}/config.h"
}

# _retarget DIR FROM TO: every symlink target below DIR that starts with FROM/, and
# every FROM in a file that is not the tail of a longer path (/usr/lib/... holds
# /lib/...), given TO instead
_retarget() {
        local dir=$1 from=$2 to=$3 l t f
        while IFS= read -r -d '' l; do
                t=$(readlink "$l")
                case $t in
                "$from"/*) ln -sfn "$to${t#"$from"}" "$l" ;;
                esac
        done < <(find "$dir" -type l -print0)
        while IFS= read -r -d '' f; do
                grep -qF -- "$from" "$f" || continue
                FROM=$from TO=$to perl -pi -e 's/(?<![\w.\/@-])\Q$ENV{FROM}\E/$ENV{TO}/g' "$f"
        done < <(find "$dir" -type f -print0)
}

expected_tree() {
        local u
        u=$(hv_unitdir)
        [ -n "$u" ] || { echo "expected_tree: no UNITDIR" >&2; return 1; }
        rm -rf "$2"
        cp -a "$1" "$2"
        _retarget "$2" @UNITDIR@ "$u"
}

placeholder_tree() {
        local u
        u=$(hv_unitdir)
        [ -n "$u" ] || { echo "placeholder_tree: no UNITDIR" >&2; return 1; }
        _retarget "$1" "$u" @UNITDIR@
}
