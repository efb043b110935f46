"""`ordergate x12 check|ack|show`: what an admin runs when a partner's file is in question.

Exit codes: 0 every set accepted (warnings allowed), 1 anything rejected (or an ack could not be
made), 2 usage errors or unreadable files. Data problems are verdicts, never tracebacks.
"""
from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click
from rich.markup import escape as _escape

from gateway.x12.model import display

from gateway.cli.common import (EXIT_OK, EXIT_REFUSED, EXIT_USAGE, CliError, console, err_console,
                                print_json, print_table, progress)

MAX_SET_ROWS = 50   # larger files list only the sets with findings
MAX_FINDINGS = 200  # beyond this, --json has them all


def escape(text: str) -> str:
    """Rich-markup-safe and printable (bad bytes shown as U+FFFD, never an encoding error)."""
    return _escape(display(str(text)))


def _readable(path: Path) -> None:
    if not path.exists():
        raise CliError(f"{path}: no such file", hint="check the path", exit_code=EXIT_USAGE)
    if path.is_dir():
        raise CliError(f"{path} is a directory", hint="pass the X12 files inside it",
                       exit_code=EXIT_USAGE)
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:
        raise CliError(f"{path}: cannot read it ({exc.strerror})",
                       hint="check the file's permissions", exit_code=EXIT_USAGE) from None


def _port(envelope_only: bool):  # noqa: ANN202 - internal
    from gateway.x12.checker_port import StructurePort

    return StructurePort.envelope_only_port() if envelope_only else StructurePort()


def _where(error) -> tuple[str, str, str]:  # noqa: ANN001
    position = "" if error.segment_position is None else str(error.segment_position)
    element = ""
    if error.element_position is not None:
        element = f"{error.element_position:02d}"
        if error.component_position:
            element += f"-{error.component_position}"
    return position, error.segment_id or "", element


def _finding_lines(report) -> list[str]:  # noqa: ANN001
    """One line per finding: scope, segment and element, code, severity, message."""
    lines: list[str] = []

    def add(scope: str, errors) -> None:  # noqa: ANN001
        for error in errors:
            position, seg, element = _where(error)
            where = seg
            if position and position != "0":
                where += f" (segment {position})"
            if element:
                where += f" element {element}"
            severity = str(getattr(error.severity, "value", error.severity))
            colour = "red" if severity == "error" else "yellow"
            lines.append(f"  {escape(scope)} · {escape(where.strip() or '-')} · "
                         f"[{colour}]{escape(error.code)}[/] ({severity}): {escape(error.message)}")

    add("file", report.errors)
    for ic in report.interchanges:
        add(f"ISA {ic.control_number}", ic.errors)
        for group in ic.groups:
            add(f"GS {group.control_number}", group.errors)
            for tx in group.transactions:
                add(f"ST {tx.set_id} {tx.control_number}", tx.errors)
    return lines


def _print_report(report) -> None:  # noqa: ANN001
    colour = {"accepted": "green", "partially_accepted": "yellow", "rejected": "red"}
    status = report.status.value
    console.print(f"[bold]{escape(report.path)}[/]: [{colour[status]}]{status}[/] "
                  f"({report.set_count} transaction sets, {report.size} bytes)")
    rows = []
    many = report.set_count > MAX_SET_ROWS
    for ic in report.interchanges:
        h = ic.header
        rows.append([f"ISA {ic.control_number}", f"{h.sender_id}>{h.receiver_id}", h.version,
                     ic.status.value,
                     f"TA1 {ic.ta1_code}/{ic.ta1_note}", str(len(ic.errors))])
        for group in ic.groups:
            rows.append([f"  GS {group.control_number}", group.functional_id, group.version,
                         group.status.value, f"AK9 {group.ack_code} {group.accepted_count}/"
                         f"{len(group.transactions)}", str(len(group.errors))])
            for tx in group.transactions:
                if many and not tx.errors:
                    continue
                rows.append([f"    ST {tx.control_number}", tx.set_id,
                             tx.implementation_reference, tx.status.value,
                             f"AK5 {tx.status.ack_code}", str(len(tx.errors))])
    if rows:
        rows = [[display(str(value)) for value in row] for row in rows]
        print_table(None, ["envelope", "what", "version", "status", "ack", "errors"], rows)
    lines = _finding_lines(report)
    if lines:
        console.print("findings:")
        for line in lines[:MAX_FINDINGS]:
            console.print(line, markup=True, highlight=False)
        if len(lines) > MAX_FINDINGS:
            console.print(f"  ... {len(lines) - MAX_FINDINGS} more findings: use --json for all")
    if report.anything_rejected:
        if report.interchanges:
            hint = (f"`ordergate x12 ack {report.path}` writes the TA1/997/999 that tells the "
                    "partner what to correct and resend")
        else:
            hint = "no acknowledgement is possible: quarantine the file and contact the partner"
        console.print(f"[dim]hint:[/] {escape(hint)}", markup=True, highlight=False)


