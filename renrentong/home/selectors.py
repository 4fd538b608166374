"""The figures of the home pages: who is in a school by account state, how far each class has come
(activated, initial password changed, key information complete), a parent's children with their head
teachers, a student's tasks. Always within what the Actor may see, and always grouped queries: a handful
per page whatever the size of the school or the district (a district has 100k students)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from renrentong.accounts.family import access as family_access
from renrentong.accounts.family import services as family
from renrentong.accounts.models import Account, Enrollment, Guardianship, HeadTeacher, Identity
from renrentong.core.actor import Actor
from renrentong.core.masking import mask_phone
from renrentong.keyinfo import access as keyinfo_access
from renrentong.keyinfo import services as keyinfo
from renrentong.orgs.models import School, SchoolClass
from renrentong.realname.models import Binding, RegistryEntry
from renrentong.realname.registration import access as registration_access
from renrentong.realname.registration import services as registration
from renrentong.rosters import selectors as rosters
from renrentong.rosters.models import ImportJob
from renrentong.schooladmin.class_changes import access as class_change_access
from renrentong.schooladmin.class_changes import services as class_changes
from renrentong.schooladmin.models import ClassChangeRequest
from renrentong.schooladmin.transfers import access as transfer_access
from renrentong.schooladmin.transfers import services as transfers

STUDENTS, TEACHERS, PARENTS = "students", "teachers", "parents"
KINDS = (STUDENTS, TEACHERS, PARENTS)
# The states a home page counts (the recycle bin is not the school).
STATES = [value for value in Account.Status.values if value != Account.Status.DELETED]
SCHOOLS_PAGE = 25


@dataclass
class KindCounts:
    """One kind of people in a school: how many, and how many in each account state."""

    kind: str
    total: int = 0
    states: dict[str, int] = field(default_factory=dict)
    activated: int = 0  # students only: ever logged in
    initial_password: int = 0  # students only: still on their initial password

    def add(self, state: str, n: int) -> None:
        if state == Account.Status.DELETED:
            return
        self.states[state] = self.states.get(state, 0) + n
        self.total += n

    def by_state(self) -> list[tuple[str, str, int]]:
        """(state, label, count) for every state, in the order of Account.Status."""
        return [(state, str(Account.Status(state).label), self.states.get(state, 0)) for state in STATES]


@dataclass
class ClassProgress:
    """A class's students and how far they have come (the head teacher's and the admin's figures)."""

    class_id: int
    name: str = ""
    students: int = 0
    activated: int = 0
    initial_password: int = 0
    key_info_incomplete: int = 0

    @property
    def not_activated(self) -> int:
        return self.students - self.activated

    @property
    def activated_percent(self) -> int:
        return round(self.activated * 100 / self.students) if self.students else 0


def _empty_counts() -> dict[str, KindCounts]:
    return {kind: KindCounts(kind) for kind in KINDS}


def people_counts(school_ids) -> dict[int, dict[str, KindCounts]]:
    """Per school: students (enrolled now), teachers and parents (of students enrolled now) by account state.
    Three grouped queries whatever the number of schools; `school_ids` may be a list or a subquery."""
    result: dict[int, dict[str, KindCounts]] = {}

    def put(school_id: int, kind: str, state: str | None, n: int) -> None:
        result.setdefault(school_id, _empty_counts())[kind].add(state or Account.Status.ACTIVE, n)

    students = (Enrollment.objects.filter(ended_on__isnull=True, school_id__in=school_ids)
                .values_list("school_id", "person__account__status")
                .annotate(n=Count("person_id", distinct=True),
                          activated=Count("person_id", distinct=True,
                                          filter=Q(person__account__last_login__isnull=False)),
                          initial=Count("person_id", distinct=True,
                                        filter=~Q(person__account__initial_password_digest="")))
                .order_by())
    for school_id, state, n, activated, initial in students:
        put(school_id, STUDENTS, state, n)
        if state != Account.Status.DELETED:
            result[school_id][STUDENTS].activated += activated
            result[school_id][STUDENTS].initial_password += initial
    teachers = (Identity.objects.filter(kind=Identity.Kind.TEACHER, school_id__in=school_ids)
                .values_list("school_id", "account__status").annotate(n=Count("account_id", distinct=True))
                .order_by())
    for school_id, state, n in teachers:
        put(school_id, TEACHERS, state, n)
    parents = (Guardianship.objects.filter(student__enrollments__ended_on__isnull=True,
                                           student__enrollments__school_id__in=school_ids)
               .values_list("student__enrollments__school_id", "guardian__account__status")
               .annotate(n=Count("guardian_id", distinct=True)).order_by())
    for school_id, state, n in parents:
        put(school_id, PARENTS, state, n)
    return result


