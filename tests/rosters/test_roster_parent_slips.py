"""Issue 10, item 10 and item 3 (part): parents' initial passwords are on slips (per class, one slip per
parent account, siblings together), the import result offers them, and every slip says until when
its initial password is valid."""

from __future__ import annotations

import io
from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone
from pypdf import PdfReader

from renrentong.accounts.models import Account
from renrentong.accounts.passwords.services import current_initial_password, matches_initial
from renrentong.orgs.models import Policy
from renrentong.orgs.policy import policy_for_school

from tests.factories import bearer, make_id_number, make_phone
from tests.roster_files import commit, csv_file, preview
from tests.roster_files import row
from tests.factories import as_user


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_parent_slips_carry_random_passwords_siblings_together_and_the_last_valid_day(client, world):
    Policy.objects.create(school=world.school_a, values={"parent_initial_rule": "random",
                                                         "initial_password_days": 14})
    cache.clear()  # the school's policy is cached
    admin = bearer(world.school_admin_a)
    shared, single = make_phone(), make_phone()
    a1, a2 = world.class_a1, world.class_a2
    job = preview(client, admin, csv_file([
        row("哥哥", make_id_number(), a1, shared, "叶丽娟"),
        row("妹妹", make_id_number(sex="F"), a2, shared, "叶丽娟"),
        row("独生", make_id_number(), a1, single, "王芳"),
    ]))
    done = commit(client, admin, job["id"])
    assert done["result"]["applied"]["created_parents"] == 2
    assert done["result"]["slip_classes"] == sorted([a1.pk, a2.pk])  # the API's result offers the slips too
    policy = policy_for_school(world.school_a)
    parent = Account.objects.get(phone=shared)
    password = current_initial_password(parent, policy)
    assert password and matches_initial(parent, password) and not password.startswith("Pw")

    response = client.get(f"/api/v1/rosters/classes/{a1.pk}/slips?who=parents", **admin)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "家长账号密码条" in text and "共 3 人" in text and world.parent_a.number in text  # A1 had one parent
    assert parent.number in text and password in text
    assert "哥哥、妹妹" in text  # one slip for the account the siblings share
    other = Account.objects.get(phone=single)
    assert other.number in text and current_initial_password(other, policy) in text
    until = timezone.localtime(parent.initial_password_issued_at + timedelta(days=14)).strftime("%Y-%m-%d")
    assert f"有效期至{until}" in text.replace("\n", "")

    # An initial password past its days says so: login refuses it, the school admin resets it.
    Account.objects.filter(pk=other.pk).update(initial_password_issued_at=timezone.now() - timedelta(days=15))
    text = pdf_text(client.get(f"/api/v1/rosters/classes/{a1.pk}/slips?who=parents", **admin).content)
    assert text.replace("\n", "").count("已过期") == 1

    # The students' slips say it too.
    students = pdf_text(client.get(f"/api/v1/rosters/classes/{a1.pk}/slips", **admin).content)
    kid = Account.objects.get(person__name="哥哥")
    until = timezone.localtime(kid.initial_password_issued_at + timedelta(days=14)).strftime("%Y-%m-%d")
    assert kid.number in students and f"有效期至{until}" in students.replace("\n", "")

    # The import's result page offers both kinds of slips for each class it filled.
    as_user(client, world.school_admin_a)
    html = client.get(f"/rosters/imports/{job['id']}/").content.decode()
    for school_class in (a1, a2):
        assert f"/rosters/classes/{school_class.pk}/slips/?who=parents" in html
    page = client.get(f"/rosters/classes/{a2.pk}/slips/?who=parents")
    assert page.status_code == 200 and password in pdf_text(page.content)


def test_parent_slips_stay_within_scope(client, world):
    response = client.get(f"/api/v1/rosters/classes/{world.class_a1.pk}/slips?who=parents",
                          **bearer(world.school_admin_b))
    assert response.status_code == 404
    response = client.get(f"/api/v1/rosters/classes/{world.class_a1.pk}/slips?who=parents",
                          **bearer(world.parent_a))
    assert response.status_code in (403, 404)


def test_a_head_teacher_prints_their_class_parents_slips_from_the_home_page(client, world):
    as_user(client, world.head_teacher_a)
    html = client.get("/").content.decode()
    link = f"/rosters/classes/{world.class_a1.pk}/slips/?who=parents"
    assert link in html and f"/rosters/classes/{world.class_a2.pk}/slips/?who=parents" not in html
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert world.parent_a.number in text and "家长账号密码条" in text


def test_a_parent_who_is_also_staff_elsewhere_has_no_password_on_the_class_slips(client, world):
    from renrentong.accounts.models import Guardianship, Identity

    teacher = world.teacher_b  # a teacher of another school with an untouched initial password
    password = current_initial_password(teacher, policy_for_school(world.school_b))
    assert password and matches_initial(teacher, password)
    Identity.objects.create(account=teacher, kind=Identity.Kind.GUARDIAN)
    Guardianship.objects.create(guardian=teacher.person, student=world.student_a.person, relation="mother")
    as_user(client, world.head_teacher_a)
    text = pdf_text(client.get(f"/rosters/classes/{world.class_a1.pk}/slips/?who=parents").content)
    assert teacher.number in text and password not in text and "教职工" in text
