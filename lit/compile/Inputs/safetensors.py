#!/usr/bin/env python3
"""Tiny .safetensors writer for the lit tests (neither NumPy nor safetensors is
installed).

  safetensors.py write OUT NAME:DTYPE:SHAPE [...]   e.g. layers.0.weight:F32:4,8
      Values are deterministic: element i is ((i % 7) - 3) / 8 (exact in F16/BF16);
      DTYPE is F32, F16, BF16 or I8.
  safetensors.py raw OUT HEADER_LENGTH HEADER_TEXT DATA_BYTES
      Writes the length field (HEADER_LENGTH, or '-' for the text's length), the
      header text and DATA_BYTES zero bytes, to build malformed files.
"""
import json
import struct
import sys

FORMATS = {"F32": ("<f", 4), "F16": ("<e", 2), "I8": ("<b", 1)}


def value(i):
    return ((i % 7) - 3) / 8


def encode(dtype, count):
    if dtype == "BF16":  # the top half of the fp32 bits (the values are exact)
        return b"".join(struct.pack("<f", value(i))[2:] for i in range(count))
    code, _ = FORMATS[dtype]
    conv = int if dtype == "I8" else float
    return b"".join(struct.pack(code, conv(value(i) * (8 if dtype == "I8" else 1)))
                    for i in range(count))


def write(path, specs):
    header, data = {"__metadata__": {"format": "pt"}}, b""
    for spec in specs:
        name, dtype, shape = spec.split(":")
        dims = [int(d) for d in shape.split(",") if d]
        count = 1
        for d in dims:
            count *= d
        blob = encode(dtype, count)
        header[name] = {"dtype": dtype, "shape": dims,
                        "data_offsets": [len(data), len(data) + len(blob)]}
        data += blob
    text = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def raw(path, length, text, data_bytes):
    with open(path, "wb") as f:
        body = text.encode()
        size = len(body) if length == "-" else int(length)
        f.write(struct.pack("<Q", size) + body + bytes(int(data_bytes)))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], sys.argv[3:])
    else:
        raw(*sys.argv[2:6])
