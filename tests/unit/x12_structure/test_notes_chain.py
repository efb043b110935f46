"""Syntax notes compiled into the element chain (structure_notes): for every segment with notes
in every supported set, each pattern of present and empty elements gets the same verdict from the
compiled segment pattern as from the slow walk's element checks (`check_segment`)."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.x12.model import Delimiters, Segment
from gateway.x12.structure import get_checker
from gateway.x12.structure_elements import check_segment
from gateway.x12.structure_model import CompositeDef, ElementDef, LoopDef, SegmentDef
from gateway.x12.structure_notes import Part, notes_chain
from gateway.x12.structure_regex import _Compiler

D = Delimiters(element=b"*", component=b">", segment=b"~", repetition=b"^")
SETS = [("850", "004010"), ("855", "004010"), ("856", "004010"), ("810", "004010"),
        ("850", "005010"), ("856", "005010"), ("810", "005010"), ("997", "004010")]


def _noted(loop: LoopDef, out: dict) -> dict:
    for child in loop.children:
        if isinstance(child, SegmentDef):
            if child.syntax:
                out.setdefault(child.id, child)
        else:
            _noted(child, out)
    return out


def _sample(el: ElementDef) -> str:
    """A valid non-empty value of an element (the notes decide the verdict, not the value)."""
    if el.codes:
        return sorted(el.codes)[0]
    low = max(el.min_len, 1)
    if el.data_type == "DT":
        return "20240115" if el.max_len >= 8 else "240115"
    if el.data_type == "TM":
        return "1200"
    if el.data_type.startswith("N") or el.data_type == "R":
        return "1" * low
    return "A" * low


def _value(el) -> str:
    if isinstance(el, CompositeDef):
        return ">".join(_sample(c) for c in el.components if c.mandatory) or _sample(el.components[0])
    return _sample(el)


CASES = []
for set_id, version in SETS:
    checker = get_checker(set_id, version)
    for seg in _noted(checker.structure.root, {}).values():
        CASES.append((set_id, checker.release, seg))


@settings(max_examples=300)
@given(data=st.data(), case=st.sampled_from(CASES))
def test_notes_in_the_chain_agree_with_the_walk(data, case):
    set_id, release, seg = case
    present = data.draw(st.lists(st.booleans(), min_size=len(seg.elements),
                                 max_size=len(seg.elements)))
    values = [(_value(el) if on or el.mandatory else "") for el, on in zip(seg.elements, present)]
    while values and values[-1] == "":
        values.pop()
    raw = "*".join([seg.id] + values).encode()
    problems = check_segment(Segment(raw, D, 2, 0), seg, release)
    pattern = re.compile(_Compiler(D, release).segment(seg), re.DOTALL)
    matched = pattern.fullmatch(raw + b"~") is not None
    if matched:
        assert problems == [], (raw, problems)
    if not problems and values:   # no element at all: an error the walk reports by itself
        assert matched, raw


def test_notes_chain_falls_back_when_too_large(monkeypatch):
    import gateway.x12.structure_notes as notes
    monkeypatch.setattr(notes, "MAX_PATTERN", 10)
    rule = type(CASES[0][2].syntax[0])("P", (1, 2))
    parts = [Part(1, b"A", "O", b"A"), Part(2, b"B", "O", b"B")]
    assert notes.notes_chain(b"\\*", parts, [rule]) is None
    monkeypatch.setattr(notes, "MAX_PATTERN", 10_000)
    chain = re.compile(b"X" + notes.notes_chain(b"\\*", parts, [rule]) + b"~")
    assert chain.fullmatch(b"X*A*B~") and chain.fullmatch(b"X~")
    assert not chain.fullmatch(b"X*A~") and not chain.fullmatch(b"X**B~")
