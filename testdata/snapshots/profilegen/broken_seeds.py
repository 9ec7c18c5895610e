#!/usr/bin/env python3
"""Writes the hand-made seeds of fuzz/corpus/profile/: a tiny protobuf profile with an inlined
location, labels, packed and unpacked location ids and an unsymbolized location (plain and
gzip), and broken inputs, one per error the parser reports (protobuf and debug=1 text)."""
import gzip
import pathlib
import sys

out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")


def varint(n):
    b = b""
    while True:
        low, n = n & 0x7F, n >> 7
        if not n:
            return b + bytes([low])
        b += bytes([low | 0x80])


def field(num, wire, payload):
    """wire 0: payload is an int; wire 2: payload is bytes."""
    key = varint(num << 3 | wire)
    return key + (varint(payload) if wire == 0 else varint(len(payload)) + payload)


def msg(num, *parts):
    return field(num, 2, b"".join(parts))


def strings(*ss):
    return b"".join(field(6, 2, s.encode()) for s in ss)


# profile.proto: Profile.sample_type 1, sample 2, location 4, function 5, string_table 6,
# period_type 11. String indices: 1 goroutine, 2 count, 3 main.worker, 4 main.go, 5 main.recv,
# 6 role, 7 r.
table = strings("", "goroutine", "count", "main.worker", "main.go", "main.recv", "role", "r")
types = msg(1, field(1, 0, 1), field(2, 0, 2)) + msg(11, field(1, 0, 1), field(2, 0, 2))
functions = (msg(5, field(1, 0, 1), field(2, 0, 3), field(4, 0, 4)) +
             msg(5, field(1, 0, 2), field(2, 0, 5), field(4, 0, 4)))
inlined = msg(4, field(1, 0, 1), field(3, 0, 0x401000),
              msg(4, field(1, 0, 2), field(2, 0, 10)), msg(4, field(1, 0, 1), field(2, 0, 20)))
unsymbolized = msg(4, field(1, 0, 2), field(3, 0, 0x402000))
packed = msg(2, field(1, 2, varint(1) + varint(2) + varint(1)), field(2, 0, 3),
             msg(3, field(1, 0, 6), field(2, 0, 7)))
unpacked = msg(2, field(1, 0, 1), field(1, 0, 2), field(2, 0, 1))
good = types + packed + unpacked + inlined + unsymbolized + functions + table

seeds = {
    "inline_labels.pb": good,
    "inline_labels.pb.gz": gzip.compress(good, mtime=0),
    "truncated.pb": good[:-7],
    "truncated.pb.gz": gzip.compress(good, mtime=0)[:30],
    "missing_location.pb": types + msg(2, field(1, 0, 9), field(2, 0, 1)) + functions + table,
    "wrong_wire_type.pb": types + msg(4, field(1, 2, b"x")) + table,
    "bad_string_index.pb": types + msg(5, field(1, 0, 1), field(2, 0, 99)) + table,
    "not_goroutine.pb": msg(1, field(1, 0, 1)) + strings("", "samples"),
    "empty": b"",
    "text_escapes.txt": b'goroutineleak profile: total 2\r\n2 @ 0x1 0x2\r\n'
                        b'# labels: {"a\\"b":"\\u00e9\\x41\\101", "c":""}\r\n'
                        b'#\t0x1\tmain.f[...]+0x1\t\tC:/my dir/main.go:7\r\n#\t0x2\r\n',
    "text_bad_frame.txt": b"goroutine profile: total 1\n1 @ 0x1\n#\t0x1\tmain.f+0x1\tmain.go\n",
    "text_cut.txt": b"goroutine profile: total 3\n3 @ 0x1\n#\t0x1\tmain.f+0x1\tmain.go:1",
}
for name, data in seeds.items():
    (out / name).write_bytes(data)
