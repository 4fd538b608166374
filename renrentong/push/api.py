"""API of push (MSG-4) under /api/v1/push/: Web Push subscriptions of the signed-in account, and the outbox."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import ERRORS
from renrentong.push import selectors, services
from renrentong.push.schemas import (
    PushOutboxOut, SubscriptionEndpointIn, SubscriptionIn, SubscriptionOut, VapidKeyOut,
)
from renrentong.push.webpush import vapid_public_key

router = Router(tags=["push"])


@router.get("/vapid-key", response={200: VapidKeyOut, **ERRORS},
            summary="The VAPID public key browsers subscribe with (applicationServerKey)")
def vapid_key(request: HttpRequest):
    key = vapid_public_key()
    if not key:
        raise UserFacingError("push.web_push_off")
    return VapidKeyOut(public_key=key)


@router.post("/subscriptions", response={201: SubscriptionOut, **ERRORS},
             summary="Let this browser ring for my notices (a Web Push subscription)")
def subscribe(request: HttpRequest, body: SubscriptionIn):
    subscription = services.subscribe(request.auth, endpoint=body.endpoint, p256dh=body.keys.p256dh,
                                      auth=body.keys.auth)
    return Status(201, SubscriptionOut(endpoint=subscription.endpoint, created_at=subscription.created_at))


@router.delete("/subscriptions", response={204: None, **ERRORS},
               summary="Stop this browser ringing (removes my subscription with this endpoint)")
def unsubscribe(request: HttpRequest, body: SubscriptionEndpointIn):
    services.unsubscribe(request.auth, endpoint=body.endpoint)
    return Status(204, None)


@router.get("/outbox", response={200: list[PushOutboxOut], **ERRORS},
            summary="Pushes of the development outbox channel to people I answer for (admins)")
def outbox(request: HttpRequest, limit: int = Query(50, ge=1, le=selectors.OUTBOX_PAGE)):
    return [PushOutboxOut(**row.__dict__) for row in selectors.outbox(request.auth, limit)]
