"""The inbound fast path (no origins: generated segment functions, inline match tests, ``each``
and ids setters) against the tracked path, on mutated sets: same data, same unmapped segments,
same error."""

from __future__ import annotations

import random

import pytest

from gateway.mapping import InboundError, load_mapping
from gateway.mapping.reader import read
from tests.unit.mapping.builders import segs

BASE = [
    "BEG*00*SA*P1**20240501", "CUR*BY*USD", "REF*DP*042", "REF*IA*7", "DTM*002*20240509",
    "TD5**2*UPSN*M*UPS", "N1*ST*Store*92*S1", "N3*1 Main*Floor 2", "N4*Springfield*IL*62701*US",
    "N1*BT*Accounts", "PO1*1*2*EA*1.5**VN*A1*BP*B1*UP*0123*VN*IGNORED",
    "PID*F****Widget", "DTM*002*20240508", "PO1*2*1*CA***SK*A2*UK*00012345678905",
    "PID*S****Not mapped", "PID*F****Gadget", "MSG*free text", "CTT*2*3",
]
PIECES = ["", "F", "S", "VN", "BP", "UP", "SK", "UK", "EN", "IN", "ST", "BT", "ZZ", "002", "010",
          "1", "2.5", "x1", "20240230", "240501", "A", "00", "04", "EA"]


def _mutate(rng: random.Random, lines: list[str]) -> list[str]:
    lines = list(lines)
    for _ in range(rng.randint(0, 4)):
        roll = rng.random()
        k = rng.randrange(len(lines))
        if roll < 0.25:
            del lines[k]
        elif roll < 0.45:
            lines.insert(k, lines[rng.randrange(len(lines))])
        elif roll < 0.55:
            j = rng.randrange(len(lines))
            lines[k], lines[j] = lines[j], lines[k]
        else:
            parts = lines[k].split("*")
            if len(parts) > 1:
                parts[rng.randrange(1, len(parts))] = rng.choice(PIECES)
            if rng.random() < 0.3:
                parts.append(rng.choice(PIECES))
            lines[k] = "*".join(parts)
        if not lines:
            break
    return ["ST*850*0001", *lines, f"SE*{len(lines) + 2}*0001"]


def _outcome(mapping, lines, origins):
    try:
        result = read(mapping, segs(*lines), origins=origins)
        return ("ok", result.data, result.unmapped)
    except InboundError as exc:
        return ("error", str(exc), vars(exc))


@pytest.mark.parametrize("name", ["850/default", "850/demo-retailer-in"])
def test_fast_and_tracked_reads_agree_on_mutated_sets(name):
    mapping = load_mapping(name)
    rng = random.Random(name)
    outcomes = set()
    for _ in range(1500):
        lines = _mutate(rng, BASE)
        fast = _outcome(mapping, lines, False)
        assert fast == _outcome(mapping, lines, True), lines
        outcomes.add(fast[0])
    assert outcomes == {"ok", "error"}


def test_repeated_qualifiers_keep_the_first_value_and_fill_nested_items():
    mapping = load_mapping("850/demo-retailer-in")
    lines = ["ST*850*0001", "BEG*00*SA*P1**20240501", "N1*ST*Store",
             "PO1*1*2*EA***VN*A1*UP*0123*VN*A2*BP*B1", "SE*5*0001"]
    for origins in (False, True):
        [line] = read(mapping, segs(*lines), origins=origins).data["lines"]
        assert line["item"] == {"sku": "A1", "upc": "0123", "buyer_part": "B1"}


def test_remembered_decimals_equal_fresh_ones_and_refusals_are_not_remembered():
    from decimal import Decimal

    from gateway.mapping.readplan import parser
    from gateway.mapping.transforms import FORMATS

    parse = parser("decimal")
    for text in ["1", "1.50", "-0", "0E-7", "1E+3", " 2 ", "1_000", "12345678901234567890.123",
                 "1.50", "-0"]:
        got = parse(text)
        assert got == FORMATS["decimal"][0](text) and str(got) == str(Decimal(text))
        assert got.as_tuple() == Decimal(text).as_tuple()
    for bad in ["x1", "NaN", "Infinity", "", "1.2.3"]:
        for _ in range(2):
            with pytest.raises(ValueError):
                parse(bad)
