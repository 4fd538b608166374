"""The demo region: deterministic, valid ID numbers and phones, every role present (issue 2 #7)."""

import phonenumbers
from django.core.management import call_command

from renrentong.accounts.models import Account, Guardianship, Identity, Person
from renrentong.core.text import is_valid_id_number
from renrentong.orgs.models import Region, School


def snapshot():
    return (
        list(Person.objects.order_by("pk").values_list("name", "sex", "id_number_digest",
                                                        "national_student_number_digest")),
        list(Account.objects.order_by("pk").values_list("number", "phone", "initial_password_digest")),
        list(Guardianship.objects.order_by("pk").values_list("guardian__name", "student__name")),
    )


def wipe():
    # Everything the demo made but its audit entries: the log is append-only (the database refuses DELETE).
    for model in (Guardianship, Identity):
        model.objects.all().delete()
    from django.apps import apps

    for label in ("resources.RecommendedCourse", "resources.Resource", "activities.Activity", "notices.NoticeAttachment", "notices.Notice", "push.Delivery",
                  "accounts.TeachingAssignment", "accounts.HeadTeacher", "accounts.Enrollment", "accounts.Account",
                  "accounts.Person", "orgs.SchoolClass", "orgs.Cohort", "orgs.Stage", "orgs.Campus", "orgs.School"):
        apps.get_model(label).objects.all().delete()
    for region in Region.objects.order_by("-pk"):
        region.delete()


def test_demo_logins_find_notices_in_their_inbox(db, client):
    from renrentong.notices.models import InboxItem, Notice

    from tests.factories import bearer

    call_command("load_demo", "--scale", "0.1")
    notices = list(Notice.objects.order_by("pk"))
    assert [n.status for n in notices] == [Notice.Status.SENT, Notice.Status.SENT]
    assert all(n.addressed > 0 for n in notices)
    reader = Account.objects.get(pk=InboxItem.objects.filter(notice=notices[1]).values_list("account_id", flat=True)[0])
    inbox = client.get("/api/v1/inbox", **bearer(reader, reader.identities.order_by("pk").first().kind))
    assert inbox.status_code == 200 and inbox.json()["items"]


def test_demo_is_deterministic_and_valid(db, capsys):
    call_command("load_demo", "--scale", "0.1")
    first = snapshot()
    assert Region.objects.filter(kind="district").count() == 3
    assert School.objects.filter(registered=True).count() == 12
    assert School.objects.filter(registered=False).count() == 1
    kinds = set(Identity.objects.values_list("kind", flat=True))
    assert kinds == {"student", "guardian", "teacher", "school_admin", "region_admin"}
    for person in Person.objects.exclude(id_number_cipher=None)[:2000]:
        assert is_valid_id_number(person.reveal_id_number())
    for phone in Account.objects.exclude(phone=None).values_list("phone", flat=True)[:2000]:
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone, "CN")), phone
    numbers = Account.objects.filter(identities__kind="student").values_list("number", flat=True)
    assert all(n.isdigit() and len(n) in (8, 9) for n in numbers)
    # Siblings share a parent account.
    assert Guardianship.objects.values("guardian").annotate(n=__import__("django").db.models.Count("id")).filter(
        n__gt=1).exists()
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert "school admin" in out and "parent of two children" in out
    wipe()
    call_command("load_demo", "--scale", "0.1")
    assert snapshot() == first


def test_load_demo_refuses_a_database_with_data_unless_if_empty(db, capsys):
    Region.objects.create(kind="province", name="X", code="1")
    call_command("load_demo", "--if-empty")
    assert "already" in capsys.readouterr().out


def test_each_demo_schools_header_states_the_system_its_stages_use_and_its_grid_shows_its_teachers(db, client):
    """Issue 10: the 九年一贯制 schools' header said 六三制 while their stages said 五四制, and the teaching
    grid showed no course or teacher though the demo assigns them."""
    from tests.factories import bearer
    from tests.factories import as_user

    call_command("load_demo", "--scale", "0.1")
    seen = set()
    for admin in Identity.objects.filter(kind="school_admin").select_related("account", "school"):
        as_user(client, admin.account, kind="school_admin")
        html = client.get(f"/orgs/schools/{admin.school_id}/").content.decode()
        header = html.split('data-testid="school-system"')[1].split("</p>")[0]
        stages = [s.split("</summary>")[0] for s in html.split('data-testid="stage"')[1:]]
        assert stages
        for stage in stages:
            system = stage.rsplit("·", 1)[1].strip()
            assert system in header, (admin.school.name, system, header)
            seen.add(system)
        if not admin.school.registered:
            continue
        grid = client.get("/api/v1/school/teaching", **bearer(admin.account, "school_admin")).json()
        assert grid["classes"] and all(c["subjects"] and c["teachers"] for c in grid["classes"])
    assert len(seen) == 2  # both systems occur in the demo


def test_the_demo_has_a_campus_activity_and_a_city_social_practice_with_sign_ups(db):
    from renrentong.activities.models import Activity, SignUp

    call_command("load_demo", "--scale", "0.1")
    assert sorted(Activity.objects.values_list("kind", flat=True)) == ["campus", "practice"]
    assert SignUp.objects.count() == 2
