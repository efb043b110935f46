"""``partner check``: everything that can be verified about a partner before it goes live.

Each check yields Findings (severity, where, message, hint) rather than raising, so the command
can show all problems at once. The CLI renders them; exit 0 only when there is no error.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterator

from gateway.partners.errors import PartnerError, ProfileErrors
from gateway.partners.loader import load_partner, load_partners
from gateway.partners.profile import DocFormat, PartnerProfile


@dataclass(frozen=True)
class Finding:
    severity: str  # error | warning | ok
    check: str
    message: str
    file: str | None = None
    key_path: str | None = None
    expected: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def from_error(check: str, exc: PartnerError) -> Iterator[Finding]:
    errors = exc.errors if isinstance(exc, ProfileErrors) else [exc]
    for e in errors:
        yield Finding("error", check, e.message, e.file, e.key_path, e.expected)


def check_profile(home: Path, partner_id: str) -> tuple[PartnerProfile | None, list[Finding]]:
    findings: list[Finding] = []
    try:
        profile = load_partner(home, partner_id)
    except PartnerError as exc:
        return None, list(from_error("profile", exc))
    findings.append(Finding("ok", "profile", f"{profile.name} ({profile.role.value}) is valid",
                            str(home / "partners" / f"{partner_id}.yaml")))
    try:
        load_partners(home)
    except PartnerError as exc:
        findings.extend(from_error("all partners", exc))
    return profile, findings


ROLE_DOCUMENTS = {  # (role, direction) -> document types that make sense
    ("customer", "in"): {"850", "997", "999"},
    ("customer", "out"): {"855", "856", "810", "997", "999"},
    ("vendor", "in"): {"855", "856", "810", "997", "999"},
    ("vendor", "out"): {"850", "997", "999"},
}


def check_roles(profile: PartnerProfile) -> list[Finding]:
    """Warn about documents a partner of this role does not normally exchange that way."""
    findings = []
    for n, doc in enumerate(profile.documents):
        allowed = ROLE_DOCUMENTS.get((profile.role.value, doc.direction.value))
        if allowed is not None and doc.type not in allowed:
            findings.append(Finding(
                "warning", "documents", f"a {profile.role.value} does not usually "
                f"{'send' if doc.direction.value == 'in' else 'receive'} {doc.type}",
                key_path=f"documents.{n}", expected=", ".join(sorted(allowed))))
    if not profile.documents:
        findings.append(Finding("warning", "documents", "no documents are exchanged",
                                key_path="documents"))
    return findings


def check_mappings(profile: PartnerProfile) -> list[Finding]:
    from gateway.mapping.api import mapping_for
    from gateway.mapping.modelcheck import check_mapping
    from gateway.mapping.x12defs import check_elements

    findings = check_xml(profile)
    for doc in profile.documents:
        label = f"{doc.type} {doc.direction.value}"
        if doc.format != DocFormat.X12:
            continue  # check_xml
        version = profile.x12.version_for(doc.type)
        try:
            mapping = mapping_for(profile, doc.type, doc.direction, version)
        except PartnerError as exc:
            findings.extend(from_error(f"mapping {label}", exc))
            continue
        file = mapping.files[-1]
        problems = check_mapping(mapping) + check_elements(mapping, version)
        for key, problem in problems:
            findings.append(Finding("error", f"mapping {label}", problem, file, key,
                                    "a field of the canonical model and an element of the "
                                    f"{doc.type} {version} structure"))
        if not problems:
            findings.append(Finding("ok", f"mapping {label}", f"{mapping.name} ({version})",
                                    file))
    return findings


def check_xml(profile: PartnerProfile) -> list[Finding]:
    """The XML part's verdict on cXML and XPath-mapped documents (gateway.xml.check)."""
    if all(d.format == DocFormat.X12 for d in profile.documents):
        return []
    try:
        from gateway.xml.check import check_partner_xml
    except ImportError as exc:
        return [Finding("error", "xml", f"the XML part is not available ({exc})")]
    return [Finding("ok" if c.ok else "error", f"mapping {c.doc_type} {c.direction}", c.message,
                    c.file, c.key_path, c.expected) for c in check_partner_xml(profile)]


def check_connection(profile: PartnerProfile, home: Path) -> list[Finding]:
    """Log in and list the inbound folder: proves credentials, host key and folder."""
    try:
        from gateway.transport import open_transport
        from gateway.transport.errors import HostKeyError, TransportError
    except ImportError as exc:
        return [Finding("error", "connect", f"the transport part is not available ({exc})")]
    try:
        with open_transport(profile.transport, home=home, partner=profile.id) as transport:
            files = transport.list_inbound()
    except HostKeyError as exc:
        return [Finding("error", "connect", f"host key refused: {exc}", key_path="transport.host_key",
                        expected="the server's key pinned in the profile")]
    except TransportError as exc:
        return [Finding("error", "connect", f"cannot connect: {exc}", key_path="transport")]
    except (OSError, ValueError) as exc:
        return [Finding("error", "connect", f"cannot connect: {exc}", key_path="transport")]
    return [Finding("ok", "connect", f"{profile.transport.type.value} login works; "
                                     f"{len(files)} file(s) waiting in {profile.transport.inbound_dir}")]