def _incomplete_key_info() -> Q:
    # What keyinfo calls missing: any of the local student number, the national student number, the ID number.
    return (Q(person__local_student_number__isnull=True) | Q(person__local_student_number="")
            | Q(person__national_student_number_masked="") | Q(person__id_number_masked=""))


def class_progress(class_ids) -> dict[int, ClassProgress]:
    """Per class (one grouped query): students enrolled now, activated (ever logged in), still on their
    initial password, key information incomplete. Accounts in the recycle bin are not counted."""
    rows = (Enrollment.objects.filter(ended_on__isnull=True, school_class_id__in=class_ids)
            .exclude(person__account__status=Account.Status.DELETED)
            .values("school_class_id")
            .annotate(students=Count("pk"),
                      activated=Count("pk", filter=Q(person__account__last_login__isnull=False)),
                      initial_password=Count("pk", filter=~Q(person__account__initial_password_digest="")),
                      key_info_incomplete=Count("pk", filter=_incomplete_key_info()))
            .order_by())
    return {row["school_class_id"]: ClassProgress(class_id=row["school_class_id"], students=row["students"],
                                                  activated=row["activated"], initial_password=row["initial_password"],
                                                  key_info_incomplete=row["key_info_incomplete"]) for row in rows}


def _class_order(school_class: SchoolClass):
    return (school_class.cohort.stage.first_grade, -school_class.cohort.enrollment_year, school_class.number,
            school_class.pk)


@dataclass
class SchoolDashboard:
    school: School
    people: dict[str, KindCounts]
    classes: list[ClassProgress]


def school_dashboard(actor: Actor) -> SchoolDashboard:
    """A school admin's own school: people by state and every class's progress (four queries)."""
    school = actor.require_identity().school
    people = people_counts([school.pk]).get(school.pk, _empty_counts())
    classes = list(actor.scope.classes(SchoolClass.objects.filter(school=school))
                   .filter(kind=SchoolClass.Kind.ADMINISTRATIVE).select_related("cohort__stage", "school"))
    progress = class_progress([c.pk for c in classes])
    ordered = []
    for school_class in sorted(classes, key=_class_order):
        item = progress.get(school_class.pk) or ClassProgress(school_class.pk)
        item.name = school_class.display_name()
        ordered.append(item)
    return SchoolDashboard(school, people, ordered)


@dataclass
class TeacherClass:
    school_class: SchoolClass
    subjects: list[str]
    is_head: bool
    progress: ClassProgress | None  # only for the classes they head


def teacher_classes(actor: Actor, classes: list[tuple[SchoolClass, list[str], bool]]) -> list[TeacherClass]:
    """The teacher's classes (from accounts.selectors.classes_of_teacher) with the figures of those they head."""
    headed = [c.pk for c, _subjects, is_head in classes if is_head]
    progress = class_progress(headed) if headed else {}
    return [TeacherClass(c, subjects, is_head, (progress.get(c.pk) or ClassProgress(c.pk)) if is_head else None)
            for c, subjects, is_head in classes]


@dataclass
class SchoolFigures:
    school: School
    people: dict[str, KindCounts]

    def count(self, kind: str) -> int:
        return self.people[kind].total

    def active(self, kind: str) -> int:
        return self.people[kind].states.get(Account.Status.ACTIVE, 0)


def schools_below(actor: Actor, q: str = "") -> QuerySet[School]:
    """The schools a region admin sees, found by name or code."""
    schools = actor.scope.schools(School.objects.all()).select_related("district")
    q = q.strip()
    if q:
        schools = schools.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return schools.order_by("district__code", "code")


def school_figures(schools: list[School]) -> list[SchoolFigures]:
    """People by kind and state for each of the given schools (a page of them, or an export's all)."""
    counts = people_counts([s.pk for s in schools])
    return [SchoolFigures(s, counts.get(s.pk, _empty_counts())) for s in schools]


