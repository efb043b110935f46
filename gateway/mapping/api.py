"""The mapping entry points other parts call: parse_inbound and render_outbound.

The partner profile picks the mapping (its ``documents`` entry, else the default for the type,
direction and version); the X12 engine does bytes and envelopes; this module only turns
segments into canonical documents and back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from gateway.canonical import DOCUMENT_MODELS, CanonicalDocument
from gateway.mapping.compiled import Mapping
from gateway.mapping.errors import InboundError, OutboundError
from gateway.mapping.parts import transaction_segments
from gateway.mapping.reader import ReadResult, read
from gateway.mapping.registry import load_mapping, resolve_name
from gateway.mapping.writer import write
from gateway.partners.profile import Direction, PartnerProfile

SET_IDS: dict[str, str] = {
    "purchase_order": "850",
    "order_ack": "855",
    "ship_notice": "856",
    "invoice": "810",
    "functional_ack": "997",
}
FUNCTIONAL_IDS = {"850": "PO", "855": "PR", "856": "SH", "810": "IN", "997": "FA", "999": "FA"}
GS_VERSIONS = {"4010": "004010", "5010": "005010"}
ISA_VERSIONS = {"4010": "00401", "5010": "00501"}


@dataclass(frozen=True)
class ControlNumbers:
    """ISA13, GS06 and ST02 for one outbound document, allocated by the gateway flow."""

    isa: int
    gs: int
    st: int = 1


def short_version(gs_version: str) -> str:
    """GS08 ('004010VICS', '005010X231A1') -> '4010' / '5010'."""
    return "5010" if gs_version.startswith("0050") else "4010"


def mapping_for(partner: PartnerProfile, doc_type: str, direction: Direction | str,
                version: str | None = None) -> Mapping:
    direction = Direction(direction)
    spec = partner.document(doc_type, direction)
    version = version or partner.x12.version_for(doc_type)
    home = partner.home  # a private attribute behind a property: read once
    name = resolve_name(doc_type, direction.value, version, spec.mapping if spec else None, home)
    return load_mapping(name, home)


def parse_inbound(partner: PartnerProfile, tx: Any) -> CanonicalDocument:
    """A received transaction set -> its canonical document (InboundError when it does not fit)."""
    set_id = tx.set_id or (tx.segments[0][1] if tx.segments else "")
    model = DOCUMENT_MODELS.get(set_id)
    if model is None:
        raise InboundError(f"transaction set {set_id} is not supported", segment_id="ST",
                           segment_position=1, element_position=1, value=set_id,
                           expected=f"one of {sorted(DOCUMENT_MODELS)}")
    version = short_version(tx.version) if getattr(tx, "version", "") else None
    mapping = mapping_for(partner, set_id, Direction.IN, version)
    data = _read(mapping, tx, set_id, partner, origins=False).data
    try:
        return model.model_validate(data)  # type: ignore[return-value]
    except ValidationError as exc:
        # read again, now noting where each field came from, to point into the file
        origins = _read(mapping, tx, set_id, partner, origins=True).origins
        raise _explain(exc, origins, mapping.name, tx) from None


def _read(mapping: Mapping, tx: Any, set_id: str, partner: PartnerProfile, *,
          origins: bool) -> ReadResult:
    result = read(mapping, transaction_segments(tx), origins=origins)
    if set_id == "850":
        result.data.setdefault("buyer_partner_id", partner.id)
    if set_id == "999":
        result.data.setdefault("kind", "999")
    return result


def _explain(exc: ValidationError, origins: dict, mapping: str, tx: Any) -> InboundError:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    origin = origins.get(loc)
    if origin is None:
        # a missing field: point at the closest parent we know, else the whole set
        parent = loc.rsplit(".", 1)[0]
        origin = next((o for k, o in origins.items() if k.startswith(parent + ".")), None)
    seg_id, pos, el = origin if origin else ("ST", 1, None)
    value = err.get("input")
    return InboundError(
        f"canonical field {loc}: {err['msg']}", segment_id=seg_id, segment_position=pos,
        element_position=el, field=loc,
        value=value if isinstance(value, str) else None,
        expected=f"{len(exc.errors())} problem(s); first shown" if len(exc.errors()) > 1
        else None, mapping=mapping)


def render_segments(partner: PartnerProfile, doc: CanonicalDocument, *, st_control: str = "0001",
                    direction: Direction | str = Direction.OUT
                    ) -> tuple[str, str, list[tuple[str, list[Any]]]]:
    """(set_id, version, ST..last body segment) for a canonical document.

    ``direction='in'`` renders with the partner's inbound mapping: what the partner would send
    (round-trip tests, sample files for ``partner check``)."""
    set_id = SET_IDS[doc.document_type]
    if set_id == "997" and getattr(doc, "kind", "997") == "999":
        set_id = "999"
    version = partner.x12.version_for(set_id)
    mapping = mapping_for(partner, set_id, direction, version)
    implementation = mapping.implementation_reference if version == "5010" else None
    segments = write(mapping, doc, set_id, st_control, implementation)
    _check_required_paths(mapping, segments, partner)
    return set_id, version, segments


def _check_required_paths(mapping: Mapping, segments: list, partner: PartnerProfile) -> None:
    if not mapping.require:
        return
    from gateway.x12 import Segment

    built = [Segment.build(seg_id, [">".join(e) if isinstance(e, tuple) else e for e in els])
             for seg_id, els in segments]
    for xpath in mapping.require:
        if not xpath.values(built):
            raise OutboundError(f"{partner.id} requires {xpath.text}, which would be empty",
                                segment_id=xpath.steps[-1].segment,
                                element_position=xpath.element, mapping=mapping.name,
                                expected=xpath.text)


@lru_cache(maxsize=64)
def _delimiters(element: str, component: str, segment: str, repetition: str | None) -> Any:
    """The X12 engine's Delimiters for a profile's separators (made once per combination)."""
    from gateway.x12 import Delimiters

    return Delimiters(element.encode(), component.encode(), segment.encode(),
                      repetition.encode() if repetition else None)


def render_outbound(partner: PartnerProfile, doc: CanonicalDocument, *, control: ControlNumbers,
                    now: dt.datetime | None = None,
                    direction: Direction | str = Direction.OUT) -> bytes:
    """A canonical document -> a whole interchange (ISA..IEA) for ``partner``.

    With ``direction='in'`` the interchange is written as the partner would send it to us
    (their ISA as sender, their inbound mapping): sample files and round-trip tests."""
    from gateway.x12 import GroupSpec, write_interchange

    set_id, version, segments = render_segments(partner, doc, st_control=f"{control.st:04d}",
                                                direction=direction)
    x12 = partner.x12
    us, them = x12.us, x12.partner
    if Direction(direction) == Direction.IN:
        us, them = them, us
    d = x12.delimiters
    delimiters = _delimiters(d.element, d.component, d.segment,
                             d.repetition if version == "5010" else None)
    gs_version = GS_VERSIONS[version]
    st = segments[0][1]
    if len(st) > 2 and st[2]:
        gs_version = st[2]  # an implementation guide names itself in both GS08 and ST03
    group = GroupSpec(FUNCTIONAL_IDS[set_id], us.gs_code, them.gs_code, control.gs,
                      gs_version, transactions=[segments])
    return write_interchange(
        sender=(us.isa_qualifier, us.isa_id),
        receiver=(them.isa_qualifier, them.isa_id),
        control_number=control.isa, version=ISA_VERSIONS[version], usage=partner.usage,
        groups=[group], delimiters=delimiters, line_ending=x12.line_ending,
        now=now or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
        ack_requested="1" if partner.acks.expect_997_within_hours else "0")
