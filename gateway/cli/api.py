"""`ordergate api` (serve the HTTP API, manage webhooks) and `ordergate api-key` (manage keys).

    ordergate api [--home H] [--host 127.0.0.1] [--port 8080]     serve with uvicorn
    ordergate api webhook add --url U --events order.*,shipment.recorded [--secret S]
    ordergate api webhook list | remove ID
    ordergate api deliver                                         run due webhook deliveries once
    ordergate api-key create --name N --scopes read,write         the key is the LAST output line
    ordergate api-key list [--json] | revoke NAME
"""
from __future__ import annotations

from pathlib import Path

import click

from gateway.cli.common import (EXIT_USAGE, CliError, console, home_option, print_json, print_table,
                                resolve_home)


def _engine(home: Path):  # type: ignore[no-untyped-def]
    from gateway.api.db import engine_for
    from gateway.api.settings import ApiSettings

    settings = ApiSettings.from_home(resolve_home(home))
    return engine_for(settings.database_url), settings


def _optional_home(func):  # type: ignore[no-untyped-def]
    """`--home` that may be given on `api` or on the sub-command (or ORDERGATE_HOME)."""
    return click.option("--home", "home", type=click.Path(file_okay=False, path_type=Path),
                        envvar="ORDERGATE_HOME", default=None,
                        help="Configuration directory (made by `ordergate init DIR`); or set "
                             "ORDERGATE_HOME.")(func)


def _home(obj: dict, home: Path | None) -> Path:
    chosen = home or obj.get("home")
    if chosen is None:
        raise CliError("no home directory given", hint="pass --home DIR or set ORDERGATE_HOME",
                       exit_code=EXIT_USAGE)
    return chosen


def _missing_tables(exc: Exception) -> CliError:
    return CliError(f"the database is not ready: {type(exc).__name__}: {str(exc).splitlines()[0]}",
                    hint="run `ordergate init DIR` (or upgrade it) first")


@click.group(invoke_without_command=True)
@_optional_home
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--log-level", default="info", show_default=True,
              type=click.Choice(["critical", "error", "warning", "info", "debug"]))
@click.option("--deliver-webhooks/--no-deliver-webhooks", default=True, show_default=True,
              help="Send due webhooks in the background while serving.")
@click.pass_context
def api(ctx: click.Context, home: Path | None, host: str, port: int, log_level: str,
        deliver_webhooks: bool) -> None:
    """Serve the headless HTTP API (OpenAPI at /openapi.json); sub-commands manage webhooks."""
    ctx.obj = {"home": home}
    if ctx.invoked_subcommand is not None:
        return
    import uvicorn

    from gateway.api import create_app

    chosen = resolve_home(_home({}, home))
    try:
        app = create_app(chosen, deliver_webhooks=deliver_webhooks)
    except Exception as exc:  # noqa: BLE001 - turned into an actionable message
        raise CliError(f"cannot start the API: {exc}", hint="check ordergate.yaml in the home") from None
    console.print(f"Ordergate API on http://{host}:{port} (OpenAPI: /openapi.json, docs: /docs)")
    uvicorn.run(app, host=host, port=port, log_level=log_level)


@api.group()
def webhook() -> None:
    """Webhook subscribers: URL, events, secret."""


@webhook.command("add")
@click.option("--url", required=True, help="Absolute http(s) URL that receives POSTed events.")
@click.option("--events", required=True, help="Comma-separated event types, family.* or *.")
@click.option("--secret", default=None, help="HMAC secret (generated and printed when omitted).")
@click.option("--description", default=None)
@click.option("--json", "as_json", is_flag=True)
@_optional_home
@click.pass_obj
def webhook_add(obj: dict, home: Path | None, url: str, events: str, secret: str | None, description: str | None,
                as_json: bool) -> None:
    """Register a subscriber; the secret is printed once, as the last line."""
    from gateway.api.webhooks import SubscriptionError, subscribe

    engine, _ = _engine(_home(obj, home))
    try:
        sub = subscribe(engine, url, events.split(","), secret, description)
    except SubscriptionError as exc:
        raise CliError(str(exc), hint=f"fix --{exc.field}", exit_code=EXIT_USAGE) from None
    except Exception as exc:  # noqa: BLE001
        raise _missing_tables(exc) from None
    if as_json:
        print_json(sub.to_json(with_secret=True))
        return
    console.print(f"subscription {sub.id}: {sub.url} <- {', '.join(sub.events)}")
    console.print("signing secret (shown once):")
    click.echo(sub.secret)


