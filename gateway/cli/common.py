"""Shared command-line helpers: the home option, tables, progress, JSON and error handling.

Conventions every sub-command follows:
- exit 0 when all is well, 1 when the input or data was refused (a rejected file, a failed check),
  2 for usage errors and unreadable files;
- `--json` prints machine-readable output on stdout and nothing else;
- tables through `print_table`; progress only when stdout is a terminal (`progress()`);
- errors are `CliError(message, hint=...)`: one line saying what went wrong and one saying what to do
  next, never a traceback.
"""
from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import click
from rich.console import Console
from rich.table import Table

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


class CliError(click.ClickException):
    """An error the user can act on: `message` says what happened, `hint` what to do next."""

    def __init__(self, message: str, hint: str | None = None, exit_code: int = EXIT_REFUSED):
        super().__init__(message)
        self.hint = hint
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:  # noqa: ARG002 - click's signature
        err_console.print(f"[bold red]error:[/] {self.message}", markup=True)
        if self.hint:
            err_console.print(f"[dim]hint:[/] {self.hint}", markup=True)


def home_option(func: Any) -> Any:
    """`--home DIR` (or ORDERGATE_HOME): the configuration directory made by `ordergate init`."""
    return click.option(
        "--home",
        "home",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="ORDERGATE_HOME",
        required=True,
        help="Configuration directory (made by `ordergate init DIR`); or set ORDERGATE_HOME.",
    )(func)


def resolve_home(home: Path) -> Path:
    home = home.expanduser().resolve()
    if not home.is_dir():
        raise CliError(
            f"the home directory {home} does not exist",
            hint=f"create one with `ordergate init {home}`",
            exit_code=EXIT_USAGE,
        )
    return home


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


def print_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if value is None else str(value) for value in row))
    console.print(table)


def is_interactive() -> bool:
    return sys.stdout.isatty() and os.environ.get("CI") is None


@contextmanager
def progress(description: str, total: int | None = None) -> Iterator[Any]:
    """A progress bar on a terminal; a silent no-op in pipes, logs and CI."""
    if not is_interactive():
        class _Quiet:
            def advance(self, step: int = 1) -> None:
                return None

        yield _Quiet()
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task(description, total=total)

        class _Live:
            def advance(self, step: int = 1) -> None:
                bar.advance(task, step)

        yield _Live()


def run_cli(group: click.Group, argv: list[str] | None) -> int:
    try:
        result = group.main(args=argv, prog_name="ordergate", standalone_mode=False)
    except CliError as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        err_console.print("aborted")
        return EXIT_REFUSED
    except click.exceptions.NoSuchOption as exc:
        exc.show()
        return EXIT_USAGE
    except click.ClickException as exc:
        exc.show()
        return EXIT_USAGE if isinstance(exc, click.UsageError) else exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: a message, never a traceback
        err_console.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc}", markup=True)
        err_console.print("[dim]hint:[/] rerun with ORDERGATE_DEBUG=1 for the traceback and report it",
                          markup=True)
        if os.environ.get("ORDERGATE_DEBUG"):
            raise
        return EXIT_REFUSED
    return result if isinstance(result, int) else EXIT_OK
