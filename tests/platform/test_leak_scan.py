"""The leak scan (issue 10 item 1, NFR-1): full ID numbers (18 characters: 17 digits and a digit or X)
and mainland mobile numbers (11 digits, 1[3-9]...) appear nowhere outside the places allowed for them.

A realistic world is built (the factories' two schools and every role, national student numbers
"G" + the ID number for every student, a committed roster import with parents' phones and a rejected
row, a key-information proposal, a registry entry and a lookup, an SMS code, logins by phone and by ID
number), then:

1. every text column of every table of the database is scanned (sealed values are binary and are not
   text; keyed digests and hashes are hex and are skipped by column name);
2. every GET operation of the OpenAPI document is called as every identity of every role, each path
   parameter filled with objects of both schools (spreadsheets are scanned cell by cell);
3. every page without an action in its URL is fetched in a session of every role, and the school admin's
   list pages also with the filters their tabs carry (`?kind=parent`, ...);
   every answer the test gets at all is scanned, whatever its method: the POST searches and look-ups
   (API and pages), the imports, the user creation and the key-information PATCH included;
4. the server's log is captured throughout: the access line of every request as the server writes it
   (method, the path with its query string, status) and every record any logger emits.

A number counts as written plainly (18 or 11 digits) or in groups separated by spaces, hyphens or
full-width spaces ("430102 2015 0101 1234", "138-0013-8000"); a grouped ID number only when its check digit
is valid, a grouped phone only as 3-4-4, so dates, times and page numbers are not taken for one.

Allowed places, and why:
- Answers of the audited reveals (`/id-number`, `/national-student-number`) and the rejected-rows
  download, which gives the admin who fixes the rows the original cells; each is one audit row.
- Phones in the database where the platform must use them in full: the login phone of an account
  (`accounts_account.phone`, the identifier people log in with and SMS go to), the address of a code
  sent (`verification_challenge.target`) and the development outbox message (`target`), which the
  SMS provider needs. ID numbers: no text column at all.
- Phones in answers: none. Every answer masks phones (`137****5678`), a user's own included
  (docs/security.md "Shown masked"); no role sees a full phone outside a form it typed in itself.
- Search boxes: a page that searched for a phone or ID number does not echo it back into the box.
- A student's own key-information view shows their national number masked like everyone else's, so no
  exception is needed for it.
"""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import zipfile
from datetime import date

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from renrentong.accounts.login.middleware import SESSION_IDENTITY
from renrentong.accounts.models import Account, Identity, Person
from renrentong.core.text import is_valid_id_number
from renrentong.rosters import services as roster_services
from renrentong.verification import services as verification_services

from tests.factories import bearer, make_activity, make_evaluation_catalogue, make_id_number, make_phone
from tests.roster_files import commit, csv_file, preview
from tests.verification_helpers import recipient

ID_NUMBER = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
# The same numbers written in groups: digits separated by spaces, hyphens or full-width spaces
# ("430102 2015 0101 1234", "138-0013-8000", "138 0013 8000"). A separated ID number counts only when
# its check digit is valid, and a separated phone only in the 3-4-4 grouping with a mobile prefix,
# so dates, times and runs of small numbers in ordinary pages do not match.
SEP = "[ \\-\u3000\u00a0]"
SPACED_ID_NUMBER = re.compile(rf"(?<![0-9])[0-9](?:{SEP}?[0-9]){{16}}{SEP}?[0-9Xx](?![0-9])")
SPACED_MOBILE = re.compile(rf"(?<![0-9])1[3-9][0-9]({SEP})[0-9]{{4}}\1[0-9]{{4}}(?![0-9])")
SEPARATORS = re.compile(SEP)
# A run of ten digits or more, separators allowed: one character class, cheap on every answer; only such
# runs are matched against the patterns above.
CANDIDATE = re.compile(r"[0-9][0-9 \-\u3000\u00a0]{9,}[0-9Xx]")

# Columns that hold a phone in full by design (see the module docstring).
PHONE_COLUMNS = {("accounts_account", "phone"), ("verification_challenge", "target"),
                 ("verification_outboxmessage", "target")}
