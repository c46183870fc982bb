#!/usr/bin/env python3
"""Writes the WebP photos packed in GCompris's Qt resource files (.rcc) as plain files, standard library only.

A .rcc stores each resource's bytes whole, so every RIFF....WEBP run is one image. Only images whose short side is at
least MIN_SIDE are kept (icons and drawings are smaller); they are numbered per activity in file order.
usage: carve-webp.py OUTPUT_FOLDER ACTIVITY.rcc...
"""
import os
import re
import struct
import sys

MIN_SIDE = 512


def webp_size(blob):
    """(width, height) from the first chunk of a WebP file, or None."""
    chunk = blob[12:16]
    if chunk == b"VP8X":
        return 1 + int.from_bytes(blob[24:27], "little"), 1 + int.from_bytes(blob[27:30], "little")
    if chunk == b"VP8 " and blob[23:26] == b"\x9d\x01\x2a":
        w, h = struct.unpack("<HH", blob[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L" and blob[20] == 0x2F:
        bits = int.from_bytes(blob[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    return None


def main(out, rcc_files):
    os.makedirs(out, exist_ok=True)
    for rcc in rcc_files:
        activity = os.path.splitext(os.path.basename(rcc))[0]
        data = open(rcc, "rb").read()
        kept = 0
        for m in re.finditer(rb"RIFF(....)WEBP", data, re.S):
            blob = data[m.start():m.start() + 8 + int.from_bytes(m.group(1), "little")]
            size = webp_size(blob)
            if size is None or min(size) < MIN_SIDE:
                continue
            kept += 1
            with open(os.path.join(out, f"{activity}_{kept:03d}.webp"), "wb") as f:
                f.write(blob)
        print(f"{activity}\t{kept}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
