"""What a person does with an exception: acknowledge it (seen, being handled) or resolve it with
a note. Moves follow `kinds.TRANSITIONS`; an illegal one names both states."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select, update

from gateway.reconcile.kinds import TRANSITIONS, Status
from gateway.reconcile.runner import utc
from gateway.reconcile.tables import reconcile_exceptions as X


class ExceptionNotFound(LookupError):
    def __init__(self, exception_id: int):
        super().__init__(f"no reconciliation exception #{exception_id}")
        self.exception_id = exception_id


class IllegalMove(ValueError):
    def __init__(self, exception_id: int, current: str, wanted: str):
        super().__init__(f"exception #{exception_id} is {current}; it cannot become {wanted}")
        self.exception_id = exception_id
        self.current = current
        self.wanted = wanted


def _move(engine: Engine, exception_id: int, wanted: Status, **values) -> dict:
    with engine.begin() as conn:
        row = conn.execute(select(X.c.status).where(X.c.id == exception_id)).first()
        if row is None:
            raise ExceptionNotFound(exception_id)
        current = Status(row.status)
        if wanted not in TRANSITIONS[current]:
            raise IllegalMove(exception_id, current.value, wanted.value)
        conn.execute(update(X).where(X.c.id == exception_id).values(status=wanted.value, **values))
        return dict(conn.execute(select(X).where(X.c.id == exception_id)).mappings().one())


def acknowledge(engine: Engine, exception_id: int, by: str = "cli",
                at: datetime | None = None) -> dict:
    return _move(engine, exception_id, Status.ACKNOWLEDGED, acknowledged_at=utc(at),
                 acknowledged_by=by[:64])


def resolve(engine: Engine, exception_id: int, note: str, by: str = "cli",
            at: datetime | None = None) -> dict:
    """Resolve by hand. If a later run finds the condition again, it reopens the exception."""
    return _move(engine, exception_id, Status.RESOLVED, resolved_at=utc(at),
                 note=f"resolved by {by}: {note}"[:2000])
