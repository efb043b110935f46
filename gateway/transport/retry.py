"""Retries with exponential backoff, only for errors that say a retry can help."""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

from gateway.transport.errors import TransportError

T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backoff:
    """`attempts` tries in all; the delay doubles from `base` up to `cap`, with some jitter."""

    attempts: int = 4
    base: float = 1.0
    cap: float = 30.0
    jitter: float = 0.2

    def delay(self, attempt: int) -> float:
        """Delay before try `attempt + 1` (attempt counts from 1)."""
        raw = min(self.cap, self.base * (2 ** (attempt - 1)))
        return raw * (1 + random.uniform(-self.jitter, self.jitter)) if raw else 0.0


def with_retries(operation: Callable[[], T], backoff: Backoff, *,
                 on_retry: Callable[[TransportError, int], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> T:
    """Run `operation`; retry retryable `TransportError`s; re-raise the last one when out of tries."""
    attempt = 1
    while True:
        try:
            return operation()
        except TransportError as exc:
            if not exc.retryable or attempt >= max(1, backoff.attempts):
                raise
            log.warning("transport: %s (%s), try %d of %d", exc, exc.operation, attempt,
                        backoff.attempts)
            if on_retry is not None:
                on_retry(exc, attempt)
            sleep(backoff.delay(attempt))
            attempt += 1
