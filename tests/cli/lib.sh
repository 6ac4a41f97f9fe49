# Fake host trees for the CLI tests.  This machine has no SR-IOV device and one NUMA node,
# so the sysfs that `hostvirt check` and `hostvirt status` read is built here, under
# HOSTVIRT_ROOT, shaped as the kernel lays it out (class/net links into the PCI device
# tree, virtfn* links, driver links, per-node hugepage pools).
BIN=$BUILDDIR/src/cli/hostvirt
GEN=$BUILDDIR/generators/hostvirt-generator

# mkpf ROOT NETDEV|- PCI NUMVFS TOTALVFS [AUTOPROBE] [NUMA]: an SR-IOV PF at PCI address PCI,
# with a netdev unless NETDEV is "-"
mkpf() {
        local root=$1 name=$2 pci=$3 numvfs=$4 total=$5 autoprobe=${6:-1} numa=${7:-0}
        local dev=$root/sys/devices/pci0000:00/0000:00:01.0/$pci
        mkdir -p "$dev" "$root/sys/bus/pci/devices" "$root/sys/bus/pci/drivers"
        ln -sfn ../../../devices/pci0000:00/0000:00:01.0/$pci "$root/sys/bus/pci/devices/$pci"
        ln -sfn ../../../bus/pci "$dev/subsystem"
        echo "$numvfs" > "$dev/sriov_numvfs"
        echo "$total" > "$dev/sriov_totalvfs"
        echo "$autoprobe" > "$dev/sriov_drivers_autoprobe"
        echo "$numa" > "$dev/numa_node"
        if [ "$name" != - ]; then
                mkdir -p "$dev/net/$name" "$root/sys/class/net"
                ln -sfn ../../devices/pci0000:00/0000:00:01.0/$pci/net/$name "$root/sys/class/net/$name"
                ln -sfn ../../../$pci "$dev/net/$name/device"
        fi
}

# mkvf ROOT PF-PCI INDEX VF-PCI DRIVER|- [NETDEV]: VF INDEX of a PF, bound to DRIVER
mkvf() {
        local root=$1 pf=$2 i=$3 vf=$4 drv=$5 netdev=${6:-}
        local base=$root/sys/devices/pci0000:00/0000:00:01.0
        mkdir -p "$base/$vf"
        ln -sfn "../$vf" "$base/$pf/virtfn$i"
        ln -sfn "../$pf" "$base/$vf/physfn"
        if [ "$drv" != - ]; then
                mkdir -p "$root/sys/bus/pci/drivers/$drv"
                ln -sfn "../../../../bus/pci/drivers/$drv" "$base/$vf/driver"
        fi
        [ -z "$netdev" ] || mkdir -p "$base/$vf/net/$netdev"
}

# mkpool ROOT KB NODE|- NR FREE: a hugepage pool, global ("-") or of one NUMA node
mkpool() {
        local root=$1 kb=$2 node=$3 nr=$4 free=$5 d
        if [ "$node" = - ]; then d=$root/sys/kernel/mm/hugepages/hugepages-${kb}kB
        else d=$root/sys/devices/system/node/node$node/hugepages/hugepages-${kb}kB; fi
        mkdir -p "$d"
        echo "$nr" > "$d/nr_hugepages"
        echo "$free" > "$d/free_hugepages"
}

# Debian's python3 when there is one: a python3 earlier in PATH may be a slow wrapper (pyenv)
PYTHON=$(command -v /usr/bin/python3 || command -v python3)

conf() { mkdir -p "$1/etc/hostvirt"; cat > "$1/etc/hostvirt/${2:-test}.conf"; }

# pyq FILE PYTHON-EXPR: evaluates EXPR with d = the parsed JSON and o(KIND, NAME) = that object,
# m(OBJ, NAME) = its member, s(OBJ, KEY) = its setting; prints the result
pyq() {
        "$PYTHON" - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def o(kind, name):
    return next(x for x in d["objects"] if x["kind"] == kind and x["name"] == name)
def m(obj, name):
    return next(x for x in obj["members"] if x["name"] == name)
def s(obj, key):
    return obj["settings"][key]
print(eval(sys.argv[2]))
PY
}
