"""Teaching (ADM-2): which subjects each class has (课程安排), who teaches them (任课教师) and who heads
each class (班主任), edited in bulk on one grid by the school admin; a teacher also sets their own
classes and subjects, within the courses the school arranged and without taking a taught one.

The grid holds one teacher per class and subject: saving a cell replaces whoever taught it. A course
removed from a class takes its teaching assignments with it (they are in the audit record). A taught
subject is a course of its class even where no arrangement row was written for it (older imports and
data): the grid, "my teaching" and the home page read what teachers teach through one selector,
accounts.selectors.courses_taught, and the taught pairs, so none of them can show nothing while another
lists classes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from renrentong.accounts.models import Account, CourseArrangement, HeadTeacher, Identity, TeachingAssignment
from renrentong.accounts.selectors import courses_taught
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import School, SchoolClass, Stage
from renrentong.orgs.policy import policy_for_school
from renrentong.orgs.selectors import school_for

from renrentong.schooladmin.teaching import access
from renrentong.schooladmin.users.services import fold, school_classes

Kind = Identity.Kind
SUBJECT_LIMIT = 32
MAX_CELLS = 2000
# The usual subjects of each stage (national curriculum plans); a school adds others by name.
STANDARD_SUBJECTS = {
    Stage.Level.PRIMARY: ["语文", "数学", "英语", "道德与法治", "科学", "音乐", "美术", "体育", "信息技术", "综合实践"],
    Stage.Level.JUNIOR: ["语文", "数学", "英语", "道德与法治", "历史", "地理", "物理", "化学", "生物", "音乐", "美术",
                         "体育", "信息技术"],
    Stage.Level.SENIOR: ["语文", "数学", "英语", "思想政治", "历史", "地理", "物理", "化学", "生物", "信息技术",
                         "通用技术", "音乐", "美术", "体育"],
}
UNAVAILABLE = (Account.Status.LEFT, Account.Status.DELETED, Account.Status.GRADUATED)


def clean_subject(value: str) -> str:
    subject = fold(value)
    if not subject or len(subject) > SUBJECT_LIMIT:
        raise UserFacingError("teaching.invalid_subject", subject=subject[:40], limit=SUBJECT_LIMIT)
    return subject


@dataclass(frozen=True)
class TeacherChoice:
    identity_id: int
    name: str
    number: str
    status: str


@dataclass
class Grid:
    school: School
    cohorts: list[tuple[int, str]]  # (cohort id, grade name) of the current grades
    cohort_id: int | None
    classes: list[SchoolClass]
    subjects: list[str]
    arranged: set[tuple[int, str]]
    teachers: dict[tuple[int, str], list[int]]  # (class id, subject) -> teacher identity ids
    heads: dict[int, int]  # class id -> teacher identity id
    choices: list[TeacherChoice]

    def names(self) -> dict[int, str]:
        return {c.identity_id: c.name for c in self.choices}


def teacher_choices(school: School) -> list[TeacherChoice]:
    identities = Identity.objects.filter(kind=Kind.TEACHER, school=school).select_related(
        "account__person").order_by("account__person__name", "pk")
    return [TeacherChoice(i.pk, i.account.person.name if i.account.person_id else i.account.number,
                          i.account.number, i.account.status) for i in identities]


def grid(actor: Actor, cohort_id: int | None = None) -> Grid:
    """One grade's classes against its subjects: the arranged courses, their teachers, head teachers."""
    school = school_for(actor, not_allowed="teaching.not_allowed", region_admins=False)
    classes = school_classes(school)
    cohorts: dict[int, str] = {}
    for c in classes:
        cohorts.setdefault(c.cohort_id, c.cohort.grade_name(school.school_year))
    if cohort_id is None or cohort_id not in cohorts:
        cohort_id = next(iter(cohorts), None)
    classes = [c for c in classes if c.cohort_id == cohort_id]
    class_ids = [c.pk for c in classes]
    teachers: dict[tuple[int, str], list[int]] = {}
    for class_id, subject, teacher_id in TeachingAssignment.objects.filter(school_class_id__in=class_ids).values_list(
            "school_class_id", "subject", "teacher_id").order_by("pk"):
        teachers.setdefault((class_id, subject), []).append(teacher_id)
    arranged = _arranged(class_ids)
    heads = dict(HeadTeacher.objects.filter(school_class_id__in=class_ids).values_list("school_class_id", "teacher_id"))
    level = classes[0].cohort.stage.level if classes else Stage.Level.PRIMARY
    subjects = list(STANDARD_SUBJECTS[level])
    for _, subject in sorted(arranged | set(teachers)):
        if subject not in subjects:
            subjects.append(subject)
    return Grid(school=school, cohorts=list(cohorts.items()), cohort_id=cohort_id, classes=classes,
                subjects=subjects, arranged=arranged, teachers=teachers, heads=heads,
                choices=teacher_choices(school))


