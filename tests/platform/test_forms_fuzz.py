"""Every form of every page, submitted with hostile text, never answers 500 (issue 11 item 3).

For each page (every URL pattern of renrentong.urls but the API, static files and patterns with a text
parameter, which are the actions forms post to), as each role of the test world (and anonymously), the test
GETs the page, collects its <form>s (method, action or hx-post/hx-get, every named input, select, textarea
and submit button, hidden ones and the CSRF token included) and submits each form with Hypothesis-chosen
values: in each example every field keeps what the page filled in or gets hostile text (unicode digits such
as "²" and "٣", NUL, 10,000 characters, negative and huge numbers, impossible dates, blank, whitespace,
arbitrary text without surrogates). A 5xx answer, or an exception escaping the client, is a failure; after
the run each failing example is narrowed to the fields that alone cause it, and all are reported together.

Each example runs in a savepoint rolled back afterwards, with the cache cleared and the role logged in
again, so a form that deletes, logs out or changes a password does not spoil the next example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from tests.factories import as_user

# Five examples per form with the default Hypothesis profile, twelve with "ci" (tests/conftest.py): 25 took ~3
# minutes of a CI run that must stay within 45.
EXAMPLES_PER_FORM = min(12, settings.default.max_examples // 2)

# One of each kind of identity (the district admin stands for every region admin), and nobody.
ROLES = ["anonymous", "student_a", "parent_a", "teacher_a", "head_teacher_a", "school_admin_a", "district_admin_x"]
# Forms every page carries (language switch, logout): fuzzed once, on the home page.
SHARED_ACTIONS = {"/i18n/setlang/", "/accounts/logout/"}

HOSTILE = [
    "²", "٣", "١٢٣", "３", "\x00", "12\x003", "x" * 10_000, "9" * 10_000, "-1", "-99999999999999999999",
    str(2**63), str(2**64 + 1), "99999999999999999999999999", "1e309", "NaN", "-0", "0", "",
    "   ", "\t\n", "2026-02-30", "0000-00-00", "9999-99-99", "9999-12-31", "0001-01-01", "2026-1-1",
    "../../etc/passwd", "<script>", "' OR 1=1 --",
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40),
    st.integers().map(str),
    st.integers(min_value=2**31, max_value=2**80).map(lambda n: str(-n)),
)


def _page_patterns() -> list[tuple[str, str]]:
    """(route, name) of every page route; `<int:x>` stays in the route to be filled from the world."""
    routes = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                routes.append((prefix + str(pattern.pattern), pattern.name or ""))

    walk(get_resolver().url_patterns)
    return [(route, name) for route, name in routes
            if not route.startswith("api/") and "static" not in route and "<str:" not in route
            and "<path:" not in route and not route.startswith("^")]


PAGES = _page_patterns()

# Pages whose forms answer 500 today; the forms work of issue 11 item 3 removes these marks.
FAILING: dict[str, str] = {}


def _filled(route: str, world) -> str:
    campus = world.class_a1.cohort.stage.campus
    values = {
        "school_id": world.school_a.pk, "class_id": world.class_a1.pk, "campus_id": campus.pk,
        "stage_id": world.class_a1.cohort.stage_id, "cohort_id": world.class_a1.cohort_id,
        "person_id": world.student_a.person_id, "account_id": world.student_a.pk,
    }

    def fill(match: re.Match) -> str:
        return str(values.get(match.group(1), 1))

    return "/" + re.sub(r"<int:(\w+)>", fill, route)


@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (name, value as the page filled it)
    choices: dict[str, list[str]] = field(default_factory=dict)  # submit buttons and radios of one name
    files: list[str] = field(default_factory=list)

    def key(self) -> tuple:
        return self.method, self.action, tuple(sorted({n for n, _ in self.fields} | set(self.choices)))


class FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: str | None = None
        self.select_value: str | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            method = "post" if "hx-post" in a else (a.get("method") or "get").lower()
            action = a.get("hx-post") or a.get("hx-get") or a.get("action") or self.page_url
            self.form = Form(method=method, action=urljoin(self.page_url, action))
            self.forms.append(self.form)
        if self.form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                self.form.files.append(name)
            elif kind in ("submit", "radio", "image", "button"):
                self.form.choices.setdefault(name, []).append(a.get("value", ""))
            elif kind == "checkbox":
                if "checked" in a:
                    self.form.fields.append((name, a.get("value", "on")))
                else:
                    self.form.choices.setdefault(name, []).append(a.get("value", "on"))
            else:
                self.form.fields.append((name, a.get("value", "")))
        elif tag == "button":
            self.form.choices.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select":
            self.select, self.select_value = name, None
        elif tag == "option" and self.select:
            if self.select_value is None or "selected" in a:
                self.select_value = a.get("value", "")
        elif tag == "textarea":
            self.textarea, self.text = name, ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select and self.form is not None:
            self.form.fields.append((self.select, self.select_value or ""))
            self.select = None
        elif tag == "textarea" and self.textarea and self.form is not None:
            self.form.fields.append((self.textarea, self.text))
            self.textarea = None


def _forms_of(html: str, page_url: str) -> list[Form]:
    parser = FormParser(page_url)
    parser.feed(html)
    forms = []
    for form in parser.forms:
        parts = urlsplit(form.action)
        if parts.netloc not in ("", "testserver") or parts.path.startswith("/api/"):
            continue
        form.action = parts.path + (f"?{parts.query}" if parts.query else "")
        forms.append(form)
    return forms


def _client(world, role: str) -> Client:
    client = Client(raise_request_exception=True)
    if role != "anonymous":
        as_user(client, getattr(world, role))
    return client


def _submit(world, role: str, form: Form, data: dict[str, list[str]]) -> str | None:
    """Send the form in a savepoint rolled back afterwards; the failure, or None."""
    cache.clear()
    try:
        with transaction.atomic():
            client = _client(world, role)
            send = client.post if form.method == "post" else client.get
            response = send(form.action, data)
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 -- any exception escaping the client is what we look for
        return f"{type(error).__name__}: {str(error)[:200]}"
    if response.status_code >= 500:
        return f"status {response.status_code}"
    return None


def _short(value: str) -> str:
    return repr(value if len(value) <= 24 else value[:12] + f"...({len(value)} chars)")


def _fuzz(world, role: str, page: str, form: Form, failures: list[str]) -> None:
    names = [name for name, _ in form.fields] + list(form.choices)
    if not names:
        return
    original = {name: value for name, value in form.fields}
    seen: set[tuple] = set()

    def base(choice: dict[str, str]) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for name, value in form.fields:
            data.setdefault(name, []).append(value)
        for name, value in choice.items():
            data[name] = [value]
        return data

    @settings(max_examples=EXAMPLES_PER_FORM, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate])
    @given(st.data())
    def example(draw):
        choice = {name: draw.draw(st.sampled_from(values)) for name, values in form.choices.items() if values}
        hostile = {}
        for name in names:
            if name == "csrfmiddlewaretoken":
                continue
            if draw.draw(st.booleans()):
                hostile[name] = draw.draw(hostile_text)
        data = base(choice)
        for name, value in hostile.items():
            data[name] = [value]
        failure = _submit(world, role, form, data)
        if failure is None:
            return
        # Narrow to the fields that alone cause it.
        culprits = [name for name, value in hostile.items()
                    if _submit(world, role, form, base(choice) | {name: [value]}) is not None] \
            or (["(several together)"] if hostile else ["(as the page filled it)"])
        for name in culprits:
            key = (name, failure.split(":")[0])
            if key in seen:
                continue
            seen.add(key)
            value = hostile.get(name, original.get(name, ""))
            failures.append(f"{page} as {role}: {form.method.upper()} {form.action} field {name!r}="
                            f"{_short(value)} -> {failure}")

    example()


def _case(route: str, name: str):
    page = "/" + route
    marks = [pytest.mark.xfail(strict=True, reason=f"issue 11 item 3: {page}")] if page in FAILING else []
    return pytest.param(route, id=page, marks=marks)


@pytest.mark.parametrize("route", [_case(route, name) for route, name in PAGES])
def test_every_form_of_the_page_survives_hostile_input(world, route):
    page_url = _filled(route, world)
    failures: list[str] = []
    fuzzed: set[tuple] = set()
    for role in ROLES:
        cache.clear()
        client = _client(world, role)
        try:
            response = client.get(page_url)
        except Exception as error:  # noqa: BLE001
            failures.append(f"{page_url} as {role}: GET raised {type(error).__name__}: {str(error)[:200]}")
            continue
        if response.status_code >= 500:
            failures.append(f"{page_url} as {role}: GET -> {response.status_code}")
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for form in _forms_of(response.content.decode("utf-8", "replace"), page_url):
            if urlsplit(form.action).path in SHARED_ACTIONS and route != "":
                continue
            # A form that several roles see alike (same action and fields) is fuzzed as the first of them.
            if form.key() in fuzzed:
                continue
            fuzzed.add(form.key())
            _fuzz(world, role, page_url, form, failures)
    assert not failures, "\n".join([f"{len(failures)} 5xx answers or exceptions:"] + failures)


def test_the_form_walk_sees_the_fields_of_a_page(client, world):
    """Guards the walk itself: the login page's form is found with its fields, the CSRF token included,
    and a 5xx from a form would be reported, not swallowed."""
    page = client.get("/accounts/login/").content.decode()
    login = next(f for f in _forms_of(page, "/accounts/login/") if f.action == "/accounts/login/")
    names = {name for name, _ in login.fields}
    assert {"identifier", "password", "csrfmiddlewaretoken"} <= names and login.method == "post"
    broken = Form(method="get", action="/accounts/login/", fields=[("identifier", "")])
    failures: list[str] = []
    original = _submit

    def always_500(*args, **kwargs):
        return "status 500"

    globals()["_submit"] = always_500
    try:
        _fuzz(world, "anonymous", "/accounts/login/", broken, failures)
    finally:
        globals()["_submit"] = original
    assert any("field 'identifier'" in failure for failure in failures), failures