# Hex digests and hashes: long digit runs in them are chance, not numbers. An import's file_path is named by
# the file's SHA-256 (rosters/services.py), so it is one too.
HASH_COLUMN = re.compile(r"digest|sha256|hash|password|token|^key$|session_key|code_digest|^file_path$")
# Answers that are a full number by design: each is an audited read.
REVEALING = re.compile(r"/id-number$|/national-student-number$|/rejected/?$")
# The import templates' example row shows the format with made-up numbers: an ID number whose check digit
# is wrong (…1234; a real one ends …1235 or …1239) and phones 1371234…, nobody's (rosters/exports.py,
# realname/services.py).
TEMPLATE = re.compile(r"/templates?(/\w+)?/?$")
TEMPLATE_EXAMPLES = {"430102201505171234", "430102198503021234", "13712345678", "13812345678", "13912345678"}

ROLES = ["student_a", "student_b", "parent_a", "parent_b", "teacher_a", "head_teacher_a", "teacher_b",
         "school_admin_a", "school_admin_b", "district_admin_x", "district_admin_y", "city_admin",
         "province_admin"]


def leaks(text: str, url: str = "") -> list[str]:
    found = []
    for run in CANDIDATE.findall(text):
        found += ID_NUMBER.findall(run) + MOBILE.findall(run)
        for match in SPACED_ID_NUMBER.finditer(run):
            number = SEPARATORS.sub("", match.group()).upper()
            if SEPARATORS.search(match.group()) and is_valid_id_number(number):
                found.append(number)
        found += [SEPARATORS.sub("", m.group()) for m in SPACED_MOBILE.finditer(run)]
    if TEMPLATE.search(url):
        found = [n for n in found if n not in TEMPLATE_EXAMPLES]
    return found


class Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(f"{record.name} {record.getMessage()}")


@pytest.fixture
def server_log():
    """Every record of every logger, and the server's access line for each request, as runserver and
    gunicorn write them: the request line holds the path with its query string."""
    capture = Capture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    # django.server does not propagate to the root (settings.LOGGING): listen to it directly as well.
    logging.getLogger("django.server").addHandler(capture)
    yield capture
    logging.getLogger("django.server").removeHandler(capture)
    root.removeHandler(capture)
    root.setLevel(old_level)


def access_line(response) -> None:
    request = response.wsgi_request
    logging.getLogger("django.server").info('"%s %s HTTP/1.1" %s %s', request.method, request.get_full_path(),
                                            response.status_code, len(response.content))


