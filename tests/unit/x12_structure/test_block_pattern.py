"""The lazily compiled fast path: element bodies are compiled for the IDs seen, and a block with a
defined ID not compiled in yet is matched after the pattern grows, never rejected for it."""
from __future__ import annotations

from gateway.x12.model import Delimiters
from gateway.x12.structure import get_checker
from gateway.x12.structure_block import BlockPattern
from tests.unit.x12_structure.fixtures import PO_850, make_tx

D = Delimiters(element=b"*", component=b">", segment=b"~")
SMALL = ["ST*850*0001", "BEG*00*SA*PO-1001**20240115", "PO1*1*10*EA*9.99*PE*UP*012345678905",
         "CTT*1", "SE*5*0001"]


def _pattern() -> BlockPattern:
    checker = get_checker("850", "004010")
    return BlockPattern(checker.structure.root, D, checker.release)


def test_starts_with_the_ids_of_the_first_block_then_grows():
    pattern = _pattern()
    assert pattern.compiled_ids == frozenset()
    assert pattern.fullmatch(make_tx(SMALL).raw)
    assert pattern.compiled_ids == {"ST", "BEG", "PO1", "CTT", "SE"}
    assert pattern.fullmatch(make_tx(PO_850).raw)
    assert {"N1", "N3", "N4", "DTM", "SAC", "PID"} <= pattern.compiled_ids
    assert "PO3" not in pattern.compiled_ids     # defined in the 850, never seen


def test_a_bad_element_in_a_new_id_is_still_caught():
    pattern = _pattern()
    assert pattern.fullmatch(make_tx(SMALL).raw)
    bad = list(PO_850)
    bad[12] = "N3*" + "X" * 60                   # N301 is at most 55 characters
    assert pattern.fullmatch(make_tx(bad).raw) is None
    assert "N3" in pattern.compiled_ids
    assert pattern.fullmatch(make_tx(PO_850).raw)


def test_unknown_and_misplaced_ids_are_rejected():
    pattern = _pattern()
    unknown = SMALL[:2] + ["ZZZ*1"] + SMALL[2:]
    assert pattern.fullmatch(make_tx(unknown).raw) is None
    misplaced = SMALL[:1] + SMALL[2:3] + SMALL[1:2] + SMALL[3:]   # PO1 before BEG
    assert pattern.fullmatch(make_tx(misplaced).raw) is None


def test_checker_agrees_with_the_walk_on_a_later_new_id():
    checker = get_checker("850", "004010")
    assert checker.check(make_tx(SMALL)) == []
    late = list(PO_850)
    late[4] = "PER*BD*JANE BUYER*TE*5551234567*EM"       # PER05 without PER06 (syntax P0506)
    errors = checker.check(make_tx(late))
    assert [e.ak_element_code for e in errors] == ["2"]


def test_the_grammar_grows_with_the_ids_and_still_places_them():
    pattern = _pattern()
    assert pattern.fullmatch(make_tx(SMALL).raw)
    assert b"N1" not in pattern.grammar.pattern
    late_n1 = SMALL[:4] + ["N1*ST*STORE 12*92*0012"] + SMALL[4:]     # N1 loop after CTT
    assert pattern.fullmatch(make_tx(late_n1).raw) is None
    assert b"N1" in pattern.grammar.pattern
    header_n1 = SMALL[:2] + ["N1*ST*STORE 12*92*0012"] + SMALL[2:]
    assert pattern.fullmatch(make_tx(header_n1).raw)


def test_a_segment_ending_with_an_element_separator_is_left_to_the_walk():
    pattern = _pattern()
    trailing = list(PO_850)
    trailing[12] = "N3*1 MAIN ST*"
    assert pattern.fullmatch(make_tx(PO_850).raw)
    assert pattern.fullmatch(make_tx(trailing).raw) is None
