"""A bulk export copies a school's lines from its last package while nothing they were written from has changed
(integration/oneroster/snapshot.py, PostgreSQL): after any change to a school's rosters the package, and the
directory it leaves behind, are exactly what a rebuild of every object gives."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from renrentong.accounts.models import Account, Enrollment, Guardianship, HeadTeacher, Identity, Person
from renrentong.core.crypto import sealed_national_student_number_fields
from renrentong.integration.models import RosterId, RosterSnapshot
from renrentong.integration.oneroster import package as package_module
from renrentong.orgs.models import School, Stage

from tests.factories import make_class, make_parent, make_student, make_teacher
from tests.integration.oneroster.test_export import package, rows


def directory() -> list[tuple]:
    return list(RosterId.objects.order_by("kind", "local_key").values_list(
        "kind", "local_key", "sourced_id", "school_id", "fingerprint", "row", "modified_at", "gone_at"))


def rebuilt(client, account, **params) -> dict[str, bytes]:
    """The package with every school rebuilt object by object, as without snapshots."""
    RosterSnapshot.objects.all().delete()
    return package(client, account, **params)


def rename_student(w):
    Person.objects.filter(account=w.student_a).update(name="李晓明")


def move_class(w):
    Enrollment.objects.filter(person__account=w.student_a, ended_on__isnull=True).update(school_class=w.class_a2)


def link_parent(w):
    Guardianship.objects.create(guardian=w.parent_a.person, student=w.student_a2.person, relation="mother")


def unlink_parent(w):
    Guardianship.objects.filter(guardian=w.parent_a.person).delete()


def freeze_account(w):
    Account.objects.filter(pk=w.student_a.pk).update(status=Account.Status.FROZEN)


def change_head_teacher(w):
    HeadTeacher.objects.filter(school_class=w.class_a1).update(teacher=w.teacher_a.identities.get())


def leave_school(w):
    Enrollment.objects.filter(person__account=w.student_a2).update(ended_on=timezone.localdate())


def remove_teacher(w):
    Identity.objects.filter(account=w.teacher_a, kind=Identity.Kind.TEACHER).delete()


def teach_in_two_schools(w):
    Identity.objects.create(account=w.teacher_a, kind=Identity.Kind.TEACHER, school=w.school_b)


def parent_in_two_schools(w):
    Guardianship.objects.create(guardian=w.parent_a.person, student=w.student_b.person, relation="father")


def move_school(w):
    enrollment = Enrollment.objects.get(person__account=w.student_a2)
    Enrollment.objects.filter(pk=enrollment.pk).update(ended_on=timezone.localdate())
    Enrollment.objects.create(person=enrollment.person, school_class=w.class_b1, school=w.school_b)


def new_student(w):
    make_parent(make_student(w.class_b1, "陈小兰", "F"), name="陈大兰")


def new_class_with_teacher(w):
    make_teacher(w.school_b, teaches=[make_class(w.school_b, 2)], name="赵老师")


def roll_over(w):
    School.objects.filter(pk=w.school_a.pk).update(school_year=2027)


def class_pattern(w):
    Stage.objects.filter(campus__school=w.school_b).update(class_pattern="{grade}（{n}）班")


def rename_school(w):
    School.objects.filter(pk=w.school_b.pk).update(name="天心区第一小学")


def birth_date(w):
    Person.objects.filter(account=w.student_b).update(birth_date="2015-02-03", sex="M")


CHANGES = [rename_student, move_class, link_parent, unlink_parent, freeze_account, change_head_teacher,
           leave_school, remove_teacher, teach_in_two_schools, parent_in_two_schools, move_school, new_student,
           new_class_with_teacher, roll_over, class_pattern, rename_school, birth_date]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_a_bulk_export_after_a_change_is_what_a_rebuild_gives(client, world, change):
    package(client, world.city_admin)
    steady = package(client, world.city_admin)
    assert package(client, world.city_admin) == steady
    change(world)
    again = package(client, world.city_admin)
    assert again != steady
    left = directory()
    assert rebuilt(client, world.city_admin) == again
    assert directory() == left  # the rebuild found nothing to change: the export had left it as a rebuild would
    assert package(client, world.city_admin) == again


@pytest.mark.parametrize("change", [teach_in_two_schools, parent_in_two_schools, move_school],
                         ids=lambda c: c.__name__)
def test_a_school_admins_export_between_district_exports_writes_its_own_people(client, world, change):
    """A person of two schools is written by the first of the export's schools: alone, school B writes them."""
    change(world)
    for _ in range(2):
        for account in (world.city_admin, world.school_admin_b, world.city_admin, world.school_admin_b):
            files, left = package(client, account), directory()
            assert rebuilt(client, account) == files and directory() == left