def region_page(actor: Actor, q: str = "", page: int = 1) -> tuple[list[SchoolFigures], int, int]:
    """One page of the schools below a region admin with their figures: (rows, page, number of pages)."""
    schools = schools_below(actor, q)
    total = schools.count()
    pages = max(1, (total + SCHOOLS_PAGE - 1) // SCHOOLS_PAGE)
    page = min(max(1, page), pages)
    chosen = list(schools[(page - 1) * SCHOOLS_PAGE: page * SCHOOLS_PAGE])
    return school_figures(chosen), page, pages


def region_rows(actor: Actor, q: str = ""):
    """Every school below the region admin with its figures, a thousand schools at a time (the export)."""
    schools = schools_below(actor, q)
    start = 0
    while True:
        chosen = list(schools[start:start + 1000])
        if not chosen:
            return
        yield from school_figures(chosen)
        start += 1000


@dataclass
class HeadTeacherView:
    name: str
    phone: str  # masked


def head_teachers(class_ids) -> dict[int, HeadTeacherView]:
    """The head teacher of each class (name, masked phone): one query."""
    rows = HeadTeacher.objects.filter(school_class_id__in=class_ids).values_list(
        "school_class_id", "teacher__account__person__name", "teacher__account__phone")
    return {class_id: HeadTeacherView(name or "", mask_phone(phone) if phone else "") for class_id, name, phone in rows}


@dataclass
class StudentTasks:
    """What a student still has to do: change the initial password, bind a phone, verify their real name."""

    initial_password: bool
    bind_phone: bool
    verify_real_name: bool

    @property
    def any(self) -> bool:
        return self.initial_password or self.bind_phone or self.verify_real_name


def student_tasks(actor: Actor, school_id: int | None) -> StudentTasks:
    """Real-name verification is asked for only where the school keeps a real-name registry (RN-2)."""
    account = actor.account
    verified = Binding.objects.filter(account=account, ended_at__isnull=True).exists()
    registry = bool(school_id) and RegistryEntry.objects.filter(school_id=school_id, retired_at__isnull=True).exists()
    return StudentTasks(initial_password=account.has_initial_password, bind_phone=not account.phone,
                        verify_real_name=registry and not verified)


@dataclass
class Waiting:
    """One queue of approvals on the school admin's dashboard."""

    label: str
    url_name: str
    test_id: str  # the link's; the count's is `count_test_id`
    count_test_id: str
    count: int


def approvals_waiting(actor: Actor) -> list[Waiting]:
    """What waits for this admin's decision: transfers, class changes, key information, link requests,
    teacher registrations; each only where the owning app lets the actor decide."""

    found = []
    if transfer_access.can_decide(actor):
        queues = transfers.queue(actor)
        found.append(Waiting(_("Transfers"), "schooladmin:transfers", "transfers-link", "transfers-waiting",
                             len(queues["incoming"]) + len(queues["outgoing"])))
    if class_change_access.follows_queue(actor):
        found.append(Waiting(_("Class changes"), "schooladmin:class_changes", "class-change-link",
                             "class-change-waiting",
                             class_changes.pending_count(actor)))
    if keyinfo_access.can_decide(actor):
        found.append(Waiting(_("Key information changes"), "keyinfo:index", "keyinfo-link", "keyinfo-waiting",
                             len(keyinfo.pending_changes(actor))))
    if family_access.can_manage_students_parents(actor):
        found.append(Waiting(_("Link requests"), "link_requests", "link-requests-link", "link-requests-count",
                             sum(1 for r in family.link_requests(actor) if r.direction == "incoming")))
    if registration_access.can_decide_registrations(actor):
        found.append(Waiting(_("Teacher registrations"), "realname:applications", "registrations-link",
                             "registrations-waiting",
                             registration.applications_in_scope(actor).filter(status=registration.PENDING).count()))
    return found


def imports_running(actor: Actor) -> list:
    """The actor's import jobs that are being checked or committed now."""

    return list(rosters.jobs_in_scope(actor).filter(
        status__in=(ImportJob.Status.PREVIEWING, ImportJob.Status.COMMITTING))[:10])


def children_waiting(person_ids: list[int]) -> dict[int, object]:
    """Each child's latest class change request (one query), for the parent's cards."""

    latest: dict[int, object] = {}
    rows = (ClassChangeRequest.objects.filter(student__person_id__in=person_ids)
            .select_related("student", "from_class__cohort__stage", "from_class__school", "to_class__cohort__stage",
                            "to_class__school").order_by("-created_at", "-pk"))
    for row in rows[:50]:
        latest.setdefault(row.student.person_id, row)
    return latest
