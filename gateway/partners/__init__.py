"""Trading partner profiles: load, validate, look up by ISA identity, install demo partners."""

from gateway.partners.errors import DuplicateIsaId, PartnerError, UnknownPartner
from gateway.partners.loader import find_partner_by_isa, load_partner, load_partners
from gateway.partners.profile import Direction, DocumentSpec, PartnerProfile, Role, Transport

__all__ = [
    "Direction",
    "DocumentSpec",
    "DuplicateIsaId",
    "PartnerError",
    "PartnerProfile",
    "Role",
    "Transport",
    "UnknownPartner",
    "find_partner_by_isa",
    "load_partner",
    "load_partners",
]
