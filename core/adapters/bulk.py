"""Bulk writes for the hot path: ids allocated up front and rows sent with the driver's
executemany, skipping SQLAlchemy's per-row parameter machinery (~25 us a row here, against
~3 us for the driver). Values are converted exactly as SQLAlchemy stores them, so reads through
SQLAlchemy see the same types. Used for the tables a PlaceOrder batch writes many rows to."""
from __future__ import annotations

from operator import itemgetter
from typing import Any, Callable, NamedTuple, Sequence

from decimal import Decimal

from sqlalchemy import JSON, Boolean, Connection, Date, DateTime, Numeric, Table

from core.adapters.engine import json_dumps

Converter = Callable[[Any], Any] | None


class Remembered(dict):  # type: ignore[type-arg]
    """A conversion whose result depends only on its argument and is immutable, remembered per
    value (up to 50,000): a batch converts a few distinct quantities, prices and timestamps many
    times, and a hit is a dict lookup in C, ~4x cheaper than converting again. Values that are
    equal share a key (1, 1.0 and Decimal("1")): each conversion here gives them equal results."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, value: Any) -> Any:
        result = self.convert(value)
        if len(self) < 50_000:
            self[value] = result
        return result


def _native(value: Any) -> Any:
    """Decimal -> the int or float SQLite stores for it in a NUMERIC column (what binding it as a
    float gives: NUMERIC affinity keeps integral reals as integers). Other values (None, ints,
    floats, text) map to themselves. Binding through sqlite3's registered Decimal adapter costs
    ~0.7 us a value against ~0.15 us for an int, and a batch binds ~400 quantities an order,
    mostly a few distinct ones: hence `Remembered`."""
    if type(value) is not Decimal:
        return value
    if value.is_finite() and value == value.to_integral_value():
        return int(value)
    return float(value)


_NATIVE = Remembered(_native)
sqlite_number: Callable[[Any], Any] = _NATIVE.__getitem__


def _sqlite_datetime() -> Callable[[Any], Any]:
    """Rows of one batch share their timestamp: format it once (the last one is remembered as
    one (value, text) pair, replaced whole, so threads sharing the converter stay consistent)."""
    last: list[tuple[Any, Any]] = [(None, None)]

    def convert(v: Any) -> Any:
        if v is None:
            return None
        seen, text = last[0]
        if v is not seen:
            text = v.strftime("%Y-%m-%d %H:%M:%S.%f")
            last[0] = (v, text)
        return text
    return convert


def _sqlite_converter(column_type: Any) -> Converter:
    # Decimals would bind natively too (core.adapters.engine registers sqlite3's Decimal
    # adapter: float, as SQLAlchemy's Numeric does for SQLite), but slowly: see sqlite_number.
    if isinstance(column_type, DateTime):
        return _sqlite_datetime()
    if isinstance(column_type, Date):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(column_type, JSON):
        return lambda v: None if v is None else json_dumps(v)
    if isinstance(column_type, Boolean):
        return lambda v: None if v is None else int(bool(v))
    if isinstance(column_type, Numeric):
        return sqlite_number
    return None


def _pg_converter(column_type: Any) -> Converter:
    if isinstance(column_type, JSON):
        from psycopg.types.json import Json

        return lambda v: None if v is None else Json(v, dumps=json_dumps)
    return None


COPY_FROM = 8  # rows: fewer go as one executemany (COPY has a fixed cost of its own)


def _same(v: Any) -> Any:
    return v


def _sqlite_date(v: Any) -> Any:
    return None if v is None else v.isoformat()


def _sqlite_json(v: Any) -> Any:
    return None if v is None else json_dumps(v)


def _sqlite_bool(v: Any) -> Any:
    return None if v is None else int(bool(v))


def _pg_json(v: Any) -> Any:
    from psycopg.types.json import Json

    return None if v is None else Json(v, dumps=json_dumps)


class Encode(NamedTuple):
    """Value converters for callers that build row tuples themselves (`insert_values`): the
    same conversions `insert` applies per column type, named by type."""
    num: Callable[[Any], Any]
    date: Callable[[Any], Any]
    dt: Callable[[Any], Any]
    bool: Callable[[Any], Any]
    json: Callable[[Any], Any]


def _pg_json_text(text: Any) -> Any:
    from psycopg.types.json import Json

    return None if text is None else Json(text, dumps=_same)


SQLITE_ENCODE = Encode(sqlite_number, _sqlite_date, _sqlite_datetime(), _sqlite_bool, _sqlite_json)
PG_ENCODE = Encode(_same, _same, _same, _same, _pg_json)


class BulkWriter:
    _cache: dict[tuple[str, str, tuple[str, ...]], tuple[str, list[Converter]]] = {}

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.dialect = conn.dialect.name
        self.mark = "?" if self.dialect == "sqlite" else "%s"
        self.encode = SQLITE_ENCODE if self.dialect == "sqlite" else PG_ENCODE
        # JSON columns given as text already encoded by json_dumps / json_dumps_many
        self.json_text: Callable[[Any], Any] = _same if self.dialect == "sqlite" else _pg_json_text

    def ids(self, table: Table, n: int) -> list[int]:
        """`n` fresh primary keys. SQLite: max(id)+1.. (safe: BEGIN IMMEDIATE holds the write
        lock); PostgreSQL: n values of the table's sequence in one query."""
        if n <= 0:
            return []
        if self.dialect == "sqlite":
            # our tables are rowid tables without AUTOINCREMENT: SQLite itself uses max(id)+1
            top = self.conn.exec_driver_sql(f'SELECT max(id) FROM "{table.name}"').scalar() or 0
            return list(range(top + 1, top + 1 + n))
        rows = self.conn.exec_driver_sql(
            f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) "
            f"FROM generate_series(1, {int(n)})").scalars().all()
        return list(rows)

    def _compiled(self, table: Table, columns: tuple[str, ...]) -> tuple[str, list[Converter]]:
        key = (self.dialect, table.name, columns)
        hit = self._cache.get(key)
        if hit is None:
            cols = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join([self.mark] * len(columns))
            sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({marks})'
            factory = _sqlite_converter if self.dialect == "sqlite" else _pg_converter
            hit = (sql, [factory(table.c[c].type) for c in columns])
            self._cache[key] = hit
        return hit

    def insert(self, table: Table, rows: Sequence[dict[str, Any]]) -> None:
        """Insert dict rows (all with the same keys); column defaults are filled from the table."""
        if not rows:
            return
        columns = tuple(rows[0].keys())
        missing = [c for c in table.c if c.name not in columns and c.default is not None
                   and not c.primary_key]
        defaults = {c.name: c.default.arg for c in missing if not callable(c.default.arg)}
        columns = columns + tuple(defaults)
        sql, converters = self._compiled(table, columns)
        convert = [(i, conv) for i, conv in enumerate(converters) if conv is not None]
        if defaults:
            rows = [{**defaults, **row} for row in rows]
        get = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
        if not convert:
            tuples = [get(row) for row in rows]
        else:
            tuples = []
            for row in rows:
                values = list(get(row))
                for i, conv in convert:
                    values[i] = conv(values[i])
                tuples.append(tuple(values))
        self._send(table, columns, sql, tuples)

    def _send(self, table: Table, columns: tuple[str, ...], sql: str, tuples: list[Any]) -> None:
        """SQLite: executemany. PostgreSQL: COPY FROM STDIN (one round trip for the rows instead
        of one execution each: ~80 us a row against a few us, measured on 20,000 order lines)."""
        if self.dialect != "postgresql" or len(tuples) < COPY_FROM:
            self.conn.exec_driver_sql(sql, tuples)
            return
        cols = ", ".join(f'"{c}"' for c in columns)
        with self.conn.connection.dbapi_connection.cursor() as cursor:
            with cursor.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
                for row in tuples:
                    copy.write_row(row)

    def insert_values(self, table: Table, columns: tuple[str, ...], tuples: list[tuple[Any, ...]]
                      ) -> None:
        """Insert rows given as tuples in `columns` order, already converted with `self.encode`
        (the hottest tables: no dict per row, no second pass)."""
        if tuples:
            self._send(table, columns, self._compiled(table, columns)[0], tuples)

    def add_deltas(self, rows: Sequence[tuple[Any, Any, Any, str, str]]) -> None:
        """(d_on_hand, d_reserved, d_in_transit, sku, location) added to inventory levels:
        executemany on SQLite, one UPDATE joined to the unnested arrays on PostgreSQL."""
        if not rows:
            return
        if self.dialect == "postgresql":
            dh, dr, dt, skus, locs = (list(col) for col in zip(*rows))
            self.conn.exec_driver_sql(
                'UPDATE "inventory_levels" AS l SET "on_hand" = l."on_hand" + d.dh, '
                '"reserved" = l."reserved" + d.dr, "in_transit" = l."in_transit" + d.dt '
                'FROM unnest(%s::numeric[], %s::numeric[], %s::numeric[], %s::text[], '
                '%s::text[]) AS d(dh, dr, dt, sku, location) '
                'WHERE l."sku" = d.sku AND l."location" = d.location',
                (dh, dr, dt, skus, locs))
            return
        m = self.mark
        sql = (f'UPDATE "inventory_levels" SET "on_hand" = "on_hand" + {m}, '
               f'"reserved" = "reserved" + {m}, "in_transit" = "in_transit" + {m} '
               f'WHERE "sku" = {m} AND "location" = {m}')
        self.conn.exec_driver_sql(sql, list(rows))


