"""Read receipts (MSG-3): who may see a notice's figures and which part of them, the figures per class or
per school, and the names of the unread of a class.

Figures are counted in the database: recipient rows (one per account, class and child) joined with the
inbox items on (notice, account), grouped per class or school. A parent of two children in two classes
has one inbox item and counts in both classes; the notice's totals count inbox items (people), so they
may be smaller than the sum of the classes. docs/inbox.md has the query plans and timings."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from renrentong.accounts.models import Account, Person
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import mask_phone
from renrentong.core.schemas import MAX_ID
from renrentong.notices.models import InboxItem, Notice, NoticeRecipient
from renrentong.notices.receipts import access, tallies
from renrentong.notices.receipts.models import ReceiptTally
from renrentong.orgs.models import School, SchoolClass

BY_CLASS, BY_SCHOOL = "class", "school"
LIST_LIMIT = 100
# How far back the receipts list looks among a school's or a region's notices.
CANDIDATES = 500


@dataclass
class ReceiptView:
    """What one actor sees of one notice: grouped per class or per school, and limited to a part of its
    recipients (`part`: None for the whole notice)."""

    notice: Notice
    group_by: str
    part: Q | None = None
    may_remind: bool = False
    remind_classes: set[int] | None = None  # None: any class of the notice (its sender)

    @property
    def shows_names(self) -> bool:
        return self.group_by == BY_CLASS

    @property
    def sent(self) -> bool:
        """Fan-out finished and not recalled: the figures are final and the unread can be reminded."""
        return self.notice.status == Notice.Status.SENT


@dataclass
class Figures:
    key: int
    label: str
    addressed: int
    read: int
    confirmed: int

    @property
    def unread(self) -> int:
        return self.addressed - self.read


@dataclass
class Receipts:
    view: ReceiptView
    totals: Figures
    groups: list[Figures] = field(default_factory=list)
    reminders: list = field(default_factory=list)


@dataclass
class UnreadReader:
    display: str  # 李小明的家长 (138****1234), 李小明, 王老师
    role: str
    child: str = ""

    @property
    def role_label(self) -> str:
        return str(dict(Notice.Role.choices).get(self.role, self.role))


def _audience_classes(notice: Notice) -> set[int]:
    return set(notice.audience.get("class_ids") or [])


def _audience_schools(notice: Notice) -> set[int]:
    return set(notice.audience.get("school_ids") or [])


class _Viewer:
    """The actor's sets, computed once per request whatever the number of notices looked at."""

    def __init__(self, actor: Actor):
        self.actor = actor
        self.school_admin_of = actor.identity.school_id if access.follows_school(actor) else None
        self.region = access.follows_region(actor)
        self.headed = access.headed_class_ids(actor)
        self._region_schools: set[int] | None = None
        self.teacher_school = actor.identity.school_id if self.headed else None

    def schools_below(self) -> QuerySet:
        return School.objects.filter(district_id__in=self.actor.scope.district_ids).values("pk")

    def region_schools(self) -> set[int]:
        if self._region_schools is None:
            self._region_schools = set(self.schools_below().values_list("pk", flat=True))
        return self._region_schools

    def view(self, notice: Notice) -> ReceiptView | None:
        by_sender = BY_CLASS if notice.audience.get("class_ids") is not None else BY_SCHOOL
        if access.is_sender(self.actor, notice):
            return ReceiptView(notice, by_sender, None, may_remind=True, remind_classes=None)
        if notice.status == Notice.Status.SCHEDULED:
            return None
        if self.school_admin_of is not None:
            if notice.school_id == self.school_admin_of:
                return ReceiptView(notice, BY_CLASS)
            if notice.school_id is None and self.school_admin_of in _audience_schools(notice):
                return ReceiptView(notice, BY_CLASS, Q(school_id=self.school_admin_of))
            return None
        if self.region:
            if notice.region_id is not None and notice.region_id in self.actor.scope.region_ids:
                return ReceiptView(notice, BY_SCHOOL)
            if notice.school_id is not None and notice.school_id in self.region_schools():
                return ReceiptView(notice, BY_SCHOOL)
            if notice.school_id is None and _audience_schools(notice) & self.region_schools():
                return ReceiptView(notice, BY_SCHOOL, Q(school_id__in=self.schools_below()))
            return None
        if self.headed:
            if notice.school_id is not None:
                classes = self.headed & _audience_classes(notice)
            else:
                classes = self.headed if self.teacher_school in _audience_schools(notice) else set()
            if classes:
                return ReceiptView(notice, BY_CLASS, Q(class_id__in=sorted(classes)), may_remind=True,
                                   remind_classes=classes)
        return None


