"""Partners with their status (read scope)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from gateway.api.db import reading
from gateway.api.auth import read_key
from gateway.api.context import ApiContext, get_context
from gateway.api.keys import ApiKey
from gateway.api.problems import Problem
from gateway.api.schemas.common import PROBLEM_RESPONSES
from gateway.api.views.partners import partner_status, profile_json

router = APIRouter(prefix="/v1/partners", tags=["partners"], responses=PROBLEM_RESPONSES)


class PartnerStatus(BaseModel):
    last_file_in: str | None
    last_file_out: str | None
    acks_pending: int
    acks_overdue: int
    errors_7d: int
    files_quarantined: int
    exceptions_open: int


class PartnerOut(BaseModel):
    id: str
    name: str | None
    role: str | None
    transport: str | None
    documents: list[dict[str, Any]]
    usage: str | None
    status: PartnerStatus


def _profiles(context: ApiContext) -> dict[str, Any]:
    if context.settings.home is None:
        return {}
    from gateway.partners import PartnerError, load_partners

    try:
        return load_partners(context.settings.home)
    except PartnerError as exc:
        raise Problem(503, "Partner profiles unusable", f"{exc}; fix the profile and run "
                      "`ordergate partner check`", kind="partner-profiles-invalid") from None


@router.get("", response_model=list[PartnerOut], summary="Partners and their status")
def list_partners(_: ApiKey = Depends(read_key), context: ApiContext = Depends(get_context)) -> list[dict]:
    profiles = _profiles(context)
    with reading(context.engine) as conn:
        status = partner_status(conn, list(profiles))
    return [{**profile_json(p), "status": status[pid]} for pid, p in sorted(profiles.items())]


@router.get("/{partner_id}", response_model=PartnerOut, summary="One partner and its status")
def get_partner(partner_id: str, _: ApiKey = Depends(read_key),
                context: ApiContext = Depends(get_context)) -> dict:
    profiles = _profiles(context)
    if partner_id not in profiles:
        raise Problem(404, "Partner not found", f"no partner profile {partner_id!r}",
                      kind="unknown-partner", partner=partner_id[:64])
    with reading(context.engine) as conn:
        status = partner_status(conn, [partner_id])
    return {**profile_json(profiles[partner_id]), "status": status[partner_id]}
