"""X12 throughput: MB/s, segments/s and peak RSS for reading and checking seeded 850 interchanges.

Cases, each measured in a fresh subprocess (so peak RSS is the case's own):
  floor        streaming bytes.split in 1 MiB chunks, counting segments (the Python floor)
  pyx12-read   pyx12's X12Reader, tokenising only
  pyx12-full   pyx12's full validation + 997 with our maps (mappings/x12), 1 MB by default
  ours         gateway.x12.check_file (envelope, counts, structure checker when installed) + build_acks
               in a fresh process whose compiled patterns come from the on-disk cache
               (gateway.x12.pattern_cache), as in any process after the first on a machine: one
               untimed run fills the cache first (unless ORDERGATE_X12_CACHE=off)
  ours-nocache "ours" with ORDERGATE_X12_CACHE=off: every pattern compiled in this process
  ours-warm    "ours" after a 0.3 MB warm-up in the same process: the structure checker's pattern
               compile (about a second, paid once by a long-running gateway) is left out
  ours-env     the same with the envelope checks only

Usage: python benchmarks/x12_throughput.py --sizes 1,10,100 [--repeat 3] [--cases ...]
Wall-clock MB/s is the figure; "MB/s cpu" (process time) helps on a shared, busy machine.
Files are generated once per (size, seed) under --workdir and reused.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MB = 1_000_000
ALL_CASES = ("floor", "pyx12-read", "pyx12-full", "ours", "ours-nocache", "ours-warm", "ours-env")


# --- data ------------------------------------------------------------------------------------
def _set(rng: random.Random, number: int) -> list[str]:
    po = f"PO{number:08d}"
    segs = [f"ST*850*{number:04d}", f"BEG*00*SA*{po}**2024{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
            "CUR*BY*USD", f"REF*DP*{rng.randint(1, 999):03d}", f"REF*IA*{rng.randint(10000, 99999)}",
            "PER*BD*JANE BUYER*TE*5555550100", "FOB*PP", "ITD*01*3*2**30**60",
            f"DTM*002*2024{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
            f"DTM*010*2024{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
            "TD5*O*2*UPSN*M*UPS GROUND"]
    for qualifier in rng.sample(["ST", "BT", "BY", "VN"], rng.randint(2, 3)):
        segs += [f"N1*{qualifier}*PARTY {rng.randint(1, 9999)}*92*{rng.randint(1000, 9999)}",
                 f"N3*{rng.randint(1, 999)} MAIN STREET", "N4*SPRINGFIELD*IL*62701*US"]
    lines = rng.randint(5, 50)
    for line in range(1, lines + 1):
        segs += [f"PO1*{line}*{rng.randint(1, 500)}*EA*{rng.randint(100, 99999) / 100:.2f}*PE*UP*"
                 f"{rng.randint(10**11, 10**12 - 1)}*VN*SKU{rng.randint(1, 99999):05d}",
                 f"PID*F****DESCRIPTION OF ITEM {rng.randint(1, 99999)}",
                 f"PO4*{rng.choice([1, 6, 12, 24])}*1*EA"]
    segs.append(f"CTT*{lines}")
    segs.append(f"SE*{len(segs) + 1}*{number:04d}")
    return segs


def generate(size_mb: float, seed: int, path: Path) -> tuple[int, int]:
    """An 004010 interchange of 850s of about size_mb MB; returns (bytes, segments)."""
    rng = random.Random(seed)
    target = int(size_mb * MB)
    head = ("ISA*00*          *00*          *ZZ*BUYERCO        *ZZ*ORDERGATE      *240301*0930*U*"
            "00401*000000001*0*P*>~\nGS*PO*BUYERCO*ORDERGATE*20240301*0930*1*X*004010~\n")
    written, segments, sets = len(head), 2, 0
    with path.open("w", encoding="ascii", newline="") as out:
        out.write(head)
        while written < target - 200:
            sets += 1
            segs = _set(rng, sets)
            text = "~\n".join(segs) + "~\n"
            out.write(text)
            written += len(text)
            segments += len(segs)
        tail = f"GE*{sets}*1~\nIEA*1*000000001~\n"
        out.write(tail)
    return written + len(tail), segments + 2


def data_file(workdir: Path, size_mb: float, seed: int) -> Path:
    path = workdir / f"850_{size_mb:g}MB_seed{seed}.x12"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        generate(size_mb, seed, tmp)
        tmp.rename(path)
    return path


# --- cases (run inside the child process) ----------------------------------------------------
def case_floor(path: Path) -> int:
    segments = 0
    rest = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            parts = (rest + chunk).split(b"~")
            rest = parts.pop()
            segments += len(parts)
    return segments + (1 if rest.strip() else 0)


def case_pyx12_read(path: Path) -> int:
    import pyx12.x12file

    return sum(1 for _ in pyx12.x12file.X12Reader(str(path)))


def pyx12_map_dir() -> str:
    """pyx12's own maps with ours (mappings/x12) laid over them, as pyx12 wants one folder."""
    try:
        from gateway.x12 import maps  # the structure part's helper, when it exists

        finder = getattr(maps, "pyx12_map_path", None) or getattr(maps, "map_path", None)
        if finder is not None:
            return str(finder())
    except ImportError:
        pass
    import pyx12

    folder = Path(tempfile.mkdtemp(prefix="og-pyx12-maps-"))
    for source in (Path(pyx12.__file__).parent / "map").iterdir():
        (folder / source.name).symlink_to(source)
    for source in (REPO / "mappings" / "x12").glob("*.xml"):
        target = folder / source.name
        if target.exists() or target.is_symlink():
            target.unlink()
        target.symlink_to(source)
    return str(folder)


