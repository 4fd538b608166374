"""The verbs of evaluation (EVA-1..EVA-3): the city's catalogue, the submission windows, and a student's
material from writing to submitting. Each takes the Actor first, checks, changes in one transaction and
records the audit event; a refusal is a UserFacingError."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError, in_language
from renrentong.orgs.models import Region, School
from renrentong.uploads.models import StoredFile
from renrentong.uploads.services import store_upload

from renrentong.evaluation import access, selectors
from renrentong.evaluation.models import Dimension, EvidenceItem, RecordFile, SubmissionWindow, WrittenRecord
from renrentong.evaluation.standard import STANDARD_CATALOGUE, UPLOADED

TEXT_LIMIT = 2000
TITLE_LIMIT = 60
LABEL_LIMIT = 32
MAX_FILES = 9
UPLOAD_PURPOSE = "record"
CODE = re.compile(r"[a-z][a-z0-9_]{0,31}")
SOURCES = {UPLOADED: EvidenceItem.Source.FAMILY, "city": EvidenceItem.Source.CITY, "school": EvidenceItem.Source.SCHOOL}
State = WrittenRecord.State


# The catalogue (EVA-1) ----------------------------------------------------------------------------------

def install_standard_catalogue(region: Region, school_year: int, actor: Actor | None = None) -> int:
    """Give a city the standard list (standard.py) for a school year, unless it has one; returns how many
    items were added. The demo region installs it at load; a city admin starts a new year with it."""
    if Dimension.objects.filter(region_id=region.pk, school_id__isnull=True, school_year=school_year).exists():
        return 0
    added = 0
    with transaction.atomic():
        for d_pos, standard in enumerate(STANDARD_CATALOGUE):
            dimension = Dimension.objects.create(region_id=region.pk, school_year=school_year, code=standard.code,
                                                 label=standard.label, position=d_pos)
            EvidenceItem.objects.bulk_create([EvidenceItem(
                region_id=region.pk, school_year=school_year, dimension=dimension, code=item.code, label=item.label,
                kind=EvidenceItem.Kind.UPLOADED if item.source == UPLOADED else EvidenceItem.Kind.IMPORTED,
                source=SOURCES[item.source], position=i_pos) for i_pos, item in enumerate(standard.items)])
            added += len(standard.items)
        audit.record(actor, "evaluation.catalogue_install", None, {"region_id": region.pk, "school_year": school_year,
                                                                   "items": added})
    return added


def _city_admin_city(actor: Actor) -> Region:
    if not access.edits_catalogue(actor):
        raise UserFacingError("evaluation.not_city_admin")
    return actor.identity.region


def _printable(text: str, keep: str = "") -> str:
    """Control characters as spaces: PostgreSQL refuses a NUL, and none belongs in a record or a name."""
    return "".join(ch if ch in keep or unicodedata.category(ch) != "Cc" else " " for ch in (text or ""))


def one_line(text: str) -> str:
    """A name or title: control characters and runs of white space become one space, trimmed."""
    return " ".join(_printable(text).split())


def clean_label(label: str) -> str:
    """A dimension's or item's name: trimmed, 1..32 characters."""
    label = one_line(label)
    if not label or len(label) > LABEL_LIMIT:
        raise UserFacingError("evaluation.label_invalid")
    return label


def clean_code(code: str) -> str:
    code = (code or "").strip()
    if not CODE.fullmatch(code):
        raise UserFacingError("evaluation.code_invalid")
    return code


def start_year(actor: Actor, school_year: int) -> int:
    """A city admin starts a school year's catalogue: a copy of the newest earlier year, else the standard
    list. Returns how many items the year has."""
    city = _city_admin_city(actor)
    if not 2000 <= school_year <= 2100:
        raise UserFacingError("field.invalid", field="school_year")
    existing = EvidenceItem.objects.filter(region_id=city.pk, school_id__isnull=True, school_year=school_year)
    if existing.exists():
        return existing.count()
    source = (Dimension.objects.filter(region_id=city.pk, school_id__isnull=True, school_year__lt=school_year)
              .aggregate(year=Max("school_year"))["year"])
    if source is None:
        return install_standard_catalogue(city, school_year, actor)
    with transaction.atomic():
        added = 0
        for dimension in Dimension.objects.filter(region_id=city.pk, school_id__isnull=True, school_year=source):
            copy = Dimension.objects.create(region_id=city.pk, school_year=school_year, code=dimension.code,
                                            label=dimension.label, position=dimension.position)
            items = [EvidenceItem(region_id=city.pk, school_year=school_year, dimension=copy, code=i.code,
                                  label=i.label, kind=i.kind, source=i.source, position=i.position)
                     for i in dimension.items.filter(retired_at__isnull=True)]
            EvidenceItem.objects.bulk_create(items)
            added += len(items)
        audit.record(actor, "evaluation.catalogue_install", None, {"region_id": city.pk, "school_year": school_year,
                                                                   "items": added, "copied_from": source})
    return added


def _code_free(city_id: int, school_year: int, code: str) -> None:
    if (Dimension.objects.filter(region_id=city_id, school_id__isnull=True, school_year=school_year, code=code).exists()
            or EvidenceItem.objects.filter(region_id=city_id, school_id__isnull=True, school_year=school_year,
                                           code=code).exists()):
        raise UserFacingError("evaluation.code_exists", taken=code)


def add_dimension(actor: Actor, school_year: int, code: str, label: str) -> Dimension:
    city = _city_admin_city(actor)
    code, label = clean_code(code), clean_label(label)
    _code_free(city.pk, school_year, code)
    with transaction.atomic():
        position = Dimension.objects.filter(region_id=city.pk, school_id__isnull=True,
                                            school_year=school_year).count()
        dimension = Dimension.objects.create(region_id=city.pk, school_year=school_year, code=code, label=label,
                                             position=position)
        audit.record(actor, "evaluation.dimension_add", dimension, {"label": label, "school_year": school_year})
    return dimension


def _own_dimension(city: Region, dimension_id: int) -> Dimension:
    found = Dimension.objects.filter(pk=dimension_id, region_id=city.pk, school_id__isnull=True).first()
    if found is None:
        raise UserFacingError("evaluation.dimension_unknown")
    return found


def _own_item(city: Region, item_id: int) -> EvidenceItem:
    found = EvidenceItem.objects.filter(pk=item_id, region_id=city.pk, school_id__isnull=True).first()
    if found is None:
        raise UserFacingError("evaluation.item_unknown")
    return found


def _rename(actor: Actor, row: Dimension | EvidenceItem, label: str, verb: str):
    """Renaming edits the row's label: material filed under an item shows the new name."""
    label = clean_label(label)
    with transaction.atomic():
        before, row.label = row.label, label
        row.save(update_fields=["label"])
        audit.record(actor, verb, row, {"from": before, "to": label})
    return row


