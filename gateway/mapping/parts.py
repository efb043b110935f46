"""Element access on received segments without the per-element decode of the general split."""

from __future__ import annotations

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


def transaction_segments(tx: Any) -> list:
    """The set's segments for mapping, each already split (``tx.segments`` when parsed before).

    Same segments, positions and byte offsets as the engine's ``iter_segments`` (split on the
    terminator, framing whitespace stripped, empty pieces skipped), built with a handful of
    C-level calls per segment instead of a Python scan; the set's own cache is left alone."""
    parsed = getattr(tx, "_segments", None)
    raw = getattr(tx, "raw", None)
    d = getattr(tx, "delimiters", None)
    if parsed is not None or raw is None or d is None or len(d.element) != 1 \
            or d.element[0] >= 0x80 or not d.segment:
        return tx.segments
    from gateway.x12.model import Segment, framing_whitespace

    blank = framing_whitespace(d)
    sep = chr(d.element[0])
    step = len(d.segment)
    offset = tx.byte_offset
    position = 1
    out = []
    for piece in raw.split(d.segment):
        stripped = piece.strip(blank)
        if stripped:
            seg = Segment(stripped, d, position,
                          offset + len(piece) - len(piece.lstrip(blank)))
            seg._parts = tuple(stripped.decode(ENCODING, ERRORS).split(sep))
            out.append(seg)
            position += 1
        offset += len(piece) + step
    return out
