#!/bin/bash
# Installs the Debian 12 packages hostvirt needs to build and test, when missing.
# usage: tools/deps.sh [--test]   (--test adds what the test suites need)
set -euo pipefail
pkgs=(meson ninja-build gcc pkg-config libinih-dev libmnl-dev libudev-dev libsystemd-dev systemd udev scdoc)
if [ "${1:-}" = --test ]; then
        pkgs+=(strace iproute2 util-linux e2fsprogs jq openssl debhelper clang libclang-rt-14-dev valgrind python3
               systemd-container debootstrap)
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