def rename_dimension(actor: Actor, dimension_id: int, label: str) -> Dimension:
    return _rename(actor, _own_dimension(_city_admin_city(actor), dimension_id), label, "evaluation.dimension_rename")


def add_item(actor: Actor, dimension_id: int, code: str, label: str, source: str) -> EvidenceItem:
    """A new item under a dimension: source "family" (uploaded by students or parents), "city" or "school"
    (imported)."""
    city = _city_admin_city(actor)
    dimension = _own_dimension(city, dimension_id)
    code, label = clean_code(code), clean_label(label)
    if source not in EvidenceItem.Source.values:
        raise UserFacingError("field.invalid", field="source")
    _code_free(city.pk, dimension.school_year, code)
    with transaction.atomic():
        item = EvidenceItem.objects.create(
            region_id=city.pk, school_year=dimension.school_year, dimension=dimension, code=code, label=label,
            source=source, position=dimension.items.count(),
            kind=EvidenceItem.Kind.UPLOADED if source == EvidenceItem.Source.FAMILY else EvidenceItem.Kind.IMPORTED)
        audit.record(actor, "evaluation.item_add", item, {"label": label, "source": source})
    return item


def rename_item(actor: Actor, item_id: int, label: str) -> EvidenceItem:
    return _rename(actor, _own_item(_city_admin_city(actor), item_id), label, "evaluation.item_rename")


def retire_item(actor: Actor, item_id: int, retired: bool = True) -> EvidenceItem:
    """Retiring hides the item from new classification; material already filed under it keeps it."""
    city = _city_admin_city(actor)
    item = _own_item(city, item_id)
    with transaction.atomic():
        item.retired_at = timezone.now() if retired else None
        item.save(update_fields=["retired_at"])
        audit.record(actor, "evaluation.item_retire" if retired else "evaluation.item_restore", item,
                     {"label": item.label})
    return item


# Submission windows (EVA-3) -----------------------------------------------------------------------------

