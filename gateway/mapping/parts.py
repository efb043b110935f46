"""Element access on received segments without the per-element decode of the general split."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gateway.x12.model import ENCODING, ERRORS


def segment_parts(seg: Any) -> tuple[str, ...]:
    """The segment's id and elements as one tuple, decoded in one go when that is safe.

    The X12 engine decodes each element separately (UTF-8, surrogateescape). For a one-byte
    ASCII element separator, decoding the whole segment and then splitting gives the very same
    strings (an ASCII byte never sits inside a UTF-8 sequence, and undecodable bytes escape one
    by one), at a third of the cost; the result is kept on the segment as its own split would.
    Anything else goes through the engine's own split."""
    parts = getattr(seg, "_parts", None)
    if parts is not None:
        return parts
    sep = seg.delimiters.element
    if len(sep) != 1 or sep[0] >= 0x80:
        return seg._split()
    parts = tuple(seg.raw.decode(ENCODING, ERRORS).split(chr(sep[0])))
    try:
        seg._parts = parts
    except AttributeError:
        pass
    return parts


class SegmentRows(Sequence):
    """A set's segments for mapping: every segment's id and elements split up front (``rows``),
    the engine's Segment objects made only when asked for (an error to report, an HL tree).

    Row ``i`` is segment position ``i + 1`` (ST = 1), as the engine numbers them."""

    __slots__ = ("rows", "_tx", "_segments")

    def __init__(self, rows: list, tx: Any):
        self.rows = rows
        self._tx = tx
        self._segments: list | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index: Any) -> Any:
        segments = self._segments
        if segments is None:
            segments = self._segments = self._tx.segments
        return segments[index]


def transaction_segments(tx: Any) -> Sequence:
    """The set's segments for mapping: ``SegmentRows`` when the set is not parsed yet and its
    separators are ASCII, else ``tx.segments``.

    The rows are the engine's elements exactly (``iter_segments``: split on the terminator,
    framing whitespace stripped, empty pieces skipped), got by decoding the whole set once and
    splitting the text: an ASCII separator never sits inside a UTF-8 sequence, and undecodable
    bytes escape one by one, so splitting before or after decoding gives the same strings."""
    parsed = getattr(tx, "_segments", None)
    raw = getattr(tx, "raw", None)
    d = getattr(tx, "delimiters", None)
    if parsed is not None or raw is None or d is None or len(d.element) != 1 \
            or not d.segment or not (d.element + d.segment).isascii():
        return tx.segments
    from gateway.x12.model import framing_whitespace

    blank = framing_whitespace(d).decode("ascii")
    sep = d.element.decode("ascii")
    text = raw.decode(ENCODING, ERRORS)
    pieces = [piece.strip(blank) for piece in text.split(d.segment.decode("ascii"))]
    return SegmentRows([piece.split(sep) for piece in pieces if piece], tx)