def realistic_world(client, world) -> dict:
    """Data in every place that could hold a number, written through the public surfaces."""
    admin = bearer(world.school_admin_a)
    for person in Person.objects.exclude(id_number_digest=None):
        if Identity.objects.filter(account__person=person, kind="student").exists():
            person.set_national_student_number("G" + person.reveal_id_number())
            person.save()
    grade = world.class_a1.cohort.grade_number(world.school_a.school_year)
    headers = ["姓名", "性别", "身份证号", "全国学籍号", "年级", "班级", "家长1姓名", "家长1关系", "家长1手机号"]
    ids = [make_id_number(date(2016, 4, 1)) for _ in range(3)]
    rows = [[f"导入{n}", "", i, "G" + i, f"{grade}年级", f"{world.class_a1.number}班", f"家长{n}", "母亲",
             make_phone()] for n, i in enumerate(ids)]
    rows.append(["坏行", "", make_id_number(), "", "九十年级", "1班", "坏家长", "父亲", make_phone()])
    job = preview(client, admin, csv_file(rows, headers=headers))
    assert commit(client, admin, job["id"])["status"] == "committed"
    second = preview(client, admin, csv_file(rows[-1:], headers=headers))  # a previewed job, not committed
    patch = client.patch(f"/api/v1/school/keyinfo/people/{world.student_a.person_id}",
                         json.dumps({"id_number": make_id_number(), "national_student_number": "G" + make_id_number()}),
                         content_type="application/json", **bearer(world.parent_a))
    assert patch.status_code == 202, patch.content
    added_id = make_id_number()
    added = client.post("/api/v1/school/users", json.dumps(
        {"kind": "student", "name": "新增生", "sex": "M", "id_number": added_id, "national_student_number": "G" + added_id,
         "class_id": world.class_a2.pk}), content_type="application/json", **admin)
    assert added.status_code == 201, added.content
    moved_id = make_id_number()
    school_edit = client.patch(f"/api/v1/school/keyinfo/people/{world.student_a2.person_id}",
                               json.dumps({"id_number": moved_id, "national_student_number": "G" + moved_id}),
                               content_type="application/json", **admin)
    assert school_edit.status_code == 200, school_edit.content
    entry = client.post("/api/v1/realname/entries", json.dumps(
        {"role": "teacher", "name": "王老师", "id_number": world.teacher_a.person.reveal_id_number()}),
        content_type="application/json", **admin)
    assert entry.status_code == 201, entry.content
    from renrentong.orgs.policy import policy_for_school

    verification_services.send_code(purpose="recover", target=world.parent_a.phone, recipient=recipient(world.parent_a),
                                    source="10.0.0.9", binding="recover:scan",
                                    policy=policy_for_school(world.school_a))
    # A notice to class A1's parents, students and teachers, fanned out and pushed (inbox, receipts, outbox).
    from renrentong.notices import fanout, pushing

    notice = client.post("/api/v1/notices", json.dumps({"title": "家长会", "body": "周五下午三点", "roles": [
        "parent", "student", "teacher"], "class_ids": [world.class_a1.pk]}), content_type="application/json", **admin)
    assert notice.status_code == 201, notice.content
    fanout.fan_out(notice.json()["id"])
    pushing.ring_notice(notice.json()["id"])
    # An evaluation record a parent wrote for a child, and a child signed up for a campus activity.
    make_evaluation_catalogue(world.city)
    record = client.post("/api/v1/evaluation/records", json.dumps({"text": "参加社区志愿服务", "title": "社区服务",
                                                                  "happened_on": "2026-10-01"}),
                         content_type="application/json", **bearer(world.parent_a))
    assert record.status_code == 201, record.content
    activity = make_activity(world.school_admin_a)
    sign_up = client.post(f"/api/v1/activities/{activity.pk}/sign-ups", json.dumps({"child_id": world.student_a.person_id}),
                          content_type="application/json", **bearer(world.parent_a))
    assert sign_up.status_code == 201, sign_up.content
    # A graduating grade-9 class rating each other (EVA-5), peer evaluation open.
    from renrentong.evaluation.models import PeerCriterion
    from tests.factories import make_peer_class, open_peer_evaluation

    _, (rater, ratee, *_rest) = make_peer_class(world, 3)
    open_peer_evaluation(world)
    rated = client.post("/api/v1/evaluation/peer/ratings", json.dumps({"classmate_id": ratee.person_id, "grades": [
        {"criterion_id": c.pk, "grade": "A"} for c in PeerCriterion.objects.all()]}),
        content_type="application/json", **bearer(rater))
    assert rated.status_code == 201, rated.content
    # Academic scores (EVA-6): a school's import keyed by ID and national numbers, one row refused (its cells
    # sealed), committed.
    from tests.evaluation.scores.helpers import by_id_number, by_national, imported

    scores = imported(world.school_admin_a, [by_id_number(world.student_a, "体育平时成绩", "88"),
                                             by_national(world.student_a2, "体育平时成绩", "101")])
    assert scores["status"] == "committed", scores
    review = reviewed_and_displayed(client, world)
    return {"classmate": ratee.person_id, "job": job["id"], "second_job": second["id"], "change": patch.json()["person"]["pending"]["id"],
            "entry": entry.json()["id"], "notice": notice.json()["id"], "record": record.json()["id"],
            "activity": activity.pk, "sign_up": sign_up.json()["id"], "score_job": scores["id"], **review}