def case_pyx12_full(path: Path) -> int:
    import io
    import logging

    import pyx12.params
    import pyx12.x12n_document

    logging.getLogger("pyx12").setLevel(logging.CRITICAL)
    map_dir = pyx12_map_dir()
    out = io.StringIO()
    pyx12.x12n_document.x12n_document(pyx12.params.params(), str(path), out, None, None,
                                      map_path=map_dir)
    if "AK9*" not in out.getvalue():
        raise RuntimeError("pyx12 wrote no 997")
    return case_floor(path)


def _ours(path: Path, envelope_only: bool) -> int:
    from gateway.x12 import build_acks, check
    from gateway.x12.checker_port import StructurePort

    port = StructurePort.envelope_only_port() if envelope_only else StructurePort()
    report = check(path, structure=port)
    acks = build_acks(report)
    assert acks, "no 997 was built"
    segments = 0
    for ic in report.interchanges:
        segments += 2
        for group in ic.groups:
            segments += 2 + sum(tx.segment_count for tx in group.transactions)
    if not envelope_only and not port.available:
        print("note: no structure checker installed; 'ours' checked envelope only",
              file=sys.stderr)
    return segments


CASES = {"floor": case_floor, "pyx12-read": case_pyx12_read, "pyx12-full": case_pyx12_full,
         "ours": lambda p: _ours(p, False), "ours-nocache": lambda p: _ours(p, False),
         "ours-warm": lambda p: _ours(p, False),
         "ours-env": lambda p: _ours(p, True)}


PRELOAD = {"pyx12-read": ["pyx12.x12file"], "pyx12-full": ["pyx12.x12n_document", "pyx12.params"],
           "ours": ["gateway.x12.check_file", "gateway.x12.acks", "gateway.x12.checker_port"],
           "ours-env": ["gateway.x12.check_file", "gateway.x12.acks", "gateway.x12.checker_port"],
           "ours-nocache": ["gateway.x12.check_file", "gateway.x12.acks",
                            "gateway.x12.checker_port"],
           "ours-warm": ["gateway.x12.check_file", "gateway.x12.acks", "gateway.x12.checker_port"]}