def set_window(actor: Actor, school_year: int, opens_on: date, closes_on: date) -> SubmissionWindow:
    """The city admin sets the city's window, a school admin their school's; both must be open to submit."""
    if not access.sets_window(actor):
        raise UserFacingError("evaluation.window_not_yours")
    if closes_on < opens_on:
        raise UserFacingError("evaluation.window_dates")
    if access.is_city_admin(actor):
        place = {"region_id": actor.identity.region_id, "school_id": None}
    else:
        place = {"region_id": None, "school_id": actor.identity.school_id}
    with transaction.atomic():
        window, _ = SubmissionWindow.objects.update_or_create(
            **place, school_year=school_year,
            defaults={"opens_on": opens_on, "closes_on": closes_on, "set_by": actor.account,
                      "updated_at": timezone.now()})
        audit.record(actor, "evaluation.window_set", window, {"school_year": school_year, "opens_on": str(opens_on),
                                                              "closes_on": str(closes_on)},
                     school_id=place["school_id"])
    return window


def check_windows(school, city: Region | None, school_year: int, today: date | None = None) -> None:
    """Refuse unless both the city's and the school's windows are open today, saying who sets the closed one
    and when it opens."""
    today = today or timezone.localdate()
    city_window = selectors.window_of_city(city.pk, school_year) if city else None
    if city_window is None:
        raise UserFacingError("evaluation.city_window_unset", year=school_year)
    if not city_window.opens_on <= today <= city_window.closes_on:
        raise UserFacingError("evaluation.city_window_closed", opens=city_window.opens_on, closes=city_window.closes_on)
    school_window = selectors.window_of_school(school.pk, school_year)
    if school_window is None:
        raise UserFacingError("evaluation.school_window_unset", year=school_year)
    if not school_window.opens_on <= today <= school_window.closes_on:
        raise UserFacingError("evaluation.school_window_closed", opens=school_window.opens_on,
                              closes=school_window.closes_on)


# Material (EVA-2) ---------------------------------------------------------------------------------------

@dataclass
class RecordDraft:
    text: str
    happened_on: date
    kind: str = WrittenRecord.Kind.GROWTH
    title: str = ""
    student_id: int | None = None  # a parent's chosen child; a student's own id may be left out
    item_id: int | None = None
    file_ids: list[int] = field(default_factory=list)
    # Files sent with a page form (name, bytes): stored through uploads before the record is written.
    uploads: list[tuple[str, bytes]] = field(default_factory=list)
    client_key: str = ""


def _clean_fields(text: str, title: str, kind: str, happened_on: date) -> tuple[str, str]:
    text = _printable((text or "").replace("\r\n", "\n"), keep="\n\t").strip()
    title = one_line(title)
    if not text or len(text) > TEXT_LIMIT:
        raise UserFacingError("evaluation.text_required")
    if len(title) > TITLE_LIMIT:
        raise UserFacingError("evaluation.title_too_long")
    if kind not in WrittenRecord.Kind.values:
        raise UserFacingError("evaluation.kind_unknown")
    if happened_on > timezone.localdate():
        raise UserFacingError("evaluation.date_in_future")
    return text, title


def _classifiable(city_id: int | None, school_year: int, item_id: int) -> EvidenceItem:
    """An item new material may be filed under: in the record's city and year, uploaded, not retired."""
    if city_id is None:
        raise UserFacingError("evaluation.no_city")
    if not EvidenceItem.objects.filter(region_id=city_id, school_id__isnull=True, school_year=school_year).exists():
        raise UserFacingError("evaluation.no_catalogue", year=school_year)
    item = selectors.item_in_city(city_id, school_year, item_id)
    if item.kind != EvidenceItem.Kind.UPLOADED:
        raise UserFacingError("evaluation.item_not_uploaded", item=item.label)
    if item.retired_at is not None:
        raise UserFacingError("evaluation.item_retired", item=item.label)
    return item


def _files(actor: Actor, file_ids: list[int], uploads: list[tuple[str, bytes]], school_id: int,
           client_key: str) -> list[StoredFile]:
    wanted = list(dict.fromkeys(file_ids))
    if len(wanted) + len(uploads) > MAX_FILES:
        raise UserFacingError("evaluation.too_many_files", limit=MAX_FILES)
    found = {f.pk: f for f in StoredFile.objects.filter(pk__in=wanted, owner=actor.account)}
    if len(found) != len(wanted):
        raise UserFacingError("evaluation.file_not_yours")
    files = [found[i] for i in wanted]
    for n, (name, data) in enumerate(uploads):
        # A retried page form carries the same record key, so each of its files is stored once.
        key = f"record:{client_key[:48]}:{n}" if client_key else ""
        files.append(store_upload(actor, data, name, purpose=UPLOAD_PURPOSE, school_id=school_id, upload_key=key))
    return files


