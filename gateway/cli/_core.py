"""Opening the core from a command and turning core errors into CliErrors (core CLI helpers)."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from gateway.cli.common import EXIT_REFUSED, EXIT_USAGE, CliError, resolve_home


def open_core(home: Path) -> Any:
    from core.bootstrap import bootstrap
    from core.config import Home, HomeError

    path = resolve_home(home)
    try:
        h = Home(path)
    except HomeError as exc:
        raise CliError(str(exc), hint="fix the file or recreate the home with `ordergate init "
                       f"{path} --force`", exit_code=EXIT_USAGE) from None
    url = h.database_url
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        raise CliError(f"no database at {url[len('sqlite:///'):]}",
                       hint=f"create the home with `ordergate init {path}`", exit_code=EXIT_USAGE)
    with core_errors():
        return bootstrap(url, home=h)


HINTS = {
    "unknown_order": "list orders with `ordergate orders list`",
    "unknown_item": "check the SKU with `ordergate inventory show --item SKU`",
    "unknown_location": "locations are WH-EAST, WH-WEST, STORE-12... (see `ordergate orders show`)",
    "illegal_transition": "see the order's status and history with `ordergate orders show PO`",
    "hold_blocks": "resolve the hold first (ResolveHold), then retry",
    "invariant_violation": "check the quantities against `ordergate orders show PO`",
    "invalid_command": "fix the input and retry",
    "configuration_error": "fix the file named above (see core/inventory/rules.py for the keys)",
}


@contextmanager
def core_errors() -> Iterator[None]:
    from core.domain.errors import ConfigurationError, DomainError

    try:
        yield
    except ConfigurationError as exc:
        raise CliError(exc.message, hint=HINTS["configuration_error"], exit_code=EXIT_USAGE) from None
    except DomainError as exc:
        raise CliError(exc.message, hint=HINTS.get(exc.code, "see `ordergate orders show PO`"),
                       exit_code=EXIT_REFUSED) from None
