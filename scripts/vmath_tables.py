#!/usr/bin/python3
"""Prints the lookup tables of assembly/vmath.ts (run with Debian's /usr/bin/python3, mpmath).

EXP_TAB:   2^(j/32) = hi + lo for j = 0..31 (hi the double nearest, lo the double nearest the rest).
LOG1P_TAB: for c_j = 1 + j/128, j = 0..128: [1/c_j, log(c_j) hi, log(c_j) lo, 0] (32 bytes an entry).
SP_TAB:    for e_j = e^(−j/32), j = 0..1200: [e_j, e_j/(1 + e_j), log1p(e_j) hi, log1p(e_j) lo].
LN2_32:    ln2/32 split into a 33-bit head (so k·head is exact for |k| < 2^20) and the rest.
"""
import struct

import mpmath

mpmath.mp.prec = 200


def split(v):
    hi = float(v)
    return hi, float(v - mpmath.mpf(hi))


def rows(values, per_row):
    return ",\n".join("  " + ", ".join(repr(x) for x in values[i:i + per_row]) for i in range(0, len(values), per_row))


exp_tab = [x for j in range(32) for x in split(mpmath.mpf(2) ** (mpmath.mpf(j) / 32))]
log_tab = []
for j in range(129):
    c = 1 + mpmath.mpf(j) / 128
    log_tab += [float(1 / c), *split(mpmath.log(c)), 0.0]
sp_tab = []
for j in range(1201):
    e = mpmath.exp(-mpmath.mpf(j) / 32)
    sp_tab += [float(e), float(e / (1 + e)), *split(mpmath.log1p(e))]
ln2_32 = mpmath.log(2) / 32
bits = struct.unpack("<Q", struct.pack("<d", float(ln2_32)))[0] & ~((1 << 20) - 1)
head = struct.unpack("<d", struct.pack("<Q", bits))[0]
print(f"// LN2_32_HI = {head!r}, LN2_32_LO = {float(ln2_32 - mpmath.mpf(head))!r}, INV_LN2_32 = {float(32 / mpmath.log(2))!r}")
print("// EXP_TAB\n" + rows(exp_tab, 2))
print("// LOG1P_TAB\n" + rows(log_tab, 4))
print("// SP_TAB\n" + rows(sp_tab, 4))
