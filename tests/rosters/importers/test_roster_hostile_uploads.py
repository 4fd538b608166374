"""Issue 10 item 8: a refused upload leaves nothing on the server's disk, and a DTD anywhere in any part of
an .xlsx is refused, not only in the first 64 KB of a part. Every file goes through the upload API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renrentong.rosters import worker

from renrentong.core.spreadsheets import reader
from renrentong.rosters.models import ImportJob

from tests.factories import bearer
from tests.roster_files import csv_file, upload
from tests.spreadsheet_files import deflated_zeros, raw_zip, stored, xlsx_parts

MB = 1024 * 1024


@pytest.fixture
def upload_dir(tmp_path, monkeypatch):
    path = tmp_path / "uploads"
    monkeypatch.setattr(worker, "UPLOAD_DIR", path)
    return path


@pytest.fixture
def admin(world):
    return bearer(world.school_admin_a)


def stored_files(path) -> list[str]:
    return sorted(p.name for p in path.iterdir()) if path.exists() else []


def xlsx_bytes(parts: dict[str, str | bytes]) -> bytes:
    return raw_zip([stored(name, content) for name, content in parts.items()])


def sheet_with_dtd_after(padding: int, encoding: str = "utf-8") -> bytes:
    """A worksheet whose DTD comes after a long comment: still a DTD to an XML parser (the prolog may hold
    comments before the doctype), but beyond the 64 KB head the screen used to look at."""
    xml = ('<?xml version="1.0"?><!--' + "x" * padding + '--><!DOCTYPE worksheet [<!ENTITY e SYSTEM '
           '"file:///etc/passwd">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>')
    return xml.encode(encoding) if encoding != "utf-8" else xml.encode()


def hostile_files() -> list[tuple[str, bytes, str]]:
    """(file name, content, the refusal's code)."""
    others = [stored(name, content) for name, content in xlsx_parts().items() if name != "xl/worksheets/sheet1.xml"]
    return [
        ("setup.exe", b"MZ\x90\x00" + bytes(4000), "import.file_not_spreadsheet"),
        ("名单.xlsx", raw_zip(others + [("xl/worksheets/sheet1.xml", deflated_zeros(), 8, 0, 1 << 30)]),
         "import.file_unpacked_too_large"),
        ("bomb2.xlsx", raw_zip(others + [("xl/worksheets/sheet1.xml", deflated_zeros(), 8, 0, 1000)]),
         "import.file_unpacked_too_large"),
        ("far.xlsx", xlsx_bytes(xlsx_parts(**{"xl/worksheets/sheet1.xml": sheet_with_dtd_after(200_000)})),
         "import.file_xml_doctype"),
        ("far16.xlsx", xlsx_bytes(xlsx_parts(**{"xl/worksheets/sheet1.xml": sheet_with_dtd_after(
            150_000, "utf-16")})), "import.file_xml_doctype"),
        # The doctype straddles the screen's 1 MiB pieces of inflated output.
        ("edge.xlsx", xlsx_bytes(xlsx_parts(**{"xl/sharedStrings.xml": sheet_with_dtd_after(MB - 30)})),
         "import.file_xml_doctype"),
        ("empty.csv", b"", "import.file_empty"),
        # A workbook is parsed whole, so it is held to 20 MB; the message tells the way out (save it as CSV).
        ("big.xlsx", reader.ZIP_MAGIC + bytes(reader.MAX_FILE_BYTES), "import.workbook_too_large"),
    ]


def test_every_refused_upload_leaves_no_file_behind(client, world, admin, upload_dir):
    for name, content, code in hostile_files():
        response = upload(client, admin, SimpleUploadedFile(name, content))
        assert response.status_code in (400, 413), (name, response.status_code)
        assert response.json()["code"] == code, (name, response.json())
        assert stored_files(upload_dir) == [], name
    assert not ImportJob.objects.exists()


def test_a_csv_over_its_limit_is_refused_while_it_arrives(client, world, admin, upload_dir, monkeypatch):
    monkeypatch.setattr(reader, "MAX_CSV_BYTES", 1000)
    response = upload(client, admin, SimpleUploadedFile("big.csv", "姓名\n张三\n".encode() * 200))
    assert response.status_code == 413 and response.json()["code"] == "import.csv_too_large"
    assert "200 MB" in response.json()["message"] and stored_files(upload_dir) == []
    assert not ImportJob.objects.exists()


def test_a_file_refused_by_its_preview_is_deleted_and_an_accepted_one_kept(client, world, admin, upload_dir):
    # Screened as a spreadsheet, but without the columns a roster needs: the job fails and the file goes.
    response = upload(client, admin, csv_file([["x"]], headers=["甲", "乙"]))
    assert response.status_code == 202
    assert len(stored_files(upload_dir)) == 1
    job = worker.run_preview(response.json()["id"])
    assert job.status == ImportJob.Status.FAILED
    assert stored_files(upload_dir) == []
    good = upload(client, admin, csv_file([["新同学", "男", "", "三年级", "1班", "", "", "", "", "", ""]]))
    assert good.status_code == 202
    assert len(stored_files(upload_dir)) == 1


def test_a_failed_job_never_deletes_the_file_of_a_live_job_of_the_same_content(client, world, admin, upload_dir):
    # Uploads are stored by content; a failed job's clean-up must not take a live job's file.
    content = csv_file([["新同学", "男", "", "三年级", "1班", "", "", "", "", "", ""]]).read()
    first = upload(client, admin, SimpleUploadedFile("a.csv", content))
    assert first.status_code == 202
    kept = stored_files(upload_dir)
    worker.discard_upload(kept[0])
    assert stored_files(upload_dir) == kept
