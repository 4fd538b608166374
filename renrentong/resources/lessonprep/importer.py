"""The textbook catalogue importer (RES-4) on the roster import machinery (rosters.importers.base.Importer): a
province or city admin's file, one row per chapter (subject, grade, volume, edition, publisher, the book's
title, chapter number, chapter title), adds the region's books and their contents. The same classify() serves
the preview (nothing written) and each chunk of the commit. A row is refused on its own with its reason and who
can fix it; re-importing the same file changes nothing (every row "unchanged"); undo takes back the chapters and
books the import made (those a teacher has prepared on stay).

Registered at start by ResourcesConfig.ready() (rosters may not import resources: worker.register_importer).
The worker gives the job's region (`WANTS_REGION`): the books belong to it."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter

from renrentong.core.bulk import bulk_insert

from renrentong.resources.lessonprep.selectors import NUMBER, clean_label
from renrentong.resources.lessonprep.services import renumber
from renrentong.resources.models import Chapter, PreparedLesson, Textbook

KIND = "textbooks"
WANTS_REGION = True

COLUMNS: dict[str, tuple[str, ...]] = {
    "subject": ("学科", "科目", "subject"),
    "grade": ("年级", "grade"),
    "volume": ("册次", "册别", "上下册", "volume"),
    "edition": ("版本", "教材版本", "edition"),
    "publisher": ("出版社", "publisher"),
    "book_title": ("教材名称", "书名", "教材", "booktitle", "textbook"),
    "number": ("章节编号", "编号", "章节号", "number", "chapternumber"),
    "title": ("章节名称", "章节标题", "章节", "chaptertitle", "title"),
}
REQUIRED = {"subject", "grade", "volume", "edition", "publisher", "number", "title"}
TEXT_ONLY = {"number"}  # "1.10" typed as a number would be 1.1
TEMPLATE = [
    ("学科", "subject", True, True, "如 数学、语文、英语"),
    ("年级", "grade", True, True, "1 到 12，或 三年级、七年级、高一"),
    ("册次", "volume", True, True, "上册、下册 或 全一册"),
    ("版本", "edition", True, True, "如 人教版"),
    ("出版社", "publisher", True, True, "如 人民教育出版社"),
    ("教材名称", "book_title", False, True, "可不填；同一本书只需在第一行填写"),
    ("章节编号", "number", True, True, "如 1、1.2（小节写在所属章之后）；请保持文本格式"),
    ("章节名称", "title", True, True, "如 有理数"),
]
CREATE, UNCHANGED, ERROR = "create", "unchanged", "error"
PARSED_FORMAT = 1
VOLUMES = {"上册": "first", "上": "first", "first": "first", "下册": "second", "下": "second", "second": "second",
           "全一册": "whole", "全册": "whole", "全": "whole", "whole": "whole"}
GRADE_WORDS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SENIOR = {"高一": 10, "高二": 11, "高三": 12, "初一": 7, "初二": 8, "初三": 9}
DIGITS = re.compile(r"^(\d{1,2})(年级)?$")


@dataclass
class TextbookRow:
    number: int
    original: list[str]
    region_id: int | None
    subject: str = ""
    grade: int = 0
    volume: str = ""
    edition: str = ""
    publisher: str = ""
    book_title: str = ""
    chapter_number: str = ""
    title: str = ""
    outcome: str = CREATE
    reason: str = ""
    detail: dict = field(default_factory=dict)
    textbook_id: int | None = None
    # the machinery's: a catalogue row names no person, school or class
    person_id: None = None
    school_id: None = None
    class_id: None = None
    missing_classes: tuple = ()
    look: None = None

    def fail(self, reason: str, **detail) -> None:
        if self.outcome == ERROR:
            return  # the first problem found is the one reported
        self.outcome, self.reason, self.detail = ERROR, reason, detail

    @property
    def book_key(self) -> tuple:
        return (self.subject, self.grade, self.volume, self.edition, self.publisher)


def parse_grade(text: str) -> int:
    """A grade as schools write it: "3", "３", "3年级", "三年级", "七年级", "初一", "高二". ValueError else."""
    value = clean_label(text).replace(" ", "")
    if value in SENIOR:
        return SENIOR[value]
    found = DIGITS.match(value)
    if found:
        grade = int(found.group(1))
    elif value.endswith("年级") and len(value) == 3 and value[0] in GRADE_WORDS:
        grade = GRADE_WORDS[value[0]]
    else:
        raise ValueError(value)
    if not 1 <= grade <= 12:
        raise ValueError(value)
    return grade


def parse_volume(text: str) -> str:
    value = clean_label(text).replace(" ", "").casefold()
    if value not in VOLUMES:
        raise ValueError(value)
    return VOLUMES[value]


FIELD_WORDS = {"subject": "学科 subject", "grade": "年级 grade", "volume": "册次 volume", "edition": "版本 edition",
               "publisher": "出版社 publisher", "number": "章节编号 chapter number", "title": "章节名称 chapter title"}


def parse_rows(table, schools: dict[str, int], default_school_id: int | None, classes,
               checked: Collection[int] = (), region_id: int | None = None) -> list[TextbookRow]:
    rows: list[TextbookRow] = []
    for raw in table.rows:
        v = raw.values
        row = TextbookRow(number=raw.number, original=raw.original, region_id=region_id)
        row.subject = clean_label(v.get("subject", ""))[:32]
        row.edition = clean_label(v.get("edition", ""))[:32]
        row.publisher = clean_label(v.get("publisher", ""))[:64]
        row.book_title = clean_label(v.get("book_title", ""))[:80]
        row.chapter_number = clean_label(v.get("number", "")).replace(" ", "")[:16]
        row.title = clean_label(v.get("title", ""))[:80]
        for name, value in (("subject", row.subject), ("grade", v.get("grade", "").strip()),
                            ("volume", v.get("volume", "").strip()), ("edition", row.edition),
                            ("publisher", row.publisher), ("number", row.chapter_number), ("title", row.title)):
            if not value:
                row.fail("textbook_missing_field", field=FIELD_WORDS[name])
        if row.outcome != ERROR:
            try:
                row.grade = parse_grade(v.get("grade", ""))
            except ValueError:
                row.fail("textbook_bad_grade", value=v.get("grade", "")[:12])
            try:
                row.volume = parse_volume(v.get("volume", ""))
            except ValueError:
                row.fail("textbook_bad_volume", value=v.get("volume", "")[:12])
            if raw.problems.get("number") or not NUMBER.match(row.chapter_number):
                row.fail("textbook_bad_number", value=row.chapter_number[:16])
        rows.append(row)
    return rows


DUMPED = ("number", "subject", "grade", "volume", "edition", "publisher", "book_title", "chapter_number", "title",
          "outcome", "reason", "detail")


def dump_parsed(rows: list[TextbookRow]) -> Iterator[list]:
    if rows:
        yield [{"region_id": rows[0].region_id}]
    values = attrgetter(*DUMPED)
    for start in range(0, len(rows), 5000):
        yield [list(values(r)) for r in rows[start:start + 5000]]


def load_parsed(parts: Iterable[list]) -> list[TextbookRow]:
    rows: list[TextbookRow] = []
    region_id, head = None, True
    for part in parts:
        if head:
            region_id, head = part[0]["region_id"], False
            continue
        for values in part:
            row = TextbookRow(number=values[0], original=[], region_id=region_id)
            for name, value in zip(DUMPED[1:], values[1:]):
                setattr(row, name, value)
            rows.append(row)
    return rows


@dataclass
class Catalogue:
    """The region's books by key, and each book's chapters by number (with titles)."""

    books: dict[tuple, Textbook]
    chapters: dict[int, dict[str, str]]

    @classmethod
    def load(cls, region_id: int | None) -> Catalogue:
        books = {(b.subject, b.grade, b.volume, b.edition, b.publisher): b
                 for b in Textbook.objects.filter(region_id=region_id, school_id__isnull=True)}
        chapters: dict[int, dict[str, str]] = {b.pk: {} for b in books.values()}
        for book, number, title in Chapter.objects.filter(textbook_id__in=chapters.keys()).values_list(
                "textbook_id", "number", "title"):
            chapters[book][number] = title
        return cls(books, chapters)


def classify(rows: list[TextbookRow]) -> None:
    """Each row against the region's catalogue as it is now: a chapter already there with the same title is
    unchanged, with another title refused (edit it on the page); a section needs its parent (in the file or the
    catalogue); a retired book takes no rows; the same chapter twice in the file goes in once."""
    live = [r for r in rows if r.outcome != ERROR]
    if not live:
        return
    catalogue = Catalogue.load(live[0].region_id)
    first: dict[tuple, int] = {}
    for row in live:
        book = catalogue.books.get(row.book_key)
        row.textbook_id = book.pk if book else None
        if book is not None and book.retired_at is not None:
            row.fail("textbook_retired")
            continue
        key = (row.book_key, row.chapter_number)
        if key in first:
            row.fail("textbook_duplicate_in_file", first_row=first[key])
            continue
        first[key] = row.number
        recorded = catalogue.chapters.get(book.pk, {}).get(row.chapter_number) if book else None
        if recorded is None:
            row.outcome = CREATE
        elif recorded == row.title:
            row.outcome = UNCHANGED
        else:
            row.fail("textbook_title_differs", number=row.chapter_number, recorded=recorded)
    present = {(r.book_key, r.chapter_number) for r in live if r.outcome != ERROR}
    for row in live:
        if row.outcome == ERROR or "." not in row.chapter_number:
            continue
        parent = row.chapter_number.rsplit(".", 1)[0]
        book = catalogue.books.get(row.book_key)
        if (row.book_key, parent) not in present and not (book and parent in catalogue.chapters.get(book.pk, {})):
            row.fail("textbook_parent_missing", number=row.chapter_number, parent=parent)


@dataclass
class ChunkResult:
    textbooks_created: int = 0
    chapters_created: int = 0
    chapters_unchanged: int = 0
    rows_refused: int = 0


def apply_chunk(job_id: int, actor_account_id: int, rows: list[TextbookRow], today: date) -> ChunkResult:
    """Write a chunk's new books and chapters in the transaction that moves the job's cursor, each row decided
    again against the catalogue as it is now."""
    for row in rows:
        if row.outcome != ERROR:
            row.outcome, row.reason, row.detail = CREATE, "", {}
    classify(rows)
    result = ChunkResult()
    creates = [r for r in rows if r.outcome == CREATE]
    result.rows_refused = sum(1 for r in rows if r.outcome == ERROR)
    result.chapters_unchanged = sum(1 for r in rows if r.outcome == UNCHANGED)
    if not creates:
        return result
    region_id = creates[0].region_id
    books = {(b.subject, b.grade, b.volume, b.edition, b.publisher): b
             for b in Textbook.objects.filter(region_id=region_id, school_id__isnull=True)}
    for row in creates:
        if row.book_key not in books:
            titles = [r.book_title for r in creates if r.book_key == row.book_key and r.book_title]
            books[row.book_key] = Textbook.objects.create(
                region_id=region_id, subject=row.subject, grade=row.grade, volume=row.volume, edition=row.edition,
                publisher=row.publisher, title=titles[0] if titles else "", created_by_import=job_id)
            result.textbooks_created += 1
    touched = {books[r.book_key].pk for r in creates}
    known = {(book, number): pk for pk, book, number in Chapter.objects.filter(textbook_id__in=touched).values_list(
        "pk", "textbook_id", "number")}
    # Parents before their sections: one insert per depth, so each level finds the ids of the one above.
    for depth in sorted({r.chapter_number.count(".") for r in creates}):
        level = [r for r in creates if r.chapter_number.count(".") == depth]
        ids = bulk_insert(Chapter, [{
            "region_id": region_id, "textbook_id": books[r.book_key].pk, "number": r.chapter_number,
            "title": r.title, "position": 0, "created_by_import": job_id,
            "parent_id": known.get((books[r.book_key].pk, r.chapter_number.rsplit(".", 1)[0])) if depth else None}
            for r in level])
        for row, pk in zip(level, ids):
            known[(books[row.book_key].pk, row.chapter_number)] = pk
    result.chapters_created = len(creates)
    for book in touched:
        renumber(book)
    return result


def undo(job_id: int, today: date) -> dict[str, int]:
    """Take back the chapters and books the import made. A chapter a teacher prepared on stays, and so do its
    parents and its book (a prepared lesson never loses its chapter)."""
    made = list(Chapter.objects.filter(created_by_import=job_id).values_list("pk", "textbook_id", "number"))
    books = {book for _, book, _ in made}
    prepared = set(PreparedLesson.objects.filter(textbook_id__in=books).values_list("chapter_id", flat=True))
    mine = {pk for pk, _, _ in made}
    kept_numbers: dict[int, set[str]] = {}
    for pk, book, number in Chapter.objects.filter(textbook_id__in=books).values_list("pk", "textbook_id", "number"):
        if pk not in mine or pk in prepared:
            kept_numbers.setdefault(book, set()).add(number)
    remove, kept = [], 0
    for pk, book, number in made:
        prefix = number + "."
        if any(n == number or n.startswith(prefix) for n in kept_numbers.get(book, ())):
            kept += 1
        else:
            remove.append(pk)
    Chapter.objects.filter(pk__in=remove).delete()
    empty_books = Textbook.objects.filter(created_by_import=job_id).exclude(chapters__isnull=False)
    books_removed = empty_books.count()
    Textbook.objects.filter(pk__in=list(empty_books.values_list("pk", flat=True))).delete()
    for book in books:
        if Textbook.objects.filter(pk=book).exists():
            renumber(book)
    return {"chapters_removed": len(remove), "chapters_kept": kept, "textbooks_removed": books_removed}


def counts_written(job_id: int) -> int:
    return Chapter.objects.filter(created_by_import=job_id).count()
