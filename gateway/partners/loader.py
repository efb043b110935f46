"""Reading partner profiles from a home: YAML -> PartnerProfile, with errors that point at keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from gateway.partners.errors import (
    DuplicateIsaId,
    PartnerError,
    ProfileErrors,
    UnknownPartner,
)
from gateway.partners.profile import PartnerProfile

PARTNERS_DIR = "partners"


def read_yaml(file: Path) -> Any:
    """Parse a YAML file; unreadable or invalid YAML becomes a PartnerError naming the file."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise PartnerError(f"cannot read file: {exc.strerror}", file=file) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}" if mark else None
        raise PartnerError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}", file=file, key_path=where
        ) from None


def validation_errors(file: Path, exc: ValidationError) -> ProfileErrors:
    """Turn pydantic's errors into PartnerErrors with dotted key paths and expectations."""
    found = []
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        expected = None
        ctx = err.get("ctx") or {}
        if "expected" in ctx:
            expected = str(ctx["expected"])
        elif "pattern" in ctx:
            expected = f"text matching {ctx['pattern']}"
        found.append(PartnerError(msg, file=file, key_path=key, expected=expected))
    return ProfileErrors(found)


def validate_file(file: Path, model: type[BaseModel], data: Any | None = None) -> Any:
    """Validate YAML ``file`` (or already-read ``data``) against ``model``."""
    if data is None:
        data = read_yaml(file)
    if not isinstance(data, dict):
        raise PartnerError("expected a mapping of keys at the top level", file=file)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_errors(file, exc) from None


def profile_path(home: Path | str, partner_id: str) -> Path:
    return Path(home) / PARTNERS_DIR / f"{partner_id}.yaml"


def load_profile_file(file: Path) -> PartnerProfile:
    profile = validate_file(file, PartnerProfile)
    if profile.id != file.stem:
        raise PartnerError(
            f"id {profile.id!r} does not match the file name",
            file=file,
            key_path="id",
            expected=repr(file.stem),
        )
    return profile


def load_partners(home: Path | str) -> dict[str, PartnerProfile]:
    """Every profile in HOME/partners, checked for duplicate ISA identities.

    Raises the first file's PartnerError; use ``check_partners`` to collect them all.
    """
    directory = Path(home) / PARTNERS_DIR
    profiles: dict[str, PartnerProfile] = {}
    if not directory.is_dir():
        return profiles
    for file in sorted(directory.glob("*.yaml")):
        profiles[file.stem] = load_profile_file(file).with_home(home)
    check_unique_identities(directory, profiles)
    return profiles


def check_unique_identities(directory: Path, profiles: dict[str, PartnerProfile]) -> None:
    owners: dict[tuple[str, str], str] = {}
    for pid, profile in profiles.items():
        key = (profile.x12.partner.isa_qualifier, profile.x12.partner.isa_id.strip())
        if key in owners:
            raise DuplicateIsaId(
                f"ISA ID {key[0]}/{key[1]} is used by both {owners[key]!r} and {pid!r}",
                file=directory / f"{pid}.yaml",
                key_path="x12.partner.isa_id",
                expected="an ISA qualifier/ID unique among partners",
            )
        owners[key] = pid


def load_partner(home: Path | str, partner_id: str) -> PartnerProfile:
    """One profile by id; UnknownPartner when the file does not exist."""
    file = profile_path(home, partner_id)
    if not file.exists():
        known = sorted(p.stem for p in (Path(home) / PARTNERS_DIR).glob("*.yaml"))
        raise UnknownPartner(
            f"no partner {partner_id!r}",
            file=file,
            expected=f"one of {known}" if known else "a profile file in HOME/partners",
        )
    return load_profile_file(file).with_home(home)


def find_partner_by_isa(
    profiles: dict[str, PartnerProfile], qualifier: str, isa_id: str
) -> PartnerProfile | None:
    """Route an inbound interchange: the partner whose ISA sender identity matches."""
    isa_id = isa_id.strip()
    for profile in profiles.values():
        ident = profile.x12.partner
        if ident.isa_id.strip() == isa_id and ident.isa_qualifier == qualifier.strip():
            return profile
    return None
