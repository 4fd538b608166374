"""One table component for the admin console's lists: declared columns with whitelisted sort keys, page
numbers with a jump box and a page-size choice, a total, filters kept in the URL, an empty state and an
optional checkbox column for batch actions.

A page declares its columns and filters, reads the table's own parameters with `TableRequest.read()`,
asks its selector for one page (count once, then LIMIT/OFFSET on an indexed order: `page_of()`), and
renders `Table` with the templates in templates/tables/:

    tables/_toolbar.html   total, export link, page size
    tables/_head.html      <thead> with sortable headers (aria-sort) and the select-all box
    tables/_pager.html     first, neighbours, last, ellipses, and a jump-to-page box
    tables/_empty.html     the `.rr-empty` row ("暂无X。")

Garbage in ?page, ?size or ?sort is a 400 naming the parameter ("field.invalid", as every page input),
never a 500 and never silently another value; a page number past the end shows the last page.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

SIZES = (20, 50, 100)
# The table's own parameters; every other GET parameter is a filter the table keeps in its links.
OWN = ("page", "size", "sort")
# Page numbers shown around the current one, on each side.
NEIGHBOURS = 2

# A table export is for reading and filing, not a dump of the database: at most this many rows.
EXPORT_LIMIT = 50_000


@dataclass(frozen=True)
class Column:
    """One column: `key` names it (and its data-testid), `sort` is the whitelisted key ?sort= takes."""

    key: str
    label: Any
    sort: str = ""
    css: str = ""


@dataclass(frozen=True)
class TableRequest:
    """The page, size and sort asked for, each one checked against what the table allows."""

    page: int
    size: int
    sort: str  # "name" or "-name": always one of the table's sort keys
    sizes: tuple[int, ...] = SIZES  # the page sizes offered; the first is the default

    @classmethod
    def read(cls, params: Mapping, columns: Sequence[Column], default_sort: str,
             sizes: Sequence[int] = SIZES) -> TableRequest:
        """The table's parameters from a query string. Missing ones take the defaults; one that is there
        but not one the table offers (a page that is no page number, a size not offered, a column that
        does not sort) is refused as "field.invalid" naming it (400), never silently another value. A
        page past the last one shows the last page: the rows may have gone since the link was made."""
        allowed = {c.sort for c in columns if c.sort}
        sort = str(params.get("sort", "") or "")
        if not sort:
            sort = default_sort
        elif sort.removeprefix("-") not in allowed:
            raise _invalid(_("Sort by"))
        size = _number(params.get("size"), _("Rows per page")) or sizes[0]
        if size not in sizes:
            raise _invalid(_("Rows per page"))
        page = _number(params.get("page"), _("Page"))
        return cls(page=page or 1, size=size, sort=sort, sizes=tuple(sizes))

    @property
    def sort_key(self) -> str:
        return self.sort.removeprefix("-")

    @property
    def descending(self) -> bool:
        return self.sort.startswith("-")


def _number(value: object, label) -> int:
    """A page number or size typed in a URL: plain ASCII digits, at least 1; 0 when not given."""
    text = str(value or "")
    if not text:
        return 0
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or int(text) < 1:
        raise _invalid(label)
    return int(text)


def _invalid(label):
    from renrentong.core.errors import UserFacingError

    return UserFacingError("field.invalid", field=str(label))


@dataclass
class PageOf:
    rows: list
    total: int
    page: int
    pages: int


def page_of(items, page: int, size: int) -> PageOf:
    """One page of an ordered queryset (or list): counted once, then sliced, so the database reads
    LIMIT size OFFSET (page - 1) * size on its index and no other row reaches Python."""
    total = items.count() if hasattr(items, "count") and not isinstance(items, list) else len(items)
    pages = max(1, math.ceil(total / size))
    page = max(1, min(page, pages))
    return PageOf(rows=list(items[(page - 1) * size: page * size]), total=total, page=page, pages=pages)


def page_numbers(page: int, pages: int, neighbours: int = NEIGHBOURS) -> list[int | None]:
    """The page links to show: the first, the current one with its neighbours, the last; None for "…"."""
    shown = sorted({1, pages, *range(max(1, page - neighbours), min(pages, page + neighbours) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None if number - numbers[-1] > 2 else number - 1)
        numbers.append(number)
    return numbers


@dataclass
class Header:
    key: str
    label: Any
    css: str
    sortable: bool
    link: str = ""
    aria_sort: str = ""  # "ascending" / "descending" on the sorted column, else not set


@dataclass
class Table:
    """What the table templates render: columns, one page of rows and the links that keep the filters."""

    columns: Sequence[Column]
    request: TableRequest
    rows: list
    total: int
    page: int
    pages: int
    filters: dict[str, str] = field(default_factory=dict)  # the kept GET parameters, empty ones left out
    name: str = "table"  # its data-testid
    selectable: bool = False  # a checkbox column for batch actions
    select_form: str = ""  # the id of the form the checkboxes belong to
    empty: Any = ""  # "暂无X。" with who can change it
    empty_id: str = ""  # the empty row's data-testid, if not "<name>-empty"
    export_url: str = ""  # the same filters, as .xlsx
    unit: Any = ""  # what the total counts ("人", "条"), after the number

    @classmethod
    def build(cls, columns: Sequence[Column], request: TableRequest, found: PageOf,
              filters: Mapping[str, object], **kwargs) -> Table:
        kept = {k: str(v) for k, v in filters.items() if v not in (None, "") and k not in OWN}
        return cls(columns=columns, request=request, rows=found.rows, total=found.total, page=found.page,
                   pages=found.pages, filters=kept, **kwargs)

    # Links: each keeps the filters and the table's other parameters ------------------------------------

    def query(self, **changes: object) -> str:
        """The query string of this table with some parameters changed ("" drops one)."""
        params: dict[str, object] = {**self.filters, "sort": self.request.sort, "size": self.request.size,
                                     "page": self.page}
        params.update(changes)
        if params.get("size") == self.request.sizes[0]:
            params.pop("size")
        if params.get("page") == 1:
            params.pop("page")
        return urlencode({k: v for k, v in params.items() if v not in (None, "")})

    def link(self, **changes: object) -> str:
        return "?" + self.query(**changes)

    @property
    def here(self) -> str:
        """This page's query string: what a POST carries back so the admin lands where they were."""
        return self.query()

    @property
    def headers(self) -> list[Header]:
        headers = []
        for column in self.columns:
            header = Header(column.key, column.label, column.css, bool(column.sort))
            if column.sort:
                if self.request.sort_key == column.sort:
                    header.aria_sort = "descending" if self.request.descending else "ascending"
                    following = column.sort if self.request.descending else f"-{column.sort}"
                else:
                    following = column.sort
                header.link = self.link(sort=following, page=1)
            headers.append(header)
        return headers

    @property
    def total_text(self) -> str:
        return f"{self.total:,}"

    @property
    def span(self) -> int:
        return len(self.columns) + (1 if self.selectable else 0)

    @property
    def numbers(self) -> list[dict]:
        return [{"number": n, "link": self.link(page=n) if n else "", "current": n == self.page}
                for n in page_numbers(self.page, self.pages)]

    @property
    def previous_link(self) -> str:
        return self.link(page=self.page - 1) if self.page > 1 else ""

    @property
    def next_link(self) -> str:
        return self.link(page=self.page + 1) if self.page < self.pages else ""

    @property
    def hidden_for_page(self) -> list[tuple[str, str]]:
        """The hidden fields of the jump-to-page form: everything but the page."""
        kept = {**self.filters, "sort": self.request.sort, "size": str(self.request.size)}
        return list(kept.items())

    @property
    def hidden_for_size(self) -> list[tuple[str, str]]:
        """The hidden fields of the page-size form: everything but the size and the page (back to 1)."""
        return list({**self.filters, "sort": self.request.sort}.items())

    @property
    def sizes(self) -> Iterable[int]:
        return sorted(self.request.sizes)