def receipt_view(actor: Actor, notice_id: int) -> ReceiptView:
    """The actor's view of a notice's receipts; a notice they may not follow is "not found" (404)."""
    if not 1 <= notice_id <= MAX_ID or actor.identity is None:
        raise UserFacingError("receipts.not_found")
    notice = Notice.objects.filter(pk=notice_id).first()
    view = _Viewer(actor).view(notice) if notice is not None else None
    if view is None:
        raise UserFacingError("receipts.not_found")
    return view


def notices_followed(actor: Actor, limit: int = LIST_LIMIT) -> list[ReceiptView]:
    """The notices whose receipts the actor follows, newest first: their own, then those of their school,
    classes or region (looked for among the recent CANDIDATES notices of each place)."""
    if actor.identity is None or not access.may_open_receipts(actor):
        return []
    viewer = _Viewer(actor)
    own = Q(sender=actor.account, sender_identity_id=actor.identity.pk)
    places = Q()
    if viewer.school_admin_of is not None:
        places = Q(school_id=viewer.school_admin_of) | Q(school_id__isnull=True, region_id__isnull=False)
    elif viewer.region:
        places = (Q(region_id__isnull=False) & ~Q(status=Notice.Status.SCHEDULED)) | Q(
            school_id__in=viewer.schools_below())
    elif viewer.headed:
        places = Q(school_id=viewer.teacher_school) | Q(school_id__isnull=True, region_id__isnull=False)
    found = Notice.objects.filter(own | places) if places else Notice.objects.filter(own)
    views = []
    for notice in found.order_by("-pk")[:CANDIDATES]:
        view = viewer.view(notice)
        if view is not None:
            views.append(view)
        if len(views) >= limit:
            break
    return views


def _recipients(view: ReceiptView) -> QuerySet:
    rows = NoticeRecipient.objects.filter(notice_id=view.notice.pk)
    return rows.filter(view.part) if view.part is not None else rows


def _grouped(view: ReceiptView, column: str) -> list[tuple[int, int, int, int]]:
    """(group, addressed, read, confirmed) per class or school: from the notice's tallies once its fan-out
    is done (built on first use if the fan-out task did not), else live from the rows."""
    if tallies.build(view.notice.pk):
        rows = ReceiptTally.objects.filter(notice_id=view.notice.pk)
        rows = rows.filter(view.part) if view.part is not None else rows
        return [tuple(r) for r in rows.values(column).annotate(
            a=Sum("addressed"), r=Sum("read_count"), c=Sum("confirmed_count")).values_list(column, "a", "r", "c")]
    return _grouped_live(view, column)


def _grouped_live(view: ReceiptView, column: str) -> list[tuple[int, int, int, int]]:
    """The same, counted now: one GROUP BY over the recipient rows joined with the inbox items."""
    sql, params = _recipients(view).values("account_id", column).query.sql_with_params()
    inbox = connection.ops.quote_name(InboxItem._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT q.{column}, COUNT(*), COUNT(i.read_at), COUNT(i.confirmed_at) FROM ({sql}) q "
            f"JOIN {inbox} i ON i.notice_id = %s AND i.account_id = q.account_id GROUP BY q.{column}",
            [*params, view.notice.pk])
        return [tuple(row) for row in cursor.fetchall()]


# A recipient's inbox state (0 unread, 1 read, 2 confirmed), looked up per recipient row `q` through the
# (notice, account) unique index. A correlated subquery in the select list or WHERE is run per row
# whatever the statistics say: as a join, PostgreSQL planned a notice just fanned out (its rows not yet
# analysed, estimated at a few hundred) by hashing all its inbox items, 0.5 s for a class of 46 on a
# city notice of 1.3 million (bench_notices).
_STATE_OF = (f"(SELECT CASE WHEN i.confirmed_at IS NOT NULL THEN 2 WHEN i.read_at IS NOT NULL THEN 1 ELSE 0 END "
             f"FROM {InboxItem._meta.db_table} i WHERE i.notice_id = %s AND i.account_id = q.account_id)")


