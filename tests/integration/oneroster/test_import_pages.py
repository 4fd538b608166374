"""The OneRoster import pages (INT-2): who may open them, the bulk package to start from, and a delta that removes
most of a school's people: its commit is refused with the reason and a "确认移除" box, and goes through only once
the box is ticked; undo puts everyone back and says what it did."""

from __future__ import annotations

import io
import zipfile

from django.test import Client
from django.urls import reverse

from renrentong.accounts.models import Enrollment
from renrentong.rosters import worker

from tests.factories import as_user
from tests.integration.oneroster import test_import
from tests.integration.oneroster.test_export import package
from tests.integration.oneroster.test_import import csv_rows, write, zipped

IMPORTS = reverse("oneroster_imports:imports")
uploads = test_import.uploads  # the API tests' upload folder, as a fixture here too


def signed_in(account) -> Client:
    client = Client()
    as_user(client, account)
    return client


def uploaded(client: Client, files: dict[str, bytes]) -> int:
    """Upload through the page, run the preview as the worker would; the job's id."""
    answer = client.post(IMPORTS, {"file": zipped(files)})
    assert answer.status_code == 302, answer.content.decode()
    job_id = int(answer["Location"].rstrip("/").rsplit("/", 1)[1])
    worker.run_preview(job_id)
    return job_id


def test_teachers_students_and_parents_are_refused_the_pages(client, world, uploads):
    job_id = uploaded(signed_in(world.school_admin_a), package(client, world.school_admin_a))
    for who in (world.teacher_a, world.head_teacher_a, world.student_a, world.parent_a):
        them = signed_in(who)
        assert them.get(IMPORTS).status_code == 403
        assert them.post(IMPORTS, {"file": zipped(package(client, world.school_admin_a))}).status_code == 403
        assert them.get(reverse("oneroster_imports:export")).status_code == 403
        assert them.get(reverse("oneroster_imports:job", args=[job_id])).status_code in (403, 404)
        assert them.post(reverse("oneroster_imports:job_commit", args=[job_id])).status_code in (403, 404)
    assert signed_in(world.school_admin_b).get(reverse("oneroster_imports:job", args=[job_id])).status_code == 404


def test_the_page_offers_the_bulk_package_and_lists_the_imports(client, world, uploads):
    admin = signed_in(world.school_admin_a)
    download = admin.get(reverse("oneroster_imports:export"))
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content if download.streaming else
                                             [download.content]))) as archive:
        assert "users.csv" in archive.namelist()
    job_id = uploaded(admin, package(client, world.school_admin_a))
    page = admin.get(IMPORTS).content.decode()
    assert 'data-testid="oneroster-upload-form"' in page and reverse("oneroster_imports:job", args=[job_id]) in page
    region = signed_in(world.district_admin_x).get(IMPORTS)
    assert region.status_code == 200 and reverse("oneroster_imports:job", args=[job_id]) in region.content.decode()
    assert "请选择要导入的文件" in admin.post(IMPORTS, {}).content.decode()


def test_removing_most_of_a_school_asks_to_confirm_and_commits_only_once_ticked(client, world, uploads):
    bulk = package(client, world.school_admin_a)
    delta = package(client, world.school_admin_a, since="2099-01-01T00:00:00Z")  # a delta with no rows
    users = csv_rows(bulk["users.csv"])
    for user in users:
        user.update(status="tobedeleted", dateLastModified="2026-12-06T10:00:00.000Z")
    delta["users.csv"] = write(users)
    admin = signed_in(world.school_admin_a)
    job_id = uploaded(admin, delta)
    job_url = reverse("oneroster_imports:job", args=[job_id])
    assert 'data-testid="filter-remove"' in admin.get(job_url).content.decode()
    open_before = Enrollment.objects.filter(school=world.school_a, ended_on__isnull=True).count()

    refused = admin.post(reverse("oneroster_imports:job_commit", args=[job_id]))
    page = refused.content.decode()
    assert refused.status_code == 409
    assert 'data-code="oneroster.confirm_removals"' in page and "这个数据包将移除" in page
    assert 'data-testid="confirm-removals"' in page and "确认移除" in page
    assert Enrollment.objects.filter(school=world.school_a, ended_on__isnull=True).count() == open_before
    assert 'data-testid="confirm-removals"' not in admin.get(job_url).content.decode()  # asked only when refused

    assert admin.post(reverse("oneroster_imports:job_commit", args=[job_id]), {"confirm_removals": "on"}).status_code == 302
    worker.run_commit(job_id)
    page = admin.get(job_url).content.decode()
    assert 'data-testid="result"' in page and 'data-status="committed"' in page
    assert Enrollment.objects.filter(school=world.school_a, ended_on__isnull=True).count() < open_before / 2

    assert admin.post(reverse("oneroster_imports:job_undo", args=[job_id])).status_code == 302
    page = admin.get(job_url).content.decode()
    assert 'data-testid="undo-report"' in page and 'data-status="undone"' in page
    assert Enrollment.objects.filter(school=world.school_a, ended_on__isnull=True).count() == open_before
