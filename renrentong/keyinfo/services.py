"""Key information (KEY-1..KEY-3): local and national student numbers and the ID number of each student.

What the school enters applies at once; what a student or parent changes waits for the school, which
sees the value on the platform beside the proposed one and accepts or refuses each field (Changsha:
学校上传的信息默认审核通过,家长或学生修改的需要学校审核). Completion is counted per class and school,
the incomplete list can be exported, and an official registry list can be compared with the platform.

ID numbers are sealed wherever they are kept (a proposal too) and leave the server masked; a full one
is shown to an admin only through an audited read. A number already held by another person is refused
with a message naming who can fix it, and, for the school's own admins, whose record holds it.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.accounts.models import Account, Enrollment, Identity, Person
from renrentong.accounts.selectors import current_enrollment
from renrentong.accounts.selectors import contact_for
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.crypto import id_number_digest, national_student_number_digest, seal, unseal
from renrentong.core.approvals import Approval
from renrentong.core.errors import UserFacingError, in_language
from renrentong.core.masking import mask_id_number, mask_student_number
from renrentong.core.text import is_valid_id_number, normalize_id_number, normalize_text
from renrentong.orgs.models import School, SchoolClass
from renrentong.orgs.selectors import school_for

from renrentong.keyinfo import access
from renrentong.keyinfo.models import KeyField, KeyInfoChange, KeyInfoFieldChange, RegistryComparison

FIELDS = [f.value for f in KeyField]
PROPOSAL_PURPOSE = "key_info_proposal"
# The shared approval shape (core/approvals.py): each field is accepted or refused, so a change needs no
# reason; a newer proposal replaces (withdraws) the waiting one.
FLOW = Approval(pending=KeyInfoChange.Status.PENDING, closed_code="keyinfo.already_decided")
NUMBER_FIELDS = ("local_student_number", "national_student_number")
_STUDENT_NUMBER = re.compile(r"[A-Z0-9]{6,32}")
# Field names in both languages for messages (the catalogue's placeholders take plain text).
FIELD_NAMES = {
    "local_student_number": ("市网学籍号", "local student number"),
    "national_student_number": ("全国学籍号", "national student number"),
    "id_number": ("身份证号", "ID number"),
}


def field_name(field: str) -> str:
    return in_language(*FIELD_NAMES[field])


# Values ---------------------------------------------------------------------------------------------------

def clean(field: str, value: str) -> str:
    """The canonical form of a typed value ("" clears it); a UserFacingError if it cannot be one."""
    if field not in FIELDS:
        raise UserFacingError("keyinfo.unknown_field", field=str(field)[:40])
    if field == "id_number":
        value = normalize_id_number(value)
        if value and not is_valid_id_number(value):
            raise UserFacingError("keyinfo.invalid_id_number", value=value[:24])
        return value
    value = normalize_text(value).upper()
    if value and not _STUDENT_NUMBER.fullmatch(value):
        raise UserFacingError("keyinfo.invalid_student_number", field=field_name(field), value=value[:40])
    return value


def shown(field: str, value: str) -> str:
    """The display form: a national student number is usually "G" + the ID number, so both are masked."""
    if not value or field == "local_student_number":
        return value
    return mask_id_number(value) if field == "id_number" else mask_student_number(value)


def current_values(person: Person) -> dict[str, str]:
    """What the platform holds, for display (masked as `shown` says)."""
    return {"local_student_number": person.local_student_number or "",
            "national_student_number": person.national_student_number_masked or "",
            "id_number": person.id_number_masked or ""}


# Both numbers that carry an ID number are kept sealed and compared by their keyed digests (NFR-1).
DIGESTS = {"id_number": ("id_number_digest", id_number_digest),
           "national_student_number": ("national_student_number_digest", national_student_number_digest)}


def _lookup(field: str, value: str) -> dict[str, str]:
    if field in DIGESTS:
        column, digest = DIGESTS[field]
        return {column: digest(value)}
    return {field: value}


def _same(person: Person, field: str, value: str) -> bool:
    if field in DIGESTS:
        column, digest = DIGESTS[field]
        return (getattr(person, column) or "") == (digest(value) if value else "")
    return (getattr(person, field) or "") == value


def _holder(person: Person, field: str, value: str) -> Person | None:
    if not value:
        return None
    return Person.objects.filter(**_lookup(field, value)).exclude(pk=person.pk).first()


def _check_free(actor: Actor, person: Person, field: str, value: str, *, detailed: bool) -> None:
    """Refuse a number held by someone else; `detailed` (the school's admins) names whose record it is."""
    holder = _holder(person, field, value)
    if holder is None:
        return
    enrollment = current_enrollment(holder.pk)
    is_student = enrollment is not None or Identity.objects.filter(
        account__person=holder, kind=Identity.Kind.STUDENT).exists()
    if field == "id_number" and not is_student:
        raise UserFacingError("keyinfo.id_held_by_other_role", contact=contact_for(None))
    if not detailed:
        raise UserFacingError("keyinfo.taken", field=field_name(field), contact=contact_for(actor.account))
    own_school = actor.identity.school_id if actor.identity else None
    if enrollment is not None and enrollment.school_id == own_school:
        number = Account.objects.filter(person=holder).values_list("number", flat=True).first() or "-"
        raise UserFacingError("keyinfo.taken_same_school", field=field_name(field), name=holder.name,
                              account=number, school_class=enrollment.school_class.display_name())
    school = enrollment.school.name if enrollment else in_language("其他学校", "another school")
    raise UserFacingError("keyinfo.taken_other_school", field=field_name(field), school=school)


def _apply(person: Person, field: str, value: str) -> None:
    if field == "id_number":
        person.set_id_number(value or None)
    elif field == "national_student_number":
        person.set_national_student_number(value)
    else:
        setattr(person, field, value or None)


# Who may do what ----------------------------------------------------------------------------------------------

def student_of_school(actor: Actor, person_id: int) -> tuple[Person, Enrollment]:
    """A student enrolled now at the admin's school, locked for the change (else 404)."""
    school = school_for(actor, not_allowed="keyinfo.not_allowed", region_admins=False)
    enrollment = Enrollment.objects.filter(person_id=person_id, school=school, ended_on__isnull=True).first()
    if enrollment is None:
        raise UserFacingError("scope.not_found")
    return Person.objects.select_for_update().get(pk=person_id), enrollment


def person_for_proposal(actor: Actor, person_id: int) -> Person:
    """The student themself, or a child of the parent (ACC-3); anyone else is not found."""
    actor.require_identity()
    if access.can_propose_for(actor, person_id):
        return Person.objects.get(pk=person_id)
    if access.may_propose(actor):
        raise UserFacingError("scope.not_found")
    raise UserFacingError("keyinfo.not_allowed")


def person_view(actor: Actor, person_id: int) -> tuple[Person, Enrollment | None, KeyInfoChange | None]:
    """A student's key information as the actor may see it, with the pending request if any."""
    identity = actor.require_identity()
    if access.can_decide(actor):
        enrollment = Enrollment.objects.filter(person_id=person_id, school_id=identity.school_id,
                                               ended_on__isnull=True).select_related(
            "person", "school_class__cohort__stage", "school_class__school", "school").first()
        if enrollment is None:
            raise UserFacingError("scope.not_found")
        person = enrollment.person
    else:
        person = person_for_proposal(actor, person_id)
        enrollment = current_enrollment(person.pk)
    pending = KeyInfoChange.objects.filter(person=person, status=KeyInfoChange.Status.PENDING).prefetch_related(
        "fields").first()
    return person, enrollment, pending


# School edits (KEY-1: apply at once) --------------------------------------------------------------------------

@transaction.atomic
def update_key_information(actor: Actor, person_id: int, values: dict[str, str]) -> Person:
    person, enrollment = student_of_school(actor, person_id)
    changes = {}
    for field, raw in values.items():
        value = clean(field, raw)
        if _same(person, field, value):
            continue
        _check_free(actor, person, field, value, detailed=True)
        changes[field] = {"old": current_values(person)[field], "new": shown(field, value)}
        _apply(person, field, value)
    if not changes:
        raise UserFacingError("keyinfo.no_changes")
    person.save()
    audit.record(actor, "keyinfo.update", person, {"fields": changes}, school_id=enrollment.school_id)
    return person


# Proposals by students and parents (KEY-1: wait for the school) ------------------------------------------

@transaction.atomic
def propose_key_information(actor: Actor, person_id: int, values: dict[str, str]) -> KeyInfoChange:
    person = person_for_proposal(actor, person_id)
    Person.objects.select_for_update().filter(pk=person.pk).first()
    enrollment = current_enrollment(person.pk)
    if enrollment is None:
        raise UserFacingError("keyinfo.not_enrolled", contact=contact_for(actor.account))
    rows = []
    for field, raw in values.items():
        value = clean(field, raw)
        if not value or _same(person, field, value):
            continue  # a parent proposes numbers; clearing one is the school's call
        _check_free(actor, person, field, value, detailed=False)
        # The proposed value is kept sealed like an ID number on Person; only its display form is plain.
        key_id, cipher = seal(value, PROPOSAL_PURPOSE)
        rows.append(KeyInfoFieldChange(field=field, old_value=current_values(person)[field],
                                       new_value=shown(field, value), new_key=key_id, new_cipher=cipher))
    if not rows:
        raise UserFacingError("keyinfo.no_changes")
    replaced = KeyInfoChange.objects.filter(person=person, status=KeyInfoChange.Status.PENDING)
    replaced_ids = list(replaced.values_list("pk", flat=True))
    replaced.update(status=KeyInfoChange.Status.WITHDRAWN, decided_at=timezone.now())
    change = KeyInfoChange.objects.create(person=person, school=enrollment.school, requested_by=actor.account,
                                          requested_as=actor.identity.kind)
    for row in rows:
        row.change, row.school_id = change, change.school_id
    KeyInfoFieldChange.objects.bulk_create(rows)
    audit.record(actor, "keyinfo.propose", change, {
        "person": person.pk, "replaced": replaced_ids,
        "fields": {r.field: {"old": r.old_value, "new": r.new_value} for r in rows}}, school_id=enrollment.school_id)
    return change


def _proposed_value(row: KeyInfoFieldChange) -> str:
    return unseal(row.new_key, bytes(row.new_cipher), PROPOSAL_PURPOSE)


def save_key_information(actor: Actor, person_id: int, values: dict[str, str]) -> bool:
    """One save for page and endpoint: a school admin's change applies now (True), anyone else's waits (False)."""
    if access.applies_at_once(actor):
        update_key_information(actor, person_id, values)
        return True
    propose_key_information(actor, person_id, values)
    return False


def move_pending_changes(person: Person, to_school: School) -> int:
    """A transfer takes the student's waiting request along: the new school decides it. Returns how many moved."""
    return KeyInfoChange.objects.filter(person=person, status=KeyInfoChange.Status.PENDING).update(school=to_school)


def changes_in_scope(actor: Actor) -> QuerySet[KeyInfoChange]:
    identity = actor.require_identity()
    qs = KeyInfoChange.objects.select_related("person", "school", "requested_by").prefetch_related("fields")
    if access.can_decide(actor):
        return qs.filter(school_id=identity.school_id)
    if access.follows_schools_below(actor):
        return qs.filter(school__district_id__in=actor.scope.district_ids)
    if access.may_propose(actor):
        return qs.filter(person_id__in=actor.scope.person_ids)
    return qs.none()


def change_in_scope(actor: Actor, change_id: int) -> KeyInfoChange:
    found = changes_in_scope(actor).filter(pk=change_id).first()
    if found is None:
        raise UserFacingError("scope.not_found")
    return found


def pending_changes(actor: Actor) -> list[KeyInfoChange]:
    school_for(actor, not_allowed="keyinfo.not_allowed", region_admins=False)
    return list(changes_in_scope(actor).filter(status=KeyInfoChange.Status.PENDING).order_by("created_at", "pk"))


@transaction.atomic
def decide(actor: Actor, change_id: int, decisions: dict[str, str]) -> KeyInfoChange:
    """Accept or refuse each field (side by side on the page). Deciding a field again changes nothing."""
    school = school_for(actor, not_allowed="keyinfo.not_allowed", region_admins=False)
    change_in_scope(actor, change_id)
    change = KeyInfoChange.objects.select_for_update().get(pk=change_id)
    rows = {r.field: r for r in KeyInfoFieldChange.objects.select_for_update().filter(change=change)}
    for field, verdict in decisions.items():
        if field not in rows:
            raise UserFacingError("keyinfo.unknown_field", field=str(field)[:40])
        if verdict not in ("accept", "refuse"):
            raise UserFacingError("request.invalid", detail=f"{field}: accept or refuse")
    if change.status != KeyInfoChange.Status.PENDING:
        if all(rows[f].decision == ("accepted" if v == "accept" else "refused") for f, v in decisions.items()):
            return change  # the same decisions again change nothing
    FLOW.open(change)
    person = Person.objects.select_for_update().get(pk=change.person_id)
    done: dict[str, dict] = {}
    for field, verdict in decisions.items():
        row = rows[field]
        if row.decision != KeyInfoFieldChange.Decision.PENDING:
            continue
        if verdict == "accept":
            value = _proposed_value(row)
            if not _same(person, field, value):
                _check_free(actor, person, field, value, detailed=True)
                _apply(person, field, value)
            row.decision = KeyInfoFieldChange.Decision.ACCEPTED
        else:
            row.decision = KeyInfoFieldChange.Decision.REFUSED
        row.save(update_fields=["decision"])
        done[field] = {"decision": row.decision, "old": row.old_value, "new": row.new_value}
    if not done:
        return change
    person.save()
    if all(r.decision != KeyInfoFieldChange.Decision.PENDING for r in rows.values()):
        FLOW.close(change, KeyInfoChange.Status.DECIDED, actor)
    audit.record(actor, "keyinfo.decide", change, {"person": person.pk, "fields": done}, school_id=school.pk)
    return change


@transaction.atomic
def reveal_proposed(actor: Actor, change_id: int, field: str = "id_number") -> str:
    """The full proposed ID number or national student number, for the deciding school's admin only,
    always audited (NFR-1)."""
    school = school_for(actor, not_allowed="keyinfo.not_allowed", region_admins=False)
    change = change_in_scope(actor, change_id)
    row = next((r for r in change.fields.all() if r.field == field and field in DIGESTS), None)
    if row is None:
        raise UserFacingError("keyinfo.unknown_field", field=str(field)[:40])
    audit.record(actor, f"keyinfo.reveal_proposed_{field}", change, {"person": change.person_id},
                 school_id=school.pk)
    return _proposed_value(row)


def reveal_proposed_id_number(actor: Actor, change_id: int) -> str:
    return reveal_proposed(actor, change_id, "id_number")


# Completion (KEY-2) ---------------------------------------------------------------------------------------

COMPLETE, MISSING, WAITING = "complete", "missing", "waiting"


@dataclass
class StudentKeyInfo:
    person_id: int
    name: str
    account: str
    class_id: int
    class_name: str
    values: dict[str, str]  # display forms (see `shown`)
    missing: list[str]
    state: str  # complete | missing | waiting
    national: str = ""  # the national student number's keyed digest, for comparisons only


@dataclass
class ClassCompletion:
    school_class: SchoolClass
    name: str
    total: int = 0
    complete: int = 0
    missing: int = 0
    waiting: int = 0


def students_key_info(school: School, class_id: int | None = None) -> list[StudentKeyInfo]:
    """Every student enrolled now (or in one class), with what is missing and whether a change waits."""
    enrollments = Enrollment.objects.filter(school=school, ended_on__isnull=True)
    if class_id is not None:
        enrollments = enrollments.filter(school_class_id=class_id)
    classes = {c.pk: c for c in SchoolClass.objects.filter(school=school).select_related("cohort__stage", "school")}
    rows = list(enrollments.values_list("person_id", "school_class_id", "person__name", "person__local_student_number",
                                        "person__national_student_number_masked", "person__id_number_masked",
                                        "person__national_student_number_digest")
                .order_by("school_class_id", "person__name", "person_id"))
    people = [r[0] for r in rows]
    accounts = dict(Account.objects.filter(person_id__in=people).values_list("person_id", "number"))
    waiting = set(KeyInfoChange.objects.filter(person_id__in=people, status=KeyInfoChange.Status.PENDING)
                  .values_list("person_id", flat=True))
    names = {pk: c.display_name(school.school_year) for pk, c in classes.items()}
    result = []
    for person_id, class_pk, name, local, national_masked, masked, national in rows:
        values = {"local_student_number": local or "",
                  "national_student_number": national_masked or "",
                  "id_number": masked or ""}
        missing = [f for f in FIELDS if not values[f]]
        state = WAITING if person_id in waiting else (MISSING if missing else COMPLETE)
        result.append(StudentKeyInfo(person_id, name, accounts.get(person_id, ""), class_pk, names.get(class_pk, ""),
                                     values, missing, state, national or ""))
    return result


def completion(actor: Actor, school_id: int | None = None) -> tuple[School, list[ClassCompletion], ClassCompletion]:
    school = school_for(actor, school_id, not_allowed="keyinfo.not_allowed")
    per_class: dict[int, ClassCompletion] = {}
    classes = {c.pk: c for c in SchoolClass.objects.filter(school=school).select_related("cohort__stage", "school")}
    for student in students_key_info(school):
        item = per_class.get(student.class_id)
        if item is None:
            school_class = classes[student.class_id]
            item = per_class[student.class_id] = ClassCompletion(school_class, student.class_name)
        item.total += 1
        setattr(item, student.state, getattr(item, student.state) + 1)
    ordered = sorted(per_class.values(), key=lambda c: (c.school_class.cohort.stage.first_grade,
                                                        -c.school_class.cohort.enrollment_year, c.school_class.number))
    total = ClassCompletion(None, school.name)  # type: ignore[arg-type]
    for item in ordered:
        for key in ("total", "complete", "missing", "waiting"):
            setattr(total, key, getattr(total, key) + getattr(item, key))
    return school, ordered, total


# The orders of the schools list (?sort=): by district and code, or by name.
SCHOOL_SORTS = {"code": ("district__code", "code", "pk"), "name": ("name", "pk")}


def schools_listed(actor: Actor, *, sort: str = "code") -> QuerySet[School]:
    """The schools a region admin follows, for the key information schools table (not yet paged)."""
    actor.require_identity()
    key = sort.removeprefix("-")
    order = SCHOOL_SORTS.get(key, SCHOOL_SORTS["code"])
    if sort.startswith("-") and key in SCHOOL_SORTS:
        order = tuple("-" + f for f in order)
    return actor.scope.schools(School.objects.all()).select_related("district").order_by(*order)


def record_export(actor: Actor, what: str, *, rows: int, school: School | None = None, **details) -> None:
    """An export of a key information table (schools, completion, a class) is audited like the others."""
    identity = actor.require_identity()
    with transaction.atomic():
        audit.record(actor, "keyinfo.table_export", school,
                     {"table": what, "rows": rows, **{k: v for k, v in details.items() if v},
                      **({"region_id": identity.region_id} if identity.region_id else {})},
                     school_id=school.pk if school else identity.school_id)


def class_key_info(actor: Actor, class_id: int) -> tuple[SchoolClass, list[StudentKeyInfo]]:
    school = school_for(actor, not_allowed="keyinfo.not_allowed", region_admins=False)
    school_class = SchoolClass.objects.filter(pk=class_id, school=school).select_related("cohort__stage",
                                                                                         "school").first()
    if school_class is None:
        raise UserFacingError("scope.not_found")
    return school_class, students_key_info(school, class_id)


def incomplete_export(actor: Actor, school_id: int | None = None) -> tuple[School, bytes]:
    """The students whose key information is missing or waiting, as a formula-safe .xlsx (KEY-2)."""
    from renrentong.core.spreadsheets.writer import Sheet, write_xlsx

    school = school_for(actor, school_id, not_allowed="keyinfo.not_allowed")
    students = [s for s in students_key_info(school) if s.state != COMPLETE]
    state_names = {MISSING: in_language("未完善", "missing"), WAITING: in_language("待审核", "waiting")}
    headers = ["班级", "姓名", "账号", "市网学籍号", "全国学籍号", "身份证号", "缺少", "状态"]
    rows = [[s.class_name, s.name, s.account, s.values["local_student_number"], s.values["national_student_number"],
             s.values["id_number"], "、".join(FIELD_NAMES[f][0] for f in s.missing), state_names[s.state]]
            for s in students]
    with transaction.atomic():
        audit.record(actor, "keyinfo.export_incomplete", school, {"rows": len(rows)}, school_id=school.pk)
    return school, write_xlsx([Sheet(name="关键信息未完成名单", headers=headers, rows=rows, text_columns=set(headers))])


# Comparison with the official registry (KEY-3) -----------------------------------------------------------------

REGISTRY_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "学生姓名", "name"),
    "id_number": ("身份证号", "身份证号码", "证件号码", "身份证件号", "idnumber", "id_number"),
    "national_student_number": ("全国学籍号", "全国学籍号码", "国网学籍号", "学籍号", "nationalstudentnumber",
                                "national_student_number"),
    "local_student_number": ("市网学籍号", "本地学籍号", "localstudentnumber", "local_student_number"),
    "class": ("班级", "班级名称", "class"),
}
# Kinds of mismatch, in the order the result lists them.
MISMATCHES = ("missing_on_platform", "missing_in_registry", "name_differs", "id_number_differs",
              "national_student_number_differs", "local_student_number_differs", "invalid_row",
              "duplicate_in_registry")
