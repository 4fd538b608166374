"""Reads of the sender's side of notices (MSG-1): what a sender may address, how many people that is,
the notices they sent. Every read starts from the actor's scope (NFR-2)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from renrentong.accounts.models import Account, Identity
from renrentong.accounts.selectors import audience_account_ids
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID
from renrentong.notices import access
from renrentong.notices.models import Notice
from renrentong.notices.pushing import NOTICE_SOURCE as PUSH_SOURCE
from renrentong.orgs.models import Region, School, SchoolClass
from renrentong.uploads.models import StoredFile
from renrentong.uploads.selectors import signed_url
from renrentong.push import registry as push_registry
from renrentong.push import selectors as push_selectors

SCHOOLS_PER_COUNT = 200  # a region's audience is counted this many schools per query


@dataclass
class GradeChoice:
    cohort_id: int
    name: str
    classes: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ComposeChoices:
    """What the compose page offers this sender: classes (grouped by grade) or districts and schools."""

    kind: str
    roles: list[tuple[str, object]] = field(default_factory=list)
    grades: list[GradeChoice] = field(default_factory=list)
    districts: list[Region] = field(default_factory=list)
    schools: list[School] = field(default_factory=list)
    district_id: int | None = None

    @property
    def homework(self) -> bool:
        return self.kind == Notice.Kind.HOMEWORK


def compose_choices(actor: Actor, district_id: int | None = None) -> ComposeChoices:
    kind = access.kind_sent_by(actor)
    if kind is None:
        raise UserFacingError("notices.not_allowed")
    choices = ComposeChoices(kind=kind, roles=[(value, label) for value, label in Notice.Role.choices
                                               if value in access.roles_addressed_by(actor)])
    if access.addresses_classes(actor):
        qs = SchoolClass.objects.filter(school_id=actor.identity.school_id).exclude(
            kind=SchoolClass.Kind.GRADUATED).select_related("school", "cohort__stage")
        qs = qs.filter(pk__in=actor.scope.class_ids) if access.classes_limited_to_teaching(actor) else actor.scope.classes(qs)
        grades: dict[int, GradeChoice] = {}
        for school_class in sorted(qs, key=lambda c: (-c.cohort.enrollment_year, c.cohort.stage_id, c.number)):
            year = school_class.school.school_year
            if school_class.cohort.is_graduated(year):
                continue
            grade = grades.setdefault(school_class.cohort_id, GradeChoice(
                school_class.cohort_id, school_class.cohort.stage.grade_label(school_class.cohort.grade_number(year))))
            grade.classes.append((school_class.pk, school_class.display_name(year)))
        choices.grades = list(grades.values())
        return choices
    districts = [r for r in actor.scope.regions(Region.objects.all()).order_by("code") if r.kind == Region.Kind.DISTRICT]
    choices.districts = districts
    if district_id is None and len(districts) == 1:
        district_id = districts[0].pk
    if district_id is not None and any(d.pk == district_id for d in districts):
        choices.district_id = district_id
        choices.schools = list(actor.scope.schools(School.objects.filter(district_id=district_id)).order_by("code"))
    return choices


def audience_size(on, *, roles: list[str], class_ids: list[int] | None = None,
                  school_ids: list[int] | None = None) -> dict[str, int]:
    """How many accounts each chosen role reaches ("约 N 位家长、M 位学生"): a set-based COUNT over the
    same audience rows fan-out inserts. A parent of two addressed children counts once; for a region's
    notice, schools are counted SCHOOLS_PER_COUNT at a time, so someone in two batches may count twice."""
    if class_ids is not None:
        batches = [[dict(class_ids=list(class_ids))]]
    else:
        ids = sorted(school_ids or [])
        batches = [[dict(school_id=pk) for pk in ids[i:i + SCHOOLS_PER_COUNT]]
                   for i in range(0, len(ids), SCHOOLS_PER_COUNT)]
    sizes = {}
    for role in roles:
        total = 0
        for places in batches:
            where = Q()
            for place in places:
                for source in audience_account_ids(role, on, **place):
                    where |= Q(pk__in=source)
            if where:
                total += Account.objects.filter(where).count()
        sizes[role] = total
    return sizes


def sent_by(actor: Actor) -> QuerySet:
    """The notices this identity sent, newest first."""
    return Notice.objects.filter(sender=actor.account, sender_identity_id=getattr(actor.identity, "pk", None)).exclude(
        kind=Notice.Kind.CLASS_MESSAGE).order_by("-id")


def sent_page(actor: Actor, *, before: int | None = None, limit: int = 20) -> list[Notice]:
    """Keyset paging on id: the page after `before` (the last id of the previous page)."""
    qs = sent_by(actor)
    if before is not None and 0 < before <= MAX_ID:
        qs = qs.filter(pk__lt=before)
    return list(qs[:limit])


def notice_for_sender(actor: Actor, notice_id: int) -> Notice:
    """A notice seen from the sender's side: by its sender, or by the admin of its school; else not found."""
    if not 0 < notice_id <= MAX_ID:
        raise UserFacingError("notices.not_found")
    notice = Notice.objects.filter(pk=notice_id).exclude(kind=Notice.Kind.CLASS_MESSAGE).first()
    if notice is None or not access.sees_sender_view(actor, notice):
        raise UserFacingError("notices.not_found")
    return notice


