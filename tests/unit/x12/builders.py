"""Our own X12 fixtures, built in code with the engine's writer (never copied from the corpus)."""
from __future__ import annotations

import random
from datetime import datetime

from gateway.x12.model import Delimiters
from gateway.x12.writer import GroupSpec, write_interchange

NOW = datetime(2024, 3, 1, 9, 30)
STAR = Delimiters(b"*", b">", b"~", None)
STAR_5010 = Delimiters(b"*", b":", b"~", b"^")


def po_850(number: str, lines: int = 2, *, seed: int = 0) -> list[tuple[str, tuple]]:
    """ST..(before SE) of a small realistic 850: BEG, REF, DTM, TD5, N1 loops, PO1/PID/PO4, CTT."""
    rng = random.Random(seed)
    segments: list[tuple[str, tuple]] = [
        ("ST", ("850", "")),
        ("BEG", ("00", "SA", f"PO{number}", "", "20240301")),
        ("REF", ("DP", "038")),
        ("DTM", ("002", "20240310")),
        ("TD5", ("", "2", "UPSN", "", "UPS GROUND")),
        ("N1", ("ST", "STORE 12", "92", "0012")),
        ("N3", ("12 MAIN STREET",)),
        ("N4", ("SPRINGFIELD", "IL", "62701", "US")),
    ]
    for line in range(1, lines + 1):
        segments += [
            ("PO1", (str(line), str(rng.randint(1, 40)), "EA", f"{rng.randint(100, 9999) / 100:.2f}",
                     "", "UP", f"0{rng.randint(10**10, 10**11 - 1)}", "VN", f"SKU-{line:04d}")),
            ("PID", ("F", "", "", "", f"ITEM {line} DESCRIPTION")),
            ("PO4", ("6", "1", "EA")),
        ]
    segments.append(("CTT", (str(lines),)))
    return segments


def interchange(sets: int = 2, *, lines: int = 2, control_number: int = 1, version: str = "00401",
                gs_version: str = "004010", delimiters: Delimiters = STAR, line_ending: str = "\n",
                ack_requested: str = "0", functional_id: str = "PO", groups: int = 1) -> bytes:
    """A valid interchange of 850s."""
    specs = []
    for g in range(groups):
        txs = []
        for n in range(sets):
            tx = po_850(f"{g}{n:04d}", lines, seed=n)
            tx[0] = ("ST", ("850", f"{n + 1:04d}") + (("005010X999",) if gs_version >= "005" else ()))
            txs.append(tx)
        specs.append(GroupSpec(functional_id, "BUYERCO", "ORDERGATE", 100 + g, gs_version, txs))
    return write_interchange(sender=("ZZ", "BUYERCO"), receiver=("ZZ", "ORDERGATE"),
                             control_number=control_number, version=version, usage="T",
                             groups=specs, delimiters=delimiters, line_ending=line_ending, now=NOW,
                             ack_requested=ack_requested)
