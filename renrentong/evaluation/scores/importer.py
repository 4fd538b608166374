"""The academic score importer (EVA-6) on the roster import machinery (rosters.importers.base.Importer):
the city bureau imports its items for every school below it in one file, a school its own items. Each row
names a student (account, national student number or ID number), an imported item and a score.

Everything is set-based, as in the student roster importer: a chunk of rows costs a fixed number of queries,
so the same classify() serves the preview (every row, nothing written) and each chunk of the commit (in the
transaction that moves the job's cursor). A row is refused on its own, with its reason and who can fix it;
the file never is.

Registered at start by EvaluationConfig.ready() (rosters may not import evaluation: worker.register_importer).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from operator import attrgetter

from django.utils import timezone

from renrentong.accounts.models import Enrollment, Person
from renrentong.core.bulk import among, bulk_delete, bulk_insert, chunks
from renrentong.core.crypto import id_number_digest, national_student_number_digest
from renrentong.core.masking import mask_account_number, mask_name, mask_number, mask_student_number
from renrentong.core.text import is_valid_id_number, normalize_text
from renrentong.orgs.models import Region, School
from renrentong.orgs.policy import region_chain
from renrentong.rosters.importers.base import find_people
from renrentong.rosters.importers.columns import STUDENT_COLUMNS

from renrentong.evaluation.models import AcademicScore, AcademicScoreChange, EvidenceItem
from renrentong.evaluation.standard import scale_of

KIND = "scores"
CITY, SCHOOL = "city", "school"

COLUMNS: dict[str, tuple[str, ...]] = {
    "name": STUDENT_COLUMNS["name"],
    "account": STUDENT_COLUMNS["account"],
    "national_student_number": STUDENT_COLUMNS["national_student_number"],
    "id_number": STUDENT_COLUMNS["id_number"],
    "item": ("项目", "评价项目", "成绩项目", "实证项目", "item", "itemcode"),
    "score": ("成绩", "分数", "得分", "score"),
}
REQUIRED = {"name", "item", "score"}
TEXT_ONLY = {"account", "national_student_number", "id_number"}
# (header, field, required, text-formatted, note): the template's columns (EVA-6)
TEMPLATE = [
    ("姓名", "name", True, True, "学生真实姓名,须与平台上一致"),
    ("账号", "account", False, True, "账号、全国学籍号、身份证号至少填一项"),
    ("全国学籍号", "national_student_number", False, True, "通常为 G + 身份证号"),
    ("身份证号", "id_number", False, True, "18位;请保持文本格式"),
    ("项目", "item", True, True, "导入项目的名称或代码,如 英语人机对话成绩"),
    ("成绩", "score", True, False, "数字,如 18.5"),
]

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
PARSED_FORMAT = 2
MAX_SCORE_TEXT = 12


@dataclass(frozen=True)
class Scope:
    """Whose scores a job may write: the city's items for the schools below it, or one school's own items."""

    source: str  # city | school
    city_id: int | None
    school_ids: frozenset[int]


@dataclass
class ScoreRow:
    number: int
    original: list[str]
    scope: Scope
    name: str = ""
    account: str | None = None
    national_digest: str | None = None
    national_masked: str = ""
    id_digest: str | None = None
    id_masked: str = ""
    item_text: str = ""
    score: str | None = None  # the parsed score, as text (marshal-able), checked against its item's scale
    outcome: str = CREATE
    reason: str = ""
    detail: dict = field(default_factory=dict)
    person_id: int | None = None
    school_id: int | None = None
    class_id: int | None = None
    item_id: int | None = None
    school_year: int | None = None
    previous: tuple | None = None  # (score row id, score, job) of the score this row replaces
    missing_classes: tuple = ()  # the machinery's: a score import creates no class
    look: None = None

    def fail(self, reason: str, **detail) -> None:
        if self.outcome == ERROR:
            return  # the first problem found is the one reported
        self.outcome, self.reason, self.detail = ERROR, reason, detail

    def shown(self) -> str:
        """The student as a refusal names them: the masked name and the masked key the row gave (NFR-1)."""
        key = (mask_account_number(self.account) if self.account else "") or self.national_masked or self.id_masked
        # ASCII brackets: the words are fixed at the preview and shown in either language.
        return f"{mask_name(self.name)} ({key})" if key else mask_name(self.name)


# -- parsing and validating a row on its own (no database) -------------------------------------------------

def parse_score(text: str) -> Decimal:
    """A score as typed: digits with at most one point, full-width folded, spaces ignored ("18.5", "１８",
    " 95 "). Raises ValueError for anything else: an empty cell, a letter grade, a fraction, a sign,
    an exponent, NaN. Range and decimals are the item's (check_score)."""
    folded = normalize_text(text or "")
    if not folded or len(folded) > MAX_SCORE_TEXT or not folded.isascii():
        raise ValueError(folded)
    whole, point, fraction = folded.partition(".")
    if not (whole or fraction) or not (whole.isdigit() or whole == "") or not (fraction.isdigit() or not point):
        raise ValueError(folded)
    if point and not fraction:
        raise ValueError(folded)
    try:
        return Decimal(folded)
    except InvalidOperation:  # pragma: no cover: the shape above is always a valid decimal
        raise ValueError(folded) from None


