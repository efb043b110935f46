"""Partner profiles: everything about a trading partner that is configuration, not code.

A profile is one YAML file, ``partners/<id>.yaml``, validated by pydantic. Secrets never live in
it: SFTP credentials are a key file path or the *name* of an environment variable. The transport
section is consumed by ``gateway.transport.open_transport``; the x12 section by the X12 writer
and the envelope checks; ``documents`` tells the mapping engine which mapping to use.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Literal

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator


class _Strict(BaseModel):
    """Unknown keys are errors: a misspelt key in a profile must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Role(str, Enum):
    CUSTOMER = "customer"
    VENDOR = "vendor"
    BOTH = "both"


class Direction(str, Enum):
    IN = "in"
    OUT = "out"


class DocFormat(str, Enum):
    X12 = "x12"
    CXML = "cxml"
    XML = "xml"


DOCUMENT_TYPES = {"850", "855", "856", "810", "997", "999"}


class Identity(_Strict):
    """ISA05/06 (or 07/08) and GS02/03 for one side of the exchange."""

    isa_qualifier: str = Field("ZZ", min_length=2, max_length=2)
    isa_id: str = Field(..., min_length=1, max_length=15)
    gs_id: str | None = Field(None, min_length=2, max_length=15)

    @property
    def gs_code(self) -> str:
        return self.gs_id or self.isa_id


class X12Delimiters(_Strict):
    element: str = Field("*", min_length=1, max_length=1)
    component: str = Field(">", min_length=1, max_length=1)
    segment: str = Field("~", min_length=1, max_length=1)
    repetition: str | None = Field("^", min_length=1, max_length=1)

    @model_validator(mode="after")
    def _distinct(self) -> "X12Delimiters":
        chars = [c for c in (self.element, self.component, self.segment, self.repetition) if c]
        if len(set(chars)) != len(chars):
            raise ValueError(f"delimiters must be distinct characters, got {chars}")
        return self


class X12Settings(_Strict):
    partner: Identity
    us: Identity = Identity(isa_qualifier="ZZ", isa_id="ORDERGATE", gs_id="ORDERGATE")
    versions: dict[str, Literal["4010", "5010"]] = Field(default_factory=dict)
    """Version per document type ('850': '4010'); documents not named use ``default_version``."""
    default_version: Literal["4010", "5010"] = "4010"
    delimiters: X12Delimiters = X12Delimiters()
    line_ending: Literal["", "\n", "\r\n"] = ""

    @field_validator("versions")
    @classmethod
    def _known_documents(cls, versions: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(versions) - DOCUMENT_TYPES)
        if unknown:
            raise ValueError(f"unknown document types {unknown}; use {sorted(DOCUMENT_TYPES)}")
        return versions

    def version_for(self, doc_type: str) -> str:
        return self.versions.get(doc_type, self.default_version)


class DocumentSpec(_Strict):
    type: str = Field(..., pattern=r"^(850|855|856|810|997|999)$")
    direction: Direction
    format: DocFormat = DocFormat.X12
    mapping: str | None = None
    """Mapping name: ``<doc>/<name>`` resolved under HOME/mappings then the repo's mappings/;
    None means the default for the type, direction and version."""


class TransportType(str, Enum):
    SFTP = "sftp"
    LOCAL = "local"


class Transport(_Strict):
    type: TransportType = TransportType.LOCAL
    host: str | None = None
    port: int = Field(22, ge=1, le=65535)
    user: str | None = None
    key_file: str | None = None
    key_env: str | None = None
    host_key: str | None = None
    """A pinned ``ssh-ed25519 AAAA...`` line, or a path to a known_hosts file."""
    inbound_dir: str = "inbound"
    outbound_dir: str = "outbound"
    processed_dir: str | None = None
    after_download: Literal["move", "delete"] = "move"
    filename_pattern: str = "{partner}_{doc_type}_{control}.edi"
    done_suffix: str | None = None
    stable_seconds: float = Field(2.0, ge=0)
    poll_seconds: float = Field(60.0, gt=0)
    password_env: str | None = None

    @model_validator(mode="after")
    def _sftp_needs_login(self) -> "Transport":
        if self.type == TransportType.SFTP:
            missing = [k for k in ("host", "user", "host_key") if not getattr(self, k)]
            if missing:
                raise ValueError(f"sftp transport needs {', '.join(missing)}")
            if not (self.key_file or self.key_env or self.password_env):
                raise ValueError("sftp transport needs key_file or key_env (never a secret inline)")
        return self


