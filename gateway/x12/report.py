"""Verdicts: per transaction set, group, interchange and file, and the `x12 check --json` shape.

Statuses are derived, not stored by hand: a set is rejected by any error-severity finding; a
group's AK9 status follows from its sets and its own envelope errors; an interchange or file is
accepted only when everything in it is. The status tables below are the single place that says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from gateway.x12.errors import X12Error
from gateway.x12.model import Delimiters, GroupHeader, InterchangeHeader, display


class SetStatus(str, Enum):
    """T in issue 2; `ack_code` is AK501/IK501."""

    ACCEPTED = "accepted"
    ACCEPTED_WITH_ERRORS = "accepted_with_errors"
    REJECTED = "rejected"

    @property
    def ack_code(self) -> str:
        return {"accepted": "A", "accepted_with_errors": "E", "rejected": "R"}[self.value]

    @property
    def usable(self) -> bool:
        return self is not SetStatus.REJECTED


class Status(str, Enum):
    """S in issue 2, for groups, interchanges and files."""

    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially_accepted"
    REJECTED = "rejected"


def _findings_status(errors: list[X12Error]) -> SetStatus:
    if not errors:
        return SetStatus.ACCEPTED
    if any(error.is_error for error in errors):
        return SetStatus.REJECTED
    return SetStatus.ACCEPTED_WITH_ERRORS if errors else SetStatus.ACCEPTED


def _combine(accepted: int, total: int) -> Status:
    if total and accepted == total:
        return Status.ACCEPTED
    return Status.PARTIALLY_ACCEPTED if accepted else Status.REJECTED


@dataclass(slots=True)
class TransactionReport:
    set_id: str
    control_number: str
    byte_offset: int = 0
    segment_count: int = 0
    implementation_reference: str = ""
    errors: list[X12Error] = field(default_factory=list)
    group: "GroupReport | None" = field(default=None, repr=False, compare=False)

    @property
    def status(self) -> SetStatus:
        return _findings_status(self.errors)

    def to_json(self) -> dict[str, Any]:
        return {"set_id": display(self.set_id), "control_number": display(self.control_number),
                "status": self.status.value, "errors": [e.to_json() for e in self.errors],
                "segment_count": self.segment_count, "byte_offset": self.byte_offset}


@dataclass(slots=True)
class GroupReport:
    header: GroupHeader
    transactions: list[TransactionReport] = field(default_factory=list)
    errors: list[X12Error] = field(default_factory=list)
    included_count: int | None = None   # GE01 as received (None when GE is missing)
    interchange: "InterchangeReport | None" = field(default=None, repr=False, compare=False)

    @property
    def functional_id(self) -> str:
        return self.header.functional_id

    @property
    def control_number(self) -> str:
        return self.header.control_number

    @property
    def version(self) -> str:
        return self.header.version

    @property
    def rejected_by_envelope(self) -> bool:
        return any(error.is_error for error in self.errors)

    @property
    def accepted_count(self) -> int:
        """AK904: sets whose own AK5 is A or E (as pyx12 counts them), even when the group is
        rejected by its envelope (AK901 = R says that); see `usable_count`."""
        # a set without findings is accepted: only the others need their status worked out
        return sum(1 for tx in self.transactions if not tx.errors or tx.status.usable)

    @property
    def usable_count(self) -> int:
        """Sets whose data may be used: none when the group itself is rejected."""
        return 0 if self.rejected_by_envelope else self.accepted_count

    @property
    def status(self) -> Status:
        if self.rejected_by_envelope:
            return Status.REJECTED
        return _combine(self.accepted_count, len(self.transactions))

    @property
    def ack_code(self) -> str:
        """AK901: A, E (accepted, some with errors or warnings), P (partially) or R."""
        status = self.status
        if status is Status.REJECTED:
            return "R"
        if status is Status.PARTIALLY_ACCEPTED:
            return "P"
        noted = self.errors or any(tx.errors for tx in self.transactions)
        return "E" if noted else "A"

    def to_json(self) -> dict[str, Any]:
        return {"functional_id": display(self.functional_id),
                "control_number": display(self.control_number), "version": display(self.version), "status": self.status.value, "ack_code": self.ack_code,
                "errors": [e.to_json() for e in self.errors],
                "transactions": [tx.to_json() for tx in self.transactions]}


@dataclass(slots=True)
class InterchangeReport:
    header: InterchangeHeader
    groups: list[GroupReport] = field(default_factory=list)
    errors: list[X12Error] = field(default_factory=list)
    other_segments: list[str] = field(default_factory=list)   # e.g. a received TA1

    @property
    def control_number(self) -> str:
        return self.header.control_number

    @property
    def delimiters(self) -> Delimiters:
        return self.header.delimiters

    @property
    def rejected_by_envelope(self) -> bool:
        return any(error.is_error for error in self.errors)

    @property
    def set_count(self) -> int:
        return sum(len(group.transactions) for group in self.groups)

    @property
    def accepted_count(self) -> int:
        if self.rejected_by_envelope:
            return 0
        return sum(group.usable_count for group in self.groups)

    @property
    def status(self) -> Status:
        if self.rejected_by_envelope:
            return Status.REJECTED
        if not self.set_count:
            # a TA1-only or empty interchange: accepted when its groups (if any) are
            return Status.REJECTED if any(g.rejected_by_envelope for g in self.groups) \
                else Status.ACCEPTED
        status = _combine(self.accepted_count, self.set_count)
        if status is Status.ACCEPTED and any(g.rejected_by_envelope for g in self.groups):
            return Status.PARTIALLY_ACCEPTED
        return status

    @property
    def ta1_code(self) -> str:
        """TA104: A, E (warnings only) or R."""
        if self.rejected_by_envelope:
            return "R"
        return "E" if self.errors else "A"

    @property
    def ta1_note(self) -> str:
        """TA105: the note code of the first interchange finding, 000 when there is none."""
        for error in sorted(self.errors, key=lambda e: not e.is_error):
            if error.ta1_code:
                return error.ta1_code
        return "024" if self.errors else "000"

    def to_json(self) -> dict[str, Any]:
        h = self.header
        return {"control_number": display(h.control_number), "sender_id": display(h.sender_id),
                "receiver_id": display(h.receiver_id),
                "sender_qualifier": display(h.sender_qualifier),
                "receiver_qualifier": display(h.receiver_qualifier), "version": display(h.version),
                "usage": display(h.usage), "status": self.status.value, "ta1": {
                    "status": self.ta1_code, "note_code": self.ta1_note},
                "delimiters": {k: display(v) if v else v for k, v in h.delimiters.as_dict().items()}, "byte_offset": h.byte_offset,
                "errors": [e.to_json() for e in self.errors],
                "groups": [g.to_json() for g in self.groups]}


@dataclass(slots=True)
class FileReport:
    path: str
    interchanges: list[InterchangeReport] = field(default_factory=list)
    errors: list[X12Error] = field(default_factory=list)
    size: int = 0

    @property
    def set_count(self) -> int:
        return sum(ic.set_count for ic in self.interchanges)

    @property
    def status(self) -> Status:
        if any(error.is_error for error in self.errors) and not self.set_count:
            return Status.REJECTED
        if not self.interchanges:
            return Status.REJECTED
        statuses = {ic.status for ic in self.interchanges}
        if any(error.is_error for error in self.errors):
            statuses.add(Status.REJECTED)
        if statuses == {Status.ACCEPTED}:
            return Status.ACCEPTED
        if statuses == {Status.REJECTED}:
            return Status.REJECTED
        return Status.PARTIALLY_ACCEPTED

    def accepted(self, tx_report: TransactionReport) -> bool:
        """Whether a set's data may be used: its own verdict and its group's and interchange's."""
        group = tx_report.group
        if group is None or not tx_report.status.usable or group.rejected_by_envelope:
            return False
        return group.interchange is None or not group.interchange.rejected_by_envelope

    @property
    def anything_rejected(self) -> bool:
        """Drives the exit code of `x12 check`: 1 when anything at any level was rejected."""
        if any(error.is_error for error in self.errors):
            return True
        for ic in self.interchanges:
            if ic.rejected_by_envelope:
                return True
            for group in ic.groups:
                if group.rejected_by_envelope:
                    return True
                if any(not tx.status.usable for tx in group.transactions):
                    return True
        return False

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "status": self.status.value, "size": self.size,
                "errors": [e.to_json() for e in self.errors],
                "interchanges": [ic.to_json() for ic in self.interchanges]}
