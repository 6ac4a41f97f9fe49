#!/usr/bin/python3
# Validates `hostvirt status --json` output against the shape hostvirt(8) documents.
#
# usage: validate-status-json.py man/hostvirt.8.scd FILE.json
#
# The settings of each kind, their order and the member kinds are read from the man page
# source (its "JSON OUTPUT" section, lines "*kind*: _key_, ... Members: *kind*."), so the
# documentation and the program cannot drift apart unnoticed.  Exit 0 when valid; else
# every problem is printed and the exit status is 1.
import json
import re
import sys

STATES = {"ok", "drift", "unknown"}
SETTING_STATES = STATES | {"info"}
STRINGS = {"load_state", "active_state", "pci_address", "netdev", "driver", "kind", "link", "master", "mount", "mac",
           "vlan_protocol", "protocol", "link_state", "dropin", "output", "mode", "transmit_hash_policy",
           "lacp_transmit_rate", "netfilter", "socket_state", "socket", "socket_group", "socket_mode"}
BOOLEANS = {"present", "shared_dir", "supported", "autoprobe", "up", "unmanaged", "trust", "spoof_check", "stp", "vlan_filtering"}
ENUMS = {
    "vlan_protocol": {"802.1Q", "802.1ad"},
    "protocol": {"802.1Q", "802.1ad"},
    "link_state": {"auto", "enable", "disable"},
    "dropin": {"current", "outdated", "absent"},
    "output": {"current", "outdated"},
    "mode": {"balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"},
    "transmit_hash_policy": {"layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac"},
    "lacp_transmit_rate": {"slow", "fast"},
}
PCI_VF_SETTINGS = ["present", "pci_address", "netdev", "driver"]

problems = []


def problem(where, msg):
    problems.append(f"{where}: {msg}")


def documented_kinds(scd):
    text = open(scd, encoding="utf-8").read()
    section = text.split("# JSON OUTPUT", 1)[1].split("\n# ", 1)[0]
    kinds = {}
    for line in section.splitlines():
        m = re.match(r"^\*(\w+)\*: (.*)\. Members: (.*)\.$", line)
        if not m:
            continue
        keys = re.findall(r"_(\w+)_", m.group(2))
        members = re.findall(r"\*(\w+)\*", m.group(3))
        kinds[m.group(1)] = (keys, members)
    if len(kinds) < 9:
        sys.exit(f"{scd}: found only {len(kinds)} kinds in JSON OUTPUT: {sorted(kinds)}")
    return kinds


def check_keys(where, obj, keys):
    if not isinstance(obj, dict):
        problem(where, f"expected an object, got {obj!r}")
        return False
    if list(obj) != keys:
        problem(where, f"keys {list(obj)}, documented {keys}")
        return False
    return True


def check_value(where, key, v):
    if v is None:
        return
    if key in BOOLEANS:
        ok = isinstance(v, bool)
    elif key in STRINGS:
        ok = isinstance(v, str)
    else:
        ok = isinstance(v, int) and not isinstance(v, bool)
    if not ok:
        problem(where, f"{key}: {v!r} has the wrong type")
    elif key in ENUMS and v not in ENUMS[key]:
        problem(where, f"{key}: {v!r} is not one of {sorted(ENUMS[key])}")
    elif key == "netfilter" and v != "none" and not re.fullmatch(r"(iptables|ip6tables|arptables)( (ip6tables|arptables))*", v):
        problem(where, f"netfilter: {v!r} is neither none nor families of iptables, ip6tables, arptables")
    elif key == "socket_mode" and not re.fullmatch(r"0[0-7]{3}", v):
        problem(where, f"socket_mode: {v!r} is not four octal digits")
    elif key == "mac" and not re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", v):
        problem(where, f"mac: {v!r} is not aa:bb:cc:dd:ee:ff")


def worst(states):
    for s in ("drift", "unknown"):
        if s in states:
            return s
    return "ok"