@dataclass
class AttachmentView:
    name: str
    kind: str
    size: int
    url: str
    file_id: int


def attachments_of(actor: Actor, notice: Notice) -> list[AttachmentView]:
    """The notice's files with signed links; the caller got the notice through notice_for_sender."""
    return [AttachmentView(a.file.name, a.file.kind, a.file.size, signed_url(actor, a.file), a.file_id)
            for a in notice.attachments.select_related("file").order_by("position")]


def own_files(actor: Actor, file_ids: list[int]) -> list:
    """Files this account uploaded, in the order given (what a re-rendered compose form carries)."""
    wanted = list(dict.fromkeys(file_ids))
    found = {f.pk: f for f in StoredFile.objects.filter(pk__in=wanted, owner=actor.account)}
    return [found[pk] for pk in wanted if pk in found]


@dataclass
class AudienceSummary:
    roles: list[str]
    places: list[str]


def audience_summary(notice: Notice) -> AudienceSummary:
    """The roles and the classes (or schools) a notice addressed, by name, as fixed at sending."""
    roles = [str(label) for value, label in Notice.Role.choices if value in (notice.audience.get("roles") or [])]
    class_ids = notice.audience.get("class_ids")
    if class_ids is not None:
        classes = SchoolClass.objects.filter(pk__in=class_ids).select_related("school", "cohort__stage")
        places = [c.display_name() for c in sorted(classes, key=lambda c: (-c.cohort.enrollment_year, c.number))]
    else:
        places = list(School.objects.filter(pk__in=notice.audience.get("school_ids") or []).order_by(
            "code").values_list("name", flat=True))
    return AudienceSummary(roles, places)


@dataclass
class Progress:
    units_done: int
    units: int
    addressed: int


def progress_of(notice: Notice) -> Progress:
    from renrentong.notices.fanout import units_of

    units = len(units_of(notice))
    return Progress(min(notice.fanout_cursor, units), units, notice.addressed)


def sender_shown(notice: Notice) -> str:
    """Who sent it, in the viewer's language (the stored sender_label is fixed in the sender's)."""
    identity = Identity.objects.select_related("school", "region", "account__person").filter(
        pk=notice.sender_identity_id).first()
    if identity is None:
        return notice.sender_label
    person = identity.account.person
    return f"{person.name if person is not None else identity.account.number} · {identity.label()}"


def is_recalled(notice: Notice) -> bool:
    return notice.status == Notice.Status.RECALLED


def today():
    return timezone.localdate()


def push_progress(notice: Notice) -> list:
    """The notice's pushes per channel (push.selectors.progress_of) for its sender's page; the caller got the
    notice through notice_for_sender."""
    return push_selectors.progress_of(source=PUSH_SOURCE, ref_id=notice.pk)


def paused_pushes(actor: Actor) -> list:
    """Channels of the sender's region paused now (push.selectors.paused_channels), shown before sending."""
    identity = actor.identity
    if identity is None:
        return []
    return push_selectors.paused_channels(push_registry.config_region(identity.region_id, identity.school_id))
