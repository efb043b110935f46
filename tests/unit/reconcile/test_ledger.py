"""Exception records across runs: keyed updates, acknowledgement kept, reopen, resolve notes,
a failing check that resolves nothing, and the hand moves."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from gateway.reconcile import run_all
from gateway.reconcile.actions import ExceptionNotFound, IllegalMove, acknowledge, resolve
from gateway.reconcile.checks import Check, all_checks
from gateway.reconcile.findings import Finding
from gateway.reconcile.kinds import ExceptionType as T
from gateway.reconcile.tables import reconcile_exceptions as X
from tests.unit.reconcile.builder import T0, hours


def rows(engine) -> list[dict]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(X).order_by(X.c.id)).mappings()]


def fake_check(keys: list[str], fail: bool = False) -> Check:
    def find(ctx):
        if fail:
            raise RuntimeError("boom")
        return [Finding(key=k, type=T.ASN_LATE, reason=f"late {k}", amount=Decimal("1.5"),
                        partner_id="p") for k in keys]

    return Check("fake", (T.ASN_LATE,), find)


def test_rerun_updates_instead_of_duplicating(engine) -> None:
    run_all(engine, {}, T0, checks=[fake_check(["a", "b"])])
    run_all(engine, {}, T0 + hours(1), checks=[fake_check(["a", "b"])])
    got = rows(engine)
    assert [r["key"] for r in got] == ["a", "b"]
    assert all(r["first_seen"].replace(tzinfo=None) == T0.replace(tzinfo=None) for r in got)
    assert all(r["last_seen"].replace(tzinfo=None) == (T0 + hours(1)).replace(tzinfo=None)
               for r in got)


def test_gone_condition_resolves_and_comes_back_reopened(engine) -> None:
    run_all(engine, {}, T0, checks=[fake_check(["a", "b"])])
    summary = run_all(engine, {}, T0 + hours(1), checks=[fake_check(["a"])])
    assert summary.resolved == 1
    b = {r["key"]: r for r in rows(engine)}["b"]
    assert b["status"] == "resolved" and b["note"].startswith("settled: no longer found as of")
    summary = run_all(engine, {}, T0 + hours(2), checks=[fake_check(["a", "b"])])
    assert summary.reopened == 1 and summary.opened == 0
    b = {r["key"]: r for r in rows(engine)}["b"]
    assert b["status"] == "open" and b["occurrences"] == 2 and b["resolved_at"] is None


def test_a_failing_check_resolves_nothing_and_is_reported(engine) -> None:
    run_all(engine, {}, T0, checks=[fake_check(["a"])])
    summary = run_all(engine, {}, T0 + hours(1), checks=[fake_check([], fail=True)])
    assert summary.errors == ["fake: RuntimeError: boom"]
    assert rows(engine)[0]["status"] == "open"


def test_acknowledged_stays_acknowledged_on_rerun(engine) -> None:
    run_all(engine, {}, T0, checks=[fake_check(["a"])])
    exc_id = rows(engine)[0]["id"]
    acknowledge(engine, exc_id, by="finance")
    run_all(engine, {}, T0 + hours(1), checks=[fake_check(["a"])])
    row = rows(engine)[0]
    assert row["status"] == "acknowledged" and row["acknowledged_by"] == "finance"


def test_hand_moves_follow_the_table(engine) -> None:
    run_all(engine, {}, T0, checks=[fake_check(["a"])])
    exc_id = rows(engine)[0]["id"]
    row = resolve(engine, exc_id, "credit note received")
    assert row["status"] == "resolved" and "credit note received" in row["note"]
    with pytest.raises(IllegalMove) as err:
        acknowledge(engine, exc_id)
    assert (err.value.current, err.value.wanted) == ("resolved", "acknowledged")
    with pytest.raises(ExceptionNotFound) as missing:
        resolve(engine, 999, "x")
    assert missing.value.exception_id == 999


def test_many_findings_in_one_run(engine) -> None:
    keys = [f"k{i}" for i in range(12_000)]  # more than one insert chunk
    summary = run_all(engine, {}, T0, checks=[fake_check(keys)])
    assert summary.opened == 12_000
    summary = run_all(engine, {}, T0 + hours(1), checks=[fake_check(keys[:100])])
    assert summary.resolved == 11_900
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(X).where(X.c.status == "open")).scalar() == 100


def test_every_type_is_owned_by_exactly_one_check() -> None:
    owners: dict[T, str] = {}
    for check in all_checks():
        for t in check.types:
            assert t not in owners, f"{t} owned by {owners[t]} and {check.name}"
            owners[t] = check.name
    assert set(owners) == set(T)


def test_a_pass_does_not_block_other_writers_on_sqlite(engine) -> None:
    """While the checks read, another connection commits a write at once (no lock wait)."""
    import sqlite3

    wrote: list[bool] = []

    def find(ctx):
        other = sqlite3.connect(engine.url.database, timeout=0.2, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("INSERT INTO sequences (name, value) VALUES ('probe', 1)")
            other.execute("COMMIT")
            wrote.append(True)
        finally:
            other.close()
        return []

    summary = run_all(engine, {}, T0, checks=[Check("probe", (T.ASN_LATE,), find)])
    assert summary.errors == [] and wrote == [True]


def test_records_follow_what_each_run_finds(tmp_path) -> None:
    """Property: after any sequence of runs, each key seen has exactly one record; it is open iff
    the last run found it; its occurrences count the times it came back after being settled."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from core.adapters.engine import create_engine_for
    from core.adapters.tables import metadata

    runs = st.lists(st.sets(st.sampled_from("abcdef"), max_size=6), min_size=1, max_size=6)
    counter = iter(range(10_000))

    @settings(max_examples=15, deadline=None)
    @given(runs)
    def check(sequence: list[set[str]]) -> None:
        eng = create_engine_for(f"sqlite:///{tmp_path / f'p{next(counter)}.db'}")
        metadata.create_all(eng)
        try:
            expected_occ: dict[str, int] = {}
            previous: set[str] = set()
            for i, keys in enumerate(sequence):
                run_all(eng, {}, T0 + hours(i), checks=[fake_check(sorted(keys))])
                for k in keys:
                    if k not in expected_occ:
                        expected_occ[k] = 1
                    elif k not in previous:
                        expected_occ[k] += 1
                previous = keys
            got = {r["key"]: r for r in rows(eng)}
            assert set(got) == set(expected_occ)
            for key, row in got.items():
                assert (row["status"] == "open") == (key in sequence[-1])
                assert row["occurrences"] == expected_occ[key]
        finally:
            eng.dispose()

    check()
