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