def _arranged(class_ids) -> set[tuple[int, str]]:
    """The courses of these classes: the arrangement rows and every subject someone teaches there."""
    ids = list(class_ids)
    return set(CourseArrangement.objects.filter(school_class_id__in=ids).values_list("school_class_id", "subject")) | \
        set(TeachingAssignment.objects.filter(school_class_id__in=ids).values_list("school_class_id", "subject"))


def _classes(school: School, class_ids) -> dict[int, SchoolClass]:
    ids = {int(i) for i in class_ids}
    found = {c.pk: c for c in SchoolClass.objects.filter(pk__in=ids, school=school).select_related(
        "cohort__stage", "school")}
    if len(found) != len(ids):
        raise UserFacingError("teaching.class_not_found")
    return found


@transaction.atomic
def set_courses(actor: Actor, courses: dict[int, list[str]]) -> dict[str, int]:
    """Replace the subjects of each given class; a removed course's teaching assignments end with it."""
    school = school_for(actor, not_allowed="teaching.not_allowed", region_admins=False)
    if sum(len(s) for s in courses.values()) > MAX_CELLS:
        raise UserFacingError("teaching.too_many_cells", limit=MAX_CELLS)
    classes = _classes(school, courses)
    wanted = {(int(c), clean_subject(s)) for c, subjects in courses.items() for s in subjects}
    rows = set(CourseArrangement.objects.filter(school_class_id__in=classes).values_list("school_class_id", "subject"))
    have = _arranged(classes)
    added, removed = sorted(wanted - have), sorted(have - wanted)
    # A taught course without its row gains the row silently: it was on the grid already.
    CourseArrangement.objects.bulk_create(CourseArrangement(school_class_id=c, subject=s)
                                          for c, s in sorted((wanted & have) - rows))
    CourseArrangement.objects.bulk_create(CourseArrangement(school_class_id=c, subject=s) for c, s in added)
    ended = []
    for class_id, subject in removed:
        CourseArrangement.objects.filter(school_class_id=class_id, subject=subject).delete()
        gone = TeachingAssignment.objects.filter(school_class_id=class_id, subject=subject)
        ended += [[class_id, subject, t] for t in gone.values_list("teacher_id", flat=True)]
        gone.delete()
    if added or removed:
        audit.record(actor, "teaching.courses", None,
                     {"added": [list(x) for x in added], "removed": [list(x) for x in removed], "ended": ended},
                     school_id=school.pk)
    return {"added": len(added), "removed": len(removed), "assignments_ended": len(ended)}


def _teachers(school: School, ids) -> dict[int, Identity]:
    ids = {int(i) for i in ids if i}
    found = {i.pk: i for i in Identity.objects.filter(pk__in=ids, kind=Kind.TEACHER, school=school).select_related(
        "account__person")}
    if len(found) != len(ids):
        raise UserFacingError("teaching.teacher_not_found")
    for identity in found.values():
        if identity.account.status in UNAVAILABLE:
            raise UserFacingError("teaching.teacher_unavailable", name=identity.account.person.name,
                                  state=str(identity.account.get_status_display()))
    return found


