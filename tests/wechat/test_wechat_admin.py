"""The district admin's setup page and the follow figures, lists and binding sheets (MSG-2, MSG-4)."""

import io

import pytest
from pypdf import PdfReader

from renrentong.push.channels import Outcome
from renrentong.wechat.channel import WeChatChannel
from renrentong.wechat.models import Follower, OfficialAccount
from renrentong.wechat.selectors import secret_of
from tests.factories import as_user, make_class, make_parent, make_student
from tests.wechat.conftest import APPID, SECRET, configure
from tests.wechat.test_wechat_client import follow, message

pytestmark = pytest.mark.django_db


def test_the_secret_is_sealed_and_kept_when_left_empty(client, world, official):
    row = OfficialAccount.objects.get(pk=official.pk)
    assert SECRET.encode() not in bytes(row.secret_cipher) and secret_of(row) == SECRET
    assert configure(client, world.district_admin_x, secret="", template_id="TPL-2").status_code == 302
    row.refresh_from_db()
    assert secret_of(row) == SECRET and row.template_id == "TPL-2"
    page = client.get("/wechat/config/").content.decode()
    assert SECRET not in page and 'data-testid="secret-stored"' in page and "/wechat/callback/430102/" in page


def test_the_secret_may_come_from_the_environment(client, world, fake, monkeypatch):
    monkeypatch.setenv(f"RRT_WECHAT_SECRET_{APPID.upper()}", "e" * 32)
    assert configure(client, world.district_admin_x, secret="").status_code == 302
    assert secret_of(OfficialAccount.objects.get()) == "e" * 32


@pytest.mark.parametrize("field,value,code", [
    ("appid", "not-an-appid", "wechat.appid_invalid"),
    ("template_id", "", "wechat.template_required"),
    ("callback_token", "x", "wechat.token_invalid"),
    ("aes_key", "short", "wechat.aes_key_invalid"),
])
def test_bad_configuration_is_refused_beside_its_field(client, world, fake, field, value, code):
    response = configure(client, world.district_admin_x, **{field: value})
    assert response.status_code == 400 and f'data-code="{code}"' in response.content.decode()
    assert not OfficialAccount.objects.exists()


def test_a_missing_secret_is_refused(client, world, fake):
    response = configure(client, world.district_admin_x, secret="")
    assert response.status_code == 400 and 'data-code="wechat.secret_required"' in response.content.decode()


@pytest.mark.parametrize("who", ["school_admin_a", "teacher_a", "parent_a", "province_admin"])
def test_only_district_and_city_admins_configure(client, world, fake, who):
    response = configure(client, getattr(world, who))
    assert response.status_code == 403 and not OfficialAccount.objects.exists()
    assert client.get("/wechat/config/").status_code == 403


def test_an_appid_belongs_to_one_region(client, world, official):
    response = configure(client, world.district_admin_y)
    assert response.status_code == 409 and 'data-code="wechat.appid_taken"' in response.content.decode()


def test_a_configuration_error_is_shown_to_the_district_admin_with_the_fix(client, world, official, fake):
    follow(official, world.parent_a)
    fake.script("template", [40037])
    assert WeChatChannel().send(message(world)).outcome == Outcome.FAILED
    page = as_user(client, world.district_admin_x).get("/wechat/config/").content.decode()
    assert 'data-testid="config-error"' in page and 'data-code="40037"' in page
    assert "模板ID无效：请在公众平台重新选用模板并在此填写" in page
    assert configure(client, world.district_admin_x, secret="", template_id="TPL-NEW").status_code == 302
    assert 'data-testid="config-error"' not in client.get("/wechat/config/").content.decode()


