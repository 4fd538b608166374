"""Reads of import jobs and rosters, within the Actor's scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import School

from .models import ImportJob, ImportRow

ROWS_PAGE = 100


def jobs_in_scope(actor: Actor) -> QuerySet[ImportJob]:
    identity = actor.require_identity()
    if identity.kind not in ("school_admin", "region_admin"):
        return ImportJob.objects.none()
    schools = actor.scope.schools(School.objects.all()).values("pk")
    return ImportJob.objects.filter(
        Q(school_id__in=schools) | Q(school__isnull=True, region_id__in=actor.scope.region_ids)
    ).order_by("-pk")


def job_in_scope(actor: Actor, job_id: int) -> ImportJob:
    job = jobs_in_scope(actor).filter(pk=job_id).first()
    if job is None:
        raise UserFacingError("scope.not_found")
    return job


def job_rows(job: ImportJob, outcome: str | None = None, page: int = 1) -> tuple[list[ImportRow], int]:
    rows = ImportRow.objects.filter(job=job).order_by("number")
    if outcome:
        rows = rows.filter(outcome=outcome)
    total = rows.count()
    start = (max(page, 1) - 1) * ROWS_PAGE
    return list(rows[start:start + ROWS_PAGE]), total


def row_message(row: ImportRow) -> str:
    """The row's reason in the user's language, from the one catalogue (HELP-1)."""
    if not row.reason or f"row.{row.reason}" not in _catalogue():
        return ""
    return UserFacingError(f"row.{row.reason}", **_params(row.detail)).message


def row_fixer(row: ImportRow) -> str:
    if not row.reason or f"row.{row.reason}" not in _catalogue():
        return ""
    return UserFacingError(f"row.{row.reason}", **_params(row.detail)).who_can_fix


def _params(detail: dict) -> dict:
    return {k: ("、".join(map(str, v)) if isinstance(v, list) else v) for k, v in detail.items()}


def _catalogue():
    from renrentong.core.errors import CATALOGUE

    return CATALOGUE


def slips_for_class(actor: Actor, class_id: int):
    """Account slips of a class (IMP-5): admins of the school or above, and the class's head teacher."""
    from renrentong.accounts.models import Account, HeadTeacher
    from renrentong.accounts.passwords import current_initial_password
    from renrentong.orgs.models import SchoolClass
    from renrentong.orgs.policy import policy_for_school

    from .slips import Slip

    identity = actor.require_identity()
    school_class = actor.scope.class_members(SchoolClass.objects.select_related("school", "cohort__stage")).filter(
        pk=class_id).first()
    if school_class is None:
        raise UserFacingError("scope.not_found")
    allowed = identity.kind in ("school_admin", "region_admin") or HeadTeacher.objects.filter(
        school_class=school_class, teacher=identity).exists()
    if not allowed:
        raise UserFacingError("slips.not_allowed")
    policy = policy_for_school(school_class.school)
    accounts = (Account.objects.filter(person__enrollments__school_class=school_class,
                                       person__enrollments__ended_on=None)
                .select_related("person").order_by("person__name", "number"))
    slips = []
    for account in accounts:
        password = current_initial_password(account, policy)
        slips.append(Slip(name=account.person.name, account=account.number,
                          password=password or "(已自行修改)", note="" if password else "密码已由本人修改"))
    return school_class, slips


def roster_rows(actor: Actor, kind: str, school_id: int | None, class_id: int | None) -> tuple[str, list, list]:
    """A roster export (IMP-6): (title, headers, rows), ID numbers and phones masked (NFR-1)."""
    from collections import defaultdict

    from renrentong.accounts.models import Account, Enrollment, Guardianship, HeadTeacher, Identity, TeachingAssignment
    from renrentong.core.masking import mask_phone
    from renrentong.orgs.models import SchoolClass

    identity = actor.require_identity()
    if class_id is not None:
        school_class = actor.scope.class_members(SchoolClass.objects.select_related("school")).filter(
            pk=class_id).first()
        if school_class is None:
            raise UserFacingError("scope.not_found")
        school, classes = school_class.school, [school_class]
    else:
        school = actor.scope.schools(School.objects.all()).filter(
            pk=school_id or identity.school_id or 0).first()
        if school is None or actor.scope.kind not in ("school", "region"):
            raise UserFacingError("scope.not_found")
        classes = list(SchoolClass.objects.filter(school=school))
    if kind == "teachers" and actor.scope.kind not in ("school", "region"):
        raise UserFacingError("scope.not_found")
    names = {c.pk: c.display_name(school.school_year) for c in SchoolClass.objects.filter(
        pk__in=[c.pk for c in classes]).select_related("cohort__stage", "school")}
    enrollments = Enrollment.objects.filter(school_class_id__in=list(names), ended_on=None).select_related("person")
    title = f"{school.name}{'-' + names[classes[0].pk] if class_id else ''}"
    if kind == "students":
        numbers = dict(Account.objects.filter(person__in=[e.person_id for e in enrollments]).values_list(
            "person_id", "number"))
        headers = ["姓名", "性别", "账号", "身份证号", "市网学籍号", "全国学籍号", "班级"]
        rows = [[e.person.name, e.person.get_sex_display(), numbers.get(e.person_id, ""), e.person.id_number_masked,
                 e.person.local_student_number or "", e.person.national_student_number_masked,
                 names[e.school_class_id]] for e in sorted(enrollments, key=lambda e: (names[e.school_class_id],
                                                                                         e.person.name))]
        return f"{title}-学生名单", headers, rows
    if kind == "parents":
        students = {e.person_id: e for e in enrollments}
        links = Guardianship.objects.filter(student_id__in=list(students)).select_related("guardian")
        accounts = {a.person_id: a for a in Account.objects.filter(person__in=[g.guardian_id for g in links])}
        headers = ["家长姓名", "账号", "手机号", "关系", "孩子", "孩子班级"]
        rows = [[g.guardian.name, getattr(accounts.get(g.guardian_id), "number", ""),
                 mask_phone(getattr(accounts.get(g.guardian_id), "phone", "") or ""), g.get_relation_display(),
                 students[g.student_id].person.name, names[students[g.student_id].school_class_id]] for g in links]
        return f"{title}-家长名单", headers, sorted(rows, key=lambda r: (r[5], r[4]))
    if kind == "teachers":
        teachers = Identity.objects.filter(school=school, kind="teacher").select_related("account__person")
        taught = defaultdict(set)
        subjects = defaultdict(set)
        for teacher, klass, subject in TeachingAssignment.objects.filter(teacher__in=teachers).values_list(
                "teacher_id", "school_class_id", "subject"):
            taught[teacher].add(names.get(klass, ""))
            subjects[teacher].add(subject)
        heads = defaultdict(set)
        for teacher, klass in HeadTeacher.objects.filter(teacher__in=teachers).values_list("teacher_id",
                                                                                             "school_class_id"):
            heads[teacher].add(names.get(klass, ""))
        headers = ["姓名", "性别", "账号", "手机号", "任教学科", "任教班级", "班主任班级"]
        rows = [[t.account.person.name if t.account.person_id else "", t.account.person.get_sex_display()
                 if t.account.person_id else "", t.account.number, mask_phone(t.account.phone or ""),
                 "、".join(sorted(subjects[t.pk])), "、".join(sorted(taught[t.pk])), "、".join(sorted(heads[t.pk]))]
                for t in teachers]
        return f"{school.name}-教师名单", headers, sorted(rows)
    raise UserFacingError("request.not_found")