MISMATCH_LABELS = {
    "missing_on_platform": _("In the registry, not on the platform"),
    "missing_in_registry": _("On the platform, not in the registry"),
    "name_differs": _("Name differs"),
    "id_number_differs": _("ID number differs"),
    "national_student_number_differs": _("National student number differs"),
    "local_student_number_differs": _("Local student number differs"),
    "invalid_row": _("Registry row without a valid number"),
    "duplicate_in_registry": _("Listed twice in the registry"),
}


def compare_registry(actor: Actor, chunks, file_name: str, school_id: int | None = None) -> RegistryComparison:
    """Read an uploaded registry list (screened like a roster) and list where it and the platform differ."""
    from renrentong.core.spreadsheets import reader
    school = school_for(actor, school_id, not_allowed="keyinfo.not_allowed")
    fd, tmp = tempfile.mkstemp(prefix="registry-", suffix=Path(file_name or "").suffix.lower()[:8])
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > reader.MAX_FILE_BYTES:
                    raise UserFacingError("import.file_too_large")
                out.write(chunk)
        path = Path(tmp)
        fmt = reader.screen_file(path, file_name)
        table = reader.read_table(path, fmt, REGISTRY_COLUMNS, required={"name"},
                                  text_only={"id_number", "national_student_number", "local_student_number"})
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    if "id_number" not in table.fields and "national_student_number" not in table.fields:
        raise UserFacingError("keyinfo.registry_columns")
    counts, items = _compare(school, table.rows)
    # The file is read outside the transaction: a slow read must not hold the database.
    with transaction.atomic():
        comparison = RegistryComparison.objects.create(school=school, created_by=actor.account,
                                                       file_name=(file_name or "")[:255], counts=counts, items=items)
        audit.record(actor, "keyinfo.registry_compare", comparison, {"file": file_name, "counts": counts},
                     school_id=school.pk)
    return comparison