@click.group()
def x12() -> None:
    """Read, check, acknowledge and show X12 files (850/855/856/810, 997/999, TA1)."""


@x12.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the verdicts as JSON.")
@click.option("--envelope-only", is_flag=True,
              help="Check envelope, counts and control numbers only (no structure or codes).")
def check_command(files: tuple[Path, ...], as_json: bool, envelope_only: bool) -> int:
    """Verdict per interchange, group and set; exit 0 all accepted, 1 anything rejected."""
    from gateway.x12.check_file import check

    port = _port(envelope_only)
    reports, unreadable = [], []
    for path in files:
        try:
            _readable(path)
            with progress(f"checking {path.name}", total=path.stat().st_size) as bar:
                reports.append(check(path, structure=port,
                                     on_transaction=lambda tx, _r: bar.advance(len(tx.raw))))
        except CliError as exc:
            unreadable.append((path, exc))
        except OSError as exc:
            unreadable.append((path, CliError(f"{path}: cannot read it ({exc})",
                                              hint="check the file", exit_code=EXIT_USAGE)))
    if as_json:
        print_json({"files": [r.to_json() for r in reports] + [
            {"path": str(path), "status": "rejected", "unreadable": True,
             "errors": [{"code": "unreadable", "message": e.message, "segment_id": None,
                         "segment_position": None, "element_position": None,
                         "byte_offset": None}], "interchanges": []} for path, e in unreadable]})
    else:
        for report in reports:
            _print_report(report)
        if len(reports) > 1:
            counts = {status: sum(1 for r in reports if r.status.value == status)
                      for status in ("accepted", "partially_accepted", "rejected")}
            console.print(f"{len(reports)} files: " + ", ".join(
                f"{n} {status.replace('_', ' ')}" for status, n in counts.items() if n))
        if reports and not port.envelope_only and not port.available:
            err_console.print("[yellow]note:[/] no structure checker is installed "
                              "(gateway.x12.structure); sets were checked for envelope and counts "
                              "only and reported as not supported")
    for _, exc in unreadable:
        exc.show()
    if unreadable:
        return EXIT_USAGE
    return EXIT_REFUSED if any(r.anything_rejected for r in reports) else EXIT_OK


@x12.command("ack")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--functional-ack", type=click.Choice(["auto", "997", "999"]), default="auto",
              show_default=True, help="997 for 004010 groups and 999 for 005010 when auto.")
@click.option("--line-ending", type=click.Choice(["none", "lf", "crlf"]), default="lf",
              show_default=True, help="What follows each segment terminator.")
@click.option("--control-number", type=click.IntRange(1, 999_999_999), default=1,
              show_default=True, help="First ISA13/GS06/ST02 to use.")
