#!/usr/bin/env python3
# Every key of every kind's key table (dump-keys) is documented under its section in
# hostvirt.conf(5) (a definition-list term "*Key=*", below a heading that names the
# section type) and is a word of the fuzz dictionary; and the reverse: the man page
# documents no key and the dictionary holds no key-like word that no table has.
import os, re, subprocess, sys

build, src = os.environ["BUILDDIR"], os.environ["SRCDIR"]
out = subprocess.run([os.path.join(build, "tests/unit/dump-keys")], check=True,
                     capture_output=True, text=True).stdout
table = {}
for line in out.splitlines():
    kind, key = line.split()
    table.setdefault(kind, set()).add(key)
types = {t.upper(): t for t in table}
fail = 0

# hostvirt.conf(5): headings "# [SR-IOV PF] SECTIONS", "## [VLAN] keys" set the kinds
man = {}
mandir = os.path.join(src, "man/hostvirt.conf.5.d")
for name in sorted(os.listdir(mandir)):
    current = []
    for line in open(os.path.join(mandir, name), encoding="utf-8"):
        m = re.match(r"^(#+) ", line)
        if m:
            named = [types[t.upper()] for t in re.findall(r"\[([A-Za-z-]+)", line) if t.upper() in types]
            if named or len(m.group(1)) == 1:
                current = named
            continue
        # a term of a definition list ("*Trust=*, *SpoofCheck=*"), or a key refused here
        if re.match(r"^\*[A-Z][A-Za-z]*=\*(, \*[A-Z][A-Za-z]*=\*)*$", line.rstrip()) or \
           re.match(r"^\*[A-Z][A-Za-z]*=\* is refused", line):
            for key in re.findall(r"\*([A-Z][A-Za-z]*)=\*", line):
                for kind in current:
                    man.setdefault(kind, set()).add(key)

for kind in sorted(table):
    for key in sorted(table[kind] - man.get(kind, set())):
        print(f"FAIL: [{kind}] {key}= is in the key table but not documented under [{kind}] in hostvirt.conf(5)")
        fail += 1
    for key in sorted(man.get(kind, set()) - table[kind]):
        print(f"FAIL: [{kind}] {key}= is documented in hostvirt.conf(5) but no key of the table")
        fail += 1
for kind in sorted(set(man) - set(table)):
    print(f"FAIL: hostvirt.conf(5) documents keys of [{kind}], which is no kind")
    fail += 1

# the fuzz dictionary: "Key" entries
words = set()
for line in open(os.path.join(src, "tests/fuzz/hostvirt.dict"), encoding="utf-8"):
    m = re.match(r'^"([A-Z][A-Za-z]+)"$', line.strip())
    if m:
        words.add(m.group(1))
keys = set().union(*table.values())
for key in sorted(keys - words):
    print(f"FAIL: {key} is a key but not in tests/fuzz/hostvirt.dict")
    fail += 1
for word in sorted(words - keys):
    print(f"FAIL: tests/fuzz/hostvirt.dict has {word}, which is no key")
    fail += 1

n = sum(len(v) for v in table.values())
print(f"{n} keys of {len(table)} kinds checked against hostvirt.conf(5) and the fuzz dictionary: "
      f"{'PASS' if fail == 0 else f'{fail} problems'}")
sys.exit(1 if fail else 0)