def child(case: str, path: Path) -> None:
    """Import what the case needs first: start-up is not throughput."""
    import gc
    import importlib

    if case == "ours-nocache":
        os.environ["ORDERGATE_X12_CACHE"] = "off"
    for module in PRELOAD.get(case, []):
        importlib.import_module(module)
    if case in ("ours", "ours-nocache", "ours-warm"):
        from gateway.x12.checker_port import StructurePort

        StructurePort()   # loads the structure part's checker module, if any
    if case == "ours-warm":
        warm = path.with_name("warmup_0.3MB.x12")
        if not warm.exists():
            generate(0.3, 1, warm)
        _ours(warm, False)
    gc.freeze()
    start, cpu = time.perf_counter(), time.process_time()
    segments = CASES[case](path)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "segments": segments, "rss_mb": rss_mb}))


# --- driver ----------------------------------------------------------------------------------
def measure(case: str, path: Path, repeat: int, timeout: float) -> dict | None:
    runs = []
    for _ in range(repeat):
        try:
            result = subprocess.run([sys.executable, __file__, "--child", case, str(path)],
                                    capture_output=True, text=True, timeout=timeout,
                                    cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
        except subprocess.TimeoutExpired:
            return {"error": f"killed after {timeout:.0f} s"}
        if result.returncode != 0:
            return {"error": (result.stderr.strip().splitlines() or ["failed"])[-1][:100]}
        runs.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return {"seconds": statistics.median(r["seconds"] for r in runs),
            "cpu": statistics.median(r["cpu"] for r in runs),
            "segments": runs[0]["segments"], "rss_mb": max(r["rss_mb"] for r in runs)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100", help="MB, comma separated (default 1,10,100)")
    parser.add_argument("--cases", default=",".join(ALL_CASES))
    parser.add_argument("--pyx12-full-max", type=float, default=1.0,
                        help="largest size (MB) to run pyx12's full validation on (default 1)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case; the median is shown")
    parser.add_argument("--seed", type=int, default=850)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "ordergate-x12-bench")
    parser.add_argument("--child", nargs=2, metavar=("CASE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0
    args.workdir.mkdir(parents=True, exist_ok=True)
    sizes = [float(s) for s in args.sizes.split(",") if s]
    cases = [c for c in args.cases.split(",") if c]
    unknown = set(cases) - set(CASES)
    if unknown:
        parser.error(f"unknown cases {sorted(unknown)}; choose from {', '.join(ALL_CASES)}")
    results: dict[tuple[str, float], dict] = {}
    primed = False
    print(f"{'case':<11} {'size':>7} {'MB/s':>9} {'seg/s':>12} {'seconds':>9} {'cpu s':>8} "
          f"{'MB/s cpu':>9} {'peak RSS':>10}")
    for size in sizes:
        path = data_file(args.workdir, size, args.seed)
        real_mb = path.stat().st_size / MB
        for case in cases:
            if case == "pyx12-full" and size > args.pyx12_full_max:
                continue
            if case == "ours" and not primed:
                measure(case, path, 1, args.timeout)   # fills the pattern cache, untimed
                primed = True
            result = measure(case, path, args.repeat, args.timeout)
            results[(case, size)] = result
            if "error" in result:
                print(f"{case:<11} {size:>5g}MB  {result['error']}")
                continue
            mbps = real_mb / result["seconds"]
            print(f"{case:<11} {size:>5g}MB {mbps:>9.1f} {result['segments'] / result['seconds']:>12,.0f}"
                  f" {result['seconds']:>9.3f} {result['cpu']:>8.3f} "
                  f"{real_mb / max(result['cpu'], 1e-9):>9.1f} {result['rss_mb']:>8.1f}MB", flush=True)
    full = next((r for (c, _), r in results.items() if c == "pyx12-full" and "seconds" in r), None)
    full_size = next((z for (c, z), r in results.items() if c == "pyx12-full" and "seconds" in r), 0)
    for size in sizes:
        ours, floor = results.get(("ours", size)), results.get(("floor", size))
        if not ours or "seconds" not in ours:
            continue
        if full:
            ratio = (size / ours["seconds"]) / (full_size / full["seconds"])
            print(f"ours at {size:g} MB vs pyx12 full validation ({full_size:g} MB), MB/s: "
                  f"{ratio:.0f}x (target >= 60x)")
        if floor and "seconds" in floor:
            print(f"ours at {size:g} MB vs the floor: {ours['seconds'] / floor['seconds']:.1f}x "
                  "slower (target <= 10x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