def check_score(value: Decimal, code: str) -> str | None:
    """Why a parsed score does not fit its item's scale (standard.SCORE_SCALES), or None."""
    scale = scale_of(code)
    if not scale.lowest <= value <= scale.highest:
        return "score_out_of_range"
    if value != value.quantize(Decimal(1).scaleb(-scale.decimals)):
        return "score_too_precise"
    return None


def _normalize(value: str) -> str:
    """normalize_text, without its per-character work where there is nothing to change (most cells)."""
    if value.isprintable() and " " not in value and unicodedata.is_normalized("NFKC", value):
        return value
    return normalize_text(value)


@lru_cache(maxsize=4096)
def item_key(text: str) -> str:
    """How a file's item cell is compared with the catalogue: its label or code, folded. Cached: a file
    names a handful of items on every row."""
    return _normalize(text).casefold()


@lru_cache(maxsize=65536)
def _score_text(text: str) -> str:
    """parse_score as text, once per distinct cell (scores repeat down a file); a refusal is not cached."""
    return str(parse_score(text))


def scope_of(schools: dict[str, int], default_school_id: int | None) -> Scope:
    """A school admin's job is for their school and its own items; a city admin's (no school) for every
    school below the city and the city's items."""
    if default_school_id is not None:
        ids = frozenset([default_school_id])
        source = SCHOOL
    else:
        ids = frozenset(schools.values())
        source = CITY
    school = School.objects.filter(pk__in=ids).select_related("district").first()
    city = next((r for r in region_chain(school.district) if r.kind == Region.Kind.CITY), None) if school else None
    return Scope(source, city.pk if city else None, ids)


def parse_rows(table, schools: dict[str, int], default_school_id: int | None, classes,
               checked: Collection[int] = ()) -> list[ScoreRow]:
    """Normalise and check each row's cells (no database but the job's scope): the name, the keys (an ID
    number must be valid), the item's text and the score's syntax. Full ID and national numbers are kept
    only as their keyed digests and masked forms."""
    scope = scope_of(schools, default_school_id)
    rows: list[ScoreRow] = []
    for raw in table.rows:
        v = raw.values
        row = ScoreRow(number=raw.number, original=raw.original, scope=scope)
        row.name = _normalize(v.get("name", ""))
        if not row.name:
            row.fail("score_missing_name")
        row.account = _unmasked(_normalize(v.get("account", ""))) or None
        national = _unmasked(_normalize(v.get("national_student_number", "")).upper())
        if national:
            row.national_digest = national_student_number_digest(national)
            row.national_masked = mask_student_number(national)
        if raw.problems.get("id_number") or raw.problems.get("national_student_number"):
            row.fail("score_id_number_as_number")
        id_number = _unmasked(_normalize(v.get("id_number", "")).upper())
        if id_number:
            row.id_masked = mask_number(id_number)
            if is_valid_id_number(id_number):
                row.id_digest = id_number_digest(id_number)
            else:
                row.fail("score_invalid_id_number", value=row.id_masked)
        if not (row.account or row.national_digest or id_number):
            row.fail("score_no_key")
        row.item_text = item_key(v.get("item", ""))
        if not row.item_text:
            row.fail("score_missing_item")
        text = v.get("score", "")
        if not text.strip():
            row.fail("score_missing_score")
        else:
            try:
                row.score = _score_text(text)
            except ValueError:
                row.fail("score_not_a_number", value=text[:MAX_SCORE_TEXT])
        rows.append(row)
    return rows


