"""The bulk writer's SQLite encodings give the values SQLAlchemy's own binding would store."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from decimal import Decimal as D

from core.adapters.bulk import SQLITE_ENCODE, sqlite_number


def test_quantities_bind_as_the_numbers_sqlite_stores() -> None:
    values = [D("3"), D("3.0000"), D("9.99"), D("12.3456"), D("-0"), D("0.0000"), D("1E+2"),
              D("-2.5"), 3, 2.5, None, "text"]
    expected = [3, 3, 9.99, 12.3456, 0, 0, 100, -2.5, 3, 2.5, None, "text"]
    assert [sqlite_number(v) for v in values] == expected
    assert [type(sqlite_number(v)) for v in values[:4]] == [int, int, float, float]
    assert sqlite_number(D("3")) == sqlite_number(D("3")) and sqlite_number("x") == "x"
    # what the table holds is what float binding (SQLAlchemy's Numeric on SQLite) holds
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a NUMERIC(18, 4), b NUMERIC(18, 4))")
    for v in values[:8]:
        conn.execute("INSERT INTO t VALUES (?, ?)", (sqlite_number(v), float(v)))
    for a, b in conn.execute("SELECT a, b FROM t"):
        assert a == b and type(a) is type(b)


def test_one_batch_timestamp_is_formatted_like_sqlalchemy() -> None:
    at = datetime(2026, 11, 25, 12, 0, 1, 5, tzinfo=timezone.utc)
    assert SQLITE_ENCODE.dt(at) == "2026-11-25 12:00:01.000005"
    assert SQLITE_ENCODE.dt(at) == "2026-11-25 12:00:01.000005"  # remembered
    later = datetime(2026, 11, 25, 12, 0, 2)
    assert SQLITE_ENCODE.dt(later) == "2026-11-25 12:00:02.000000"
    assert SQLITE_ENCODE.dt(None) is None


def test_json_dumps_many_writes_what_json_dumps_writes() -> None:
    from core.adapters.engine import json_dumps, json_dumps_many

    ranking = {"nearest": {"ranked": [["WH-E", 42.5], ["WH-W", None]], "excluded": {"S": "x"}},
               "ünï": [1.0, float("inf"), D("2.50")]}
    held: list[object] = []
    values = [
        {"rules": ranking, "lines": [{"line": "1", "quantity": "3"}], "held": held},
        {"rules": ranking, "lines": [], "held": held},
        {"lines": 20, "channel": "edi", "partner": None},
        {"rules": ranking, 3: "int key"},  # not all keys text: encoded whole
        {"rules": ranking},
        {},
        ranking,
        [ranking, ranking],
        "text",
        None,
    ]
    assert json_dumps_many(values) == [json_dumps(v) for v in values]
    assert json_dumps_many([]) == []
    unshared = [{"a": [1]}, {"a": [1]}]  # equal but not the same object: nothing to share
    assert json_dumps_many(unshared) == [json_dumps(v) for v in unshared]


def test_sqlite_binds_none_as_null_through_its_adapter(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from core.adapters.engine import create_engine_for

    engine = create_engine_for(f"sqlite:///{tmp_path}/n.db")  # registers the None adapter
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        raw.execute("CREATE TABLE t (a, b)")
        raw.executemany("INSERT INTO t VALUES (?, ?)", [(None, 1), (D("2.5"), None)])
        assert raw.execute("SELECT a, b, typeof(a), typeof(b) FROM t ORDER BY rowid").fetchall() == [
            (None, 1, "null", "integer"), (2.5, None, "real", "null")]
    engine.dispose()


def test_json_dumps_writes_what_json_dumps_with_its_settings_writes() -> None:
    import json
    from datetime import date

    from core.adapters.engine import _json_default, json_dumps

    for value in [{"a": D("1.50"), "b": [date(2026, 1, 2), None, 1.5, float("nan")], "ü": "é"},
                  "text", 3, None, [], {}]:
        assert json_dumps(value) == json.dumps(value, default=_json_default, separators=(",", ":"))


def test_read_dicts_gives_the_values_sqlalchemy_rows_give(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The driver-cursor read returns what a SQLAlchemy Row holds, column for column and type
    for type: Numeric as Decimal at the column's scale, dates, timestamps, JSON, booleans, NULLs,
    labels, an expanded IN list, and values repeated across rows (remembered processors)."""
    from datetime import date

    from sqlalchemy import (JSON, Boolean, Column, Date, DateTime, Integer, MetaData, Numeric,
                            String, Table, create_engine, insert, select)

    from core.adapters.bulk import read_dicts

    meta = MetaData()
    t = Table("t", meta, Column("id", Integer, primary_key=True), Column("q", Numeric(18, 4)),
              Column("d", Date), Column("at", DateTime), Column("doc", JSON),
              Column("ok", Boolean), Column("name", String(20)))
    engine = create_engine(f"sqlite:///{tmp_path / 'r.db'}")
    meta.create_all(engine)
    at = datetime(2026, 12, 6, 9, 30, 1, 250)
    rows = [dict(id=i, q=[D("1"), D("2.5"), D("0.0001"), None, D("12345.6789")][i % 5],
                 d=[date(2026, 1, 31), None][i % 2], at=at, doc=[{"a": [1, "x"]}, None][i % 2],
                 ok=[True, False, None][i % 3], name=[None, "ab"][i % 2]) for i in range(1, 41)]
    with engine.begin() as conn:
        conn.execute(insert(t), rows)
    queries = [select(t).order_by(t.c.id),
               select(t.c.id, t.c.q.label("price"), t.c.at).where(t.c.id.in_([3, 5, 8, 13]))
               .order_by(t.c.id),
               select(t).where(t.c.id > 1000)]
    with engine.connect() as conn:
        for query in queries:
            expected = [dict(row._mapping) for row in conn.execute(query)]
            got = read_dicts(conn, query)
            assert got == expected
            assert [[type(v) for v in r.values()] for r in got] == \
                [[type(v) for v in r.values()] for r in expected]
            assert [list(r) for r in got] == [list(r) for r in expected]   # keys, in order
        assert read_dicts(conn, queries[0])[0]["q"] == D("2.5000")
        assert str(read_dicts(conn, queries[0])[0]["q"]) == "2.5000"    # the column's scale
    with engine.connect() as fresh:                      # first statement of a connection
        assert len(read_dicts(fresh, queries[0])) == 40 and fresh.in_transaction()
    engine.dispose()
