"""Mapping errors. Positions are attributes, so the CLI, the 997 builder and the API can use them.

``InboundError``: the partner's document does not fit the mapping (their fault).
``OutboundError``: a canonical document lacks what the partner's mapping needs (our fault).
``MappingFileError``: a mapping file itself is wrong (configuration fault), names file and key.
"""

from __future__ import annotations

from gateway.partners.errors import PartnerError


class MappingError(Exception):
    """Base: ``segment_id``, ``segment_position`` (ST = 1), ``element_position``, ``field``."""

    def __init__(
        self,
        message: str,
        *,
        segment_id: str | None = None,
        segment_position: int | None = None,
        element_position: int | None = None,
        field: str | None = None,
        value: str | None = None,
        expected: str | None = None,
        mapping: str | None = None,
    ):
        self.message = message
        self.segment_id = segment_id
        self.segment_position = segment_position
        self.element_position = element_position
        self.field = field
        self.value = value
        self.expected = expected
        self.mapping = mapping
        super().__init__(self._text())

    def _text(self) -> str:
        where = []
        if self.mapping:
            where.append(f"mapping {self.mapping}")
        if self.segment_id:
            seg = self.segment_id
            if self.element_position:
                seg += f"{self.element_position:02d}"
            if self.segment_position:
                seg += f" (segment {self.segment_position})"
            where.append(seg)
        if self.field:
            where.append(f"field {self.field}")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.value is not None:
            text += f" (got {self.value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text

    def to_json(self) -> dict:
        return {k: v for k, v in vars(self).items() if v is not None}


class InboundError(MappingError):
    """A received document does not fit its mapping or the canonical model."""


class OutboundError(MappingError):
    """A document we are about to send cannot be rendered with the partner's mapping."""


class MappingFileError(PartnerError):
    """A mapping file is invalid: ``file``, ``key_path`` and ``expected`` say where and what."""