def comparison_items(comparison: RegistryComparison) -> list[dict]:
    """A comparison's items with each class named in the reader's language: the stored name was the language of
    whoever compared (comparisons from before class ids were kept show that)."""
    ids = {i["class_id"] for i in comparison.items if i.get("class_id")}
    names = {c.pk: c.display_name(comparison.school.school_year) for c in SchoolClass.objects.filter(
        pk__in=ids, school_id=comparison.school_id).select_related("school", "cohort__stage")}
    return [{**i, "class_name": names.get(i.get("class_id"), i.get("class_name", ""))} for i in comparison.items]


def _compare(school: School, rows) -> tuple[dict, list[dict]]:
    students = students_key_info(school)
    digests = dict(Person.objects.filter(pk__in=[s.person_id for s in students]).values_list("pk", "id_number_digest"))
    by_digest = {digests[s.person_id]: s for s in students if digests.get(s.person_id)}
    by_national = {s.national: s for s in students if s.national}
    items: list[dict] = []
    seen: dict[str, int] = {}
    matched: set[int] = set()
    unmatched_digests: dict[str, dict] = {}

    def item(kind: str, row_number: int | None, student: StudentKeyInfo | None, name: str, field: str = "",
             platform: str = "", registry: str = "", detail: str = "") -> dict:
        entry = {"kind": kind, "row": row_number, "name": name, "field": field, "platform": platform,
                 "registry": registry, "detail": detail, "person_id": student.person_id if student else None,
                 "account": student.account if student else "", "class_name": student.class_name if student else "",
                 "class_id": student.class_id if student else None}
        items.append(entry)
        return entry

    for row in rows:
        name = normalize_text(row.values.get("name", ""))
        id_number = normalize_id_number(row.values.get("id_number", ""))
        national = normalize_text(row.values.get("national_student_number", "")).upper()
        local = normalize_text(row.values.get("local_student_number", "")).upper()
        if row.problems or (id_number and not is_valid_id_number(id_number)) or not (id_number or national):
            registry = mask_id_number(id_number) if id_number else shown("national_student_number", national)
            item("invalid_row", row.number, None, name, "id_number", registry=registry,
                 detail="stored_as_number" if row.problems else "invalid")
            continue
        key = id_number or national
        if key in seen:
            item("duplicate_in_registry", row.number, None, name, registry=mask_id_number(id_number) if id_number
                 else shown("national_student_number", national), detail=str(seen[key]))
            continue
        seen[key] = row.number
        digest = id_number_digest(id_number) if id_number else None
        student = by_digest.get(digest) if digest else None
        national_digest = national_student_number_digest(national) if national else ""
        student = student or (by_national.get(national_digest) if national else None)
        if student is None or student.person_id in matched:
            entry = item("missing_on_platform", row.number, None, name,
                         registry=mask_id_number(id_number) if id_number
                         else shown("national_student_number", national))
            if digest:
                unmatched_digests[digest] = entry
            continue
        matched.add(student.person_id)
        if name and normalize_text(student.name) != name:
            item("name_differs", row.number, student, name, "name", student.name, name)
        if id_number and digests.get(student.person_id) != digest:
            item("id_number_differs", row.number, student, name, "id_number", student.values["id_number"],
                 mask_id_number(id_number))
        if national and student.national != national_digest:
            item("national_student_number_differs", row.number, student, name, "national_student_number",
                 student.values["national_student_number"], shown("national_student_number", national))
        if local and student.values["local_student_number"] != local:
            item("local_student_number_differs", row.number, student, name, "local_student_number",
                 student.values["local_student_number"], local)
    for student in students:
        if student.person_id not in matched:
            item("missing_in_registry", None, student, student.name, platform=student.values["id_number"])
    _where_enrolled(unmatched_digests)
    order = {kind: i for i, kind in enumerate(MISMATCHES)}
    items.sort(key=lambda e: (order[e["kind"]], e["row"] or 0, e["name"]))
    counts = dict(Counter(e["kind"] for e in items))
    counts.update(registry_rows=len(rows), platform_students=len(students), matched=len(matched))
    return counts, items


def _where_enrolled(entries: dict[str, dict]) -> None:
    """A registry student missing here may be enrolled at another school: say where (a transfer is due)."""
    if not entries:
        return
    found = Enrollment.objects.filter(ended_on__isnull=True, person__id_number_digest__in=list(entries)).values_list(
        "person__id_number_digest", "school__name")
    for digest, school_name in found:
        entries[digest]["detail"] = school_name


def comparison_in_scope(actor: Actor, comparison_id: int) -> RegistryComparison:
    identity = actor.require_identity()
    qs = RegistryComparison.objects.select_related("school")
    if access.can_decide(actor):
        qs = qs.filter(school_id=identity.school_id)
    elif access.follows_schools_below(actor):
        qs = qs.filter(school__district_id__in=actor.scope.district_ids)
    else:
        raise UserFacingError("keyinfo.not_allowed")
    found = qs.filter(pk=comparison_id).first()
    if found is None:
        raise UserFacingError("scope.not_found")
    return found


def recent_comparisons(actor: Actor, school: School) -> list[RegistryComparison]:
    return list(RegistryComparison.objects.filter(school=school).order_by("-created_at", "-pk")[:10])
