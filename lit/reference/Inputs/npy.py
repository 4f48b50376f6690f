#!/usr/bin/env python3
"""Tiny .npy writer/printer for the lit tests (NumPy is not installed).

  npy.py write OUT.npy DESCR SHAPE V1 V2 ...   e.g. write x.npy '<f4' 2,2 1 2 3 4
  npy.py print IN.npy                          prints "descr shape: v1 v2 ..."
  npy.py raw OUT.npy HEADER                    writes a v1.0 file with HEADER, no data
"""
import ast
import struct
import sys

CODES = {"<f4": "f", "<f8": "d", "|i1": "b", "<i1": "b", "<i2": "h", "<i4": "i",
         "<i8": "q", "|b1": "?", "|u1": "B", "<u2": "H", "<f2": "e"}


def header_bytes(header):
    body = header.encode("latin1")
    total = 10 + len(body) + 1
    pad = (64 - total % 64) % 64
    body += b" " * pad + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(body)) + body


def write(path, descr, shape, values):
    dims = tuple(int(d) for d in shape.split(",") if d)
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, repr(dims))
    code = CODES[descr]
    conv = float if code in "fde" else int
    data = struct.pack("<%d%s" % (len(values), code), *[conv(v) for v in values])
    with open(path, "wb") as f:
        f.write(header_bytes(header) + data)


def show(path):
    blob = open(path, "rb").read()
    hlen = struct.unpack("<H", blob[8:10])[0]
    header = ast.literal_eval(blob[10:10 + hlen].decode("latin1"))
    data = blob[10 + hlen:]
    code = CODES[header["descr"]]
    n = len(data) // struct.calcsize(code)
    values = struct.unpack("<%d%s" % (n, code), data)
    print(header["descr"], "x".join(str(d) for d in header["shape"]) + ":",
          " ".join(("%.9g" % v) if isinstance(v, float) else str(int(v)) for v in values))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif sys.argv[1] == "print":
        show(sys.argv[2])
    else:
        open(sys.argv[2], "wb").write(header_bytes(sys.argv[3]))