# ------------------------------------------------------------------------------------ bulk reads

_REMEMBERED: dict[tuple[str, str], Remembered] = {}


def _reader_of(statement: Any, dialect: Any) -> tuple[list[str], list[tuple[int, Callable]]]:
    """The keys of a SELECT's columns and SQLAlchemy's own result processors for them (the
    same values a Row would hold), by position; the Numeric, Date and DateTime ones (driver
    value -> an immutable Decimal, date or datetime) remembered per type (`Remembered`), across
    statements."""
    keys, processors = [], []
    for i, column in enumerate(statement.selected_columns):
        keys.append(column.key)
        process = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if process is None:
            continue
        if isinstance(column.type, (Numeric, Date, DateTime)):
            key = (dialect.name, repr(column.type))
            memo = _REMEMBERED.get(key)
            if memo is None:
                memo = _REMEMBERED[key] = Remembered(process)
            process = memo.__getitem__
        processors.append((i, process))
    return keys, processors


def read_dicts(conn: Connection, statement: Any) -> list[dict[str, Any]]:
    """The rows of a SELECT as plain dicts with the values SQLAlchemy would give (its result
    processors, by column type). On SQLite the statement runs on the driver's cursor: for the
    outbound render's batch reads (20 ack lines of 17 columns an 855) SQLAlchemy's Row objects
    and a Decimal parsed per quantity were most of the read, 143 -> 84 us a document. Other
    databases go through SQLAlchemy."""
    if conn.dialect.name != "sqlite":
        result = conn.execute(statement)
        names = list(result.keys())
        return [dict(zip(names, row)) for row in result.all()]
    compiled = statement.compile(dialect=conn.dialect,
                                 compile_kwargs={"render_postcompile": True})
    params = compiled.params
    args = [params[name] for name in compiled.positiontup or ()]
    keys, processors = _reader_of(statement, conn.dialect)
    if not conn.in_transaction():
        conn.begin()    # as SQLAlchemy's autobegin would (the engine's BEGIN, see engine.py)
    cursor = conn.connection.driver_connection.cursor()
    try:
        rows = cursor.execute(str(compiled), args).fetchall()
    finally:
        cursor.close()
    if not processors or not rows:
        return [dict(zip(keys, row)) for row in rows]
    columns = list(zip(*rows))      # converted a column at a time: map() runs in C
    for i, process in processors:
        columns[i] = map(process, columns[i])
    return [dict(zip(keys, row)) for row in zip(*columns)]
