"""When to try a failed webhook delivery again: exponential backoff with a cap, then give up."""
from __future__ import annotations

from datetime import datetime, timedelta

from gateway.api.settings import WebhookSettings


def next_attempt(attempts: int, now: datetime, settings: WebhookSettings) -> datetime | None:
    """After `attempts` failed tries: the next try time, or None when the delivery is dead."""
    if attempts >= settings.max_attempts:
        return None
    delay = min(settings.backoff_base_seconds * (4 ** (attempts - 1)), settings.backoff_cap_seconds)
    return now + timedelta(seconds=delay)
