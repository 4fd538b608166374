"""Roster import pages in Chromium: upload, preview and its filters, commit watched through the htmx
status poll, result, rejected rows, undo; refused files; who may import; account slips.

The preview and the commit are background tasks. A real worker process (`manage.py db_worker`, or
`rqworker` when REDIS_URL is set) runs them against the test database, as in production: the live
server only enqueues, and the page polls until the worker is done.

Assertions stick to data-testid, data-status, data-outcome, data-code, names and the Chinese text of
renrentong/core/errors.py, never to template strings that the gettext catalogue may not cover yet.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import Page, expect

from renrentong.accounts.models import Enrollment, Person
from renrentong.core.text import id_number_check_digit
from renrentong.orgs.models import SchoolClass
from renrentong.rosters.models import ImportJob

from tests.factories import NEW_PASSWORD, give_password, make_id_number, make_phone
from tests.roster_files import HEADERS, csv_file
from tests.browser.helpers import chinese, log_in, open_class, pass_second_factor

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[3]
# A commit slow enough (one row a chunk, a pause after each) that the page is seen polling while it works.
WORKER_ENV = {"RRT_IMPORT_CHUNK_ROWS": "1", "RRT_IMPORT_CHUNK_PAUSE": "0.4"}
JOB_MS = 60_000  # the worker boots (Django setup) while the browser logs in; a busy CI machine took over 20 s
SCHOOL_HEADERS = ["学校", "姓名", "身份证号", "年级", "班级"]


# The worker --------------------------------------------------------------------------------------------------

def worker_database_url() -> str:
    """The test database, as DATABASE_URL for a separate process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def task_worker(world, tmp_path):  # noqa: F811 (the world fixture)
    """A task worker process on the test database for the length of one test.

    Asks for `world` so that it stops before transactional_db empties the tables (PostgreSQL's TRUNCATE
    would wait for the worker's connection otherwise)."""
    env = {**os.environ, **WORKER_ENV, "DATABASE_URL": worker_database_url(),
           "DJANGO_SETTINGS_MODULE": "renrentong.settings"}
    if "django_tasks_db" in settings.TASKS["default"]["BACKEND"]:
        command = ["db_worker", "--interval", "0.2", "--no-startup-delay"]
    else:
        command = ["rqworker", "default", "--job-class", "django_tasks_rq.backend.Job"]
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "manage.py", *command], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    yield process
    died = process.poll()
    if died is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert died is None, f"the task worker died with {died}:\n{log.read_text(errors='replace')[-3000:]}"


# Files ---------------------------------------------------------------------------------------------------------

def grade_of(school_class: SchoolClass) -> int:
    return school_class.cohort.grade_number(school_class.school.school_year)


def student_row(name: str, id_number: str, school_class: SchoolClass, parent_phone: str = "",
                parent_name: str = "", class_number: int | None = None) -> list[str]:
    number = school_class.number if class_number is None else class_number
    return [name, "", id_number, f"{grade_of(school_class)}年级", f"{number}班", parent_name,
            "母亲" if parent_name else "", parent_phone, "", "", ""]


def invalid_id_number() -> str:
    good = make_id_number(birth=date(2016, 4, 2))
    wrong = next(d for d in "0123456789X" if d != id_number_check_digit(good[:17]))
    return good[:17] + wrong


def write_csv(tmp_path: Path, rows: list[list[str]], headers: list[str] = HEADERS, name: str = "roster.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(csv_file(rows, headers=headers, name=name).read())
    return path


def upload(page: Page, path: Path, school: str | None = None) -> None:
    """From the import page: choose the file (and, for a region admin, the school) and send it."""
    if school is not None:
        page.select_option("#school_id", school)
    page.set_input_files("#file", str(path))
    page.get_by_test_id("upload-form").locator("button[type=submit]").click()


def wait_for_status(page: Page, status: str, timeout: int = JOB_MS) -> None:
    """The job page polls the status every second and reloads itself once the worker is done."""
    expect(page).to_have_url(re.compile(r"/rosters/imports/\d+/"))
    expect(page.get_by_test_id("job-status")).to_have_attribute("data-status", status, timeout=timeout)


def outcomes_by_row(page: Page) -> dict[int, str]:
    """Row number in the file -> data-outcome, as the rows table shows them."""
    pairs = page.get_by_test_id("rows").locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [r.cells[0].textContent.trim(), r.dataset.outcome])")
    return {int(number): outcome for number, outcome in pairs}


def job_id_of(page: Page) -> int:
    return int(re.search(r"/rosters/imports/(\d+)/", page.url).group(1))


# Tests ---------------------------------------------------------------------------------------------------------