@click.option("--on-error-only", is_flag=True, help="Skip 997/999 for fully accepted groups.")
@click.option("--envelope-only", is_flag=True, help="Acknowledge envelope checks only.")
def ack_command(file: Path, functional_ack: str, line_ending: str, control_number: int,
                on_error_only: bool, envelope_only: bool) -> int:
    """Write the 997/999 (and TA1 when due) for FILE to stdout, as its receiver."""
    from gateway.x12.acks import SequentialControlNumbers, build_acks
    from gateway.x12.check_file import check

    _readable(file)
    report = check(file, structure=_port(envelope_only))
    acks = build_acks(report, functional_ack=functional_ack,
                      control_numbers=SequentialControlNumbers(control_number),
                      now=datetime.now(), line_ending=line_ending, only_on_error=on_error_only)
    if not acks:
        if report.errors and not report.interchanges:
            first = report.errors[0]
            raise CliError(f"{file}: {first.message}; no acknowledgement is possible (an unreadable"
                           " ISA cannot get a valid TA1)",
                           hint="quarantine the file and contact the partner", exit_code=EXIT_REFUSED)
        from gateway.x12.acks import answerable

        if any(not answerable(ic) for ic in report.interchanges):
            raise CliError(f"{file}: the ISA sender or receiver ID cannot be written back into a "
                           "valid ISA, so no acknowledgement is possible",
                           hint="quarantine the file and contact the partner", exit_code=EXIT_REFUSED)
        err_console.print(f"{file}: nothing to acknowledge (only 997/999 groups, or all accepted "
                          "with --on-error-only)")
        return EXIT_OK
    for ack in acks:
        sys.stdout.buffer.write(ack.data)
    sys.stdout.buffer.flush()
    for error in report.errors:
        err_console.print(f"[yellow]note:[/] {error}")
    return EXIT_OK


def _show_lines(path: Path, port) -> None:  # noqa: ANN001
    from gateway.x12.model import decode
    from gateway.x12.reader import (EnvelopeSegment, GroupStart, InterchangeStart, ReadProblem,
                                    TransactionBlock, read_events)

    out = console.print
    for event in read_events(path):
        if isinstance(event, InterchangeStart):
            h = event.header
            out(f"[bold]ISA[/] {escape(h.control_number)}  {escape(h.sender_qualifier)}:"
                f"{escape(h.sender_id)} -> {escape(h.receiver_qualifier)}:{escape(h.receiver_id)}"
                f"  version {escape(h.version)}  usage {escape(h.usage)}  "
                f"[dim]Interchange Control Header @ byte {h.byte_offset}[/]", markup=True)
        elif isinstance(event, GroupStart):
            g = event.header
            out(f"  [bold]GS[/] {escape(g.functional_id)} {escape(g.control_number)} "
                f"{escape(g.version)}  "
                f"[dim]Functional Group Header[/]", markup=True)
        elif isinstance(event, TransactionBlock):
            annotated = port.annotate(event.tx)
            if annotated is None:
                for seg in event.tx.segments:
                    out(f"    {seg.position:>5}  " + display(decode(seg.raw)), markup=False)
                continue
            current: tuple = ()
            for item in annotated:
                loop_path = tuple(getattr(item, "loop_path", ()) or ())
                names = tuple(getattr(item, "loop_names", ()) or ())
                seg = item.segment
                if loop_path and (loop_path != current or seg.id == loop_path[-1]):
                    label = names[-1] if names else ""
                    label = "" if label in (loop_path[-1], f"{loop_path[-1]} loop") else label
                    out("    " + "  " * (len(loop_path) - 1)
                        + f"[cyan]loop {escape(loop_path[-1])}[/] [dim]{escape(label)}[/]",
                        markup=True)
                current = loop_path
                indent = "    " + "  " * len(loop_path)
                name = getattr(item, "segment_name", "") or ""
                out(f"{indent}{seg.position:>5}  {escape(decode(seg.raw))}  [dim]{escape(name)}[/]", markup=True,
                    highlight=False)
        elif isinstance(event, EnvelopeSegment):
            seg = event.segment
            indent = "  " if seg.id == "GE" else ""
            out(f"{indent}{display(decode(seg.raw))}", markup=False)
        elif isinstance(event, ReadProblem):
            out(f"[red]unreadable:[/] {escape(str(event.error))}", markup=True)


@x12.command("show")
@click.argument("file", type=click.Path(path_type=Path))
def show_command(file: Path) -> int:
    """One segment per line, indented by loop, with loop and segment names."""
    _readable(file)
    _show_lines(file, _port(False))
    return EXIT_OK
