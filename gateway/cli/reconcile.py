"""`ordergate reconcile`: run the reconciliation pass, report on it, and work the exceptions.

- `reconcile [--as-of DATETIME] [--json]`: one full pass (what `ordergate run` schedules);
- `reconcile report [--format table|csv|html] [--partner ID] [--output FILE] [--all]`;
- `reconcile list [--status S] [--type T] [--partner ID] [--json]`;
- `reconcile ack ID [--by NAME]`, `reconcile resolve ID --note TEXT [--by NAME]`;
- `reconcile types [--json]`: what it looks for.
Exit 0 when the pass ran (exceptions are results, not failures), 1 when a check failed.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from gateway.cli.common import (EXIT_OK, EXIT_REFUSED, EXIT_USAGE, CliError, console, print_json,
                                print_table, resolve_home)


class AsOf(click.ParamType):
    """An ISO date or date-time; naive values are UTC."""

    name = "DATETIME"

    def convert(self, value: Any, param: Any, ctx: Any) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value).strip().replace("Z", "+00:00")
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a date or date-time (try 2026-03-02 or "
                      f"2026-03-02T09:00:00Z)", param, ctx)
        return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed


def _home_opt(func: Any) -> Any:
    return click.option("--home", "home", type=click.Path(file_okay=False, path_type=Path),
                        envvar="ORDERGATE_HOME", default=None,
                        help="Configuration directory (made by `ordergate init DIR`); or set "
                             "ORDERGATE_HOME.")(func)


def _home(ctx: click.Context, home: Path | None) -> Path:
    home = home or (ctx.obj or {}).get("home")
    if home is None:
        raise CliError("no home directory given", hint="pass --home DIR or set ORDERGATE_HOME",
                       exit_code=EXIT_USAGE)
    return resolve_home(home)


def _engine(home: Path) -> Any:
    from core.adapters.engine import create_engine_for
    from core.config import Home

    import gateway.reconcile.tables  # noqa: F401
    return create_engine_for(Home(home).database_url)


def _partners(home: Path) -> dict[str, Any]:
    from gateway.partners import load_partners

    try:
        return load_partners(home)
    except Exception as exc:  # noqa: BLE001 - a PartnerError names the file and the key
        raise CliError(f"cannot read the partner profiles: {exc}",
                       hint="fix the file named above; `ordergate partner check` lists every problem")


def _core_or_engine(home: Path) -> Any:
    """The core facade (so rejected lines can be sourced again), or the bare engine when the
    core cannot be built here; reconciliation itself only needs the engine."""
    try:
        from core.bootstrap import bootstrap

        return bootstrap(home=home)
    except ImportError:
        return _engine(home)


@click.group(invoke_without_command=True)
@_home_opt
@click.option("--as-of", "as_of", type=AsOf(), help="Reconcile as of this time (default: now, UTC).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable summary.")
@click.pass_context
def reconcile(ctx: click.Context, home: Path | None, as_of: datetime | None, as_json: bool) -> int | None:
    """Reconcile acks, ship notices and invoices against order state; report exceptions."""
    ctx.ensure_object(dict)
    ctx.obj["home"] = home
    if ctx.invoked_subcommand is not None:
        return None
    home = _home(ctx, home)
    partners = _partners(home)
    target = _core_or_engine(home)
    from gateway.reconcile import run_all
    from gateway.reconcile.settings import SettingsError

    try:
        summary = run_all(target, partners, as_of)
    except SettingsError as exc:
        raise CliError(str(exc), hint=f"fix `tolerances:` in partners/{exc.partner_id}.yaml "
                                      "(values must be zero or more)", exit_code=EXIT_USAGE) from None
    except Exception as exc:  # noqa: BLE001 - e.g. the database is not migrated
        raise CliError(f"reconciliation failed: {type(exc).__name__}: {exc}",
                       hint="run `ordergate init` (or migrate the database) and try again") from None
    finally:
        getattr(target, "dispose", getattr(target, "close", lambda: None))()
    if as_json:
        print_json(summary.to_json())
    else:
        print_table(f"Reconciliation as of {summary.as_of:%Y-%m-%d %H:%M} UTC (run {summary.run_id})",
                    ["found", "new", "reopened", "resolved", "invoices matched", "in dispute",
                     "seconds"],
                    [(summary.found, summary.opened, summary.reopened, summary.resolved,
                      summary.matched, summary.disputed, f"{summary.seconds:.2f}")])
        if summary.by_type:
            print_table("Found by type", ["type", "count"], sorted(summary.by_type.items()))
        for note in summary.notes:
            console.print(f"note: {note}")
        for error in summary.errors:
            console.print(f"[red]check failed:[/] {error}")
        if not summary.errors:
            console.print("see `ordergate reconcile report` for the exceptions")
    return EXIT_REFUSED if summary.errors else EXIT_OK


@reconcile.command("report")
@_home_opt
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "html"]), default="table",
              show_default=True)
@click.option("--partner", help="Only this partner id.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.option("--all", "include_resolved", is_flag=True, help="Include resolved exceptions.")
@click.pass_context
def report_cmd(ctx: click.Context, home: Path | None, fmt: str, partner: str | None,
               output: Path | None, include_resolved: bool) -> int:
    """Totals matched and in dispute per partner, aging, and every open exception."""
    from gateway.reconcile.render import to_csv, to_html
    from gateway.reconcile.report import AGING, build_report

    engine = _engine(_home(ctx, home))
    try:
        report = build_report(engine, partner=partner, include_resolved=include_resolved)
    except Exception as exc:  # noqa: BLE001
        raise CliError(f"cannot read the reconciliation tables: {type(exc).__name__}: {exc}",
                       hint="run `ordergate init` (or migrate the database), then `ordergate reconcile`")
    finally:
        engine.dispose()
    if fmt in ("csv", "html"):
        text = to_csv(report) if fmt == "csv" else to_html(report)
        if output:
            output.write_text(text, encoding="utf-8")
            console.print(f"wrote {output} ({len(report.exceptions)} exception(s))")
        else:
            click.echo(text, nl=False)
        return EXIT_OK
    from gateway.reconcile.render import money

    total = report.totals
    print_table(f"Totals per partner as of {report.as_of:%Y-%m-%d %H:%M} UTC",
                ["partner", "matched", "matched amount", "in dispute", "disputed amount",
                 "open exceptions", "at stake"],
                [(p.partner_id, p.matched_count, money(p.matched_amount), p.disputed_count,
                  money(p.disputed_amount), p.open_count, money(p.at_stake))
                 for p in [*report.partners, total]])
    print_table("Aging of open exceptions (count / amount)", ["partner", *[a[0] for a in AGING]],
                [(p.partner_id, *[f"{n} / {money(a)}" for n, a in p.aging])
                 for p in [*report.partners, total]])
    if report.in_transit:
        print_table("In transit (vendor shipments not yet received)",
                    ["vendor", "shipments", "units", "value", "oldest since"],
                    [(t["vendor"], t["shipments"], f"{t['units']:f}", money(t["value"]),
                      str(t["since"])[:10]) for t in report.in_transit])
    print_table("Exceptions", ["#", "severity", "type", "partner", "order", "reason", "at stake",
                               "age", "status"],
                [(r["id"], r["severity"], r["type"], r["partner_id"], r["order_ref"], r["reason"],
                  money(r["amount"]), f"{r['age_days']} d", r["status"]) for r in report.exceptions])
    return EXIT_OK


@reconcile.command("list")
@_home_opt
@click.option("--status", type=click.Choice(["open", "acknowledged", "resolved", "all"]),
              default="open", show_default=True)
@click.option("--type", "type_", help="Only this exception type (e.g. invoice_price).")
@click.option("--partner", help="Only this partner id.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_cmd(ctx: click.Context, home: Path | None, status: str, type_: str | None,
             partner: str | None, as_json: bool) -> int:
    """List exception records."""
    from sqlalchemy import select

    from gateway.reconcile.tables import reconcile_exceptions as X

    engine = _engine(_home(ctx, home))
    query = select(X).order_by(X.c.id)
    if status != "all":
        query = query.where(X.c.status == status)
    if type_:
        query = query.where(X.c.type == type_)
    if partner:
        query = query.where(X.c.partner_id == partner)
    try:
        with engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(query).mappings()]
    finally:
        engine.dispose()
    if as_json:
        print_json(rows)
        return EXIT_OK
    print_table("Reconciliation exceptions", ["#", "status", "severity", "type", "partner", "reason",
                                              "note"],
                [(r["id"], r["status"], r["severity"], r["type"], r["partner_id"], r["reason"],
                  r["note"]) for r in rows])
    return EXIT_OK


def _act(ctx: click.Context, home: Path | None, action: Any, exception_id: int, **kw: Any) -> int:
    from gateway.reconcile.actions import ExceptionNotFound, IllegalMove

    engine = _engine(_home(ctx, home))
    try:
        row = action(engine, exception_id, **kw)
    except ExceptionNotFound as exc:
        raise CliError(str(exc), hint="see `ordergate reconcile list --status all` for the ids")
    except IllegalMove as exc:
        raise CliError(str(exc), hint="only open or acknowledged exceptions can be worked on")
    finally:
        engine.dispose()
    console.print(f"exception #{row['id']} is now {row['status']}")
    return EXIT_OK


@reconcile.command("ack")
@_home_opt
@click.argument("exception_id", type=int)
@click.option("--by", default="cli", show_default=True, help="Who is handling it.")
@click.pass_context
def ack_cmd(ctx: click.Context, home: Path | None, exception_id: int, by: str) -> int:
    """Acknowledge an exception: seen and being handled (a rerun keeps it acknowledged)."""
    from gateway.reconcile.actions import acknowledge

    return _act(ctx, home, acknowledge, exception_id, by=by)


@reconcile.command("resolve")
@_home_opt
@click.argument("exception_id", type=int)
@click.option("--note", required=True, help="Why it is resolved (kept on the record).")
@click.option("--by", default="cli", show_default=True)
@click.pass_context
def resolve_cmd(ctx: click.Context, home: Path | None, exception_id: int, note: str, by: str) -> int:
    """Resolve an exception by hand, with a note."""
    from gateway.reconcile.actions import resolve

    return _act(ctx, home, resolve, exception_id, note=note, by=by)


@reconcile.command("types")
@click.option("--json", "as_json", is_flag=True)
def types_cmd(as_json: bool) -> int:
    """What reconciliation looks for: every exception type, its area and default severity."""
    from gateway.reconcile.kinds import KINDS

    rows = [{"type": t.value, "area": k.area.value, "severity": k.severity.value, "title": k.title}
            for t, k in KINDS.items()]
    if as_json:
        print_json(rows)
        return EXIT_OK
    print_table("Exception types", ["type", "area", "severity", "what"],
                [(r["type"], r["area"], r["severity"], r["title"]) for r in rows])
    return EXIT_OK
