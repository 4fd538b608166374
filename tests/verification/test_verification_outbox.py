"""The development SMS outbox (SMS-3): admins read messages to the people they answer for, numbers
masked, names masked above school level; nobody else reads it."""

from __future__ import annotations

import pytest

from renrentong.orgs.policy import EffectivePolicy
from renrentong.verification import services

from tests.factories import bearer
from tests.verification_helpers import recipient


def send_to(account, purpose="recover"):
    return services.send_code(purpose=purpose, target=account.phone, recipient=recipient(account), source="10.0.0.1",
                              binding=f"{purpose}:{account.pk}", policy=EffectivePolicy())


def outbox(client, account):
    return client.get("/api/v1/verification/outbox", **bearer(account))


@pytest.fixture
def messages(world):
    send_to(world.parent_a)
    send_to(world.parent_b)
    services.send_code(purpose="register", target="13874812345", recipient=recipient(), source=None,
                       binding="register:x", policy=EffectivePolicy())
    return world


def test_school_admin_reads_messages_to_their_schools_people(client, messages):
    world = messages
    rows = outbox(client, world.school_admin_a).json()
    assert len(rows) == 1
    (row,) = rows
    phone = world.parent_a.phone
    assert row["to"] == phone[:3] + "****" + phone[-4:] and phone not in str(row)
    assert row["account_number"] == world.parent_a.number and row["name"] == "李大明"
    assert row["purpose"] == "recover" and "验证码" in row["body"]


@pytest.mark.parametrize("who, sees", [
    ("district_admin_x", {"李*明"}), ("district_admin_y", {"陈*红"}), ("city_admin", {"李*明", "陈*红"}),
    ("school_admin_b", {"陈大红"}),
])
def test_region_admins_read_below_them_with_names_masked(client, messages, who, sees):
    rows = outbox(client, getattr(messages, who)).json()
    assert {r["name"] for r in rows} == sees


def test_the_top_region_admin_also_sees_messages_to_numbers_without_account(client, messages):
    rows = outbox(client, messages.province_admin).json()
    assert len(rows) == 3
    assert "138****2345" in {r["to"] for r in rows}
    assert "138****2345" not in {r["to"] for r in outbox(client, messages.city_admin).json()}


@pytest.mark.parametrize("who", ["teacher_a", "head_teacher_a", "student_a", "parent_a"])
def test_nobody_else_reads_the_outbox(client, messages, who):
    response = outbox(client, getattr(messages, who))
    assert response.status_code == 403 and response.json()["code"] == "outbox.not_allowed"


def test_the_outbox_needs_a_login(client, messages):
    assert client.get("/api/v1/verification/outbox").status_code == 401


def test_limit_is_bounded(client, messages):
    assert client.get("/api/v1/verification/outbox?limit=0", **bearer(messages.province_admin)).status_code == 400
    assert len(client.get("/api/v1/verification/outbox?limit=1", **bearer(messages.province_admin)).json()) == 1
