"""Inventory, available-to-promise and the sourcing preview (read scope; they change nothing)."""
from __future__ import annotations

from decimal import Decimal

from fastapi import APIRouter, Depends, Query

from gateway.api.db import reading
from gateway.api.auth import read_key
from gateway.api.context import ApiContext, get_context
from gateway.api.keys import ApiKey
from gateway.api.problems import Problem
from gateway.api.schemas.common import PROBLEM_RESPONSES
from gateway.api.schemas.orders import SourcingPreviewIn
from gateway.api.schemas.views import AtpOut, InventoryOut, PreviewOut
from gateway.api.views.inventory import atp_json

router = APIRouter(prefix="/v1", tags=["inventory"], responses=PROBLEM_RESPONSES)


def _unknown_item(sku: str) -> Problem:
    return Problem(404, "Item not found", f"no item {sku!r}", kind="unknown-item", item=sku)


@router.get("/inventory/{sku}", response_model=InventoryOut, summary="Stock levels of an item per "
            "location and in total")
def get_inventory(sku: str, _: ApiKey = Depends(read_key),
                  context: ApiContext = Depends(get_context)) -> dict:
    if len(sku) > 64:
        raise _unknown_item(sku[:64])
    from core.domain.errors import UnknownItem

    try:
        return context.core.inventory.item(sku)
    except UnknownItem:
        raise _unknown_item(sku) from None


@router.get("/atp", response_model=AtpOut, summary="Available to promise: can this quantity of an "
            "item be promised to this ship-to, and from where?")
def get_atp(sku: str = Query(min_length=1, max_length=64),
            quantity: Decimal = Query(gt=0, max_digits=18, decimal_places=4, allow_inf_nan=False),
            postal_code: str | None = Query(None, max_length=16, pattern=r"^[A-Za-z0-9 -]*$"),
            country: str = Query("US", max_length=3, pattern=r"^[A-Za-z]*$"),
            _: ApiKey = Depends(read_key), context: ApiContext = Depends(get_context)) -> dict:
    with reading(context.engine) as conn:
        data = atp_json(conn, sku, quantity, postal_code, country)
    if data is None:
        raise _unknown_item(sku)
    return data


@router.post("/sourcing/preview", response_model=PreviewOut, summary="What the sourcing rules would "
             "decide for an order, with reasons; changes nothing")
def sourcing_preview(body: SourcingPreviewIn, _: ApiKey = Depends(read_key),
                     context: ApiContext = Depends(get_context)) -> dict:
    from gateway.api.views.sourcing import preview

    return preview(context.engine, context.rules, body)
