"""Read receipt pages (MSG-3): figures, the unread by name, remind, the formula-safe export, the scope."""

import io
from datetime import timedelta

import pytest
from python_calamine import CalamineWorkbook

from renrentong.accounts.models import Person
from renrentong.core.models import AuditEvent
from renrentong.notices.models import InboxItem, Reminder
from tests.factories import as_user, make_parent, make_student
from tests.notices.helpers import send


@pytest.fixture(autouse=True)
def _pages_in_english(settings):
    """Pages speak the language of the switch's cookie, else the platform's default: English here, so the
    assertions read the English text (the API follows Accept-Language)."""
    settings.LANGUAGE_CODE = "en"

def _get(client, account, url, **kw):
    as_user(client, account)
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en", **kw)


def test_head_teacher_sees_own_class_figures_and_reminds_from_the_page(world, client, freezer):
    notice = send(world.school_admin_a, class_ids=[world.class_a1.pk, world.class_a2.pk], roles=("parent", "student"))
    html = _get(client, world.head_teacher_a, f"/notices/receipts/{notice.pk}/").content.decode()
    assert f'data-group-id="{world.class_a1.pk}" data-addressed="2" data-read="0"' in html
    assert f'data-group-id="{world.class_a2.pk}"' not in html
    assert 'data-testid="remind-class"' in html and 'data-testid="remind-all"' not in html
    listing = _get(client, world.head_teacher_a, "/notices/receipts/").content.decode()
    assert f'data-notice-id="{notice.pk}"' in listing
    done = client.post(f"/notices/receipts/{notice.pk}/remind/", {"class_id": world.class_a1.pk}, follow=True,
                       HTTP_ACCEPT_LANGUAGE="en")
    assert done.status_code == 200 and "Reminded 2 unread." in done.content.decode()
    assert Reminder.objects.get(notice=notice).class_id == world.class_a1.pk
    again = client.post(f"/notices/receipts/{notice.pk}/remind/", {"class_id": world.class_a1.pk},
                        HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 429 and b"receipts.remind_too_soon" in again.content, again.content.decode()[-3000:]
    wrong = client.post(f"/notices/receipts/{notice.pk}/remind/", {"class_id": world.class_a2.pk})
    assert wrong.status_code == 404
    assert client.post(f"/notices/receipts/{notice.pk}/remind/", {"class_id": "x"}).status_code == 400


def test_class_page_names_the_unread_with_masked_phones(world, client):
    notice = send(world.school_admin_a, class_ids=[world.class_a1.pk], roles=("parent",))
    phone = world.parent_a.phone
    html = _get(client, world.school_admin_a, f"/notices/receipts/{notice.pk}/classes/{world.class_a1.pk}/").content.decode()
    assert "李小明&#x27;s parent (" in html and phone not in html and f"{phone[:3]}****{phone[-4:]}" in html
    as_user(client, world.parent_a)
    client.get(f"/notices/inbox/{notice.pk}/")
    html = _get(client, world.school_admin_a, f"/notices/receipts/{notice.pk}/classes/{world.class_a1.pk}/").content.decode()
    assert 'data-testid="unread-none"' in html


def test_export_is_formula_safe_and_audited(world, client):
    Person.objects.filter(pk=world.student_a.person_id).update(name='=HYPERLINK("http://x")')
    notice = send(world.school_admin_a, class_ids=[world.class_a1.pk], roles=("parent", "student"))
    response = _get(client, world.school_admin_a, f"/notices/receipts/{notice.pk}/classes/{world.class_a1.pk}/export/")
    assert response.status_code == 200
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    names = [r[2] for r in rows[1:]]
    assert "'=HYPERLINK(\"http://x\")" in names
    assert any(n.startswith("'=HYPERLINK") and "parent" in n for n in names)
    assert all(world.parent_a.phone not in n for n in names)
    assert AuditEvent.objects.filter(verb="notice.unread_export").count() == 1
    assert _get(client, world.school_admin_b,
                f"/notices/receipts/{notice.pk}/classes/{world.class_a1.pk}/export/").status_code == 404


def test_other_schools_admin_and_ids_changed_in_the_url_are_404(world, client):
    notice = send(world.school_admin_a, class_ids=[world.class_a1.pk])
    theirs = send(world.school_admin_b, class_ids=[world.class_b1.pk])
    for account, url in [
        (world.school_admin_b, f"/notices/receipts/{notice.pk}/"),
        (world.school_admin_a, f"/notices/receipts/{theirs.pk}/"),
        (world.school_admin_a, f"/notices/receipts/{notice.pk}/classes/{world.class_b1.pk}/"),
        (world.school_admin_a, f"/notices/receipts/{notice.pk}/classes/{world.class_a2.pk}/"),
        (world.school_admin_a, f"/notices/receipts/{2**64}/"),
        (world.district_admin_y, f"/notices/receipts/{notice.pk}/"),
        (world.parent_a, f"/notices/receipts/{notice.pk}/"),
        (world.teacher_a, f"/notices/receipts/{notice.pk}/"),
    ]:
        assert _get(client, account, url).status_code == 404, (account, url)
    as_user(client, world.school_admin_b)
    assert client.post(f"/notices/receipts/{notice.pk}/remind/", {}).status_code == 404


def test_district_sees_the_school_summed_and_sender_reminds_everyone(world, client, freezer):
    sibling = make_student(world.class_a2, "李小华")
    make_parent(world.student_a, sibling, name="李妈妈")
    notice = send(world.school_admin_a, class_ids=[world.class_a1.pk, world.class_a2.pk], confirm=True)
    html = _get(client, world.district_admin_x, f"/notices/receipts/{notice.pk}/").content.decode()
    assert f'data-group-id="{world.school_a.pk}" data-addressed="3"' in html
    assert 'data-testid="receipts-class-link"' not in html and 'remind' not in html.split('data-testid="receipts-groups"')[1].split("</table>")[0]
    page = _get(client, world.school_admin_a, f"/notices/receipts/{notice.pk}/").content.decode()
    assert 'data-testid="remind-all"' in page
    done = client.post(f"/notices/receipts/{notice.pk}/remind/", {}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "Reminded 2 unread." in done.content.decode()
    assert InboxItem.objects.filter(notice=notice, reminded_count=1).count() == 2
    freezer.tick(timedelta(minutes=30))