def reviewed_and_displayed(client, world) -> dict:
    """The review (issue 14 item 4): a classified record submitted and approved, a reviewer appointed, a
    public display open and an objection lodged against it."""
    from datetime import timedelta

    from django.utils import timezone

    from renrentong.evaluation.models import EvidenceItem
    from tests.factories import open_evaluation_windows

    def send(url, account, body):
        response = client.post(url, json.dumps(body), content_type="application/json", **bearer(account))
        assert response.status_code in (200, 201), response.content
        return response.json()

    open_evaluation_windows(world)
    item = EvidenceItem.objects.filter(code="reading").first()
    made = send("/api/v1/evaluation/records", world.student_a, {"text": "读完一本书", "happened_on": "2026-10-02",
                                                                "item_id": item.pk})
    send("/api/v1/evaluation/submissions", world.student_a, {"record_ids": [made["id"]]})
    send("/api/v1/evaluation/review/decisions", world.school_admin_a, {"record_ids": [made["id"]], "approve": True})
    appointment = send("/api/v1/evaluation/review/reviewers", world.school_admin_a,
                       {"teacher_id": world.teacher_a.identities.get().pk, "class_ids": [world.class_a1.pk]})
    today = timezone.localdate()
    display = send("/api/v1/evaluation/review/displays", world.school_admin_a,
                   {"starts_on": str(today), "ends_on": str(today + timedelta(days=3))})
    objection = send(f"/api/v1/evaluation/review/displays/{display['id']}/objections", world.parent_a,
                     {"record_id": made["id"], "reason": "请核实"})
    return {"appointment": appointment["id"], "display": display["id"], "objection": objection["id"]}


def posts_with_numbers(client, world) -> None:
    """The requests that carry an ID number or a phone: they must keep them in the body."""
    admin = bearer(world.school_admin_a)
    calls = [
        ("/api/v1/auth/login", {"identifier": world.parent_a.phone, "password": "wrong-password-1"}, {}),
        ("/api/v1/auth/login", {"identifier": world.student_a.person.reveal_id_number(), "password": "wrong-1"}, {}),
        ("/api/v1/auth/login", {"identifier": "G" + world.student_a.person.reveal_id_number(), "password": "x-1"}, {}),
        ("/api/v1/realname/holders", {"id_number": world.teacher_a.person.reveal_id_number()}, admin),
        ("/api/v1/verification/phone-holders", {"phone": world.parent_a.phone}, admin),
        ("/api/v1/school/users/search", {"kind": "parent", "q": world.parent_a.phone}, admin),
        ("/api/v1/school/recycle-bin/search", {"q": world.student_a.person.reveal_id_number()}, admin),
        ("/api/v1/realname/entries/search", {"q": world.teacher_a.person.reveal_id_number()}, admin),
        ("/api/v1/resets/candidates/search", {"kind": "parent", "q": world.parent_a.phone}, admin),
    ]
    for url, body, headers in calls:
        response = client.post(url, json.dumps(body), content_type="application/json", **headers)
        assert response.status_code < 500
        access_line(response)
    # The pages' search forms, as a browser submits them.
    client.force_login(world.school_admin_a, backend="renrentong.accounts.login.backends.AccountBackend")
    session = client.session
    session[SESSION_IDENTITY] = world.school_admin_a.identities.get().pk
    session.save()
    for url, form in [("/school/users/", {"kind": "parent", "q": world.parent_a.phone}),
                      ("/realname/registry/", {"action": "search", "q": world.teacher_a.person.reveal_id_number()}),
                      ("/resets/", {"action": "filter", "kind": "parent", "q": world.parent_a.phone}),
                      ("/accounts/phone/unbind/", {"phone": world.parent_a.phone})]:
        response = client.post(url, form)
        assert response.status_code == 200, url
        access_line(response)
    client.logout()


def api_gets(client, objects: dict) -> list[str]:
    """Every GET operation of the OpenAPI document, its path parameters filled with each candidate."""
    schema = client.get("/api/v1/openapi.json").json()
    urls = []
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or path.endswith("/openapi.json"):
            continue
        names = re.findall(r"{(\w+)}", path)
        query = {p["name"]: objects[p["name"]][0] for p in operation.get("parameters", [])
                 if p["in"] == "query" and p.get("required")}
        variants = [path]
        for name in names:
            variants = [v.replace("{" + name + "}", str(value)) for v in variants for value in objects[name]]
        suffix = ("?" + "&".join(f"{k}={v}" for k, v in query.items())) if query else ""
        urls += [v + suffix for v in variants]
    urls += ["/api/v1/school/users?kind=parent", "/api/v1/school/users?kind=teacher",
             "/api/v1/school/recycle-bin?kind=parent", "/api/v1/rosters/exports/parents"]
    return urls


