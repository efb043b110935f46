"""Throughput of the structure checker on a generated 850 file (prints figures, asserts nothing).

    python -m gateway.x12.structure_bench --mb 1 --mb 10

A seeded 004010 interchange of 850s (N1 loops, DTM, TD5, 5-50 PO1 lines with PID and PO4) is
read with the engine's streaming reader; we time the reader alone, reader + checker (fast path,
compiled pattern) and the slow walk alone on the first megabyte, and print MB/s, segments/s and
peak RSS.
"""
from __future__ import annotations

import argparse
import random
import resource
import time

from gateway.x12.reader import iter_transactions
from gateway.x12.structure import get_checker

_UNITS = ("EA", "CA", "DZ", "PK", "BX")


def generate_850(size_mb: float, seed: int = 42) -> bytes:
    """A realistic ISA..IEA of 850s of about `size_mb` megabytes."""
    rnd = random.Random(seed)
    target = int(size_mb * 1_000_000)
    sets: list[bytes] = []
    total = 0
    number = 0
    while total < target:
        number += 1
        segs = [f"ST*850*{number:04d}", f"BEG*00*SA*PO{number:08d}**20240115",
                "REF*DP*042", "DTM*002*20240201", "TD5*O*2*UPSN*U"]
        for qualifier in ("ST", "BT"):
            segs += [f"N1*{qualifier}*STORE {rnd.randint(1, 999)}*92*{rnd.randint(1, 9999):04d}",
                     "N3*100 MAIN ST", "N4*SPRINGFIELD*IL*62701*US"]
        lines = rnd.randint(5, 50)
        for line in range(1, lines + 1):
            segs += [f"PO1*{line}*{rnd.randint(1, 99)}*{rnd.choice(_UNITS)}*"
                     f"{rnd.randint(100, 99999) / 100}*PE*UP*{rnd.randint(10**11, 10**12 - 1)}"
                     f"*VN*SKU-{rnd.randint(1, 99999)}",
                     f"PID*F****ITEM DESCRIPTION {rnd.randint(1, 9999)}", "PO4*12*1*EA"]
        segs += [f"CTT*{lines}", f"SE*{len(segs) + 2}*{number:04d}"]
        block = "~\n".join(segs).encode() + b"~\n"
        sets.append(block)
        total += len(block)
    isa = ("ISA*00*          *00*          *ZZ*BUYER          *ZZ*SELLER         *240101*1200*"
           "U*00401*000000001*0*T*>~\n").encode()
    gs = f"GS*PO*BUYER*SELLER*20240101*1200*1*X*004010~\n".encode()
    tail = f"GE*{len(sets)}*1~\nIEA*1*000000001~\n".encode()
    return isa + gs + b"".join(sets) + tail


def _rate(label: str, size: int, segments: int, seconds: float) -> None:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<34} {size / seconds / 1e6:8.1f} MB/s {segments / seconds / 1e6:7.2f} M seg/s"
          f"   peak RSS {rss:6.0f} MB")


def run(size_mb: float) -> None:
    data = generate_850(size_mb)
    segments = data.count(b"~")
    checker = get_checker("850", "004010")
    print(f"-- {len(data) / 1e6:.1f} MB, {segments} segments")
    start = time.perf_counter()
    tail = b""
    for offset in range(0, len(data), 1 << 20):          # the Python floor: streaming split
        pieces = (tail + data[offset:offset + (1 << 20)]).split(b"~")
        tail = pieces.pop()
    _rate("bytes.split floor (1 MiB chunks)", len(data), segments, time.perf_counter() - start)
    start = time.perf_counter()
    for _ in iter_transactions(data):
        pass
    _rate("reader only", len(data), segments, time.perf_counter() - start)
    first = next(iter(iter_transactions(data)))
    checker.check(first)            # compile (or load from the pattern cache) outside the timing
    start = time.perf_counter()
    rejected = 0
    for tx in iter_transactions(data):
        rejected += bool(checker.check(tx))
    _rate("reader + structure check (fast)", len(data), segments, time.perf_counter() - start)
    assert rejected == 0, "generated sets must be valid"
    start = time.perf_counter()
    size = count = 0
    from gateway.x12.structure_walk import walk_errors
    for tx in iter_transactions(data):
        walk_errors(checker.structure, tx.segments)
        size += len(tx.raw)
        count += len(tx.segments)
        if size > 1_000_000:
            break
    _rate("slow walk only (first MB)", size, count, time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, action="append", help="file size (repeatable)")
    args = parser.parse_args()
    for size in args.mb or [1.0]:
        run(size)


if __name__ == "__main__":
    main()
