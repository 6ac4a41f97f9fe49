#!/bin/bash
# MACAddressPolicy=persistent: the test vectors and properties (test-mac), then the
# derivation against independent implementations: Python's hmac module, and the openssl(1)
# recipe that hostvirt.conf(5) gives admins (when openssl is installed).
source "$SRCDIR/tests/lib/common.sh"
T=$BUILDDIR/tests/vf/test-mac

o=$("$T") && pass "vectors-and-properties: $(tail -1 <<<"$o")" || fail vectors-and-properties "$o"

mid=4c4c4544004e3510804bc4c04f4d3732
pairs=("eno4 0" "eno4 1" "eno4 3" "eno4 63" "eno4 255" "eno4 1000" "enp3s0f1 7" "ens1f0np0 2" "wan-uplink 0" "a.b 9" "wän0 5" "x 65534")
if command -v python3 >/dev/null; then
        expected=$(python3 - "$mid" "${pairs[@]}" <<'PY'
import hashlib, hmac, sys
key = bytes.fromhex(sys.argv[1])
for pair in sys.argv[2:]:
    pf, index = pair.split(" ")
    d = bytearray(hmac.new(key, ("hostvirt-vf-mac:%s:%s" % (pf, index)).encode(), hashlib.sha256).digest()[:6])
    d[0] = (d[0] & 0xfe) | 0x02
    print(":".join("%02x" % b for b in d))
PY
)
        got=$(for p in "${pairs[@]}"; do "$T" derive "$mid" $p; done)
        if [ "$got" = "$expected" ]; then pass "same as python hmac (${#pairs[@]} pairs)"
        else fail "same as python hmac" "$(diff <(echo "$expected") <(echo "$got") | tr '\n' ' ')"; fi
else
        fail "same as python hmac" "python3 is missing (tools/deps.sh --test installs it)"
fi

if command -v openssl >/dev/null; then
        R=$(mktempdir); mkdir -p "$R/etc"; echo "$mid" > "$R/etc/machine-id"
        # the recipe of hostvirt.conf(5), MACAddressPolicy=, with /etc under $R
        d=$(printf 'hostvirt-vf-mac:%s:%u' eno4 3 | openssl dgst -sha256 -mac HMAC -macopt hexkey:$(cat "$R/etc/machine-id") | sed 's/.*= //')
        recipe=$(printf '%02x:%s:%s:%s:%s:%s\n' $(( (0x${d:0:2} & 0xfe) | 0x02 )) ${d:2:2} ${d:4:2} ${d:6:2} ${d:8:2} ${d:10:2})
        check "man page openssl recipe ($recipe)" test "$recipe" = "$("$T" derive "$mid" eno4 3)"
else
        skip "man page openssl recipe" "openssl is not installed"
fi
finish
