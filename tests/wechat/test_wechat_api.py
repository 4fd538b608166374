"""The WeChat binding and follow figures through the API (MSG-2), scoped (NFR-2)."""

import pytest

from tests.factories import bearer
from tests.wechat.test_wechat_client import follow

pytestmark = pytest.mark.django_db


def test_my_binding_gives_the_qr_content_until_following(client, world, official, fake):
    headers = bearer(world.parent_a)
    first = client.get("/api/v1/wechat/binding", **headers).json()
    assert first["configured"] and not first["following"] and first["qr_url"].startswith("http://weixin.qq.com/q/")
    assert client.get("/api/v1/wechat/binding", **headers).json()["qr_url"] == first["qr_url"]
    follow(official, world.parent_a)
    assert client.get("/api/v1/wechat/binding", **headers).json() == {
        "configured": True, "following": True, "qr_url": None, "expires_at": None}
    other = client.get("/api/v1/wechat/binding", **bearer(world.parent_b)).json()
    assert other["configured"] is False


def test_follow_figures_and_parents_are_scoped(client, world, official):
    follow(official, world.parent_a)
    admin = bearer(world.school_admin_a)
    rows = client.get("/api/v1/wechat/follows", **admin).json()
    assert {(r["class_id"], r["parents"], r["following"]) for r in rows} == {
        (world.class_a1.pk, 1, 1), (world.class_a2.pk, 0, 0)}
    region = client.get("/api/v1/wechat/follows", **bearer(world.district_admin_x)).json()
    assert [(r["school_id"], r["following"]) for r in region] == [(world.school_a.pk, 1)]
    parents = client.get(f"/api/v1/wechat/follows/classes/{world.class_a1.pk}", **admin).json()
    assert parents[0]["name"] == "李大明" and parents[0]["following"] and "****" in parents[0]["phone"]
    assert client.get(f"/api/v1/wechat/follows/classes/{world.class_a1.pk}?following=false", **admin).json() == []
    foreign = bearer(world.school_admin_b)
    assert client.get(f"/api/v1/wechat/follows/classes/{world.class_a1.pk}", **foreign).status_code == 404
    assert client.get(f"/api/v1/wechat/follows?school_id={world.school_a.pk}", **foreign).status_code == 404
    assert client.get(f"/api/v1/wechat/follows/classes/{2**64}", **admin).status_code == 400
    assert client.get("/api/v1/wechat/follows", **bearer(world.parent_a)).status_code == 403
