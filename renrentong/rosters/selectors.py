"""Reads of import jobs and rosters, within the Actor's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import School

from renrentong.rosters import access
from renrentong.rosters.models import ImportJob, ImportRow

ROWS_PAGE = 100


# The roster kinds: jobs of an importer another app registered (worker.register_importer) are that app's
# to show and act on, with its own permissions, so the roster pages and API never find them.
ROSTER_KINDS = tuple(ImportJob.Kind.values)


def jobs_in_scope(actor: Actor, kinds: tuple[str, ...] = ROSTER_KINDS) -> QuerySet[ImportJob]:
    actor.require_identity()
    if not access.can_read_jobs(actor):
        return ImportJob.objects.none()
    schools = actor.scope.schools(School.objects.all()).values("pk")
    return ImportJob.objects.filter(
        Q(school_id__in=schools) | Q(school__isnull=True, region_id__in=actor.scope.region_ids), kind__in=kinds,
    ).order_by("-pk")


# The import list's filters and orders (?status=, ?sort=): by upload (the primary key) or by size.
JOB_STATUSES = ImportJob.Status.choices
JOB_KINDS = ImportJob.Kind.choices
JOB_SORTS = {"created": ("pk",), "rows": ("total_rows", "pk")}


def jobs_listed(actor: Actor, *, status: str = "", kind: str = "", sort: str = "-created") -> QuerySet[ImportJob]:
    """The import jobs of the actor's scope for the imports table, filtered and ordered (not yet paged)."""
    jobs = jobs_in_scope(actor)
    if status in ImportJob.Status.values:
        jobs = jobs.filter(status=status)
    if kind in ImportJob.Kind.values:
        jobs = jobs.filter(kind=kind)
    order = JOB_SORTS.get(sort.removeprefix("-"), JOB_SORTS["created"])
    if sort.startswith("-") or sort.removeprefix("-") not in JOB_SORTS:
        order = tuple("-" + f for f in order)
    return jobs.select_related("school").order_by(*order)


def upload_schools(actor: Actor) -> list[School]:
    """The schools a region admin may name on the upload form (a school admin names none)."""
    if not access.chooses_school(actor):
        return []
    return list(actor.scope.schools(School.objects.all()).order_by("code")[:500])


def is_working(job: ImportJob) -> bool:
    """The preview or the commit is under way: the status fragment keeps polling."""
    return job.status in (ImportJob.Status.PREVIEWING, ImportJob.Status.COMMITTING)


def progress(job: ImportJob) -> int:
    """Per cent of the rows done; a committed job is done."""
    if job.status == ImportJob.Status.COMMITTED:
        return 100
    return int(job.rows_done * 100 / job.total_rows) if job.total_rows else 0


@dataclass(frozen=True)
class JobProgress:
    """What a working job has done, for the page's bar and the API (issue 12, item 5).

    phase: "reading" (the file is being read: no count yet), "checking" (rows checked of total),
    "saving" (every row checked, the preview being stored), "writing" (the commit: rows written of
    total), or "" when the job is not working. seconds_left: an estimate from the pace so far, or None."""

    phase: str
    done: int
    total: int
    percent: int
    seconds_left: int | None

    @property
    def done_text(self) -> str:
        return f"{self.done:,}"

    @property
    def total_text(self) -> str:
        return f"{self.total:,}"


def job_progress(job: ImportJob, now=None) -> JobProgress:
    from django.utils import timezone

    if job.status == ImportJob.Status.PREVIEWING:
        if not job.total_rows:
            return JobProgress("reading", 0, 0, 0, None)
        done = min(job.rows_checked, job.total_rows)
        phase = "saving" if done >= job.total_rows else "checking"
    elif job.status == ImportJob.Status.COMMITTING:
        done, phase = min(job.rows_done, job.total_rows), "writing"
    else:
        return JobProgress("", job.total_rows, job.total_rows, progress(job), None)
    total = job.total_rows
    left = None
    if job.phase_started_at and 0 < done < total:
        elapsed = ((now or timezone.now()) - job.phase_started_at).total_seconds()
        if elapsed >= 1:
            left = max(1, round(elapsed * (total - done) / done))
    return JobProgress(phase, done, total, int(done * 100 / total) if total else 0, left)


def is_committing(job: ImportJob) -> bool:
    return job.status == ImportJob.Status.COMMITTING


