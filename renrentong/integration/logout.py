"""Ending apps' sessions when a platform session ends (INT-1): OpenID Connect Back-Channel Logout 1.0, which the
toolkit lacks.

Each sign-in through the platform records the platform session's `sid` (a random value kept in that session,
and the ID token's `sid` claim). When that session logs out, at the platform or through an app's RP-initiated
logout, what it got for apps is revoked at once, and every app with a back-channel logout URI is owed a signed
logout token: a row here, sent by a task and retried with growing pauses, because school computers are shared
and the next pupil must not find the last one still signed in to an app."""

from __future__ import annotations

import json
import logging
import secrets
import time
import uuid
from datetime import timedelta

import requests
from django.db import connection, transaction
from django.utils import timezone
from jwcrypto import jwt

from renrentong.core import audit

from renrentong.integration import selectors
from renrentong.integration.models import AccessToken, App, IDToken, LogoutDelivery, RefreshToken
from renrentong.integration.oidc.keys import active_key, issuer

logger = logging.getLogger(__name__)

SESSION_SID = "oidc_sid"
EVENT = "http://schemas.openid.net/event/backchannel-logout"
MAX_ATTEMPTS = 8  # about two hours of tries (30 s, 1, 2, 4, 8, 16, 32, 60 minutes)
BATCH = 50
LEASE = timedelta(minutes=2)  # a claimed row is skipped by other workers this long; a dead worker's comes back
TIMEOUT_SECONDS = 5


def session_sid(session) -> str:
    """The `sid` of this platform session, made on its first sign-in to an app."""
    sid = session.get(SESSION_SID)
    if not isinstance(sid, str) or not sid:
        sid = session[SESSION_SID] = secrets.token_urlsafe(16)
    return sid


def end_app_sessions(account, sid: str, *, queue) -> int:
    """Revoke everything platform session `sid` got for apps; owe each app that asked for it an announcement,
    and `queue` a delivery run once that is committed. Returns the announcements owed."""
    if not sid or account is None or not account.pk:
        return 0
    return _end(account, {"sid": sid}, sid, queue)


def end_app_access(account, app: App, *, queue) -> int:
    """Revoke everything the account got for `app` on any device, and owe the app an announcement naming the
    account only (no `sid`: every session of it ends), as end_app_sessions does. The user withdrew the app."""
    return _end(account, {"application": app}, "", queue)


def _end(account, where: dict, sid: str, queue) -> int:
    now = timezone.now()
    with transaction.atomic():
        tokens = AccessToken.objects.filter(user=account, **where)
        live_refresh = RefreshToken.objects.filter(user=account, revoked=None, **where)
        app_ids = set(tokens.values_list("application_id", flat=True)) | set(
            live_refresh.values_list("application_id", flat=True))
        live_refresh.update(revoked=now)
        tokens.delete()
        IDToken.objects.filter(user=account, **where).delete()
        owed = [LogoutDelivery(app=app, account=account, sid=sid, school_id=account.home_school_id,
                               next_attempt_at=now)
                for app in App.objects.filter(pk__in=app_ids).exclude(backchannel_logout_uri="")]
        LogoutDelivery.objects.bulk_create(owed)
        if app_ids:
            audit.record(None, "oidc.logout", None, {"apps": sorted(app_ids), "announced": len(owed)},
                         account=account, school_id=account.home_school_id)
        if owed:
            transaction.on_commit(queue)
    return len(owed)


def logout_token(delivery: LogoutDelivery) -> str:
    """The signed logout token (Back-Channel Logout 1.0, 2.4): no nonce, the event, the app's pairwise sub."""
    now = int(time.time())
    claims = {"iss": issuer(), "aud": delivery.app.client_id, "iat": now, "exp": now + 120, "jti": str(uuid.uuid4()),
              "sub": selectors.pairwise_subject(delivery.app, delivery.account_id), "events": {EVENT: {}}}
    if delivery.sid:
        claims["sid"] = delivery.sid
    key = active_key()
    token = jwt.JWT(header={"alg": "RS256", "typ": "logout+jwt", "kid": key.thumbprint()}, claims=json.dumps(claims))
    token.make_signed_token(key)
    return token.serialize()


def _pause(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(0, attempts - 1), 3600))


def _claim(now) -> list[LogoutDelivery]:
    with transaction.atomic():
        due = LogoutDelivery.objects.filter(delivered_at=None, gave_up_at=None, next_attempt_at__lte=now)
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:BATCH])
        LogoutDelivery.objects.filter(pk__in=ids).update(next_attempt_at=now + LEASE)
    return list(LogoutDelivery.objects.filter(pk__in=ids).select_related("app").order_by("pk"))


def _send(delivery: LogoutDelivery) -> str:
    """'' when the app took it, else what went wrong (kept on the row for the admin)."""
    try:
        response = requests.post(delivery.app.backchannel_logout_uri, data={"logout_token": logout_token(delivery)},
                                  timeout=TIMEOUT_SECONDS, allow_redirects=False,
                                  headers={"Cache-Control": "no-store"})
    except requests.RequestException as exc:
        return type(exc).__name__[:64]
    return "" if response.status_code in (200, 204) else f"HTTP {response.status_code}"


def drain(now=None) -> int:
    """Send what is due, a batch at a time; returns the announcements the apps took."""
    delivered = 0
    while True:
        rows = _claim(now or timezone.now())
        for row in rows:
            row.attempts += 1
            problem = _send(row)
            done = timezone.now()
            if not problem:
                row.delivered_at, row.last_status = done, "200"
                delivered += 1
            else:
                row.last_status = problem
                if row.attempts >= MAX_ATTEMPTS or not row.app.active:
                    row.gave_up_at = done
                    logger.warning("back-channel logout to app %s given up after %s tries", row.app_id, row.attempts)
                else:
                    row.next_attempt_at = done + _pause(row.attempts)
            row.save(update_fields=["attempts", "delivered_at", "gave_up_at", "last_status", "next_attempt_at"])
        if len(rows) < BATCH:
            return delivered


def sweep(*, queue) -> int:
    """`queue` a delivery run when an announcement is due (a retry's pause has passed, or a worker died holding
    a claim)."""
    due = LogoutDelivery.objects.filter(delivered_at=None, gave_up_at=None, next_attempt_at__lte=timezone.now())
    if due.exists():
        queue()
        return 1
    return 0
