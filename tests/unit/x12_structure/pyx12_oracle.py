"""Run pyx12's own validator with our maps over one transaction set: the oracle of the tests.

Each set is wrapped in a fresh, valid envelope (ISA12 00401/00501, GS08 004010/005010, counts
recomputed) with the set's own delimiters, so that pyx12's verdict is about the structure and codes
of the set only: the envelope is the reader's business and has its own tests.
"""
from __future__ import annotations

import io
import re
import logging

import pyx12.params
import pyx12.x12n_document

from gateway.x12.maps import pyx12_map_path

FUNCTIONAL_ID = {"850": "PO", "855": "PR", "856": "SH", "810": "IN", "997": "FA", "999": "FA"}
logging.getLogger("pyx12").setLevel(logging.CRITICAL)


def envelope(segments: list[bytes], set_id: str, release: str, element: bytes = b"*",
             component: bytes = b":", terminator: bytes = b"~") -> bytes:
    """ISA..IEA around the segments (ST..SE without terminators); SE01 is recomputed."""
    icvn, gs08 = ("00501", "005010") if release == "5010" else ("00401", "004010")
    body = list(segments)
    if body and body[-1].startswith(b"SE" + element):
        parts = body[-1].split(element)
        parts[1] = str(len(body)).encode()
        body[-1] = element.join(parts)
    rep = b"^" if release == "5010" and b"^" not in (element, component, terminator) else b"U"
    isa = element.join([b"ISA", b"00", b" " * 10, b"00", b" " * 10, b"ZZ", b"SENDER".ljust(15),
                        b"ZZ", b"RECEIVER".ljust(15), b"240101", b"1200", rep, icvn.encode(),
                        b"000000001", b"0", b"T", component])
    gs = element.join([b"GS", FUNCTIONAL_ID.get(set_id, "PO").encode(), b"SENDER", b"RECEIVER",
                       b"20240101", b"1200", b"1", b"X", gs08.encode()])
    ge = element.join([b"GE", b"1", b"1"])
    iea = element.join([b"IEA", b"1", b"000000001"])
    return terminator.join([isa, gs, *body, ge, iea]) + terminator


def pyx12_ack(data: bytes) -> str:
    """The 997/999 pyx12 writes for an interchange (its full validation with our maps)."""
    param = pyx12.params.params()
    param.set("charset", "E")
    src = io.StringIO(data.decode("latin-1"))
    out = io.StringIO()
    pyx12.x12n_document.x12n_document(param, src, out, None, None, map_path=pyx12_map_path())
    return out.getvalue()


def pyx12_accepts(data: bytes) -> bool:
    """pyx12's verdict on the (single) set of an interchange: its AK5/IK5 is A or E."""
    status = re.search(r"(?:AK5|IK5)\*(\w)", pyx12_ack(data))
    return bool(status) and status.group(1) in ("A", "E")


def pyx12_verdict(segments: list[bytes], set_id: str, release: str, element: bytes = b"*",
                  component: bytes = b":", terminator: bytes = b"~") -> bool:
    return pyx12_accepts(envelope(segments, set_id, release, element, component, terminator))


def pyx12_verdicts(sets: list[list[bytes]], set_id: str, release: str, element: bytes = b"*",
                   component: bytes = b":", terminator: bytes = b"~") -> list[bool]:
    """pyx12's verdict on many sets at once: one group, so pyx12 loads the map only once.

    Each set gets ST02/SE02 = its index (unique in the group); verdicts follow AK2/AK5 order."""
    body: list[bytes] = []
    for number, segments in enumerate(sets, 1):
        control = b"%04d" % number
        seg = list(segments)
        first = seg[0].split(element)
        first[2] = control
        seg[0] = element.join(first)
        parts = seg[-1].split(element)
        parts[1:3] = [str(len(seg)).encode(), control]
        seg[-1] = element.join(parts)
        body.extend(seg)
    data = envelope(body, set_id, release, element, component, terminator)
    # envelope() recomputed the last SE01 over the whole body: put the last set's count back
    last = list(sets[-1])
    data = data.replace(element.join([b"SE", str(len(body)).encode(), b"%04d" % len(sets)]),
                        element.join([b"SE", str(len(last)).encode(), b"%04d" % len(sets)]))
    data = data.replace(element.join([b"GE", b"1", b"1"]),
                        element.join([b"GE", str(len(sets)).encode(), b"1"]))
    ack = pyx12_ack(data)
    statuses = re.findall(r"(?:AK5|IK5)\*(\w)", ack)
    return [s in ("A", "E") for s in statuses]
