"""The `ordergate` command line: one root group whose sub-commands load lazily.

Each area owns its own module under gateway/cli/ and registers it in COMMANDS below.
Lazy loading keeps `ordergate --help` fast and lets one broken area fail alone.
"""
from __future__ import annotations

import importlib
import sys

import click

# command name -> "module:attribute"
COMMANDS: dict[str, str] = {
    "x12": "gateway.cli.x12:x12",
    "init": "gateway.cli.setup:init",
    "orders": "gateway.cli.orders:orders",
    "inventory": "gateway.cli.inventory:inventory",
    "partner": "gateway.cli.partner:partner",
    "schema": "gateway.cli.partner:schema",
    "run": "gateway.cli.run:run",
    "documents": "gateway.cli.documents:documents",
    "demo": "gateway.cli.demo:demo",
    "reconcile": "gateway.cli.reconcile:reconcile",
    "api": "gateway.cli.api:api",
    "api-key": "gateway.cli.api:api_key",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        module = importlib.import_module(module_name)
        return getattr(module, attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List every command; one whose module fails to import is shown as unavailable, so
        `ordergate --help` works even when one area is broken."""
        rows = []
        for name in self.list_commands(ctx):
            try:
                command = self.get_command(ctx, name)
            except Exception as exc:  # noqa: BLE001 - shown to the user, not swallowed
                rows.append((name, f"(unavailable: {type(exc).__name__}: {exc})"))
                continue
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ordergate")
def cli() -> None:
    """Ordergate: an EDI gateway (X12, cXML over SFTP) in front of a headless order core."""


def main(argv: list[str] | None = None) -> int:
    """Entry point. Exit codes: 0 ok, 1 the input or the data was refused, 2 usage or unreadable input."""
    from gateway.cli.common import run_cli

    return run_cli(cli, argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
