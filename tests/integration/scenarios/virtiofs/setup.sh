#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# [Virtiofs]: two shares, one writable with extended attributes, one read-only with
# its own socket group and mode, and the directories they share.
. "$(dirname "$0")/../lib-setup.sh"

mkdir -p "$LAYER/srv/vm-share" "$LAYER/srv/vm-docs"
echo "from the host" >"$LAYER/srv/vm-share/hello.txt"
echo "read only" >"$LAYER/srv/vm-docs/README"
conf 60-virtiofs.conf <<EOT
[Virtiofs share0]
SharedDir = /srv/vm-share
Xattr = yes
ThreadPoolSize = 2

[Virtiofs docs]
SharedDir = /srv/vm-docs
ReadOnly = yes
Cache = never
SocketGroup = root
SocketMode = 0600
EOT

# libvirt in a container: no cgroup controllers of its own (nspawn's cgroup is read-only)
mkdir -p "$LAYER/etc/libvirt"
printf 'cgroup_controllers = [ ]\n' >"$LAYER/etc/libvirt/qemu.conf"
# a TCG domain with the share as an externally launched virtiofsd's <filesystem>, and shared
# (memfd) memory, which virtiofsd needs; no OS: it only has to start and connect
cat >"$T/vfs-guest.xml" <<EOT
<domain type='qemu'>
  <name>hvvfs</name>
  <memory unit='MiB'>128</memory>
  <memoryBacking>
    <source type='memfd'/>
    <access mode='shared'/>
  </memoryBacking>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type></os>
  <devices>
    <filesystem type='mount'>
      <driver type='virtiofs' queue='1024'/>
      <source socket='/run/hostvirt/virtiofs/share0.sock'/>
      <target dir='share0'/>
    </filesystem>
  </devices>
</domain>
EOT
