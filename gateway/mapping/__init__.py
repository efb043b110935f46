"""Declarative X12 mappings: partner data <-> canonical documents (see spec.py for the language).

Public: ``parse_inbound(partner, tx)``, ``render_outbound(partner, doc, control=, now=)``,
``ControlNumbers``, ``load_mapping(name, home)``, ``parse_xml(partner, data)`` (XML part).
"""

from __future__ import annotations

import importlib
from typing import Any

from gateway.mapping.api import ControlNumbers, parse_inbound, render_outbound, render_segments
from gateway.mapping.errors import InboundError, MappingError, MappingFileError, OutboundError
from gateway.mapping.registry import load_mapping

__all__ = ["ControlNumbers", "InboundError", "MappingError", "MappingFileError", "OutboundError",
           "load_mapping", "parse_inbound", "parse_xml", "render_outbound", "render_segments"]


def __getattr__(name: str) -> Any:
    if name == "parse_xml":  # written by the XML part in gateway/xml/; loaded when present
        return importlib.import_module("gateway.xml").parse_xml
    raise AttributeError(f"module 'gateway.mapping' has no attribute {name!r}")
