"""Acknowledgements from a FileReport: TA1 per interchange when due, 997 or 999 per group.

Written by us from the verdicts (the fast path), from the receiver's point of view: the ack's
sender is the received interchange's receiver. The AK5/IK5 of a set and the AK9 of its group
come from the same status properties that `x12 check` prints, so a rejected set can never be
acknowledged as accepted. 997 and 999 are never themselves acknowledged.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Callable, Protocol, Union

from gateway.x12.check_file import _young_gc_only
from gateway.x12.envelope import KNOWN_ISA_VERSIONS
from gateway.x12.model import Delimiters
from gateway.x12.report import FileReport, GroupReport, InterchangeReport, TransactionReport
from gateway.x12.writer import (SegmentSpec, X12Writer, isa_elements, with_repetition,
                                write_transaction)

ACK_997_VERSION = "004010"
ACK_999_VERSION = "005010X231"   # as pyx12 writes it and our maps read it
MAX_CODES = 5          # AK502..AK506, AK905..AK909
MAX_BAD_VALUE = 99     # AK404 / IK404


class ControlNumberSource(Protocol):
    def next(self, kind: str) -> int: ...   # kind: "isa" | "gs" | "st"


class SequentialControlNumbers:
    """Numbers from `start` per kind; for tools and tests (the gateway allocates its own)."""

    def __init__(self, start: int = 1):
        self._next = {"isa": start, "gs": start, "st": start}

    def next(self, kind: str) -> int:
        value = self._next[kind]
        self._next[kind] = value + 1
        return value


ControlNumbers = Union[ControlNumberSource, Callable[[str], int]]


@dataclass(slots=True)
class AckDocument:
    """One interchange we send back: its TA1 (when due) and its FA group(s)."""

    data: bytes
    kinds: tuple[str, ...]                     # e.g. ("TA1",), ("997",), ("TA1", "999")
    in_reply_to: str                           # the received ISA13
    control_number: int                        # our ISA13
    groups: list[tuple[str, str, str]] = field(default_factory=list)
    # (received GS06, ack type "997"|"999", AK901 status) per acknowledged group

    @property
    def kind(self) -> str:
        return "+".join(self.kinds)


def _next(source: ControlNumbers, kind: str) -> int:
    return source.next(kind) if hasattr(source, "next") else source(kind)  # type: ignore[union-attr]


def ack_type_for(version: str, functional_ack: str = "auto") -> str:
    if functional_ack in ("997", "999"):
        return functional_ack
    return "999" if version[:3].isdigit() and version[:3] >= "005" else "997"


def _safe(value: str | None, d: Delimiters) -> str:
    """AK404/IK404 copies bad data only when it holds no delimiter and fits."""
    if not value or len(value) > MAX_BAD_VALUE:
        return ""
    raw = value.encode("utf-8", "surrogateescape")
    if any(sep and sep in raw for sep in (d.element, d.segment, d.component, d.repetition)):
        return ""
    return value if value.isprintable() else ""


@lru_cache(maxsize=64)
def _alphanumeric_separators(d: Delimiters) -> bool:
    """Whether a delimiter is a letter or digit (the ISA reader lets some be): then _clean
    cannot take its shortcut for alphanumeric values."""
    return any(sep and sep.isalnum() for sep in (d.element, d.segment, d.component,
                                                  d.repetition))


def _clean(value: str, d: Delimiters) -> str:
    """An echoed value (AK1/AK2 ids, GS codes, TA1 fields) without any of our delimiters:
    received data may legally hold the component separator, which our ack must not write."""
    if value.isalnum() and value.isascii() and not _alphanumeric_separators(d):
        return value   # set IDs, control numbers: nothing to remove
    raw = value.encode("utf-8", "surrogateescape")
    for sep in (d.element, d.segment, d.component, d.repetition):
        if sep:
            raw = raw.replace(sep, b"")
    return raw.decode("utf-8", "surrogateescape")


def _detail_segments(tx: TransactionReport, kind: str, d: Delimiters) -> list[SegmentSpec]:
    seg_tag, el_tag = ("AK3", "AK4") if kind == "997" else ("IK3", "IK4")
    out: list[SegmentSpec] = []
    for error in tx.errors:
        if not error.ak_segment_code or error.segment_position is None:
            continue
        out.append((seg_tag, [_clean(error.segment_id or "", d), str(error.segment_position),
                              _clean(error.loop_id or "", d), error.ak_segment_code]))
        if error.ak_element_code and error.element_position:
            position: str | tuple = str(error.element_position)
            if error.component_position:
                position = (str(error.element_position), str(error.component_position))
            out.append((el_tag, [position, _clean(error.element_ref or "", d),
                                 error.ak_element_code,
                                 _safe(error.bad_value, d)]))
    return out


def _set_codes(tx: TransactionReport) -> list[str]:
    codes: list[str] = []
    for error in tx.errors:
        if error.is_error and error.ak_set_code and error.ak_set_code not in codes:
            codes.append(error.ak_set_code)
    if not codes and tx.status.ack_code == "R":
        codes.append("5")   # one or more segments in error
    return codes[:MAX_CODES]


def _group_codes(group: GroupReport) -> list[str]:
    codes: list[str] = []
    for error in group.errors:
        if error.is_error and error.ak_group_code and error.ak_group_code not in codes:
            codes.append(error.ak_group_code)
    return codes[:MAX_CODES]


def functional_ack_segments(group: GroupReport, kind: str, d: Delimiters) -> list[SegmentSpec]:
    """ST..AK9 of one 997/999 for one received group (SE is added by the writer)."""
    st: SegmentSpec = ("ST", ["997", ""]) if kind == "997" else ("ST", ["999", "", ACK_999_VERSION])
    ak1 = [_clean(group.functional_id, d), _clean(group.control_number, d)]
    if kind == "999" or group.version[:3] >= "005":
        ak1.append(_clean(group.version, d))
    out: list[SegmentSpec] = [st, ("AK1", ak1)]
    set_tag = "AK5" if kind == "997" else "IK5"
    plain = not _alphanumeric_separators(d)   # _clean's shortcut, decided once per group
    for tx in group.transactions:
        set_id, number = tx.set_id, tx.control_number
        if plain and set_id.isalnum() and set_id.isascii() and number.isalnum() \
                and number.isascii():
            ak2 = [set_id, number]     # what _clean returns for them
        else:
            ak2 = [_clean(set_id, d), _clean(number, d)]
        if kind == "999" and tx.implementation_reference:
            ak2.append(_clean(tx.implementation_reference, d))
        out.append(("AK2", ak2))
        if not tx.errors:     # most sets: accepted, nothing to detail
            out.append((set_tag, ["A"]))
            continue
        out.extend(_detail_segments(tx, kind, d))
        out.append((set_tag, [tx.status.ack_code, *_set_codes(tx)]))
    received = len(group.transactions)
    included = group.included_count if group.included_count is not None else received
    out.append(("AK9", [group.ack_code, str(included), str(received), str(group.accepted_count),
                        *_group_codes(group)]))
    return out


def answerable(ic: InterchangeReport) -> bool:
    """Whether a valid ISA can be addressed back: qualifiers of 2 and IDs of 1-15 characters."""
    h = ic.header
    return all(len(q) == 2 for q in (h.sender_qualifier, h.receiver_qualifier)) and \
        all(1 <= len(i) <= 15 for i in (h.sender_id, h.receiver_id))


def ta1_due(ic: InterchangeReport) -> bool:
    return ic.header.ack_requested == "1" or ic.rejected_by_envelope


def build_interchange_ack(ic: InterchangeReport, *, functional_ack: str = "auto",
                          control_numbers: ControlNumbers, now: datetime,
                          line_ending: str | bytes = "", usage: str | None = None,
                          only_on_error: bool = False) -> AckDocument | None:
    """The answer to one received interchange, or None when nothing is due or none is possible
    (sender or receiver ID that cannot be written back into a valid ISA)."""
    header = ic.header
    if not answerable(ic):
        return None
    wants_ta1 = ta1_due(ic)
    groups: list[tuple[GroupReport, str]] = []
    if not ic.rejected_by_envelope:
        for group in ic.groups:
            if group.functional_id == "FA":
                continue   # never acknowledge an acknowledgement
            if only_on_error and group.ack_code == "A":
                continue
            groups.append((group, ack_type_for(group.version, functional_ack)))
    if not wants_ta1 and not groups:
        return None
    has_999 = any(kind == "999" for _, kind in groups)
    version = header.version if header.version in KNOWN_ISA_VERSIONS else "00401"
    if has_999 and version < "00501":
        version = "00501"
    d = with_repetition(header.delimiters, version)
    writer = X12Writer(d, line_ending)
    isa13 = _next(control_numbers, "isa")
    out = [writer.segment("ISA", isa_elements(
        (header.receiver_qualifier, header.receiver_id),
        (header.sender_qualifier, header.sender_id), isa13, version,
        usage or (header.usage if header.usage in ("P", "T") else "P"), d, now))]
    kinds: list[str] = []
    if wants_ta1:
        kinds.append("TA1")
        out.append(writer.segment("TA1", [_clean(header.control_number, d), _clean(header.date, d),
                                          _clean(header.time, d), ic.ta1_code, ic.ta1_note]))
    group_count = 0
    summary: list[tuple[str, str, str]] = []
    for kind in ("997", "999"):
        chosen = [g for g, k in groups if k == kind]
        if not chosen:
            continue
        kinds.append(kind)
        group_count += 1
        gs06 = _next(control_numbers, "gs")
        first = chosen[0].header
        out.append(writer.segment("GS", ["FA", _clean(first.receiver_code or header.receiver_id, d),
                                         _clean(first.sender_code or header.sender_id, d),
                                         now.strftime("%Y%m%d"), now.strftime("%H%M"), str(gs06),
                                         "X", ACK_997_VERSION if kind == "997"
                                         else ACK_999_VERSION]))
        for group in chosen:
            number = f"{_next(control_numbers, 'st'):04d}"
            # the collector paused: the group's specs (two small lists a set) hold no cycle and
            # are dropped at once, and its passes would rescan the whole report (~25% of this)
            with _young_gc_only():
                data, _ = write_transaction(writer, functional_ack_segments(group, kind, d),
                                            number)
            out.append(data)
            summary.append((group.control_number, kind, group.ack_code))
        out.append(writer.segment("GE", [str(len(chosen)), str(gs06)]))
    out.append(writer.segment("IEA", [str(group_count), f"{isa13:09d}"]))
    return AckDocument(data=b"".join(out), kinds=tuple(kinds), in_reply_to=header.control_number,
                       control_number=isa13, groups=summary)


def build_acks(report: FileReport, *, functional_ack: str = "auto",
               control_numbers: ControlNumbers | None = None, now: datetime | None = None,
               line_ending: str | bytes = "", usage: str | None = None,
               only_on_error: bool = False) -> list[AckDocument]:
    """Every acknowledgement due for a checked file, one AckDocument per received interchange.

    An interchange whose ISA could not be read gets nothing (no valid TA1 is possible); the
    caller quarantines the file and alerts from `report.errors`.
    """
    numbers = control_numbers or SequentialControlNumbers()
    now = now or datetime.now()
    acks = []
    for ic in report.interchanges:
        ack = build_interchange_ack(ic, functional_ack=functional_ack, control_numbers=numbers,
                                    now=now, line_ending=line_ending, usage=usage,
                                    only_on_error=only_on_error)
        if ack is not None:
            acks.append(ack)
    return acks


__all__ = ["AckDocument", "ControlNumberSource", "SequentialControlNumbers",
           "build_acks", "build_interchange_ack", "functional_ack_segments", "ack_type_for"]
