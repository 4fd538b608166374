"""Numbers typed or sent in page forms and query strings: what is not made of ASCII digits, or is too
large for an id, is refused like any other wrong value, never a 500. str.isdigit() accepts "²", which
int() refuses, and int() reads full-width "１２" as 12 (core.text.parse_number)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st

from renrentong.core.text import MAX_ID, parse_number

from tests.factories import bearer, make_id_number
from tests.roster_files import csv_file, preview
from tests.roster_files import row
from tests.factories import as_user

BAD = ["²", "１２", "99999999999999999999999"]

# (who, method, url, fields): each field gets the bad value.
FORMS = [
    ("school_admin_a", "post", "/accounts/networks/", {"remove": None}),
    ("school_admin_a", "post", "/accounts/networks/", {"threshold": None, "network": "10.0.0.0/24"}),
    ("school_admin_a", "post", "/accounts/identities/", {"identity_id": None}),
    ("school_admin_a", "post", "/accounts/phone/unbind/", {"account_id": None}),
    ("student_a", "post", "/school/class-changes/", {"to_class_id": None}),
    ("student_a", "post", "/school/transfers/", {"to_school_id": None}),
    ("school_admin_a", "post", "/school/transfers/999999/approve/", {"class_id": None}),
    ("district_admin_x", "get", "/school/keyinfo/", {"school_id": None}),
    ("district_admin_x", "get", "/school/keyinfo/incomplete.xlsx", {"school_id": None}),
    ("school_admin_a", "get", "/school/users/", {"page": None, "school_id": None}),
    ("school_admin_a", "post", "/school/users/class-change/", {"account_ids": None, "class_id": None}),
    ("school_admin_a", "get", "/school/teaching/", {"cohort_id": None}),
    ("parent_a", "post", "/family/link-requests/", {"request_id": None, "decision": "confirm"}),
    ("parent_a", "post", "/family/children/", {"person_id": None}),
    ("parent_a", "post", "/family/children/", {"person_id": None, "action": "unlink"}),
    ("parent_a", "post", "/family/children/", {"request_id": None, "action": "cancel_request"}),
    ("head_teacher_a", "get", "/resets/", {"class_id": None}),
    ("head_teacher_a", "post", "/resets/", {"class_id": None, "action": "filter"}),
    ("head_teacher_a", "post", "/resets/", {"account_id": None}),
    ("district_admin_x", "get", "/rosters/exports/students/", {"school_id": None, "class_id": None}),
    ("district_admin_x", "post", "/rosters/imports/", {"school_id": None, "kind": "students", "file": "csv"}),
    ("student_a", "post", "/realname/verify/", {"binding_id": None, "action": "unbind"}),
    ("school_admin_a", "get", "/realname/registry/", {"class_id": None, "school_id": None}),
    ("school_admin_a", "post", "/realname/registry/", {"action": "reveal", "entry_id": None, "school_id": None}),
    ("district_admin_x", "post", "/realname/applications/", {"application_id": None, "action": "approve"}),
    ("district_admin_x", "post", "/rollover/", {"school_id": None}),
    ("district_admin_x", "post", "/orgs/settings/", {"login_lock_minutes": None}),
]


@pytest.mark.parametrize("bad", BAD)
@pytest.mark.parametrize(("who", "method", "url", "fields"), FORMS,
                         ids=[f"{m}-{u}-{'-'.join(f)}" for _w, m, u, f in FORMS])
def test_a_number_field_with_no_ascii_number_is_no_server_error(client, world, bad, who, method, url, fields):
    as_user(client, getattr(world, who))
    data = {k: (bad if v is None else v) for k, v in fields.items()}
    if data.get("file") == "csv":
        data["file"] = SimpleUploadedFile("students.csv", "姓名,性别\n".encode(), content_type="text/csv")
    response = getattr(client, method)(url, data)
    assert response.status_code < 500


@pytest.mark.parametrize("bad", BAD)
def test_an_import_job_page_with_no_ascii_page_number_is_no_server_error(client, world, bad):
    job = preview(client, bearer(world.school_admin_a), csv_file([row("新同学", make_id_number(), world.class_a1)]))
    as_user(client, world.school_admin_a)
    response = client.get(f"/rosters/imports/{job['id']}/", {"page": bad})
    assert response.status_code == 200


@pytest.mark.parametrize(("value", "expected"), [
    ("0", 0), ("42", 42), ("007", 7), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("²", None),
    ("１２", None), ("٣", None), ("", None), (None, None), (" 1", None), ("+1", None), ("-1", None),
    ("1_0", None), ("99999999999999999999999", None),
])
def test_parse_number_examples(value, expected):
    assert parse_number(value) == expected


@given(st.one_of(st.none(), st.text(), st.from_regex(r"\A[0-9]{1,25}\Z"),
                 st.text(alphabet=st.characters(categories=["Nd", "No"]), max_size=25)))
def test_parse_number_never_raises_and_reads_only_ascii_digits(value):
    number = parse_number(value)
    if number is not None:
        assert value.isascii() and value.isdigit() and 0 <= number <= MAX_ID and int(value) == number
    elif value and value.isascii() and value.isdigit():
        assert int(value) > MAX_ID