class Acks(_Strict):
    expect_997_within_hours: float | None = Field(24, ge=0)
    send_997: Literal["always", "on_error"] = "always"


class Tolerances(_Strict):
    """Reconciliation tolerances and windows (read by gateway/reconcile/settings.py, which says
    what each one governs). A price passes within EITHER `amount` or `price_percent`."""

    quantity: Decimal = Decimal(0)          # units a shipped/acked quantity may differ by
    amount: Decimal = Decimal("0.01")       # unit-price difference allowed, absolute
    ack_hours: float = 24                   # vendor 855 due after our 850; our 855 to a customer
    ship_days: float = 7                    # a vendor shipment may stay in transit this long
    invoice_days: float = 30                # a customer shipment must be invoiced within this
    quantity_percent: Decimal = Field(Decimal(0), ge=0)
    price_percent: Decimal = Field(Decimal(1), ge=0)
    total_amount: Decimal = Field(Decimal("0.01"), ge=0)   # TDS vs lines + SAC
    customer_ack_hours: float | None = Field(None, ge=0)   # None: ack_hours
    asn_hours: float = Field(24, ge=0)      # our 856 due after a shipment is recorded
    late_days: int = Field(0, ge=0)         # grace after the requested date before "late"
    allowed_charges: list[str] = Field(default_factory=list)  # SAC02 codes agreed for charges
    resource_rejected: bool = True          # source lines a vendor rejected again


class PartnerProfile(_Strict):
    id: str = Field(..., pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    role: Role
    x12: X12Settings
    documents: list[DocumentSpec] = Field(default_factory=list)
    transport: Transport = Transport()
    acks: Acks = Acks()
    usage: Literal["T", "P"] = "T"
    tolerances: Tolerances = Tolerances()
    location_code: str | None = None
    """For vendors: the inventory location (drop-ship) this vendor fulfils from."""
    options: dict[str, str] = Field(default_factory=dict)
    """Free per-partner settings read by other parts (e.g. xml namespaces)."""
    _home: Path | None = PrivateAttr(default=None)

    @property
    def home(self) -> Path | None:
        """The home the profile was loaded from: its mapping overrides live there."""
        return self._home

    def with_home(self, home: Path | str | None) -> "PartnerProfile":
        self._home = Path(home) if home is not None else None
        return self

    @field_validator("documents")
    @classmethod
    def _unique_docs(cls, docs: list[DocumentSpec]) -> list[DocumentSpec]:
        seen: set[tuple[str, str]] = set()
        for d in docs:
            key = (d.type, d.direction.value)
            if key in seen:
                raise ValueError(f"document {d.type} direction {d.direction.value} listed twice")
            seen.add(key)
        return docs

    def document(self, doc_type: str, direction: Direction | str) -> DocumentSpec | None:
        """The spec for a document type and direction, or None when not exchanged."""
        direction = Direction(direction)
        return next(
            (d for d in self.documents if d.type == doc_type and d.direction == direction), None
        )

    # convenience accessors other parts read often
    @property
    def isa_qualifier(self) -> str:
        return self.x12.partner.isa_qualifier

    @property
    def isa_id(self) -> str:
        return self.x12.partner.isa_id

    @property
    def versions(self) -> dict[str, str]:
        return dict(self.x12.versions)

    @property
    def delimiters(self) -> X12Delimiters:
        return self.x12.delimiters

    @property
    def line_ending(self) -> str:
        return self.x12.line_ending