FILTERED_PAGES = [f"{page}?kind={kind}" for page in ("/school/users/", "/school/recycle-bin/")
                  for kind in ("student", "parent", "teacher")] + [
    "/resets/?kind=parent", "/resets/?kind=student", "/realname/applications/?status=approved",
    "/realname/applications/?status=rejected"]


def page_gets(objects: dict) -> list[str]:
    """Every page whose URL names no action, its integer parameters filled like the API's."""
    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    urls = []
    for pattern in walk(get_resolver().url_patterns):
        if pattern.startswith("api/") or "logout" in pattern or "setlang" in pattern or "<str:action>" in pattern \
                or "<str:which>" in pattern or "delete" in pattern or "undo" in pattern:
            continue
        variants = ["/" + pattern]
        for kind, name in re.findall(r"<(\w+):(\w+)>", pattern):
            variants = [v.replace(f"<{kind}:{name}>", str(value)) for v in variants for value in objects[name]]
        urls += variants
    return urls


def answer_text(response) -> str:
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        return " ".join(str(c) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python()
                        for c in row)
    if "zip" in content_type:
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return " ".join(archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist())
    if "pdf" in content_type:
        # The text a reader sees; the compressed streams of the file hold chance runs of digits.
        return subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True,
                              check=True).stdout.decode()
    return response.content.decode("utf-8", errors="replace")


class Answers:
    """Every answer the test client gets, whatever its method, scanned as it arrives: the body of a POST,
    PATCH or PUT (searches, holder look-ups, creations, imports) as well as a GET's. `who` names the
    session or caller the findings belong to."""

    def __init__(self, client):
        self.findings: list[tuple] = []
        self.answered = 0
        self.who = "setup"
        request = client.request

        def scanned(**kwargs):
            response = request(**kwargs)
            self.answered += response.status_code == 200
            method, url = response.wsgi_request.method, response.wsgi_request.get_full_path()
            if not REVEALING.search(url.split("?")[0]):
                self.findings += [("answer", self.who, method, url, n) for n in leaks(answer_text(response), url)]
            return response

        client.request = scanned


def identities_of(account: Account):
    return list(account.identities.order_by("pk"))


