"""`ordergate partner list|check` and `ordergate schema DIR`.

`partner check ID` validates the profile and its mappings, `--connect` logs in to the partner's
mailbox, `--sample FILE` shows what a file becomes (X12/XML in) or renders a canonical JSON
fixture (out). Exit 0 only when all is well, 1 when anything is wrong.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.table import Table

from gateway.cli.common import (
    EXIT_OK, EXIT_REFUSED, CliError, console, home_option, print_json, resolve_home,
)

STYLE = {"ok": "[green]ok[/]", "warning": "[yellow]warning[/]", "error": "[bold red]error[/]"}


@click.group()
def partner() -> None:
    """Trading partner profiles: list them, check one before it goes live."""


@partner.command("list")
@home_option
@click.option("--json", "as_json", is_flag=True, help="Print the partners as JSON.")
def list_partners(home: Path, as_json: bool) -> int:
    """List the partner profiles of the home."""
    from gateway.partners import PartnerError, load_partners

    home = resolve_home(home)
    try:
        profiles = load_partners(home)
    except PartnerError as exc:
        raise CliError(str(exc), hint=f"fix the file, then run `ordergate partner check` "
                                      f"(profiles are in {home / 'partners'})") from None
    rows = [{"id": p.id, "name": p.name, "role": p.role.value,
             "isa": f"{p.x12.partner.isa_qualifier}/{p.x12.partner.isa_id}",
             "documents": [f"{d.type} {d.direction.value}" for d in p.documents],
             "transport": p.transport.type.value, "usage": p.usage}
            for p in profiles.values()]
    if as_json:
        print_json({"partners": rows})
        return EXIT_OK
    if not rows:
        console.print(f"no partners in {home / 'partners'}; `ordergate init` installs the demo ones")
        return EXIT_OK
    table = Table(title="Partners", title_justify="left")
    table.add_column("id", no_wrap=True)
    table.add_column("ISA", no_wrap=True)
    for column in ("role", "name", "documents", "transport", "usage"):
        table.add_column(column)
    for r, p in zip(rows, profiles.values()):
        docs = "; ".join(
            f"{way}: " + ",".join(d.type for d in p.documents if d.direction.value == way)
            for way in ("in", "out") if any(d.direction.value == way for d in p.documents))
        table.add_row(r["id"], r["isa"], r["role"], r["name"], docs, r["transport"], r["usage"])
    console.print(table)
    return EXIT_OK


@partner.command("check")
@click.argument("partner_id")
@home_option
@click.option("--sample", "sample", type=click.Path(dir_okay=False, path_type=Path),
              help="An X12/XML file from the partner, or a canonical JSON document to render.")
@click.option("--connect", is_flag=True, help="Also log in to the partner's mailbox.")
@click.option("--json", "as_json", is_flag=True, help="Print findings (and documents) as JSON.")
def check(partner_id: str, home: Path, sample: Path | None, connect: bool, as_json: bool) -> int:
    """Validate PARTNER_ID's profile and mappings; optionally a sample file and the login."""
    from gateway.partners.checks import (
        check_connection, check_mappings, check_profile, check_roles,
    )

    home = resolve_home(home)
    profile, findings = check_profile(home, partner_id)
    result = None
    if profile is not None:
        findings += check_roles(profile) + check_mappings(profile)
        if connect:
            findings += check_connection(profile, home)
        if sample is not None:
            from gateway.partners.sample import run_sample

            result = run_sample(profile, sample)
            findings += result.findings
    ok = not any(f.severity == "error" for f in findings)
    if as_json:
        payload = {"partner": partner_id, "ok": ok, "findings": [f.to_json() for f in findings]}
        if result is not None:
            payload["sample"] = {"kind": result.kind, "documents": result.documents,
                                 "rendered": result.rendered}
        print_json(payload)
        return EXIT_OK if ok else EXIT_REFUSED
    table = Table(title=f"partner check {partner_id}", title_justify="left")
    table.add_column("", no_wrap=True)
    table.add_column("check", no_wrap=True)
    table.add_column("finding")
    table.add_column("where")
    table.add_column("expected")
    for f in findings:
        where = ": ".join(x for x in (_short(f.file, home), f.key_path) if x)
        table.add_row(STYLE[f.severity], f.check, f.message, where, f.expected or "")
    console.print(table)
    if result is not None:
        for doc in result.documents:
            console.print_json(json.dumps(doc))
        if result.rendered:
            console.print(result.rendered, markup=False, highlight=False)
    if not ok:
        raise CliError(f"partner {partner_id} has problems (see the table above)",
                       hint="fix each file and key named, then run this check again")
    console.print(f"[green]partner {partner_id} is ready[/]")
    return EXIT_OK


def _short(file: str | None, home: Path) -> str | None:
    """Paths relative to the home or the repository, so the table stays readable."""
    if not file:
        return None
    from gateway.mapping.registry import REPO_MAPPINGS

    path = Path(file)
    for base in (home, REPO_MAPPINGS.parent):
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return file


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def schema(directory: Path) -> int:
    """Write JSON Schemas for partner profiles and mapping files into DIRECTORY.

    Also one schema per canonical document (the JSON fixtures `partner check --sample` renders).
    """
    from gateway.canonical import MODELS_BY_TYPE
    from gateway.mapping.spec import MappingFile
    from gateway.partners.profile import PartnerProfile

    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot create {directory}: {exc.strerror}",
                       hint="choose a directory you can write to", exit_code=2) from None
    written = []
    targets = [("partner-profile.schema.json", PartnerProfile,
                "Ordergate partner profile (partners/<id>.yaml)"),
               ("mapping.schema.json", MappingFile,
                "Ordergate mapping file (mappings/<doc>/<name>.yaml)")]
    targets += [(f"canonical-{kind.replace('_', '-')}.schema.json", model,
                 f"Ordergate canonical {kind.replace('_', ' ')} (JSON)")
                for kind, model in MODELS_BY_TYPE.items()]
    for name, model, title in targets:
        data = model.model_json_schema()
        data["title"] = title
        data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        target = directory / name
        target.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        written.append(target)
    for target in written:
        console.print(f"wrote {target}")
    console.print("[dim]point your editor's YAML schema setting at these files[/]")
    return EXIT_OK
