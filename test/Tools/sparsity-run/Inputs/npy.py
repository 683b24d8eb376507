#!/usr/bin/env python3
"""Writes and reads small .npy files with the standard library only, so the
sparsity-run tests get inputs and expected outputs that do not come from
sparsity-run itself.

  npy.py write OUT.npy DTYPE SHAPE VALUES   DTYPE: f2 f4 f8 i1 i4 i8
                                            (or f16 f32 f64 int8 int32 int64);
                                            SHAPE: 2,3 (empty for 0-d);
                                            VALUES: comma separated, C order
  npy.py dump FILE.npy                      prints 'descr shape: v0 v1 ...'
  npy.py range FILE.npy LO HI               checks LO <= v < HI for all v
"""
import struct
import sys

CODES = {"f2": ("<f2", "e"), "f4": ("<f4", "f"), "f8": ("<f8", "d"),
         "i1": ("|i1", "b"), "i4": ("<i4", "i"), "i8": ("<i8", "q")}
ALIASES = {"f16": "f2", "f32": "f4", "f64": "f8", "int8": "i1", "int32": "i4",
           "int64": "i8"}


def write(path, dtype, shape, values):
    dtype = ALIASES.get(dtype, dtype)
    descr, code = CODES[dtype]
    dims = [int(d) for d in shape.split(",") if d]
    shape_str = "(" + ", ".join(map(str, dims)) + ("," if len(dims) == 1 else "") + ")"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_str)
    pad = (64 - (10 + len(header) + 1) % 64) % 64
    header = header + " " * pad + "\n"
    conv = float if dtype.startswith("f") else int
    vals = [conv(v) for v in values.split(",") if v]
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode("latin1"))
        f.write(struct.pack("<%d%s" % (len(vals), code), *vals))


def read(path):
    data = open(path, "rb").read()
    assert data[:6] == b"\x93NUMPY", "bad magic"
    hlen = struct.unpack("<H", data[8:10])[0]
    header = eval(data[10:10 + hlen].decode("latin1"))
    code = {d: c for d, c in CODES.values()}[header["descr"]]
    payload = data[10 + hlen:]
    n = len(payload) // struct.calcsize(code)
    return header, struct.unpack("<%d%s" % (n, code), payload)


def main(argv):
    if argv[1] == "write":
        write(argv[2], argv[3], argv[4], argv[5] if len(argv) > 5 else "")
    elif argv[1] == "dump":
        header, vals = read(argv[2])
        print("%s %s: %s" % (header["descr"], header["shape"],
                             " ".join(("%.9g" % v) if isinstance(v, float) else str(v) for v in vals)))
    elif argv[1] == "range":
        _, vals = read(argv[2])
        lo, hi = float(argv[3]), float(argv[4])
        bad = [v for v in vals if not (lo <= v < hi)]
        distinct = len(set(vals))
        print("%d values, %d distinct, %d outside [%s, %s)" %
              (len(vals), distinct, len(bad), argv[3], argv[4]))
    else:
        sys.exit("unknown command " + argv[1])


if __name__ == "__main__":
    main(sys.argv)