@transaction.atomic
def assign(actor: Actor, cells: list[tuple[int, str, int | None]],
           heads: list[tuple[int, int | None]] = ()) -> dict[str, int]:
    """Save grid cells: (class, subject) -> teacher identity or None, and class -> head teacher or None.
    Only what differs from the stored grid is written and recorded."""
    school = school_for(actor, not_allowed="teaching.not_allowed", region_admins=False)
    if len(cells) + len(heads) > MAX_CELLS:
        raise UserFacingError("teaching.too_many_cells", limit=MAX_CELLS)
    cells = [(int(c), clean_subject(s), int(t) if t else None) for c, s, t in cells]
    heads = [(int(c), int(t) if t else None) for c, t in heads]
    classes = _classes(school, {c for c, _, _ in cells} | {c for c, _ in heads})
    _teachers(school, {t for _, _, t in cells} | {t for _, t in heads})
    arranged = _arranged(classes)
    current: dict[tuple[int, str], set[int]] = {}
    for class_id, subject, teacher_id in TeachingAssignment.objects.filter(school_class_id__in=classes).values_list(
            "school_class_id", "subject", "teacher_id"):
        current.setdefault((class_id, subject), set()).add(teacher_id)
    changed = []
    for class_id, subject, teacher_id in cells:
        if teacher_id and (class_id, subject) not in arranged:
            raise UserFacingError("teaching.subject_not_arranged", subject=subject,
                                  school_class=classes[class_id].display_name(school.school_year))
        if current.get((class_id, subject), set()) == ({teacher_id} if teacher_id else set()):
            continue
        TeachingAssignment.objects.filter(school_class_id=class_id, subject=subject).delete()
        if teacher_id:
            TeachingAssignment.objects.create(teacher_id=teacher_id, school_class_id=class_id, subject=subject)
        changed.append([class_id, subject, teacher_id])
    stored_heads = dict(HeadTeacher.objects.filter(school_class_id__in=classes).values_list(
        "school_class_id", "teacher_id"))
    head_changes = []
    for class_id, teacher_id in heads:
        if stored_heads.get(class_id) == teacher_id:
            continue
        if teacher_id:
            HeadTeacher.objects.update_or_create(school_class_id=class_id, defaults={"teacher_id": teacher_id})
        else:
            HeadTeacher.objects.filter(school_class_id=class_id).delete()
        head_changes.append([class_id, teacher_id])
    if changed or head_changes:
        audit.record(actor, "teaching.assign", None, {"cells": changed, "heads": head_changes}, school_id=school.pk)
    return {"cells": len(changed), "heads": len(head_changes)}


@transaction.atomic
def save_grid(actor: Actor, courses: dict[int, list[str]], cells: list[tuple[int, str, int | None]],
              heads: list[tuple[int, int | None]]) -> dict[str, int]:
    """The grid page's one form: course arrangement first, then its cells and head teachers, all or none."""
    arranged = set_courses(actor, courses)
    wanted = {(int(c), clean_subject(s)) for c, subjects in courses.items() for s in subjects}
    # A cell whose course was just removed has no teacher to keep.
    cells = [(c, s, t if (int(c), clean_subject(s)) in wanted else None) for c, s, t in cells]
    return {**arranged, **assign(actor, cells, heads)}


# A teacher's own classes and subjects ---------------------------------------------------------------------

def _teacher(actor: Actor) -> Identity:
    identity = actor.require_identity()
    if not access.can_take_courses(actor):
        raise UserFacingError("teaching.teachers_only")
    return identity


@dataclass(frozen=True)
class OwnCourse:
    class_id: int
    class_name: str
    subject: str
    teacher_name: str  # who teaches it now ("" when nobody)
    mine: bool