def outcome_counts(job: ImportJob) -> list[tuple[str, str, int]]:
    """(outcome, label, rows) for every outcome, for the rows view's filter."""
    return [(o, label, job.counts.get(o, 0)) for o, label in ImportRow.Outcome.choices]


def slip_classes(job: ImportJob) -> list[tuple[int, str]]:
    """The classes a committed student import put people in, for their students' and parents' slips."""
    from renrentong.orgs.models import SchoolClass

    ids = job.result.get("slip_classes")
    if job.status != ImportJob.Status.COMMITTED or not ids:
        return []
    classes = SchoolClass.objects.filter(pk__in=ids[:200]).select_related("school", "cohort__stage").order_by(
        "school__name", "-cohort__enrollment_year", "number")
    return [(c.pk, c.display_name()) for c in classes]


def job_in_scope(actor: Actor, job_id: int, kinds: tuple[str, ...] = ROSTER_KINDS) -> ImportJob:
    job = jobs_in_scope(actor, kinds).filter(pk=job_id).first()
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
    """The row's reason in the user's language, from the one catalogue (HELP-1), and what deserves a
    look in a row that goes in (a space removed from a name)."""
    from renrentong.rosters.notes import NOTES, note

    parts = []
    if row.reason and f"row.{row.reason}" in _catalogue():
        parts.append(UserFacingError(f"row.{row.reason}", **_params(row.detail)).message)
    elif row.reason in NOTES:
        try:
            parts.append(note(row.reason, **_params(row.detail)))
        except KeyError:  # a row previewed before the note had its parameters
            pass
    for code, value in (row.detail.get("look") or {}).items():
        if f"look.{code}" in NOTES:
            parts.append(note(f"look.{code}", value=value))
    return " ".join(parts)


def row_fixer(row: ImportRow) -> str:
    """Who can fix a row that did not go in; a row that goes in has nothing to fix."""
    if row.outcome not in (ImportRow.Outcome.ERROR, ImportRow.Outcome.CONFLICT):
        return ""
    if not row.reason or f"row.{row.reason}" not in _catalogue():
        return ""
    return UserFacingError(f"row.{row.reason}", **_params(row.detail)).who_can_fix


def _params(detail: dict) -> dict:
    return {k: ("、".join(map(str, v)) if isinstance(v, list) else v) for k, v in detail.items() if k != "look"}


def _catalogue():
    from renrentong.core.errors import CATALOGUE

    return CATALOGUE


def _slip(policy, account, name: str, *, staff: bool = False):
    """One account slip: the current initial password and until when it opens the account."""
    from datetime import timedelta

    from django.utils import timezone

    from renrentong.accounts.passwords.services import current_initial_password

    from renrentong.rosters.slips import Slip

    if staff:  # a parent who also works at a school: their password is not this class's business
        return Slip(name=name, account=account.number, password="(不在此打印)",
                    note="本人也是教职工,请用教职工账号的密码登录", valid_until="")
    password = current_initial_password(account, policy)
    until, note = "", "" if password else "密码已由本人修改"
    if password and account.initial_password_issued_at:
        last = account.initial_password_issued_at + timedelta(days=policy.initial_password_days)
        until = f"{timezone.localtime(last):%Y-%m-%d}"
        if timezone.now() > last:  # login refuses it now (login.initial_expired)
            note = "已过期,请学校管理员重置密码"
    return Slip(name=name, account=account.number, password=password or "(已自行修改)", note=note,
                valid_until=until)


def slips_for_accounts(actor: Actor, account_ids: list[int]):
    """Account slips of accounts chosen in the school's user table (IMP-5, ADM-1): only a school admin's
    own school's accounts; any other id is not found (NFR-2), and nothing is printed."""
    from renrentong.accounts.models import Account, Identity
    from renrentong.orgs.policy import policy_for_school
    from renrentong.schooladmin.users import services as users

    school = users.admin_school(actor)
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        raise UserFacingError("users.batch_empty")
    if len(ids) > users.MAX_BATCH:
        raise UserFacingError("users.batch_too_large", limit=users.MAX_BATCH)
    for account_id in ids:
        users.user_detail(actor, account_id)  # another school's account: users.not_found
    policy = policy_for_school(school)
    accounts = Account.objects.filter(pk__in=ids).select_related("person").order_by("person__name", "number")
    # A parent who works at another school: that school's business, as on the class's parent slips.
    elsewhere = set(Identity.objects.filter(account_id__in=ids).exclude(
        kind__in=(Identity.Kind.GUARDIAN, Identity.Kind.STUDENT)).exclude(school=school)
        .values_list("account_id", flat=True))
    return school, [_slip(policy, a, a.person.name if a.person_id else a.number, staff=a.pk in elsewhere)
                    for a in accounts]