def xlsx_response(title: str, headers: Sequence[object], rows: Iterable[Sequence[object]]):
    """A table's export: one sheet through the shared formula-safe writer, every column text, the file
    named after the table and the time. The caller has filtered the rows and audited the export."""
    from django.utils import timezone

    from renrentong.core.spreadsheets import writer as spreadsheets
    from renrentong.core.web.downloads import download

    names = [str(h) for h in headers]
    sheet = spreadsheets.Sheet(name=str(title)[:31], headers=names, rows=rows, text_columns=set(names))
    return download(spreadsheets.write_xlsx([sheet]), f"{title}-{timezone.localtime():%Y%m%d-%H%M}.xlsx")


# A search that holds a phone or ID number never goes into a URL (NFR-1): the page keeps it in the session
# under a random token and its links carry the token instead, so paging and sorting a searched table work.
SEARCHES = "table_searches"
KEPT_SEARCHES = 20


def carried_search(request, posted: str | None, token: str) -> tuple[str, dict[str, str]]:
    """(the search text, how the table's links carry it). `posted`: the text of a search form just
    posted, else None; `token`: the ?t= of a link. A text without a phone or ID number rides as ?q=."""
    import secrets

    from renrentong.core.masking import kept_out_of_urls

    kept = request.session.get(SEARCHES, {})
    if posted is not None:
        if posted and kept_out_of_urls(posted) != posted:
            token = secrets.token_urlsafe(8)
            request.session[SEARCHES] = {**dict(list(kept.items())[-(KEPT_SEARCHES - 1):]), token: posted}
            return posted, {"t": token}
        return posted, {"q": posted}
    if token and token in kept:
        return kept[token], {"t": token}
    return "", {}


def search_token(value: object) -> str:
    """A ?t= as the page made it (URL-safe base64, short), else "" (no search)."""
    text = str(value or "")
    return text if len(text) <= 32 and text.isascii() and text.replace("-", "").replace("_", "").isalnum() else ""
