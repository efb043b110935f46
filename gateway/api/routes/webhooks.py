"""Webhook subscribers (admin scope to register, read to list) and their deliveries."""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from gateway.api.db import reading
from gateway.api import clock
from gateway.api.auth import admin_key, read_key
from gateway.api.context import ApiContext, get_context
from gateway.api.keys import ApiKey
from gateway.api.problems import Problem
from gateway.api.schemas.common import PROBLEM_RESPONSES, RowId
from gateway.api.schemas.types import MAX_ID
from gateway.api.tables import webhook_deliveries, webhook_events
from gateway.api.webhooks import SubscriptionError, list_subscriptions, remove_subscription, subscribe
from gateway.api.webhooks.delivery import redeliver

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], responses=PROBLEM_RESPONSES)
deliveries = APIRouter(prefix="/v1/webhook-deliveries", tags=["webhooks"], responses=PROBLEM_RESPONSES)


class SubscriptionIn(BaseModel):
    url: str = Field(max_length=2000, examples=["https://shop.example.com/hooks/ordergate"])
    events: list[str] = Field(min_length=1, examples=[["order.*", "shipment.recorded"]],
                              description="event types, `family.*`, or `*` for all")
    secret: str | None = Field(default=None, min_length=16, max_length=200,
                               description="HMAC secret; generated when omitted")
    description: str | None = Field(default=None, max_length=200)


class SubscriptionOut(BaseModel):
    id: int
    url: str
    events: list[str]
    description: str | None
    active: bool
    created_at: str


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="The signing secret; shown only in this answer")


class DeliveryOut(BaseModel):
    id: int
    subscription_id: int
    event_id: int
    event_type: str
    status: Literal["pending", "delivered", "dead"]
    attempts: int
    next_attempt_at: str | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: str | None


@router.post("", response_model=SubscriptionCreated, status_code=201, summary="Register a subscriber")
def create_subscription(body: SubscriptionIn, _: ApiKey = Depends(admin_key),
                        context: ApiContext = Depends(get_context)) -> dict:
    try:
        sub = subscribe(context.engine, body.url, body.events, body.secret, body.description)
    except SubscriptionError as exc:
        raise Problem(422, "Validation failed", str(exc), kind="validation-failed",
                      errors=[{"field": exc.field, "location": "body", "pointer": f"#/{exc.field}",
                               "detail": str(exc)}]) from None
    return sub.to_json(with_secret=True)


@router.get("", response_model=list[SubscriptionOut], summary="List subscribers")
def get_subscriptions(_: ApiKey = Depends(read_key),
                      context: ApiContext = Depends(get_context)) -> list[dict]:
    return [s.to_json() for s in list_subscriptions(context.engine)]


@router.delete("/{subscription_id}", status_code=204, response_class=Response,
               summary="Remove a subscriber and its pending deliveries")
def delete_subscription(subscription_id: RowId, _: ApiKey = Depends(admin_key),
                        context: ApiContext = Depends(get_context)) -> Response:
    if not remove_subscription(context.engine, subscription_id):
        raise Problem(404, "Not found", f"no webhook subscription {subscription_id}",
                      kind="unknown-subscription")
    return Response(status_code=204)


@deliveries.get("", response_model=list[DeliveryOut], summary="Recent deliveries")
def get_deliveries(status: Literal["pending", "delivered", "dead"] | None = None,
                   subscription_id: int | None = Query(None, ge=1, le=MAX_ID),
                   limit: int = Query(50, ge=1, le=500),
                   _: ApiKey = Depends(read_key), context: ApiContext = Depends(get_context)) -> list[dict]:
    d, e = webhook_deliveries.c, webhook_events.c
    query = (select(d.id, d.subscription_id, d.event_id, e.event_type, d.status, d.attempts,
                    d.next_attempt_at, d.last_status_code, d.last_error, d.delivered_at)
             .join(webhook_events, e.id == d.event_id).order_by(d.id.desc()).limit(limit))
    if status:
        query = query.where(d.status == status)
    if subscription_id is not None:
        query = query.where(d.subscription_id == subscription_id)
    with reading(context.engine) as conn:
        rows = conn.execute(query).all()
    return [{**row._asdict(),
             "next_attempt_at": _iso(row.next_attempt_at) if row.status == "pending" else None,
             "delivered_at": _iso(row.delivered_at)} for row in rows]


@deliveries.post("/{delivery_id}/redeliver", status_code=202, response_class=Response,
             summary="Queue a delivery again (dead, or lost by the receiver)")
def redeliver_delivery(delivery_id: RowId, _: ApiKey = Depends(admin_key),
                       context: ApiContext = Depends(get_context)) -> Response:
    if not redeliver(context.engine, delivery_id):
        raise Problem(404, "Not found", f"no webhook delivery {delivery_id}", kind="unknown-delivery")
    return Response(status_code=202)


def _iso(value) -> str | None:  # type: ignore[no-untyped-def]
    value = clock.utc(value)
    return value.isoformat() if value else None
