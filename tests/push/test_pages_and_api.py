"""The push outbox page and API (admins, in their scope), the delivery summary and finish estimate, and the
Web Push subscription API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from renrentong.push import selectors
from renrentong.push.models import Delivery, PushSubscription
from tests.factories import as_user, bearer
from tests.push.helpers import actor, drain_all, ring_notice, send


@pytest.fixture
def two_schools(pworld):
    a = send(pworld, title="A校通知")
    b = send(pworld, title="B校通知", class_ids=[pworld.class_b1.pk], admin=pworld.school_admin_b)
    ring_notice(a)
    ring_notice(b)
    drain_all()
    return a, b


@pytest.mark.parametrize("who, sees, hidden", [
    ("school_admin_a", "A校通知", "B校通知"),
    ("district_admin_x", "A校通知", "B校通知"),
    ("district_admin_y", "B校通知", "A校通知"),
])
def test_outbox_page_shows_only_pushes_in_the_admins_scope(client, pworld, two_schools, who, sees, hidden):
    as_user(client, getattr(pworld, who))
    page = client.get(reverse("push:outbox"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert sees in html and hidden not in html
    assert 'data-state="delivered"' in html
    assert "体温" not in html  # never the body


def test_city_admin_sees_both_districts(client, pworld, two_schools):
    as_user(client, pworld.city_admin)
    html = client.get(reverse("push:outbox")).content.decode()
    assert "A校通知" in html and "B校通知" in html


@pytest.mark.parametrize("who", ["teacher_a", "parent_a", "student_a"])
def test_outbox_page_refuses_who_is_not_an_admin(client, pworld, two_schools, who):
    as_user(client, getattr(pworld, who))
    assert client.get(reverse("push:outbox")).status_code == 403


def test_outbox_page_warns_when_the_outbox_refuses_to_send(client, pworld, settings):
    settings.RRT_SMS_OUTBOX_ALLOWED = False
    as_user(client, pworld.school_admin_a)
    html = client.get(reverse("push:outbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="outbox-refused"' in html


def test_outbox_api_in_scope_and_refused_to_others(client, pworld, two_schools):
    rows = client.get("/api/v1/push/outbox", **bearer(pworld.school_admin_b)).json()
    assert {r["title"] for r in rows} == {"B校通知"}
    assert "body" not in rows[0]
    refused = client.get("/api/v1/push/outbox", **bearer(pworld.teacher_a))
    assert refused.status_code == 403 and refused.json()["code"] == "push.outbox_not_allowed"


def test_delivery_summary_counts_per_channel_and_state_in_scope(pworld, two_schools):
    a, b = two_schools
    Delivery.objects.filter(ref_id=a.pk).update(state="failed")
    Delivery.objects.filter(ref_id=a.pk).filter(pk=Delivery.objects.filter(ref_id=a.pk).first().pk).update(
        state="delivered")
    readers = Delivery.objects.filter(ref_id=a.pk).count()
    summary = selectors.delivery_summary(actor(pworld.school_admin_a), source="notice", ref_id=a.pk)
    assert summary == {"outbox": {"delivered": 1, "failed": readers - 1}}
    assert selectors.delivery_summary(actor(pworld.school_admin_b), source="notice", ref_id=a.pk) == {}


def test_finish_estimate_from_pending_rows_and_rate(pworld, freezer):
    notice = send(pworld)
    assert selectors.finish_estimate(pworld.district_x.pk, "outbox") is None
    pending = ring_notice(notice)
    estimate = selectors.finish_estimate(pworld.district_x.pk, "outbox")
    assert timezone.now() < estimate <= timezone.now() + timedelta(seconds=pending / selectors.DEFAULT_RATE + 1)
    drain_all()
    assert selectors.finish_estimate(pworld.district_x.pk, "outbox") is None


ENDPOINT = "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk"
KEYS = {"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg"}


def test_subscribe_and_unsubscribe_through_the_api(client, pworld):
    headers = bearer(pworld.parent_a)
    made = client.post("/api/v1/push/subscriptions", {"endpoint": ENDPOINT, "keys": KEYS},
                       content_type="application/json", **headers)
    assert made.status_code == 201 and made.json()["endpoint"] == ENDPOINT
    again = client.post("/api/v1/push/subscriptions", {"endpoint": ENDPOINT, "keys": KEYS},
                        content_type="application/json", **headers)
    assert again.status_code == 201
    row = PushSubscription.objects.get()
    assert row.account_id == pworld.parent_a.pk
    # Another account cannot remove it.
    client.generic("DELETE", "/api/v1/push/subscriptions", '{"endpoint": "%s"}' % ENDPOINT,
                   content_type="application/json", **bearer(pworld.parent_b))
    assert PushSubscription.objects.exists()
    gone = client.generic("DELETE", "/api/v1/push/subscriptions", '{"endpoint": "%s"}' % ENDPOINT,
                          content_type="application/json", **headers)
    assert gone.status_code == 204 and not PushSubscription.objects.exists()


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:9/push", "file:///etc/passwd", "https://", "not a url"])
def test_subscription_endpoint_must_be_https(client, pworld, endpoint):
    refused = client.post("/api/v1/push/subscriptions", {"endpoint": endpoint, "keys": KEYS},
                          content_type="application/json", **bearer(pworld.parent_a))
    assert refused.status_code == 400
    assert not PushSubscription.objects.exists()


def test_the_service_refuses_a_plain_http_endpoint_too(pworld):
    from renrentong.core.errors import UserFacingError
    from renrentong.push.services import subscribe

    with pytest.raises(UserFacingError) as refused:
        subscribe(actor(pworld.parent_a), endpoint="http://10.0.0.1/push", p256dh=KEYS["p256dh"], auth=KEYS["auth"])
    assert refused.value.code == "push.subscription_invalid"


def test_subscription_api_needs_a_token_and_vapid_key_says_when_off(client, pworld):
    assert client.post("/api/v1/push/subscriptions", {"endpoint": ENDPOINT, "keys": KEYS},
                       content_type="application/json").status_code == 401
    off = client.get("/api/v1/push/vapid-key", **bearer(pworld.parent_a))
    assert off.status_code == 404 and off.json()["code"] == "push.web_push_off"
