#!/bin/bash
# Installs the Debian packages hostvirt needs to build and test, when missing.
# Debian 12 "bookworm" and Debian 13 "trixie" (read from /etc/os-release): the
# names that differ between them are chosen here.
# usage: tools/deps.sh [--test] [--list]
#   --test  adds what the test suites need
#   --list  prints the package names for this release and installs nothing
set -euo pipefail
test=no list=no
for a in "$@"; do
        case $a in
        --test) test=yes ;;
        --list) list=yes ;;
        *) echo "usage: tools/deps.sh [--test] [--list]" >&2; exit 2 ;;
        esac
done
# shellcheck disable=SC1091
. /etc/os-release
# (libc6-dev: gcc only recommends it, and packages are installed without recommends)
pkgs=(meson ninja-build gcc libc6-dev pkg-config libinih-dev libmnl-dev libudev-dev libsystemd-dev systemd udev scdoc)
case ${VERSION_CODENAME:-} in
bookworm) ;;                    # systemd.pc and udev.pc are in systemd and udev
trixie|*)
        # from Debian 13 on, systemd.pc and udev.pc are in systemd-dev
        [ "${VERSION_CODENAME:-}" = trixie ] ||
                echo "tools/deps.sh: ${PRETTY_NAME:-this system} is neither Debian 12 nor 13; trying Debian 13's package names" >&2
        pkgs+=(systemd-dev) ;;
esac
if [ $test = yes ]; then
        # libclang-rt-dev: the sanitizer and libFuzzer runtimes of the default clang
        pkgs+=(strace iproute2 util-linux e2fsprogs jq openssl patch clang libclang-rt-dev
               valgrind python3 systemd-container debootstrap binutils)
fi
if [ $list = yes ]; then
        printf '%s\n' "${pkgs[@]}"
        exit 0
fi
missing=()
for p in "${pkgs[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then echo "tools/deps.sh: missing ${missing[*]}; run as root to install them" >&2; exit 1; fi
echo "tools/deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