def _unmasked(value: str) -> str:
    """A masked value (an export's 430***********1234) names nobody: it is no key."""
    return "" if "*" in value else value


# What the parse decided, per row, in this order; the rest is decided again by classify().
DUMPED = ("number", "name", "account", "national_digest", "national_masked", "id_digest", "id_masked",
          "item_text", "score", "outcome", "reason", "detail")


def dump_parsed(rows: list[ScoreRow]) -> Iterator[list]:
    """The parse in plain values (a tuple a row), a chunk at a time: the machinery keeps it for the commit.
    The scope once at the head; the original cells left out (the job's rows keep them)."""
    if rows:
        scope = rows[0].scope
        yield [{"source": scope.source, "city_id": scope.city_id, "school_ids": sorted(scope.school_ids)}]
    values = attrgetter(*DUMPED)
    for chunk in chunks(rows):
        yield [values(r) for r in chunk]


def load_parsed(parts: Iterable[list]) -> list[ScoreRow]:
    # The rows' fields set as dumped: ScoreRow's __init__ (defaults, factories) would cost more than the load.
    rows: list[ScoreRow] = []
    scope = None
    new = object.__new__
    for part in parts:
        if scope is None:
            head = part[0]
            scope = Scope(head["source"], head["city_id"], frozenset(head["school_ids"]))
            rest = {"original": [], "scope": scope, "person_id": None, "school_id": None, "class_id": None,
                    "item_id": None, "school_year": None, "previous": None, "missing_classes": (), "look": None}
            continue
        for values in part:
            row = new(ScoreRow)
            row.__dict__ = dict(zip(DUMPED, values), **rest)
            rows.append(row)
    return rows


# -- classifying against the database (the preview, and each chunk of the commit) ------------------------

@dataclass
class ItemIndex:
    """The city's items by school year and by label or code (folded)."""

    by_key: dict[tuple[int, str], EvidenceItem]

    @classmethod
    def load(cls, city_id: int | None) -> ItemIndex:
        found: dict[tuple[int, str], EvidenceItem] = {}
        if city_id is not None:
            for item in EvidenceItem.objects.filter(region_id=city_id, school_id__isnull=True):
                found.setdefault((item.school_year, item_key(item.label)), item)
                found.setdefault((item.school_year, item.code.casefold()), item)
        return cls(found)


