"""The OneRoster 1.2 CSV package checker (INT-2) against our reference set: each folder under packages/ is a
package (its CSV files) and an expected.json naming the problems it must yield, `{"valid": true}` for none.
A package may carry "known_sourced_ids", what the database is taken to hold when it is checked."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renrentong.integration.oneroster import csvcheck, csvformat
from renrentong.integration.oneroster.csvcheck import Problem, check_package, read_package

PACKAGES = Path(__file__).parent / "packages"
NAMES = sorted(path.name for path in PACKAGES.iterdir() if path.is_dir())
TIME = "2026-12-06T10:00:00.000Z"


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def folder_files(name: str) -> dict[str, bytes]:
    folder = PACKAGES / name
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file() and path.name != "expected.json"}


def expectation(name: str) -> dict:
    return json.loads((PACKAGES / name / "expected.json").read_text("utf-8"))


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def manifest(**modes: str) -> bytes:
    rows = [["propertyName", "value"], ["manifest.version", "1.0"], ["oneroster.version", "1.2"]]
    rows += [[f"file.{name}", modes.get(name, "absent")] for name in csvformat.MANIFEST_FILES]
    return csv_bytes(rows)


def user_row(**cells: str) -> list[str]:
    values = {"enabledUser": "true", "givenName": "三", "familyName": "张", **cells}
    return [values.get(column, "") for column in csvformat.USERS.header]


def users_package(*rows: list[str], mode: str = "bulk") -> dict[str, bytes]:
    return {"manifest.csv": manifest(users=mode), "users.csv": csv_bytes([list(csvformat.USERS.header), *rows])}


def codes(checked) -> list[tuple]:
    return sorted((p.code, p.file, p.row, p.column) for p in checked.problems)


@pytest.mark.parametrize("name", NAMES)
def test_reference_package_yields_exactly_its_expected_problems(name):
    expected = expectation(name)
    checked = check_package(read_package(zipped(folder_files(name))),
                            known_sourced_ids=set(expected.get("known_sourced_ids", ())))
    wanted = [] if expected.get("valid") else expected["problems"]
    assert codes(checked) == sorted((p["code"], p["file"], p["row"], p["column"]) for p in wanted)


def test_reference_set_holds_valid_and_invalid_packages():
    valid = [name for name in NAMES if expectation(name).get("valid")]
    assert len(valid) >= 2 and len(NAMES) - len(valid) >= 7


def test_bulk_package_gives_modes_and_rows_as_written():
    checked = check_package(read_package(zipped(folder_files("bulk-district"))))
    assert checked.mode["users.csv"] == "bulk" and checked.mode["lineItems.csv"] == "absent"
    lisi = next(row for row in checked.rows["users.csv"] if row["sourcedId"] == "u-lisi")
    assert lisi["agentSourcedIds"] == "u-lina,u-lijun" and lisi["familyName"] == "李"
    # orgs.csv starts with a byte order mark, as Excel writes it; it is not part of the first column's name.
    assert checked.rows["orgs.csv"][0]["sourcedId"] == "org-js"
    assert [len(checked.rows[name]) for name in csvformat.ROSTERING] == [3, 5, 3, 2, 8, 9, 7, 3]


def test_delta_references_resolve_against_the_database_only_when_given():
    files = zipped(folder_files("delta-new-student"))
    checked = check_package(read_package(files))
    unresolved = {(p.file, p.column) for p in checked.problems if p.code == "unresolved_reference"}
    assert ("enrollments.csv", "classSourcedId") in unresolved and ("users.csv", "primaryOrgSourcedId") in unresolved
    assert checked.mode["enrollments.csv"] == "delta" and checked.mode["classes.csv"] == "absent"


def test_a_bulk_file_is_the_whole_truth_so_the_database_does_not_resolve_into_it():
    files = users_package(user_row(sourcedId="u-1", primaryOrgSourcedId="org-old"))
    files["manifest.csv"] = manifest(users="bulk", orgs="bulk")
    files["orgs.csv"] = csv_bytes([list(csvformat.ORGS.header), ["org-s1", "", "", "玄武区第一实验学校", "school", "", ""]])
    checked = check_package(files, known_sourced_ids={"org-old"})
    assert codes(checked) == [("unresolved_reference", "users.csv", 2, "primaryOrgSourcedId")]


def test_an_active_row_cannot_point_at_what_the_same_package_deletes():
    files = users_package(
        user_row(sourcedId="u-child", status="active", dateLastModified=TIME, agentSourcedIds="u-parent"),
        user_row(sourcedId="u-parent", status="tobedeleted", dateLastModified=TIME),
        mode="delta")
    checked = check_package(files, known_sourced_ids={"u-parent"})
    assert codes(checked) == [("unresolved_reference", "users.csv", 2, "agentSourcedIds")]


def test_delta_accepts_utc_time_with_or_without_milliseconds_but_requires_the_z():
    files = users_package(
        user_row(sourcedId="u-1", status="active", dateLastModified="2026-12-06T10:00:00Z"),
        user_row(sourcedId="u-2", status="active", dateLastModified="2026-12-06T10:00:00.000+08:00"),
        user_row(sourcedId="u-3", status="active", dateLastModified="2026-02-30T10:00:00Z"),
        user_row(sourcedId="u-4", status="deleted", dateLastModified=TIME),
        mode="delta")
    assert codes(check_package(files)) == [("datetime_format", "users.csv", 3, "dateLastModified"),
                                           ("datetime_format", "users.csv", 4, "dateLastModified"),
                                           ("enum", "users.csv", 5, "status")]


def test_grades_are_ceds_levels_in_one_comma_separated_cell():
    files = users_package(user_row(sourcedId="u-1", grades="07,08"), user_row(sourcedId="u-2", grades="07,7"))
    assert codes(check_package(files)) == [("enum", "users.csv", 3, "grades")]


def test_metadata_columns_may_follow_the_defined_ones_but_nothing_else_may():
    header = [*csvformat.USERS.header, "metadata.classNumber"]
    files = users_package()
    files["users.csv"] = csv_bytes([header, [*user_row(sourcedId="u-1"), "1"]])
    checked = check_package(files)
    assert checked.problems == [] and checked.rows["users.csv"][0]["metadata.classNumber"] == "1"
    files["users.csv"] = csv_bytes([[*csvformat.USERS.header, "班级"], [*user_row(sourcedId="u-1"), "1"]])
    assert codes(check_package(files)) == [("header_order", "users.csv", 1, "班级")]


def test_a_row_of_the_wrong_width_is_reported_with_its_starting_line():
    files = users_package()
    files["users.csv"] += b'u-1,,,true,,,"\xe4\xb8\x89\n\xe4\xb8\x89",\xe5\xbc\xa0\nu-2,,,true\n'
    assert codes(check_package(files)) == [("bad_csv", "users.csv", 2, None), ("bad_csv", "users.csv", 4, None)]


def test_not_utf8_points_at_the_first_line_that_is_not():
    files = users_package(user_row(sourcedId="u-1"))
    files["users.csv"] = files["users.csv"].decode().encode("gb18030")
    assert codes(check_package(files)) == [("not_utf8", "users.csv", 2, None)]


def test_collecting_stops_after_a_thousand_problems():
    files = users_package(*(user_row(sourcedId=f"u-{n}", givenName="") for n in range(1100)))
    problems = check_package(files).problems
    assert len(problems) == csvcheck.MAX_PROBLEMS + 1
    assert problems[-1].code == "too_many_problems" and {p.code for p in problems[:-1]} == {"required"}


def test_a_warning_leaves_the_package_importable():
    checked = check_package(read_package(zipped(folder_files("unsupported-file"))))
    assert checked.problems and checked.blocking == []


def test_problem_message_names_file_line_column_and_detail():
    problem = Problem("enum", "classes.csv", 3, "classType", "'lecture', expected one of: homeroom, scheduled")
    message = problem.message()
    assert "classes.csv" in message and "3" in message and "classType" in message and "lecture" in message
    assert "manifest.csv" in Problem("manifest_missing", "manifest.csv", None, None, "no manifest").message()


def test_read_package_refuses_what_is_not_a_zip():
    assert codes(check_package(read_package(b"sourcedId,status\n"))) == [("not_zip", "", None, None)]


def test_read_package_refuses_too_many_entries_or_too_many_bytes(monkeypatch):
    data = zipped({"manifest.csv": manifest(), "orgs.csv": b"x" * 5000, "users.csv": b""})
    monkeypatch.setattr(csvcheck, "MAX_ENTRIES", 2)
    assert codes(check_package(read_package(data))) == [("package_too_large", "", None, None)]
    monkeypatch.setattr(csvcheck, "MAX_ENTRIES", 50_000)
    monkeypatch.setattr(csvcheck, "MAX_UNCOMPRESSED", 4096)
    assert codes(check_package(read_package(data))) == [("package_too_large", "", None, None)]


def test_read_package_refuses_folders_parent_references_and_repeated_names():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.csv", manifest())
        archive.writestr("..", b"")
        archive.writestr("data/", b"")
        with pytest.warns(UserWarning):
            archive.writestr("manifest.csv", manifest())
    assert codes(check_package(read_package(buffer.getvalue()))) == [
        ("bad_entry_name", "..", None, None), ("bad_entry_name", "data/", None, None),
        ("duplicate_entry", "manifest.csv", None, None)]


# --- properties --------------------------------------------------------------------------------------------------

FREE_TEXT = ("username", "middleName", "identifier", "email", "sms", "phone", "password", "userMasterIdentifier",
             "preferredGivenName", "preferredMiddleName", "preferredFamilyName", "pronouns")
printable = st.text(st.one_of(
    st.characters(exclude_categories=("Cs", "Cc")),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from(",\"\n\r张"), st.just(" ")))


@given(st.fixed_dictionaries({column: printable for column in FREE_TEXT}),
       printable.filter(lambda s: s.strip()), printable.filter(lambda s: s.strip()))
def test_any_printable_values_written_by_the_csv_module_come_back_unchanged(free_text, given_name, family_name):
    cells = {"sourcedId": "u-1", "givenName": given_name, "familyName": family_name, **free_text}
    checked = check_package(users_package(user_row(**cells)))
    assert checked.problems == []
    assert checked.rows["users.csv"] == [dict(zip(csvformat.USERS.header, user_row(**cells)))]


BULK = folder_files("bulk-district")


@given(st.data())
def test_permuting_the_columns_of_any_file_yields_header_order(data):
    name = data.draw(st.sampled_from(sorted(BULK)))
    rows = csv_rows(BULK[name])
    order = data.draw(st.permutations(range(len(rows[0]))).filter(lambda p: list(p) != sorted(p)))
    checked = check_package({**BULK, name: csv_bytes([[row[i] for i in order] for row in rows])})
    assert [(p.code, p.file) for p in checked.problems] == [("header_order", name)]


@given(st.binary(max_size=4096))
def test_random_bytes_as_a_package_give_problems_not_exceptions(data):
    assert check_package(read_package(data)).problems


@given(st.sampled_from(sorted(csvformat.ROSTERING)), st.binary(max_size=2048))
def test_random_bytes_as_a_file_give_problems_not_exceptions(name, data):
    check_package({**BULK, name: data}, known_sourced_ids={"org-s1"})


@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=8))
def test_a_damaged_zip_gives_problems_not_exceptions(damage):
    data = bytearray(zipped(BULK))
    for position, value in damage:
        data[position % len(data)] = value
    check_package(read_package(bytes(data)))


@given(st.text(alphabet=st.sampled_from("ab, \t\u3000-"), max_size=12))
def test_a_list_of_references_is_its_comma_separated_items_stripped_without_blanks(value):
    # A cell without a comma takes a shorter path: it must split as the general rule does.
    assert csvcheck.listed(value) == [item.strip() for item in value.split(",") if item.strip()]
