"""Where the recycle bin and the school's pool meet the rest of the platform: a pooled student stays the
school's to manage, and a deleted student is no longer listed as a class member (ACC-5, ADM-3, NFR-2)."""

import pytest

from tests.factories import bearer

pytestmark = pytest.mark.django_db


def test_a_student_taken_out_of_a_class_is_still_the_schools_to_manage(client, world):
    admin = bearer(world.school_admin_a)
    student = world.student_a
    removed = client.post(f"/api/v1/school/classes/{world.class_a1.pk}/remove",
                          {"account_ids": [student.pk]}, content_type="application/json", **admin)
    assert removed.status_code == 200 and removed.json()["count"] == 1

    person = client.get(f"/api/v1/people/{student.person_id}", **admin)
    assert person.status_code == 200
    assert client.get(f"/api/v1/people/{student.person_id}/id-number", **admin).status_code == 200
    # Another school's admin does not gain them.
    assert client.get(f"/api/v1/people/{student.person_id}", **bearer(world.school_admin_b)).status_code == 404


def test_a_deleted_student_leaves_the_class_list_and_comes_back_on_restore(client, world):
    admin = bearer(world.school_admin_a)
    student = world.student_a

    def members():
        answer = client.get(f"/api/v1/orgs/classes/{world.class_a1.pk}/students", **admin)
        assert answer.status_code == 200
        return {row["account_number"] for row in answer.json()}

    assert student.number in members()
    assert client.post(f"/api/v1/school/users/{student.pk}/delete", **admin).status_code == 200
    assert student.number not in members()
    assert client.post(f"/api/v1/school/users/{student.pk}/restore", **admin).status_code == 200
    assert student.number in members()