def test_school_admin_previews_commits_downloads_rejected_rows_and_undoes(page, world, task_worker, tmp_path):
    a1, a2 = world.class_a1, world.class_a2
    moved = world.student_a.person  # in class 1, the file puts them in class 2
    parent_phone = make_phone()
    bad_id = invalid_id_number()
    path = write_csv(tmp_path, [
        student_row("新同学", make_id_number(), a1, parent_phone, "新妈妈"),  # row 2: create
        student_row(moved.name, moved.reveal_id_number(), a2),                 # row 3: move
        student_row("错号码", bad_id, a1),                                     # row 4: error, invalid ID
        student_row("新班生", make_id_number(), a1, class_number=9),           # row 5: error, no class 9 yet
    ])

    give_password(world.school_admin_a)
    log_in(page, world.school_admin_a.phone, NEW_PASSWORD)
    page.get_by_test_id("imports-link").click()
    expect(page).to_have_url(re.compile(r"/rosters/imports/$"))
    upload(page, path)

    wait_for_status(page, "previewed")
    for outcome, count in (("create", 1), ("move", 1), ("error", 2)):
        expect(page.get_by_test_id(f"filter-{outcome}")).to_contain_text(f"({count})")
    for absent in ("conflict", "unchanged", "transfer_in", "update"):
        expect(page.get_by_test_id(f"filter-{absent}")).to_have_count(0)
    assert outcomes_by_row(page) == {2: "create", 3: "move", 4: "error", 5: "error"}
    assert not Person.objects.filter(name="新同学").exists()  # the preview writes nothing

    page.get_by_test_id("filter-error").click()
    expect(page).to_have_url(re.compile(r"\?outcome=error$"))
    rows = page.get_by_test_id("rows").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("[data-testid=rows] tbody tr:not([data-outcome=error])")).to_have_count(0)
    bad_row = rows.filter(has_text="错号码")
    expect(bad_row.locator("td").nth(2)).to_contain_text("身份证号")  # the catalogue's reason, in Chinese
    expect(bad_row.locator("td").nth(2)).not_to_contain_text(bad_id)  # shown masked
    expect(bad_row.locator("td").nth(3)).to_contain_text("学校管理员")
    expect(rows.filter(has_text="新班生").locator("td").nth(2)).to_contain_text(f"{grade_of(a1)}年级9班")

    page.get_by_test_id("create-classes").check()
    page.get_by_test_id("commit").click()
    # One row a chunk with a pause: the page is seen working, then reloads itself when it is done.
    wait_for_status(page, "committing", timeout=5_000)
    expect(page.get_by_test_id("progress")).to_be_visible()
    wait_for_status(page, "committed")
    expect(page.get_by_test_id("result")).to_be_visible()
    expect(page.get_by_test_id("commit")).to_have_count(0)
    # The counts tell what the commit did: row 5 went in once class 9 was created.
    expect(page.get_by_test_id("filter-create")).to_contain_text("(2)")
    expect(page.get_by_test_id("filter-error")).to_contain_text("(1)")
    assert Enrollment.objects.get(person=moved, ended_on=None).school_class == a2
    new_class = Enrollment.objects.get(person__name="新班生", ended_on=None).school_class
    assert (new_class.school, new_class.number) == (world.school_a, 9)

    download_link = page.get_by_test_id("rejected-download")
    expect(download_link).to_be_visible()
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    content = Path(download.path()).read_bytes()
    assert content[:2] == b"PK", content[:64]
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    rejected = {str(row[0]).removesuffix(".0"): [str(c) for c in row] for row in sheet[1:]}
    assert "4" in rejected and "错号码" in rejected["4"] and "身份证号" in rejected["4"][1]
    # Class 9 was created on commit, so row 5 went in: it is no longer a row that did not go in.
    assert "5" not in rejected, f"row 5 was imported but is listed as rejected: {rejected}"

    page.get_by_test_id("undo").click()
    wait_for_status(page, "undone", timeout=5_000)
    expect(page.get_by_test_id("undo-report")).to_be_visible()
    expect(page.get_by_test_id("undo")).to_have_count(0)
    assert Enrollment.objects.get(person=moved, ended_on=None).school_class == a1
    assert not Enrollment.objects.filter(person__name="新同学", ended_on=None).exists()


def _junk() -> bytes:
    return os.urandom(4096)


def _macro_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                          'package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + os.urandom(512))
    return buffer.getvalue()


@pytest.mark.parametrize("content, code", [(_junk, None), (_macro_workbook, "import.file_macro")],
                         ids=["random-bytes", "macro-workbook"])
