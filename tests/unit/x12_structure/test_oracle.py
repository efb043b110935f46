"""pyx12 is the oracle: its own validator with our maps and our checker must give the same verdict
(accepted / rejected) per transaction set, over the public corpus, our fixtures and mutations.

Inputs go to pyx12 in a fresh, valid envelope (pyx12_oracle.envelope) so that only structure and
codes are compared. Known, principled differences are listed with their reason in KNOWN.
"""
from __future__ import annotations

import glob
import os
from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings, strategies as st

from gateway.x12.errors import X12ReadError
from gateway.x12.maps import release_of
from gateway.x12.reader import iter_transactions
from gateway.x12.structure import get_checker
from gateway.x12.structure_walk import walk_errors
from tests.unit.x12_structure.fixtures import FIXTURES, VERSIONS, make_tx, raw_segments
from tests.unit.x12_structure.pyx12_oracle import pyx12_verdict, pyx12_verdicts

SETS = ("850", "855", "856", "810")
# (file name prefix, set control number) -> why our verdict differs from pyx12's
KNOWN: dict[tuple[str, str], str] = {}


def walk_rejects(checker, tx) -> bool:
    """The slow walk's verdict alone (check() itself may take the fast path)."""
    return any(e.is_error for e in walk_errors(checker.structure, tx.segments))


def ours(tx) -> bool:
    return not any(e.is_error for e in get_checker(tx.set_id, tx.version).check(tx))


def theirs(tx, release: str) -> bool:
    d = tx.delimiters
    # a trailing element separator is only a warning for us (tolerant reading, STRUCTURES.md 1.4)
    # and an error for pyx12: strip it before asking pyx12, the warning has its own test
    segments = [s.rstrip(d.element) for s in raw_segments(tx)]
    return pyx12_verdict(segments, tx.set_id, release, d.element, d.component, d.segment)


def corpus_sets(corpus):
    for path in sorted(glob.glob(str(corpus / "x12" / "8[15]*")) +
                       glob.glob(str(corpus / "x12-bots" / "*"))):
        try:
            found = list(iter_transactions(path))
        except X12ReadError:   # not X12 at all (e.g. a derived segment list): the reader's tests
            continue
        for tx in found:
            release = release_of(tx.version)
            if tx.set_id in SETS and release and len(tx.delimiters.segment) == 1 \
                    and b" " not in (tx.delimiters.element, tx.delimiters.segment):
                yield path.rsplit("/", 1)[-1], tx, release


def test_corpus_verdicts_match_pyx12(corpus):
    batches: dict[tuple, list] = defaultdict(list)
    for name, tx, release in corpus_sets(corpus):
        batches[(tx.set_id, release, tx.delimiters)].append((name, tx))
    compared, mismatches = 0, []
    for (set_id, release, d), items in batches.items():
        strip = [[s.rstrip(d.element) for s in raw_segments(tx)] for _, tx in items]
        verdicts = pyx12_verdicts(strip, set_id, release, d.element, d.component, d.segment)
        assert len(verdicts) == len(items)
        for (name, tx), pyx12_ok in zip(items, verdicts):
            compared += 1
            if ours(tx) != pyx12_ok and (name, tx.control_number) not in KNOWN:
                mismatches.append((name, tx.set_id, tx.control_number, ours(tx), pyx12_ok))
    assert compared > 150
    assert mismatches == []


def test_fast_path_never_accepts_what_the_walk_rejects(corpus):
    common = Counter(tx.delimiters for _, tx, _ in corpus_sets(corpus)).most_common(2)
    for name, tx, release in corpus_sets(corpus):
        if tx.delimiters not in dict(common) or tx.set_id not in ("850", "856"):
            continue   # each pattern costs ~1 s to compile; two delimiter sets x two sets suffice
        checker = get_checker(tx.set_id, tx.version)
        if checker.fast_accepts(tx):
            assert not walk_rejects(checker, tx), name


def _mutate(segments: list[str], data) -> list[str]:
    body = list(segments)
    inner = range(1, len(body) - 1)
    action = data.draw(st.sampled_from(["drop", "duplicate", "swap", "element", "truncate"]))
    i = data.draw(st.sampled_from(list(inner)))
    if action == "drop":
        del body[i]
    elif action == "duplicate":
        body.insert(i, body[i])
    elif action == "swap":
        j = data.draw(st.sampled_from(list(inner)))
        body[i], body[j] = body[j], body[i]
    elif action == "truncate":
        parts = body[i].split("*")
        body[i] = "*".join(parts[:max(1, data.draw(st.integers(1, len(parts))))])
    else:
        parts = body[i].split("*")
        k = data.draw(st.integers(1, max(1, len(parts) - 1)))
        value = data.draw(st.sampled_from(["", "X", "ZZ", "20241301", "2561", "1.5", "-3", "ABC",
                                           "9" * 25, "A B ", "00", "EA", "UP"]))
        while len(parts) <= k:
            parts.append("")
        parts[k] = value
        body[i] = "*".join(parts).rstrip("*")
    return body


@settings(max_examples=int(os.environ.get("X12_ORACLE_EXAMPLES", "12")))  # pyx12 ~1 s each
@given(data=st.data(), set_id=st.sampled_from(sorted(FIXTURES)),
       release=st.sampled_from(["4010", "5010"]))
def test_mutated_fixtures_match_pyx12(data, set_id, release):
    segments = _mutate(FIXTURES[set_id], data)
    tx = make_tx(segments, set_id, release)
    tx.group = None
    checker = get_checker(set_id, VERSIONS[release])
    mine = not any(e.is_error for e in checker.check(tx))
    pyx12_ok = theirs(tx, release)
    assert mine == pyx12_ok, (segments, [str(e) for e in checker.check(tx)])
    assert (not walk_rejects(checker, tx)) == pyx12_ok, segments
    if checker.fast_accepts(tx):
        assert not walk_rejects(checker, tx)


@settings(max_examples=150)
@given(data=st.data(), set_id=st.sampled_from(sorted(FIXTURES)),
       release=st.sampled_from(["4010", "5010"]))
def test_fast_path_is_never_more_lenient_than_the_walk(data, set_id, release):
    """No pyx12 here (cheap): many more mutations, including arbitrary element text."""
    segments = _mutate(FIXTURES[set_id], data)
    if data.draw(st.booleans()):
        i = data.draw(st.integers(1, len(segments) - 2))
        parts = segments[i].split("*")
        k = data.draw(st.integers(1, max(1, len(parts) - 1)))
        while len(parts) <= k:
            parts.append("")
        parts[k] = data.draw(st.text(alphabet="AZ09 .-:/^#\\x07é", max_size=12))
        segments[i] = "*".join(parts)
    tx = make_tx(segments, set_id, release)
    checker = get_checker(set_id, VERSIONS[release])
    if checker.fast_accepts(tx):
        assert not walk_rejects(checker, tx), segments