def _replayed(actor: Actor, school_id: int, client_key: str) -> WrittenRecord | None:
    if not client_key:
        return None
    return WrittenRecord.objects.filter(school_id=school_id, author=actor.account, client_key=client_key).first()


def create_record(actor: Actor, draft: RecordDraft) -> tuple[WrittenRecord, bool]:
    """Write a record for the actor's student (a parent: the chosen child). Returns (record, created): a
    retry with the same client key returns the first one's row and creates nothing."""
    person = selectors.student_for(actor, draft.student_id)
    place = selectors.place_of(person)
    client_key = "".join(ch for ch in (draft.client_key or "") if "!" <= ch <= "~")[:64]
    replay = _replayed(actor, place.school.pk, client_key)
    if replay is not None:
        return replay, False
    text, title = _clean_fields(draft.text, draft.title, draft.kind, draft.happened_on)
    school_year = place.school.school_year
    item = None
    if draft.item_id is not None:
        city = selectors.city_of_school(place.school)
        item = _classifiable(city.pk if city else None, school_year, draft.item_id)
    files = _files(actor, draft.file_ids, draft.uploads, place.school.pk, client_key)
    try:
        with transaction.atomic():
            record = WrittenRecord.objects.create(
                school_id=place.school.pk, class_id=place.class_id, school_year=school_year, student=person,
                author=actor.account, author_kind=actor.identity.kind, kind=draft.kind, title=title, text=text,
                happened_on=draft.happened_on, item=item, client_key=client_key)
            RecordFile.objects.bulk_create([RecordFile(record=record, school_id=record.school_id, file=f, position=i)
                                            for i, f in enumerate(files)])
            audit.record(actor, "evaluation.record_create", record, {"kind": record.kind, "files": len(files)},
                         school_id=record.school_id)
    except IntegrityError:
        # The same key arrived twice at once: the other request's row stands.
        replay = _replayed(actor, place.school.pk, client_key)
        if replay is None:
            raise
        return replay, False
    return record, True


@dataclass
class RecordChange:
    text: str | None = None
    title: str | None = None
    kind: str | None = None
    happened_on: date | None = None
    item_id: int | None = None
    clear_item: bool = False
    file_ids: list[int] | None = None  # the files it carries afterwards (all of them)
    uploads: list[tuple[str, bytes]] = field(default_factory=list)


def _editable(actor: Actor, record_id: int) -> WrittenRecord:
    record = selectors.record_for(actor, record_id)
    if not access.keeps_material(actor):
        raise UserFacingError("evaluation.not_for_you")
    if record.state != State.DRAFT:
        raise UserFacingError("evaluation.not_editable", state=record.get_state_display())
    return record


def update_record(actor: Actor, record_id: int, change: RecordChange) -> WrittenRecord:
    """Edit a draft, including its classification (遴选: the item it is filed under)."""
    record = _editable(actor, record_id)
    text, title = _clean_fields(
        record.text if change.text is None else change.text, record.title if change.title is None else change.title,
        record.kind if change.kind is None else change.kind,
        record.happened_on if change.happened_on is None else change.happened_on)
    fields = {"text": text, "title": title, "kind": change.kind or record.kind,
              "happened_on": change.happened_on or record.happened_on}
    if change.clear_item:
        fields["item"] = None
    elif change.item_id is not None and change.item_id != record.item_id:
        fields["item"] = _classifiable(selectors.city_id_of_school(record.school_id), record.school_year,
                                       change.item_id)
    files = None
    if change.file_ids is not None or change.uploads:
        kept = change.file_ids if change.file_ids is not None else list(
            record.files.order_by("position").values_list("file_id", flat=True))
        attached = set(record.files.values_list("file_id", flat=True))
        own = [i for i in kept if i not in attached]
        files = _files(actor, own, change.uploads, record.school_id, "")
        files = [*StoredFile.objects.filter(pk__in=[i for i in kept if i in attached]), *files]
        if len(files) > MAX_FILES:
            raise UserFacingError("evaluation.too_many_files", limit=MAX_FILES)
    with transaction.atomic():
        changed = _transition(record, {State.DRAFT}, **fields, updated_at=timezone.now())
        if files is not None:
            changed.files.all().delete()
            RecordFile.objects.bulk_create([RecordFile(record=changed, school_id=changed.school_id, file=f, position=i)
                                            for i, f in enumerate(files)])
        audit.record(actor, "evaluation.record_update", changed,
                     {"item": changed.item.label if changed.item else "", "files": len(files) if files is not None else None},
                     school_id=changed.school_id)
    return changed


