"""The engine's side of the structure checker contract (docs/CONTRACTS.md, "Structure checker").

`gateway.x12.structure` is written by another part. This port finds it when it is there, caches
one checker per (set, version), and turns "no definition" or a checker that fails into findings
on the set, so that a missing map or a checker bug rejects one set rather than stopping a file.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable, Protocol

from gateway.x12.errors import Level, X12Error
from gateway.x12.model import Delimiters, TransactionSet


class Checker(Protocol):
    def check(self, tx: TransactionSet) -> list[X12Error]: ...


_LOAD_FAILURE: list[str] = []


def _load_get_checker() -> Callable[[str, str], Any] | None:
    """The structure part's `get_checker`, or None when it is absent or fails to import (then
    every set is rejected as not supported, with the import failure in the message)."""
    try:
        module = importlib.import_module("gateway.x12.structure")
    except ImportError as exc:
        if exc.name != "gateway.x12.structure":
            _LOAD_FAILURE[:] = [f"{type(exc).__name__}: {exc}"]
        return None
    except Exception as exc:  # noqa: BLE001 - a broken module must not stop the file
        _LOAD_FAILURE[:] = [f"{type(exc).__name__}: {exc}"]
        return None
    return getattr(module, "get_checker", None)


class StructurePort:
    """Calls the structure checker for each set; None `get_checker` means "use the real one"."""

    def __init__(self, get_checker: Callable[[str, str], Any] | None = None, *,
                 envelope_only: bool = False):
        self.envelope_only = envelope_only
        self._get_checker = get_checker if get_checker is not None or envelope_only \
            else _load_get_checker()
        self._cache: dict[tuple[str, str], Any] = {}
        self._load_errors: dict[tuple[str, str], str] = {}

    def checker_for(self, set_id: str, version: str) -> Any:
        key = (set_id, version)
        if key not in self._cache:
            checker = None
            if self._get_checker is not None:
                try:
                    checker = self._get_checker(set_id, version)
                except Exception as exc:  # noqa: BLE001 - becomes a finding on every such set
                    self._load_errors[key] = f"{type(exc).__name__}: {exc}"
            self._cache[key] = checker
        return self._cache[key]

    @classmethod
    def envelope_only_port(cls) -> "StructurePort":
        """Envelope and counts only, no structure or codes (`x12 check --envelope-only`)."""
        return cls(envelope_only=True)

    @property
    def available(self) -> bool:
        return self._get_checker is not None

    def check(self, tx: TransactionSet) -> list[X12Error]:
        if self.envelope_only:
            return []
        version = tx.version
        checker = self.checker_for(tx.set_id, version)
        if checker is None:
            reason = self._load_errors.get((tx.set_id, version)) or \
                (_LOAD_FAILURE[0] if _LOAD_FAILURE and not self.available else None)
            message = f"no structure definition for set {tx.set_id} version {version}"
            if reason:
                message += f" (loading it failed: {reason})"
            return [X12Error(code="set_not_supported", message=message, level=Level.TRANSACTION,
                             segment_id="ST", segment_position=1, element_position=1,
                             byte_offset=tx.byte_offset, ak_set_code="1")]
        try:
            return list(checker.check(tx))
        except Exception as exc:  # noqa: BLE001 - a checker bug rejects the set, not the file
            return [X12Error(code="structure_check_failed",
                             message=f"the structure checker failed on this set: "
                                     f"{type(exc).__name__}: {exc}", level=Level.TRANSACTION,
                             segment_id="ST", segment_position=1, byte_offset=tx.byte_offset,
                             ak_set_code="5")]

    def block_matcher(self, set_id: str, version: str, delimiters: Delimiters
                      ) -> Callable[[bytearray, int], int] | None:
        """A matcher for the reader (`read_events(..., matcher)`), when the checker offers one:
        it finds the end of a set that has no finding in the same pass that checks it. Any
        failure inside it only sends the block the usual way (search, then `check`)."""
        if self.envelope_only:
            return None
        make = getattr(self.checker_for(set_id, version), "block_matcher", None)
        if make is None:
            return None
        try:
            match = make(delimiters)
        except Exception:  # noqa: BLE001 - the usual path reports whatever is wrong
            return None

        def safe(data: bytearray, pos: int) -> int:
            try:
                return match(data, pos)
            except Exception:  # noqa: BLE001 - same: the usual path checks the block
                return -1
        return safe

    def annotate(self, tx: TransactionSet) -> list[Any] | None:
        """Loop and segment names for `x12 show`, when the checker offers them."""
        checker = self.checker_for(tx.set_id, tx.version)
        annotate = getattr(checker, "annotate", None)
        if annotate is None:
            return None
        try:
            return list(annotate(tx))
        except Exception:  # noqa: BLE001 - `show` falls back to plain segments
            return None
