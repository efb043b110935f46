"""Errors about partner configuration. Position is in attributes, not only in the message."""

from __future__ import annotations

from pathlib import Path


class PartnerError(Exception):
    """A partner profile or mapping file cannot be used.

    ``file`` is the offending file, ``key_path`` the dotted key inside it (``x12.partner.isa_id``),
    ``expected`` what would have been valid. The CLI prints these and exits 1.
    """

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        key_path: str | None = None,
        expected: str | None = None,
    ):
        self.file = str(file) if file is not None else None
        self.key_path = key_path
        self.expected = expected
        self.message = message
        where = ": ".join(p for p in (self.file, key_path) if p)
        text = f"{where}: {message}" if where else message
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)


class UnknownPartner(PartnerError):
    """No profile with that id in the home."""


class DuplicateIsaId(PartnerError):
    """Two profiles claim the same ISA qualifier/ID, so inbound files could not be routed."""


class ProfileErrors(PartnerError):
    """Several findings in one file; ``errors`` lists each as a PartnerError."""

    def __init__(self, errors: list[PartnerError]):
        self.errors = errors
        first = errors[0]
        super().__init__(
            "; ".join(str(e) for e in errors),
            file=None,
        )
        self.file = first.file
        self.key_path = first.key_path
        self.expected = first.expected