def delete_record(actor: Actor, record_id: int) -> None:
    record = _editable(actor, record_id)
    with transaction.atomic():
        if WrittenRecord.objects.filter(pk=record.pk, version=record.version, state=State.DRAFT).delete()[0] == 0:
            _conflict(record.pk)
        audit.record(actor, "evaluation.record_delete", record, {"kind": record.kind}, school_id=record.school_id)


# Sorting, submitting, withdrawing (EVA-3) ---------------------------------------------------------------

def _conflict(record_id: int):
    now = WrittenRecord.objects.filter(pk=record_id).select_related("decided_by__person").first()
    who = ""
    if now is not None and now.decided_by is not None:
        who = now.decided_by.person.name if now.decided_by.person else now.decided_by.number
    state = now.get_state_display() if now is not None else ""
    raise UserFacingError("evaluation.changed_meanwhile", who=who or in_language("他人", "Someone else"), state=state)


def _transition(record: WrittenRecord, allowed: set[str], **fields) -> WrittenRecord:
    """Change a record only if nobody changed it since it was read (one decision per row): a conditional
    update on version and state; the loser is told who acted first, and nothing is overwritten."""
    updated = WrittenRecord.objects.filter(pk=record.pk, version=record.version, state__in=allowed).update(
        version=F("version") + 1, **fields)
    if updated == 0:
        _conflict(record.pk)
    record.refresh_from_db()
    return record


def submit(actor: Actor, record_ids: list[int], today: date | None = None) -> list[WrittenRecord]:
    """上报: the chosen drafts go to the school's review (pending). Each must be classified; both the city's
    and the school's windows must be open."""
    if not access.keeps_material(actor):
        raise UserFacingError("evaluation.not_for_you")
    if not record_ids:
        raise UserFacingError("evaluation.nothing_chosen")
    chosen = selectors.open_records_of(actor, record_ids)
    done = [r for r in chosen if r.state != State.DRAFT]
    if done:
        raise UserFacingError("evaluation.not_draft", records="、".join(r.shown_name() for r in done))
    unclassified = [r for r in chosen if r.item_id is None]
    if unclassified:
        raise UserFacingError("evaluation.unclassified", records="、".join(r.shown_name() for r in unclassified))
    schools = {s.pk: s for s in School.objects.select_related("district__parent").filter(
        pk__in={r.school_id for r in chosen})}
    for school_id, year in sorted({(r.school_id, r.school_year) for r in chosen}):
        school = schools[school_id]
        check_windows(school, selectors.city_of_school(school), year, today)
    now = timezone.now()
    submitted = []
    with transaction.atomic():
        for record in chosen:
            submitted.append(_transition(record, {State.DRAFT}, state=State.PENDING, submitted_at=now, updated_at=now,
                                         decided_by=None, decided_at=None, reason=""))
        for school_id in {r.school_id for r in submitted}:
            audit.record(actor, "evaluation.submit", None,
                         {"records": [r.pk for r in submitted if r.school_id == school_id]}, school_id=school_id)
    return submitted


def withdraw(actor: Actor, record_id: int) -> WrittenRecord:
    """撤销上报: a pending or failed record goes back to draft to be edited; an approved one only after the
    school reopened it."""
    record = selectors.record_for(actor, record_id)
    if not access.keeps_material(actor):
        raise UserFacingError("evaluation.not_for_you")
    if record.state == State.DRAFT:
        raise UserFacingError("evaluation.not_withdrawable")
    if record.state == State.APPROVED and record.reopened_at is None:
        raise UserFacingError("evaluation.approved_locked")
    with transaction.atomic():
        changed = _transition(record, {record.state}, state=State.DRAFT, submitted_at=None, decided_by=None,
                              decided_at=None, reason="", reopened_by=None, reopened_at=None,
                              updated_at=timezone.now())
        audit.record(actor, "evaluation.withdraw", changed, {"from": record.state}, school_id=changed.school_id)
    return changed


def reopen(actor: Actor, record_id: int) -> WrittenRecord:
    """The school admin reopens an approved record so that its student or parent may withdraw and edit it."""
    record = selectors.record_for(actor, record_id)
    if not access.may_reopen(actor, record.school_id):
        raise UserFacingError("evaluation.reopen_not_allowed")
    if record.state != State.APPROVED:
        raise UserFacingError("evaluation.not_approved")
    now = timezone.now()
    with transaction.atomic():
        changed = _transition(record, {State.APPROVED}, reopened_by=actor.account, reopened_at=now, updated_at=now)
        audit.record(actor, "evaluation.reopen", changed, school_id=changed.school_id)
    return changed


# The school's decisions (pass, fail with a reason, in bulk) are in evaluation/review/services.py (item 4).
