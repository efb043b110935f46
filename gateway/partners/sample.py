"""``partner check --sample``: what a sample file becomes with this partner's mappings.

An X12 file (inbound) is parsed into canonical documents; a canonical JSON fixture (outbound) is
rendered as the partner will receive it, then checked by the X12 engine; XML goes to the XML part.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gateway.partners.checks import Finding
from gateway.partners.profile import PartnerProfile

FIXED_NOW = dt.datetime(2000, 1, 1, 0, 0)


@dataclass
class SampleResult:
    kind: str  # inbound-x12 | inbound-xml | outbound
    findings: list[Finding] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)
    rendered: str | None = None


def sniff(data: bytes) -> str:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:5]
    if head.startswith(b"ISA"):
        return "x12"
    if head.startswith(b"<"):
        return "xml"
    if head.startswith(b"{"):
        return "json"
    return "unknown"


def run_sample(profile: PartnerProfile, file: Path) -> SampleResult:
    try:
        data = file.read_bytes()
    except OSError as exc:
        return SampleResult("unknown", [Finding("error", "sample", f"cannot read: {exc.strerror}",
                                                str(file))])
    kind = sniff(data)
    if kind == "x12":
        return _inbound_x12(profile, file, data)
    if kind == "json":
        return _outbound(profile, file, data)
    if kind == "xml":
        return _inbound_xml(profile, file, data)
    return SampleResult("unknown", [Finding(
        "error", "sample", "not X12 (ISA...), XML (<...) or a canonical JSON fixture ({...})",
        str(file), expected="an X12 interchange, an XML document or canonical JSON")])


def _inbound_x12(profile: PartnerProfile, file: Path, data: bytes) -> SampleResult:
    from gateway.mapping import InboundError, parse_inbound
    from gateway.x12 import X12ReadError, iter_transactions

    result = SampleResult("inbound-x12")
    try:
        for tx in iter_transactions(data):
            where = f"{file.name}: set {tx.set_id} {tx.control_number}"
            ident = profile.x12.partner
            if tx.interchange is not None and (
                    tx.interchange.sender_id.strip() != ident.isa_id or
                    tx.interchange.sender_qualifier.strip() != ident.isa_qualifier):
                result.findings.append(Finding(
                    "error", "sample", f"{where}: sent by {tx.interchange.sender_qualifier}/"
                    f"{tx.interchange.sender_id.strip()}, not by this partner", str(file),
                    "ISA05/ISA06", f"{ident.isa_qualifier}/{ident.isa_id}"))
            try:
                doc = parse_inbound(profile, tx)
            except InboundError as exc:
                result.findings.append(Finding("error", "sample", f"{where}: {exc}", str(file),
                                               _position(exc), exc.expected))
                continue
            result.documents.append(doc.model_dump(mode="json", exclude_none=True))
            result.findings.append(Finding("ok", "sample", f"{where} -> {doc.document_type}",
                                           str(file)))
    except X12ReadError as exc:
        result.findings.append(Finding("error", "sample", f"not readable as X12: {exc}",
                                       str(file)))
    if not result.documents and not any(f.severity == "error" for f in result.findings):
        result.findings.append(Finding("error", "sample", "no transaction set in the file",
                                       str(file), expected="ISA/GS/ST..SE/GE/IEA"))
    return result


def _position(exc: Any) -> str | None:
    if not exc.segment_id:
        return exc.field
    text = exc.segment_id + (f"{exc.element_position:02d}" if exc.element_position else "")
    return text + (f" at segment {exc.segment_position}" if exc.segment_position else "")


def _outbound(profile: PartnerProfile, file: Path, data: bytes) -> SampleResult:
    from pydantic import ValidationError

    from gateway.canonical import load_document
    from gateway.mapping import ControlNumbers, MappingError, render_outbound

    result = SampleResult("outbound")
    try:
        doc = load_document(json.loads(data))
    except (ValueError, ValidationError) as exc:
        errs = exc.errors() if isinstance(exc, ValidationError) else None
        key = ".".join(str(p) for p in errs[0]["loc"]) if errs else None
        msg = errs[0]["msg"] if errs else str(exc)
        result.findings.append(Finding("error", "sample", f"not a canonical document: {msg}",
                                       str(file), key, "JSON of gateway.canonical models"))
        return result
    from gateway.mapping.api import SET_IDS

    spec = profile.document(SET_IDS.get(doc.document_type, ""), "out")
    if spec is not None and spec.format.value != "x12":
        return _outbound_xml(profile, doc, file, result)
    try:
        out = render_outbound(profile, doc, control=ControlNumbers(1, 1, 1), now=FIXED_NOW)
    except MappingError as exc:
        result.findings.append(Finding("error", "sample", str(exc), str(file), exc.field,
                                       exc.expected))
        return result
    except Exception as exc:  # DelimiterInData and friends from the writer, with positions
        result.findings.append(Finding("error", "sample", f"{type(exc).__name__}: {exc}",
                                       str(file)))
        return result
    result.rendered = out.decode("utf-8", "replace")
    result.findings.append(Finding("ok", "sample", f"{doc.document_type} rendered", str(file)))
    result.findings.extend(x12_check(out, str(file)))
    return result


def _outbound_xml(profile: PartnerProfile, doc: Any, file: Path,
                  result: SampleResult) -> SampleResult:
    try:
        from gateway.xml import render_document

        out = render_document(profile, doc, payload_id="sample@ordergate", now=FIXED_NOW)
    except Exception as exc:  # the XML part's errors carry their own positions
        result.findings.append(Finding("error", "sample", f"{type(exc).__name__}: {exc}",
                                       str(file)))
        return result
    result.rendered = out.decode("utf-8", "replace")
    result.findings.append(Finding("ok", "sample", f"{doc.document_type} rendered as XML",
                                   str(file)))
    return result


def x12_check(data: bytes, label: str) -> list[Finding]:
    """Run the X12 engine's checker over our own output (zero errors expected)."""
    try:
        from gateway.x12 import check
    except ImportError:
        return []
    report = check(data)
    payload = report.to_json()
    errors = _collect_errors(payload)
    if not errors:
        return [Finding("ok", "x12 check", "rendered document passes `x12 check`", label)]
    return [Finding("error", "x12 check", e, label) for e in errors[:20]]


def _collect_errors(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        if node.get("severity") == "error" and "message" in node:
            where = node.get("segment_id") or ""
            if node.get("element_position"):
                where += f"{node['element_position']:02d}"
            found.append(f"{where} {node['message']}".strip())
        for value in node.values():
            found.extend(_collect_errors(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_collect_errors(value))
    return found


def _inbound_xml(profile: PartnerProfile, file: Path, data: bytes) -> SampleResult:
    result = SampleResult("inbound-xml")
    try:
        from gateway.mapping import parse_xml
    except (ImportError, AttributeError):
        result.findings.append(Finding("error", "sample", "XML mapping is not available yet",
                                       str(file)))
        return result
    try:
        doc = parse_xml(profile, data)
    except Exception as exc:  # the XML part's errors carry their own positions
        result.findings.append(Finding("error", "sample", f"{type(exc).__name__}: {exc}",
                                       str(file)))
        return result
    result.documents.append(doc.model_dump(mode="json", exclude_none=True))
    result.findings.append(Finding("ok", "sample", f"XML -> {doc.document_type}", str(file)))
    return result