def slips_for_class(actor: Actor, class_id: int, who: str = "students"):
    """Account slips of a class (IMP-5): admins of the school or above, and the class's head teacher.
    `who` "parents": one slip per parent account of the class's students, naming all their children
    (siblings share the account, so they share the slip). Every slip says until when its initial
    password opens the account (initial_password_issued_at + the policy's initial_password_days)."""
    from renrentong.accounts.models import Account, Guardianship, HeadTeacher, Identity
    from renrentong.orgs.models import SchoolClass
    from renrentong.orgs.policy import policy_for_school

    from renrentong.rosters.slips import Slip

    identity = actor.require_identity()
    school_class = actor.scope.class_members(SchoolClass.objects.select_related("school", "cohort__stage")).filter(
        pk=class_id).first()
    if school_class is None:
        raise UserFacingError("scope.not_found")
    heads = HeadTeacher.objects.filter(school_class=school_class, teacher=identity).exists()
    if not access.can_print_slips(actor, school_class, heads):
        raise UserFacingError("slips.not_allowed")
    policy = policy_for_school(school_class.school)

    def slip(account, name: str, *, staff: bool = False) -> Slip:
        return _slip(policy, account, name, staff=staff)

    students = (Account.objects.filter(person__enrollments__school_class=school_class,
                                       person__enrollments__ended_on=None)
                .select_related("person").order_by("person__name", "number"))
    if who != "parents":
        return school_class, [slip(account, account.person.name) for account in students]
    in_class = [a.person_id for a in students]
    guardians = sorted({g for g in Guardianship.objects.filter(student_id__in=in_class).values_list(
        "guardian_id", flat=True)})
    # All of a parent's children at this school, not only those in this class: one slip per account.
    children: dict[int, list[str]] = {}
    for guardian, name in Guardianship.objects.filter(
            guardian_id__in=guardians, student__enrollments__school=school_class.school,
            student__enrollments__ended_on=None).order_by("student__name").values_list(
            "guardian_id", "student__name"):
        children.setdefault(guardian, [])
        if name not in children[guardian]:
            children[guardian].append(name)
    parents = Account.objects.filter(person_id__in=guardians).exclude(status=Account.Status.DELETED).select_related(
        "person").order_by("person__name", "number")
    staff = set(Identity.objects.filter(account__in=parents).exclude(kind=Identity.Kind.GUARDIAN)
                .values_list("account_id", flat=True))
    return school_class, [slip(account, f"{account.person.name}（{'、'.join(children.get(account.person_id, []))}家长）",
                               staff=account.pk in staff)
                          for account in parents]


EXPORT_RELATIONS = {"father": "父亲", "mother": "母亲", "guardian": "监护人", "other": "监护人"}


def _with_parent_columns(headers: list, rows: list, numbers: dict[int, str]) -> tuple[list, list]:
    """The student export carries the import template's parent columns (phones masked), so the file
    can be edited and imported again (docs/imports.md): a masked phone means "unchanged", and a phone
    typed into an empty column adds that parent."""
    from renrentong.accounts.models import Account, Guardianship
    from renrentong.core.masking import mask_phone

    person_of = {number: person for person, number in numbers.items()}
    links: dict[int, list] = {}
    for student, guardian, name, relation in Guardianship.objects.filter(
            student_id__in=list(numbers)).order_by("pk").values_list(
            "student_id", "guardian_id", "guardian__name", "relation"):
        links.setdefault(student, []).append((guardian, name, relation))
    phones = dict(Account.objects.filter(person_id__in={g for found in links.values() for g, _, _ in found})
                  .values_list("person_id", "phone"))
    extra = ["家长1姓名", "家长1关系", "家长1手机号", "家长2姓名", "家长2关系", "家长2手机号"]
    account_column = headers.index("账号")
    out = []
    for row in rows:
        cells = []
        for guardian, name, relation in links.get(person_of.get(row[account_column]), [])[:2]:
            cells += [name, EXPORT_RELATIONS.get(relation, "监护人"), mask_phone(phones.get(guardian) or "")]
        out.append(list(row) + cells + [""] * (len(extra) - len(cells)))
    return headers + extra, out


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
        if school is None or not access.can_export_school_rosters(actor):
            raise UserFacingError("scope.not_found")
        classes = list(SchoolClass.objects.filter(school=school))
    if kind == "teachers" and not access.can_export_school_rosters(actor):
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
        headers, rows = _with_parent_columns(headers, rows, numbers)
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


