#!/usr/bin/env python3
"""Writes a float32 .npy of standard-normal values (no numpy needed).

    scripts/random_npy.py ROWS COLS SEED OUT.npy

Used by scripts/demo.sh for the demo input and the pqs8 calibration samples.
"""
import random
import struct
import sys


def main() -> int:
    if len(sys.argv) != 5:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    rows, cols, seed = (int(v) for v in sys.argv[1:4])
    rng = random.Random(seed)
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (rows, cols)
    # NPY 1.0: magic, version, u16 header length; the header ends in '\n' and pads the
    # data start to a multiple of 64.
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    values = [rng.gauss(0.0, 1.0) for _ in range(rows * cols)]
    with open(sys.argv[4], "wb") as out:
        out.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        out.write(struct.pack("<%df" % len(values), *values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