def check_object(where, obj, kinds, expected_kinds, top):
    if not check_keys(where, obj, ["kind", "name", "source", "unit", "state", "settings", "members"]):
        return "ok"
    kind = obj["kind"]
    where = f"{where} ({kind} {obj['name']!r})"
    if kind not in expected_kinds:
        problem(where, f"kind {kind!r} not allowed here (expected one of {expected_kinds})")
        return obj.get("state")
    if not isinstance(obj["name"], str):
        problem(where, "name is not a string")
    src = obj["source"]
    if src is not None:
        if not top:
            problem(where, "a member has a source")
        if check_keys(where + ".source", src, ["file", "line"]):
            if not isinstance(src["file"], str) or not isinstance(src["line"], int) or src["line"] < 1:
                problem(where, f"bad source {src!r}")
    elif kind in ("sriov", "hugepages", "vlan", "bridge", "bond", "virtiofs"):
        problem(where, "a configured object without source")
    if obj["unit"] is not None and not isinstance(obj["unit"], str):
        problem(where, "unit is neither null nor a string")
    if obj["state"] not in SETTING_STATES:
        problem(where, f"state {obj['state']!r}")

    keys, member_kinds = kinds[kind]
    settings = obj["settings"]
    if kind == "vf" and isinstance(settings, dict) and list(settings) == PCI_VF_SETTINGS:
        keys = PCI_VF_SETTINGS
    states = []
    if check_keys(where + ".settings", settings, keys):
        for k, st in settings.items():
            w = f"{where}.settings.{k}"
            if not check_keys(w, st, ["desired", "actual", "state"]):
                continue
            check_value(w + ".desired", k, st["desired"])
            check_value(w + ".actual", k, st["actual"])
            if st["state"] not in SETTING_STATES:
                problem(w, f"state {st['state']!r}")
            if st["desired"] is None and st["state"] != "info":
                problem(w, "nothing desired, but not info")
            if st["desired"] is not None and st["state"] == "info":
                problem(w, "something desired, but info")
            if st["state"] == "ok" and st["actual"] is None:
                problem(w, "ok without an actual value")
            states.append(st["state"])
    if not isinstance(obj["members"], list):
        problem(where, "members is not a list")
    else:
        for i, mem in enumerate(obj["members"]):
            states.append(check_object(f"{where}.members[{i}]", mem, kinds, member_kinds, False))
    # a top-level object with values, all of them info, and no members is info itself
    want = "info" if top and states and not obj["members"] and set(states) == {"info"} else worst(states)
    if obj["state"] != want:
        problem(where, f"state {obj['state']!r}, but its settings and members say {want!r}")
    return obj["state"]


def main():
    kinds = documented_kinds(sys.argv[1])
    try:
        d = json.load(open(sys.argv[2], encoding="utf-8"))
    except ValueError as e:
        sys.exit(f"{sys.argv[2]}: not JSON: {e}")
    if check_keys("top", d, ["version", "state", "drift", "config", "objects"]):
        if d["version"] != 1:
            problem("top", f"version {d['version']!r}")
        if d["state"] not in STATES:
            problem("top", f"state {d['state']!r}")
        if d["drift"] is not (d["state"] == "drift"):
            problem("top", "drift disagrees with state")
        if check_keys("config", d["config"], ["files", "errors", "warnings"]):
            c = d["config"]
            if not isinstance(c["files"], list) or not all(isinstance(f, str) for f in c["files"]):
                problem("config", "files is not a list of strings")
            for k in ("errors", "warnings"):
                if not isinstance(c[k], int) or isinstance(c[k], bool) or c[k] < 0:
                    problem("config", f"{k} is not a count")
        top_kinds = ["sriov", "hugepages", "vlan", "bridge", "bond", "virtiofs", "libvirt", "generator"]
        order = []
        states = []
        for i, obj in enumerate(d["objects"]):
            states.append(check_object(f"objects[{i}]", obj, kinds, top_kinds, True))
            if isinstance(obj, dict) and obj.get("kind") in top_kinds:
                order.append(top_kinds.index(obj["kind"]))
        if order != sorted(order):
            problem("objects", "not in the documented order of kinds")
        if d["state"] != worst(states):
            problem("top", f"state {d['state']!r}, but the objects say {worst(states)!r}")
    for p in problems:
        print(p)
    sys.exit(1 if problems else 0)


main()