def test_a_hostile_or_wrong_file_is_refused_on_the_upload_page(page, world, tmp_path, content, code):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(content())
    give_password(world.school_admin_a)
    log_in(page, world.school_admin_a.phone, NEW_PASSWORD)
    page.goto("/rosters/imports/")
    with page.expect_response(lambda r: r.request.method == "POST") as response:
        upload(page, path)
    assert response.value.status in (400, 413, 415, 422)
    expect(page).to_have_url(re.compile(r"/rosters/imports/$"))
    error = page.get_by_test_id("error")
    expect(error).to_have_attribute("data-code", re.compile(r"^import\.file_"))
    if code:
        expect(error).to_have_attribute("data-code", code)
    expect(error.locator(".error-message")).not_to_be_empty()
    expect(page.get_by_test_id("upload-form")).to_be_visible()  # the user can try again at once
    assert not ImportJob.objects.exists()  # refused before a job exists


def test_head_teacher_cannot_import_but_prints_their_class_slips(page, world):
    teacher = give_password(world.head_teacher_a)
    log_in(page, teacher.phone, NEW_PASSWORD)
    expect(page.get_by_test_id("classes")).to_be_visible()
    expect(page.get_by_test_id("imports-link")).to_have_count(0)

    response = page.goto("/rosters/imports/")
    assert response.status == 403
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "import.not_allowed")
    expect(page.get_by_test_id("upload-form")).to_have_count(0)

    page.goto("/")
    expect(page.get_by_test_id(f"slips-{world.class_a2.pk}")).to_have_count(0)  # not their class
    # The link sits inside the class, which opens (and loads its members) on a click.
    page.get_by_test_id("classes").locator("summary").filter(has_text=chinese(world.class_a1.display_name)).click()
    with page.expect_download() as info:
        page.get_by_test_id(f"slips-{world.class_a1.pk}").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"

    # Another class's slips stay out of reach even by their address.
    response = page.goto(f"/rosters/classes/{world.class_a2.pk}/slips/")
    assert response.status == 404
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "scope.not_found")


def test_school_admin_prints_a_class_s_slips_from_the_school_tree(page, world):
    admin = give_password(world.school_admin_a)
    log_in(page, admin.phone, NEW_PASSWORD)
    page.get_by_test_id("school-tree").get_by_test_id("grade").click()
    details = open_class(page, world.class_a2.code)
    link = details.get_by_test_id(f"slips-{world.class_a2.pk}")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = Path(download.path()).read_bytes()
    assert pdf[:5] == b"%PDF-"
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert world.student_a2.number in text and world.student_a.number not in text  # class 2 only


def test_district_admin_imports_a_file_naming_the_school_on_each_row(page, world, task_worker, tmp_path):
    school_a, a1 = world.school_a, world.class_a1
    grade = f"{grade_of(a1)}年级"
    path = write_csv(tmp_path, [
        [school_a.name, "甲校生", make_id_number(), grade, "1班"],               # row 2: by name
        [school_a.code, "乙校生", make_id_number(), grade, "2班"],               # row 3: by code
        [world.school_b.name, "他区生", make_id_number(), grade, "1班"],          # row 4: another district's
        ["不存在的学校", "丙", make_id_number(), grade, "1班"],                   # row 5: no such school
        ["", "丁", make_id_number(), grade, "1班"],                               # row 6: no school
    ], headers=SCHOOL_HEADERS)

    admin = give_password(world.district_admin_x)
    log_in(page, admin.phone, NEW_PASSWORD)
    pass_second_factor(page, admin)
    page.get_by_test_id("imports-link").click()
    expect(page.locator("#school_id option")).to_have_count(2)  # "the file has a school column" + school A
    upload(page, path, school="")  # the first choice: the file has a school column

    wait_for_status(page, "previewed")
    assert outcomes_by_row(page) == {2: "create", 3: "create", 4: "error", 5: "error", 6: "error"}
    page.get_by_test_id("filter-error").click()
    rows = page.get_by_test_id("rows").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="他区生").locator("td").nth(2)).to_contain_text(world.school_b.name)
    expect(rows.filter(has_text="他区生").locator("td").nth(3)).to_contain_text("区县管理员")
    expect(rows.filter(has_text="丁").locator("td").nth(2)).to_contain_text("学校")

    page.get_by_test_id("commit").click()
    wait_for_status(page, "committed")
    expect(page.get_by_test_id("result")).to_be_visible()
    enrolled = dict(Enrollment.objects.filter(person__name__in=["甲校生", "乙校生"], ended_on=None)
                    .values_list("person__name", "school_class"))
    assert enrolled == {"甲校生": world.class_a1.pk, "乙校生": world.class_a2.pk}
    assert not Person.objects.filter(name__in=["他区生", "丙", "丁"]).exists()
    assert ImportJob.objects.get(pk=job_id_of(page)).school is None