def test_no_id_number_or_phone_outside_the_allowed_places(client, world, server_log):
    answers = Answers(client)
    made = realistic_world(client, world)
    objects = {
        "person_id": [world.student_a.person_id, world.student_b.person_id, world.parent_a.person_id],
        "account_id": [world.student_a.pk, world.parent_a.pk, world.teacher_a.pk, world.student_b.pk],
        "class_id": [world.class_a1.pk, world.class_b1.pk], "school_id": [world.school_a.pk, world.school_b.pk],
        "region_id": [world.district_x.pk, world.city.pk], "job_id": [made["job"], made["second_job"], made["score_job"]],
        "change_id": [made["change"]], "entry_id": [made["entry"]], "request_id": [1],
        "comparison_id": [1], "campus_id": [1], "stage_id": [1], "cohort_id": [1], "run_id": [1],
        "post_id": [1], "admin_id": [1], "word_id": [1],  # spaces (SPC-1, SPC-2)
        "record_id": [made["record"]], "dimension_id": [1], "item_id": [1],  # evaluation (EVA-1..EVA-3)
        "student_id": [world.student_a.person_id, world.student_b.person_id],  # evaluation progress (EVA-4), archives (item 8)
        "appointment_id": [made["appointment"]], "display_id": [made["display"]],  # evaluation review (item 4)
        "objection_id": [made["objection"]],
        "activity_id": [made["activity"]], "sign_up_id": [made["sign_up"]],  # activities (ACT-1)
        "resource_id": [1], "recommendation_id": [1],  # the smart classroom (RES-1, RES-3)
        "classmate_id": [made["classmate"], world.student_b.person_id],  # peer evaluation (EVA-5)
        "textbook_id": [1], "chapter_id": [1], "teacher_id": [world.teacher_a.identities.get().pk],
        "lesson_id": [1], "checker_id": [1], "report_id": [1],  # lesson preparation (RES-4)
        "question_id": [1], "paper_id": [1], "attempt_id": [1],  # online practice (RES-2)
        "notice_id": [made["notice"]], "file_id": [1], "token": ["expired"], "key": [world.district_x.code],
        "kind": ["students", "teachers"], "q": ["芙蓉"],
        # Should an operation take one of these in its URL, the access log shows it and the scan fails.
        "id_number": [world.student_a.person.reveal_id_number()], "phone": [world.parent_a.phone],
    }
    answers.who = "posts"
    posts_with_numbers(client, world)
    findings: list[tuple] = []

    # 1. The database: every text column of every table.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 -- table names from introspection
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, dict | list):  # JSON columns as PostgreSQL returns them
                        value = json.dumps(value, ensure_ascii=False)
                    if not isinstance(value, str) or HASH_COLUMN.search(column):
                        continue
                    for number in leaks(value):
                        allowed = (table, column) in PHONE_COLUMNS and MOBILE.fullmatch(number)
                        if not allowed:
                            findings.append(("db", table, column, number))

    # 2 and 3. Every GET operation and page, as every identity of every role.
    # The list pages with the filters their links and tabs carry, as the school admin who uses them.
    filtered = {"school_admin_a": FILTERED_PAGES, "school_admin_b": FILTERED_PAGES}
    api_urls, page_urls = api_gets(client, objects), page_gets(objects)
    for role in ROLES:
        account = getattr(world, role)
        for identity in identities_of(account):
            answers.who = role
            headers = bearer(account, identity.kind)
            for url in api_urls:
                response = client.get(url, **headers)
                access_line(response)
                assert response.status_code < 500, (role, url)
            client.force_login(account, backend="renrentong.accounts.login.backends.AccountBackend")
            session = client.session
            session[SESSION_IDENTITY] = identity.pk
            session.save()
            for url in page_urls + filtered.get(role, []):
                response = client.get(url)
                access_line(response)
                assert response.status_code < 500, (role, url)
                assert url not in FILTERED_PAGES or response.status_code == 200, (role, url)
            client.logout()
    # Every answer of the test, POST, PATCH and GET alike (by whom, method, path).
    findings += answers.findings
    answered = answers.answered

    # 4. The server's log.
    findings += [("log", line[:200], n) for line in server_log.lines for n in leaks(line)]

    where = sorted({f[:1] + f[2:] if f[0] == "answer" else f for f in findings})
    assert where == [], f"{len(findings)} numbers outside the allowed places: {where}"
    assert answered > 600  # the scan saw real answers, not a wall of refusals
    assert any("/api/v1/realname/holders" in line for line in server_log.lines)  # the log was captured


def test_the_scan_finds_a_number_where_one_leaks(client, world):
    """The scan's patterns catch what they must: a clear national number, a phone, an ID with X."""
    number = make_id_number()
    assert leaks(f"G{number}") == [number]
    assert leaks("电话 13712345678。") == ["13712345678"]
    assert leaks("43010220150517123X") == ["43010220150517123X"]
    assert leaks("G430***********1234 137****5678 12345678 ") == []


def test_the_scan_finds_numbers_written_in_groups():
    """Spaces, hyphens and full-width spaces between the digits do not hide a number; dates, times and
    runs of small numbers in ordinary pages are not taken for one."""
    number = make_id_number(date(2015, 1, 1))
    spaced = f"{number[:6]} {number[6:10]} {number[10:14]} {number[14:]}"
    assert leaks(f"证件 {spaced}。") == [number]
    assert leaks(f"{number[:6]}-{number[6:14]}-{number[14:]}") == [number]
    assert leaks(f"{number[:6]}\u3000{number[6:14]}\u3000{number[14:]}") == [number]
    assert leaks("电话 138-0013-8000") == ["13800138000"]
    assert leaks("138 0013 8000，") == ["13800138000"]
    assert leaks("138\u30000013\u30008000") == ["13800138000"]
    assert leaks("2026-12-04 13:14:12 第 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 页 "
                 "13 14 15 16 17 18 19 20 21 22 2024-09-01 2025-08-31 id 1234 5678 9012 3456 78") == []
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert leaks(f"{wrong[:6]} {wrong[6:10]} {wrong[10:14]} {wrong[14:]}") == []