def classify(rows: list[ScoreRow]) -> None:
    """Decide each row: the student its keys name (one person, whose name matches, enrolled at a school of
    the job's scope), the item (an imported item of the job's source in use that school year), the score
    within the item's scale, and whether it creates, updates or leaves a score unchanged."""
    live = [r for r in rows if r.outcome != ERROR]
    if not live:
        return
    scope = live[0].scope
    people = find_people(digests=[r.id_digest for r in live if r.id_digest],
                         nationals=[r.national_digest for r in live if r.national_digest],
                         account_numbers=[r.account for r in live if r.account])
    for row in live:
        named = {p for p in (people.by_account_number.get(row.account) if row.account else None,
                             people.by_national.get(row.national_digest) if row.national_digest else None,
                             people.by_digest.get(row.id_digest) if row.id_digest else None) if p is not None}
        if row.account and row.account not in people.by_account_number:
            row.fail("score_unknown_student", student=row.shown())
        elif len(named) > 1:
            row.fail("score_keys_differ")
        elif not named:
            row.fail("score_unknown_student", student=row.shown())
        else:
            row.person_id = named.pop()
    found = sorted({r.person_id for r in live if r.outcome != ERROR})
    names: dict[int, str] = {}
    place: dict[int, tuple[int, int]] = {}
    for chunk in chunks(found):
        names.update(Person.objects.filter(among("pk", chunk)).values_list("pk", "name"))
        for person, school, klass in Enrollment.objects.filter(among("person_id", chunk), ended_on__isnull=True
                                                               ).order_by("started_on", "pk").values_list(
                "person_id", "school_id", "school_class_id"):
            place[person] = (school, klass)  # the newest open enrollment wins
    years = dict(School.objects.filter(pk__in={s for s, _ in place.values()}).values_list("pk", "school_year"))
    items = ItemIndex.load(scope.city_id)
    for row in live:
        if row.outcome == ERROR:
            continue
        where = place.get(row.person_id)
        if where is None:
            row.fail("score_not_enrolled", student=row.shown())
            continue
        if where[0] not in scope.school_ids:
            row.fail("score_other_school", student=row.shown())
            continue
        if _normalize(names.get(row.person_id, "")) != row.name:
            row.fail("score_name_mismatch", student=row.shown(), recorded=mask_name(names.get(row.person_id, "")))
            continue
        row.school_id, row.class_id = where
        row.school_year = years[row.school_id]
        item = items.by_key.get((row.school_year, row.item_text))
        reason = _item_refusal(item, scope)
        if reason:
            row.fail(reason, item=item.label if item else row.item_text, year=row.school_year)
            continue
        row.item_id = item.pk
        reason = check_score(Decimal(row.score), item.code)
        if reason:
            scale = scale_of(item.code)
            row.fail(reason, value=row.score, item=item.label, lowest=scale.lowest, highest=scale.highest,
                     decimals=scale.decimals)
    _mark_duplicates(live)
    _compare_with_stored([r for r in live if r.outcome != ERROR])


def _item_refusal(item: EvidenceItem | None, scope: Scope) -> str | None:
    if item is None:
        return "score_unknown_item"
    if item.kind != EvidenceItem.Kind.IMPORTED:
        return "score_item_uploaded"
    if item.retired_at is not None:
        return "score_item_retired"
    if item.source != scope.source:
        return "score_item_city_imports" if item.source == CITY else "score_item_school_imports"
    return None


def _mark_duplicates(rows: list[ScoreRow]) -> None:
    """Two rows for the same student and item: the first goes in, the other is refused naming it."""
    first: dict[tuple[int, int], int] = {}
    for row in rows:
        if row.outcome == ERROR:
            continue
        key = (row.person_id, row.item_id)
        if key in first:
            row.fail("score_duplicate_in_file", first_row=first[key])
        else:
            first[key] = row.number


def _compare_with_stored(rows: list[ScoreRow]) -> None:
    stored: dict[tuple, tuple[int, Decimal, int]] = {}
    for chunk in chunks(rows):
        for pk, school, person, item, year, score, job in AcademicScore.objects.filter(
                among("student_id", sorted({r.person_id for r in chunk}))).values_list(
                "pk", "school_id", "student_id", "item_id", "school_year", "score", "import_job_id"):
            stored[(school, person, item, year)] = (pk, score, job)
    for row in rows:
        old = stored.get((row.school_id, row.person_id, row.item_id, row.school_year))
        row.previous = old
        if old is None:
            row.outcome = CREATE
        else:
            row.outcome = UNCHANGED if old[1] == Decimal(row.score) else UPDATE


# -- the commit, a chunk at a time, and undo ---------------------------------------------------------------