def test_follow_figures_per_class_and_school(client, world, official):
    second_parent = make_parent(world.student_a2, name="周大刚")
    follow(official, world.parent_a)
    page = as_user(client, world.school_admin_a).get("/wechat/follows/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f'data-class="{world.class_a1.pk}"' in body and f'data-class="{world.class_a2.pk}"' in body
    context = page.context
    figures = {f.school_class.pk: (f.parents, f.following, f.share) for f in context["classes"]}
    assert figures == {world.class_a1.pk: (1, 1, 100), world.class_a2.pk: (1, 0, 0)}
    assert (context["parents"], context["following"]) == (2, 1)
    region = as_user(client, world.district_admin_x).get("/wechat/follows/")
    schools = {f.school.pk: (f.parents, f.following) for f in region.context["schools"]}
    assert schools == {world.school_a.pk: (2, 1)}
    assert as_user(client, world.district_admin_x).get(f"/wechat/follows/?school={world.school_a.pk}").status_code == 200
    assert second_parent


def test_the_not_following_list_shows_names_and_masked_phones(client, world, official):
    page = as_user(client, world.head_teacher_a).get(f"/wechat/follows/class/{world.class_a1.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    phone = world.parent_a.phone
    assert "李大明" in body and "李小明" in body and phone not in body and phone[:3] + "****" + phone[-4:] in body
    follow(official, world.parent_a)
    body = client.get(f"/wechat/follows/class/{world.class_a1.pk}/").content.decode()
    assert "李大明" not in body
    assert "李大明" in client.get(f"/wechat/follows/class/{world.class_a1.pk}/?show=all").content.decode()


@pytest.mark.parametrize("who,status", [
    ("school_admin_b", 404), ("teacher_b", 404), ("district_admin_y", 404), ("teacher_a", 404),
    ("parent_a", 403), ("student_a", 403),
])
def test_follow_lists_of_other_schools_are_not_found(client, world, official, who, status):
    as_user(client, getattr(world, who))
    target = world.class_a2 if who == "teacher_a" else world.class_a1  # teacher_a teaches a1 only
    assert client.get(f"/wechat/follows/class/{target.pk}/").status_code == status
    assert client.get(f"/wechat/follows/sheet/?class_id={target.pk}").status_code == status
    assert client.get("/wechat/follows/class/99999999999999999999/").status_code in (403, 404)


def test_a_region_admin_cannot_open_a_school_outside_the_region(client, world, official):
    as_user(client, world.district_admin_y)
    assert client.get(f"/wechat/follows/?school={world.school_a.pk}").status_code == 404
    as_user(client, world.school_admin_b)
    assert client.get(f"/wechat/follows/?school={world.school_a.pk}").status_code == 404


def test_binding_sheet_has_a_page_per_class_with_fresh_codes(client, world, official, fake):
    make_class(world.school_a, 3)  # a class with nobody: still a page, saying so
    make_parent(make_student(world.class_a2, "周小红"), name="周大红")
    response = as_user(client, world.school_admin_a).get(f"/wechat/follows/sheet/?school={world.school_a.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    assert len(pdf.pages) == 3
    assert "李大明" in pdf.pages[0].extract_text()
    assert len(fake.calls("qrcode")) == 2  # a1: 李大明; a2: 周大红 (周小刚 has no parent account)
    one = client.get(f"/wechat/follows/sheet/?class_id={world.class_a1.pk}")
    assert len(PdfReader(io.BytesIO(one.content)).pages) == 1


def test_binding_sheet_is_refused_without_an_official_account(client, world, fake):
    response = as_user(client, world.school_admin_b).get("/wechat/follows/sheet/")
    assert response.status_code == 409 and 'data-code="wechat.not_configured"' in response.content.decode()
    assert "区县管理员" in response.content.decode()


def test_unfollowed_parents_show_again_after_unsubscribing(client, world, official):
    follow(official, world.parent_a)
    Follower.objects.update(following=False)
    body = as_user(client, world.head_teacher_a).get(f"/wechat/follows/class/{world.class_a1.pk}/").content.decode()
    assert "李大明" in body


def test_a_second_sheet_reuses_fresh_codes_and_old_codes_are_swept(client, world, official, fake, freezer):
    from renrentong.wechat.models import BindingScene
    from renrentong.wechat.services import sweep_expired_scenes

    as_user(client, world.school_admin_a)
    client.get(f"/wechat/follows/sheet/?class_id={world.class_a1.pk}")
    client.get(f"/wechat/follows/sheet/?class_id={world.class_a1.pk}")
    assert len(fake.calls("qrcode")) == 1 and BindingScene.objects.count() == 1
    freezer.tick(6 * 24 * 3600)  # fewer than 25 days left: a new code for the paper
    as_user(client, world.school_admin_a)  # the session has expired meanwhile
    assert client.get(f"/wechat/follows/sheet/?class_id={world.class_a1.pk}").status_code == 200
    assert len(fake.calls("qrcode")) == 2
    assert sweep_expired_scenes() == 0
    freezer.tick(30 * 24 * 3600)
    assert sweep_expired_scenes() == 1 and BindingScene.objects.count() == 1