def _totals(view: ReceiptView) -> Figures:
    if view.part is None:
        sums = InboxItem.objects.filter(notice_id=view.notice.pk).aggregate(
            addressed=Count("pk"), read=Count("read_at"), confirmed=Count("confirmed_at"))
        return Figures(0, _("All"), sums["addressed"], sums["read"], sums["confirmed"])
    # Each reader once, however many of their children the part holds.
    sql, params = _recipients(view).values("account_id").distinct().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(s.state), COALESCE(SUM(CASE WHEN s.state >= 1 THEN 1 ELSE 0 END), 0), "
            f"COALESCE(SUM(CASE WHEN s.state = 2 THEN 1 ELSE 0 END), 0) "
            f"FROM (SELECT {_STATE_OF} AS state FROM ({sql}) q) s", [view.notice.pk, *params])
        addressed, read, confirmed = cursor.fetchone()
    return Figures(0, _("All"), addressed, read, confirmed)


def class_label(school_class: SchoolClass | None) -> str:
    return school_class.display_name() if school_class is not None else _("Teachers of the school")


def receipts_of(actor: Actor, notice_id: int) -> Receipts:
    """Addressed, read and confirmed for the notice, and the same per class (or per school for regions)."""
    view = receipt_view(actor, notice_id)
    column = "class_id" if view.group_by == BY_CLASS else "school_id"
    rows = _grouped(view, column)
    keys = [r[0] for r in rows if r[0]]
    if view.group_by == BY_CLASS:
        objects = SchoolClass.objects.select_related("cohort__stage", "school").in_bulk(keys)
        labels = {k: class_label(objects.get(k)) for k in keys}
    else:
        labels = dict(School.objects.filter(pk__in=keys).values_list("pk", "name"))
    groups = [Figures(key or 0, labels.get(key, "") if key else class_label(None), a, r, c) for key, a, r, c in rows]
    groups.sort(key=lambda g: (g.key == 0, g.label, g.key))
    reminders = list(view.notice.reminders.order_by("created_at"))
    if view.remind_classes is not None:
        reminders = [r for r in reminders if r.class_id is None or r.class_id in view.remind_classes]
    return Receipts(view=view, totals=_totals(view), groups=groups, reminders=reminders)


def class_of_view(view: ReceiptView, class_id: int) -> SchoolClass:
    """A class this view shows names for; anything else is "not found"."""
    if not view.shows_names or not 1 <= class_id <= MAX_ID or not _recipients(view).filter(class_id=class_id).exists():
        raise UserFacingError("receipts.class_not_found")
    return SchoolClass.objects.select_related("cohort__stage", "school").get(pk=class_id)


def unread_of_class(actor: Actor, notice_id: int, class_id: int) -> tuple[ReceiptView, SchoolClass, list[UnreadReader]]:
    """The unread of one class, by name; parents as their child's parent with the phone masked (NFR-1)."""
    view = receipt_view(actor, notice_id)
    school_class = class_of_view(view, class_id)
    sql, params = _recipients(view).filter(class_id=class_id).values(
        "account_id", "student_person_id", "role").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT q.account_id, q.student_person_id, q.role FROM ({sql}) q WHERE {_STATE_OF} = 0",
            [*params, view.notice.pk])
        rows = cursor.fetchall()
    accounts = {pk: (name, phone) for pk, name, phone in Account.objects.filter(
        pk__in={r[0] for r in rows}).values_list("pk", "person__name", "phone")}
    children = dict(Person.objects.filter(pk__in={r[1] for r in rows if r[1]}).values_list("pk", "name"))
    readers = []
    for account_id, child_id, role in rows:
        name, phone = accounts.get(account_id, ("", ""))
        if role == Notice.Role.PARENT:
            child = children.get(child_id, "")
            display = _("%(child)s's parent") % {"child": child}
            if phone:
                display = f"{display} ({mask_phone(phone)})"
            readers.append(UnreadReader(display, role, child))
        else:
            readers.append(UnreadReader(name or "", role, name if role == Notice.Role.STUDENT else ""))
    order = {Notice.Role.STUDENT: 0, Notice.Role.PARENT: 1, Notice.Role.TEACHER: 2}
    readers.sort(key=lambda r: (order.get(r.role, 3), r.child, r.display))
    return view, school_class, readers
