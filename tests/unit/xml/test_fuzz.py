"""Whatever arrives, parse_document answers with a document or an XMLError, never a traceback."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gateway.xml import XMLError, parse_document, render_document
from tests.unit.xml.conftest import DATA, NOW, make_partner, purchase_order

PARTNER = make_partner(documents=[{"type": "850", "direction": "in", "format": "xml",
                                   "mapping": "acme-order"}])
SEEDS = [render_document(make_partner(), purchase_order(), payload_id="1", now=NOW),
         (DATA / "acme_order.xml").read_bytes()]


def _answer(data: bytes) -> None:
    try:
        parse_document(PARTNER, data)
    except XMLError as exc:
        assert exc.message                      # a reason, and never another exception type


@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    _answer(b"<" + data)


@given(seed=st.sampled_from(SEEDS), cut=st.integers(0, 4000), at=st.integers(0, 4000),
       junk=st.binary(min_size=1, max_size=8))
def test_damaged_documents(seed: bytes, cut: int, at: int, junk: bytes) -> None:
    _answer(seed[:cut])
    _answer(seed[:at] + junk + seed[at + len(junk):])


@given(seed=st.sampled_from(SEEDS), at=st.integers(0, 4000),
       text=st.sampled_from(["", "x", "-1", "1e999", "NaN", "31.02.2026", "2026-13-01",
                             "&amp;", "\u00e9", "9" * 40]))
def test_damaged_values(seed: bytes, at: int, text: str) -> None:
    """Replace one element's or attribute's text with something odd."""
    start = seed.find(b">", at)
    end = seed.find(b"<", start)
    if start < 0 or end < 0:
        return
    _answer(seed[:start + 1] + text.encode() + seed[end:])
    quote = seed.find(b'="', at)
    close = seed.find(b'"', quote + 2)
    if quote >= 0 and close >= 0:
        _answer(seed[:quote + 2] + text.encode() + seed[close:])