def own_teaching(actor: Actor) -> tuple[list[OwnCourse], list[OwnCourse]]:
    """(what I teach, the school's courses I could take or already have)."""
    identity = _teacher(actor)
    school = identity.school
    classes = {c.pk: c for c in school_classes(school)}
    taught: dict[tuple[int, str], list[Identity]] = {}
    for t in TeachingAssignment.objects.filter(school_class_id__in=classes).select_related(
            "teacher__account__person").order_by("pk"):
        taught.setdefault((t.school_class_id, t.subject), []).append(t.teacher)
    offered = []
    for class_id, subject in sorted(_arranged(classes), key=lambda k: (
            classes[k[0]].cohort.enrollment_year, classes[k[0]].number, k[1])):
        holders = taught.get((class_id, subject), [])
        others = [h.account.person.name for h in holders if h.pk != identity.pk]
        offered.append(OwnCourse(class_id, classes[class_id].display_name(school.school_year), subject,
                                 "、".join(others), any(h.pk == identity.pk for h in holders)))
    mine = [OwnCourse(c.pk, c.display_name(school.school_year), subject, "", True)
            for c, subject in courses_taught(identity)]
    return mine, offered


def headed_classes(actor: Actor) -> list[SchoolClass]:
    """The classes the teacher heads (班主任): their class pages offer 请出班级 (ADM-3)."""
    identity = _teacher(actor)
    return [h.school_class for h in HeadTeacher.objects.filter(teacher=identity).select_related(
        "school_class__cohort__stage", "school_class__school").order_by("school_class__cohort__enrollment_year",
                                                                         "school_class__number")]


def _own_class(identity: Identity, class_id: int) -> SchoolClass:
    school_class = SchoolClass.objects.filter(pk=class_id, school_id=identity.school_id).select_related(
        "cohort__stage", "school").first()
    if school_class is None:
        raise UserFacingError("teaching.class_not_found")
    return school_class


@transaction.atomic
def take_course(actor: Actor, class_id: int, subject: str) -> TeachingAssignment:
    identity = _teacher(actor)
    school_class = _own_class(identity, class_id)
    subject = clean_subject(subject)
    name = school_class.display_name()
    holders = TeachingAssignment.objects.filter(school_class=school_class, subject=subject)
    if holders.exists():  # a taught course is arranged even if its row was never written
        CourseArrangement.objects.get_or_create(school_class=school_class, subject=subject)
    # Locking the course row serialises two teachers taking the same course at once.
    if CourseArrangement.objects.select_for_update().filter(school_class=school_class, subject=subject).first() is None:
        raise UserFacingError("teaching.subject_not_arranged", subject=subject, school_class=name)
    holders = list(holders.select_related("teacher__account__person"))
    if any(h.teacher_id == identity.pk for h in holders):
        raise UserFacingError("teaching.already_yours", subject=subject, school_class=name)
    if holders and not policy_for_school(school_class.school).co_teaching:
        raise UserFacingError("teaching.taken", subject=subject, school_class=name,
                              teacher=holders[0].teacher.account.person.name)
    assignment = TeachingAssignment.objects.create(teacher=identity, school_class=school_class, subject=subject)
    audit.record(actor, "teaching.take", None, {"class_id": school_class.pk, "subject": subject},
                 school_id=identity.school_id)
    return assignment


@transaction.atomic
def drop_course(actor: Actor, class_id: int, subject: str) -> None:
    identity = _teacher(actor)
    school_class = _own_class(identity, class_id)
    subject = clean_subject(subject)
    deleted, _ = TeachingAssignment.objects.filter(teacher=identity, school_class=school_class,
                                                   subject=subject).delete()
    if not deleted:
        raise UserFacingError("teaching.not_yours", subject=subject, school_class=school_class.display_name())
    audit.record(actor, "teaching.drop", None, {"class_id": school_class.pk, "subject": subject},
                 school_id=identity.school_id)

