"""pyx12 as the oracle for our acknowledgements: for the same input, the AK5 of every set and the
AK9 of every group in our 997 must equal those of the 997 pyx12 writes with our maps."""
from __future__ import annotations

import io
import logging
import random
from pathlib import Path

import pytest

from gateway.x12 import build_acks, check
from gateway.x12.reader import TransactionBlock, read_events

from tests.unit.x12.builders import STAR_5010, interchange

structure = pytest.importorskip("gateway.x12.structure")
maps = pytest.importorskip("gateway.x12.maps")
if not hasattr(maps, "pyx12_map_path"):
    pytest.skip("gateway.x12.maps.pyx12_map_path is not there yet", allow_module_level=True)

import pyx12.params  # noqa: E402
import pyx12.x12n_document  # noqa: E402


def verdicts(ack: bytes) -> list[tuple[str, ...]]:
    """(group, set, AK5) per set and (group, 'AK9', status, included, received, accepted)."""
    found: list[tuple[str, ...]] = []
    for event in read_events(ack):
        if not isinstance(event, TransactionBlock):
            continue
        group = set_number = ""
        for seg in event.tx.segments:
            if seg.id == "AK1":
                group = seg[2]
            elif seg.id == "AK2":
                set_number = seg[2]
            elif seg.id in ("AK5", "IK5"):
                found.append((group, set_number, seg[1]))
            elif seg.id == "AK9":
                found.append((group, "AK9", seg[1], seg[2], seg[3], seg[4]))
    return found


def pyx12_verdicts(path: Path) -> list[tuple[str, ...]]:
    logging.getLogger("pyx12").setLevel(logging.CRITICAL)
    out = io.StringIO()
    pyx12.x12n_document.x12n_document(pyx12.params.params(), str(path), out, None, None,
                                      map_path=maps.pyx12_map_path())
    return verdicts(out.getvalue().encode())


def our_verdicts(path: Path) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for ack in build_acks(check(path)):
        found += verdicts(ack.data)
    return found


BASE = interchange(3, lines=3)
BASE_5010 = interchange(2, lines=3, version="00501", gs_version="005010", delimiters=STAR_5010)


def _mutations() -> dict[str, bytes]:
    cases = {
        "valid": BASE,
        "se01_wrong": BASE.replace(b"SE*19*0002", b"SE*18*0002"),
        "se02_wrong": BASE.replace(b"SE*19*0002", b"SE*19*0009"),
        "bad_code": BASE.replace(b"BEG*00*SA*PO00001", b"BEG*00*XX*PO00001"),
        "missing_beg": BASE.replace(b"BEG*00*SA*PO00001**20240301~\n", b"").replace(
            b"SE*19*0002", b"SE*18*0002"),
        "bad_date": BASE.replace(b"DTM*002*20240310~\nTD5**2*UPSN**UPS GROUND~\nN1*ST*STORE 12*92*0012~\nN3*12 MAIN STREET~\nN4*SPRINGFIELD*IL*62701*US~\nPO1*1*9",
                                 b"DTM*002*20241310~\nTD5**2*UPSN**UPS GROUND~\nN1*ST*STORE 12*92*0012~\nN3*12 MAIN STREET~\nN4*SPRINGFIELD*IL*62701*US~\nPO1*1*9"),
        "ge01_wrong": BASE.replace(b"GE*3*100", b"GE*4*100"),
        "all_bad": BASE.replace(b"*SA*", b"*QQ*"),
        "5010_valid": BASE_5010,
        "5010_bad_code": BASE_5010.replace(b"BEG*00*SA*PO00001", b"BEG*00*XX*PO00001"),
        "5010_se01_wrong": BASE_5010.replace(b"SE*19*0001", b"SE*20*0001"),
    }
    segments = BASE.split(b"~\n")[:-1]
    rng = random.Random(850)
    for n in range(6):
        mutated = list(segments)
        index = rng.randrange(3, len(mutated) - 3)
        kind = ("drop", "dup", "swap")[n % 3]
        if kind == "drop":
            del mutated[index]
        elif kind == "dup":
            mutated.insert(index, mutated[index])
        else:
            mutated[index], mutated[index + 1] = mutated[index + 1], mutated[index]
        cases[f"{kind}_{index}"] = b"~\n".join(mutated) + b"~\n"
    return cases


CASES = _mutations()


@pytest.mark.parametrize("name", sorted(CASES))
def test_ak5_and_ak9_agree_with_pyx12(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.x12"
    path.write_bytes(CASES[name])
    theirs = pyx12_verdicts(path)
    assert theirs, "pyx12 wrote no 997"
    ours = our_verdicts(path)
    # pyx12 never writes AK901 = P: its group code is R as soon as one set fails. X12 (715) says
    # P when at least one set was rejected and at least one accepted, which is what we write.
    for verdict in ours:
        if verdict[1] == "AK9" and verdict[2] == "P":
            assert 0 < int(verdict[5]) < int(verdict[4])
    assert [v[:2] + ("R",) + v[3:] if v[1] == "AK9" and v[2] == "P" else v for v in ours] == theirs