def roster_size(actor: Actor, kind: str, school_id: int | None, class_id: int | None) -> int:
    """A cheap upper bound of a roster export's rows (one COUNT), in scope: whether the export is written
    in the request or by the worker (exports.services.SYNC_ROWS). Parents are counted two a student."""
    from renrentong.accounts.models import Enrollment, Identity
    from renrentong.orgs.models import SchoolClass

    identity = actor.require_identity()
    if class_id is not None:
        if not actor.scope.class_members(SchoolClass.objects.all()).filter(pk=class_id).exists():
            raise UserFacingError("scope.not_found")
        enrolled = Enrollment.objects.filter(school_class_id=class_id, ended_on=None)
        school = None
    else:
        school = actor.scope.schools(School.objects.all()).filter(pk=school_id or identity.school_id or 0).first()
        if school is None or not access.can_export_school_rosters(actor):
            raise UserFacingError("scope.not_found")
        enrolled = Enrollment.objects.filter(school_class__school=school, ended_on=None)
    if kind == "teachers":
        return Identity.objects.filter(school=school, kind="teacher").count() if school else 0
    return enrolled.count() * (2 if kind == "parents" else 1)


NEW_ACCOUNT_HEADERS = ["班级", "身份", "姓名", "孩子", "账号", "初始密码", "有效期至", "备注"]


def new_accounts(actor: Actor, job: ImportJob) -> list[list[str]]:
    """The accounts a committed import created, with their initial passwords as the slips show them
    (sealed random passwords unsealed, rule-based ones derived; "(已自行修改)" once changed): rows in
    NEW_ACCOUNT_HEADERS' order, by class. Only for the admin of the job's school; the caller audits."""
    from datetime import timedelta

    from django.utils import timezone

    from renrentong.accounts.models import Account, Enrollment, Guardianship
    from renrentong.accounts.passwords.services import current_initial_password
    from renrentong.orgs.models import SchoolClass
    from renrentong.orgs.policy import policy_for_school

    if not access.can_download_new_accounts(actor, job):
        raise UserFacingError("import.accounts_not_allowed")
    if job.status != ImportJob.Status.COMMITTED:
        raise UserFacingError("import.wrong_state", state=job.get_status_display())
    policy = policy_for_school(job.school)
    accounts = list(Account.objects.filter(created_by_import=job.pk).exclude(status=Account.Status.DELETED)
                    .select_related("person").order_by("pk"))
    persons = [a.person_id for a in accounts if a.person_id]
    class_of = dict(Enrollment.objects.filter(person_id__in=persons, ended_on=None).values_list(
        "person_id", "school_class_id"))
    names = {c.pk: c.display_name() for c in SchoolClass.objects.filter(pk__in=set(class_of.values()))
             .select_related("school", "cohort__stage")}
    children: dict[int, list[tuple[str, str]]] = {}
    for guardian, child, child_class in Guardianship.objects.filter(
            guardian_id__in=persons, student__enrollments__ended_on=None).values_list(
            "guardian_id", "student__name", "student__enrollments__school_class_id"):
        children.setdefault(guardian, []).append((names.get(child_class, ""), child))
    rows = []
    for account in accounts:
        person = account.person_id
        name = account.person.name if person else ""
        if person in class_of:
            klass, role, kids = names.get(class_of[person], ""), "学生", ""
        elif person in children:
            klass = children[person][0][0] or ""
            role, kids = "家长", "、".join(sorted({c for _, c in children[person]}))
        else:
            klass, role, kids = "", "教职工", ""
        password = current_initial_password(account, policy)
        until, note = "", "" if password else "密码已由本人修改"
        if password and account.initial_password_issued_at:
            last = account.initial_password_issued_at + timedelta(days=policy.initial_password_days)
            until = f"{timezone.localtime(last):%Y-%m-%d}"
            if timezone.now() > last:
                note = "已过期，请学校管理员重置密码"
        rows.append([klass, role, name, kids, account.number, password or "(已自行修改)", until, note])
    order = {"学生": 0, "家长": 1, "教职工": 2}
    return sorted(rows, key=lambda r: (r[0] == "", r[0], order[r[1]], r[2], r[4]))