def test_a_delta_after_reused_exports_holds_the_change(client, world):
    package(client, world.city_admin)
    package(client, world.city_admin)
    since = timezone.now()
    rename_student(world)
    package(client, world.city_admin)
    delta = package(client, world.city_admin, since=since.isoformat())
    assert [u["familyName"] + u["givenName"] for u in rows(delta, "users.csv")] == ["李晓明"]


def test_national_student_numbers_are_never_kept_or_reused(client, world):
    number = "G430102201505170011"
    Person.objects.filter(account=world.student_a).update(**sealed_national_student_number_fields(number))
    plain = package(client, world.city_admin)
    with_numbers = package(client, world.city_admin, student_numbers="true")
    assert number.encode() in with_numbers["users.csv"]
    assert package(client, world.city_admin) == plain
    assert not any(number.encode() in bytes(lines) for lines in RosterSnapshot.objects.values_list("lines", flat=True))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="snapshots are reused on PostgreSQL only")
def test_an_unchanged_district_is_copied_without_rebuilding_a_school(client, world, monkeypatch):
    first = package(client, world.city_admin)

    def rebuild(*args, **kwargs):
        raise AssertionError("an unchanged school was rebuilt")

    monkeypatch.setattr(package_module, "refresh_school", rebuild)
    assert package(client, world.city_admin) == first


def imported_without_row(w):
    """As an import keeps a sourcedId: the directory row without a row of its own (fingerprint 0)."""
    RosterId.objects.filter(kind="users", local_key=f"person:{w.student_b.person_id}").update(fingerprint=0)


def marked_gone(w):
    RosterId.objects.filter(kind="roles", local_key__startswith="role:teacher:").update(gone_at=timezone.now())


def district_row_deleted(w):
    """As an import's undo deletes the directory rows it wrote while the region it made stays: the district is
    drawn a new sourcedId, which its school's row refers to."""
    RosterId.objects.filter(kind="orgs", local_key=f"region:{w.district_y.pk}").delete()


def other_schools_parent_row_deleted(w):
    """The parent of children in both schools is written by school A; school B's rows refer to them."""
    RosterId.objects.filter(kind__in=["users", "demographics"], local_key=f"person:{w.parent_a.person_id}").delete()


@pytest.mark.parametrize("change, same", [(imported_without_row, True), (marked_gone, True),
                                          (district_row_deleted, False), (other_schools_parent_row_deleted, False)],
                         ids=["imported_without_row", "marked_gone", "district_row_deleted",
                              "other_schools_parent_row_deleted"])
def test_a_directory_row_changed_by_another_writer_is_written_again(client, world, change, same):
    parent_in_two_schools(world)
    package(client, world.city_admin)
    steady = package(client, world.city_admin)
    change(world)
    again = package(client, world.city_admin)
    assert (again == steady) is same
    left = directory()
    assert rebuilt(client, world.city_admin) == again and directory() == left
    assert not RosterId.objects.filter(fingerprint=0).exists()
    assert not RosterId.objects.filter(gone_at__isnull=False).exists()