@webhook.command("list")
@click.option("--json", "as_json", is_flag=True)
@_optional_home
@click.pass_obj
def webhook_list(obj: dict, home: Path | None, as_json: bool) -> None:
    """List subscribers."""
    from gateway.api.webhooks import list_subscriptions

    engine, _ = _engine(_home(obj, home))
    subs = list_subscriptions(engine)
    if as_json:
        print_json([s.to_json() for s in subs])
        return
    print_table("Webhook subscribers", ["id", "url", "events", "active", "created"],
                [(s.id, s.url, ",".join(s.events), s.active, s.created_at.isoformat(timespec="seconds"))
                 for s in subs])


@webhook.command("remove")
@click.argument("subscription_id", type=int)
@_optional_home
@click.pass_obj
def webhook_remove(obj: dict, home: Path | None, subscription_id: int) -> None:
    """Remove a subscriber."""
    from gateway.api.webhooks import remove_subscription

    engine, _ = _engine(_home(obj, home))
    if not remove_subscription(engine, subscription_id):
        raise CliError(f"no webhook subscription {subscription_id}",
                       hint="see `ordergate api webhook list`")
    console.print(f"removed subscription {subscription_id}")


@api.command("deliver")
@click.option("--json", "as_json", is_flag=True)
@_optional_home
@click.pass_obj
def deliver(obj: dict, home: Path | None, as_json: bool) -> int:
    """Collect new events and send every due webhook delivery once (what the scheduler runs)."""
    from gateway.api.webhooks import deliver_due

    engine, settings = _engine(_home(obj, home))
    report = deliver_due(engine, settings=settings.webhooks)
    if as_json:
        print_json(report.to_json())
    else:
        console.print(f"collected {report.collected} events; delivered {report.delivered}, "
                      f"failed {report.failed} (will retry), dead {report.dead}")
        for error in report.errors[:20]:
            console.print(f"  {error}")
    return 0


@click.group("api-key")
def api_key() -> None:
    """API keys for the HTTP API (scopes read, write, admin; stored hashed)."""


@api_key.command("create")
@home_option
@click.option("--name", required=True, help="Who uses the key; recorded in order history as api:NAME.")
@click.option("--scopes", default="read", show_default=True, help="Comma-separated: read,write,admin.")
def key_create(home: Path, name: str, scopes: str) -> None:
    """Create a key. The key is printed once, as the last line of output: store it now."""
    from gateway.api.keys import ApiKeyError, create_key
    from gateway.api.scopes import parse_scopes

    try:
        granted = parse_scopes(scopes)
    except ValueError as exc:
        raise CliError(str(exc), hint="e.g. --scopes read,write", exit_code=EXIT_USAGE) from None
    engine, _ = _engine(home)
    try:
        record, clear = create_key(engine, name, granted)
    except ApiKeyError as exc:
        raise CliError(str(exc), hint="choose another --name or revoke the old key") from None
    except Exception as exc:  # noqa: BLE001
        raise _missing_tables(exc) from None
    console.print(f"created API key {record.name!r} (prefix {record.prefix}, scopes "
                  f"{','.join(sorted(s.value for s in record.scopes))}); it is shown only once:")
    click.echo(clear)


@api_key.command("list")
@home_option
@click.option("--json", "as_json", is_flag=True)
def key_list(home: Path, as_json: bool) -> None:
    """List keys (names, prefixes and scopes; never the keys)."""
    from gateway.api.keys import list_keys

    engine, _ = _engine(home)
    try:
        keys = list_keys(engine)
    except Exception as exc:  # noqa: BLE001
        raise _missing_tables(exc) from None
    if as_json:
        print_json([k.to_json() for k in keys])
        return
    print_table("API keys", ["name", "prefix", "scopes", "created", "revoked"],
                [(k.name, k.prefix, ",".join(s.value for s in k.scopes),
                  k.created_at.isoformat(timespec="seconds"), "yes" if k.revoked_at else "")
                 for k in keys])


@api_key.command("revoke")
@home_option
@click.argument("name")
def key_revoke(home: Path, name: str) -> None:
    """Revoke a key by name; requests with it get 401 from now on."""
    from gateway.api.keys import revoke_key

    engine, _ = _engine(home)
    if not revoke_key(engine, name):
        raise CliError(f"no live API key named {name!r}", hint="see `ordergate api-key list`")
    console.print(f"revoked API key {name!r}")