@dataclass
class ChunkResult:
    scores_created: int = 0
    scores_updated: int = 0
    scores_unchanged: int = 0
    rows_refused: int = 0


def apply_chunk(job_id: int, actor_account_id: int, rows: list[ScoreRow], today: date) -> ChunkResult:
    """Write a chunk's scores in the transaction that moves the job's cursor; each row is decided again
    against the database as it is now (a student who left since is refused, a score changed since updated)."""
    for row in rows:  # decided afresh: an earlier decision (the preview's) may be stale
        if row.outcome != ERROR:
            row.outcome, row.reason, row.detail, row.previous = CREATE, "", {}, None
    classify(rows)
    now = timezone.now()
    result = ChunkResult()
    creates, updates = [], []
    for row in rows:
        if row.outcome in (UPDATE, UNCHANGED) and row.previous[2] == job_id:
            # The same student and item earlier in this file, under another key, in an earlier chunk.
            row.fail("score_written_twice")
        if row.outcome == ERROR:
            result.rows_refused += 1
        elif row.outcome == CREATE:
            creates.append(row)
        elif row.outcome == UPDATE:
            updates.append(row)
        else:
            result.scores_unchanged += 1
    bulk_insert(AcademicScore, [
        {"school_id": r.school_id, "class_id": r.class_id, "school_year": r.school_year, "student_id": r.person_id,
         "item_id": r.item_id, "score": Decimal(r.score), "import_job_id": job_id, "created_at": now,
         "updated_at": now} for r in creates], ids=False)
    if updates:
        bulk_insert(AcademicScoreChange, [
            {"job_id": job_id, "school_id": r.school_id, "score_row_id": r.previous[0], "before_score": r.previous[1],
             "before_job_id": r.previous[2]} for r in updates], ids=False)
        AcademicScore.objects.bulk_update(
            [AcademicScore(pk=r.previous[0], score=Decimal(r.score), import_job_id=job_id, class_id=r.class_id,
                           updated_at=now) for r in updates],
            ["score", "import_job_id", "class_id", "updated_at"], batch_size=1000)
    result.scores_created, result.scores_updated = len(creates), len(updates)
    return result


def undo(job_id: int, today: date) -> dict[str, int]:
    """Take back what the import wrote: a score it created goes, a score it overwrote gets its earlier value
    (and the import that wrote that) back. A score another import wrote over since keeps that later value;
    that import's own undo then goes back to what this one had found, not to this one's value."""
    before = {pk: (score, job) for pk, score, job in AcademicScoreChange.objects.filter(job_id=job_id).values_list(
        "score_row_id", "before_score", "before_job_id")}
    mine = list(AcademicScore.objects.filter(import_job_id=job_id).values_list("pk", flat=True))
    restore = [pk for pk in mine if pk in before and before[pk][0] is not None]
    remove = [pk for pk in mine if pk not in restore]
    kept = AcademicScoreChange.objects.filter(before_job_id=job_id).exclude(job_id=job_id)
    later = list(kept.values_list("pk", "score_row_id"))
    now = timezone.now()
    AcademicScoreChange.objects.bulk_update(
        [AcademicScoreChange(pk=pk, before_score=before.get(row, (None, None))[0],
                             before_job_id=before.get(row, (None, None))[1]) for pk, row in later],
        ["before_score", "before_job_id"], batch_size=1000)
    AcademicScore.objects.bulk_update(
        [AcademicScore(pk=pk, score=before[pk][0], import_job_id=before[pk][1], updated_at=now) for pk in restore],
        ["score", "import_job_id", "updated_at"], batch_size=1000)
    AcademicScoreChange.objects.filter(job_id=job_id).delete()
    removed = bulk_delete(AcademicScore, remove)
    return {"scores_removed": removed, "scores_restored": len(restore), "scores_kept": len(later)}


def counts_written(job_id: int) -> int:
    """How many scores the import is the last writer of (the job page's line)."""
    return AcademicScore.objects.filter(import_job_id=job_id).count()

