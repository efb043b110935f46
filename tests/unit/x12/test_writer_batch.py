"""X12Writer.segments writes many plain segments at once: same bytes and same errors as
writing them one by one with segment(), whatever the elements and delimiters."""
from __future__ import annotations

import random

import pytest

from gateway.x12 import Delimiters, X12Writer
from gateway.x12.writer import write_transaction

DELIMITERS = [
    Delimiters(b"*", b">", b"~", None),
    Delimiters(b"*", b":", b"~", b"^"),
    Delimiters(b"|", b"^", b"\n", None),
    Delimiters(b"\x1d", b"@", b"\x1c", None),
    Delimiters(b"*", b">", "\u2026".encode(), None),  # a multibyte terminator
    Delimiters(b"*", b">", b"~\n", None),
    Delimiters(b"*", b"*", b"~", None),  # nonsense, but both paths must agree on it
]
ENDINGS = ["", "lf", "crlf", "cr"]
PIECES = ["", "", "A", "12", "M\u00fcller", "x\udcff", "\ud800", "*", "~", ">", ":", "^", "|",
          "\n", "\r", "@", "\x1c", "\x1d", "\u2026", "a b"]


class _Text(str):
    """A str subclass (a str-valued Enum member is one): written as its text."""


def _element(rng: random.Random) -> object:
    roll = rng.random()
    if roll < 0.8:
        return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 2)))
    if roll < 0.86:
        return (rng.choice(PIECES), rng.choice(PIECES))
    if roll < 0.9:
        return [rng.choice(PIECES), rng.choice(PIECES)]
    if roll < 0.94:
        return None
    if roll < 0.97:
        return rng.choice([(), [], 7])
    return _Text(rng.choice(PIECES))


def _specs(rng: random.Random, clean: bool) -> list:
    specs = []
    for _ in range(rng.randint(0, 6)):
        seg_id = rng.choice(["N1", "PO1", "REF", "ISA"] if not clean else ["N1", "PO1", "REF"])
        if clean:
            elements = [rng.choice(["", "A", "12", "M\u00fcller", "a b"])
                        for _ in range(rng.randint(0, 6))]
        else:
            elements = [_element(rng) for _ in range(rng.randint(0, 6))]
        specs.append((seg_id, rng.choice([elements, tuple(elements)])))
    return specs


def _outcome(call):
    try:
        return ("ok", call())
    except Exception as exc:  # the exact error is part of the contract
        return ("error", type(exc), str(exc), vars(exc) if hasattr(exc, "__dict__") else None)


@pytest.mark.parametrize("clean", [True, False])
def test_segments_equal_segment_by_segment(clean: bool) -> None:
    rng = random.Random(855 + clean)
    for _ in range(3000):
        delimiters = rng.choice(DELIMITERS)
        writer = X12Writer(delimiters, rng.choice(ENDINGS), trim_trailing=rng.random() < 0.8)
        specs = _specs(rng, clean)
        one_by_one = _outcome(lambda: b"".join(writer.segment(s, e) for s, e in specs))
        assert _outcome(lambda: writer.segments(specs)) == one_by_one, (delimiters, specs)
        assert _outcome(lambda: writer.segments(iter(specs))) == one_by_one


def test_batched_transaction_bytes() -> None:
    writer = X12Writer(Delimiters(b"*", b">", b"~", None), "lf")
    body = [("ST", ["855", ""]), ("BAK", ["00", "AC", "PO1", "20240501", "", "", "", "A-1", ""]),
            ("PO1", ["1", "2", "EA"]), ("SE", ["99", "x"])]
    data, count = write_transaction(writer, body, "0007")
    assert count == 4
    assert data == (b"ST*855*0007~\nBAK*00*AC*PO1*20240501****A-1~\nPO1*1*2*EA~\n"
                    b"SE*4*0007~\n")


def test_batched_transaction_refuses_a_delimiter_in_data_like_segment() -> None:
    writer = X12Writer(Delimiters(b"*", b">", b"~", None))
    with pytest.raises(Exception) as batched:
        write_transaction(writer, [("ST", ["855", ""]), ("N1", ["ST", "A~B"])], "0001")
    with pytest.raises(Exception) as single:
        writer.segment("N1", ["ST", "A~B"])
    assert type(batched.value) is type(single.value)
    assert str(batched.value) == str(single.value)
