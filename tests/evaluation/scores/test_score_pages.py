"""EVA-6 pages: the import page, a job's page through preview, commit and undo, the template and the refused
rows (audited), the school's scores table with its filters and export, the growth page's scores; and the
scores read through the API by students, parents and the school."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from renrentong.core.models import AuditEvent
from renrentong.evaluation.models import AcademicScore
from renrentong.rosters import worker

from tests.evaluation.scores.helpers import by_account, get, imported, score_file
from tests.factories import as_user


def signed_in(account):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    as_user(client, account)
    return client


def test_school_admin_uploads_previews_commits_and_undoes_on_the_pages(world, catalogue):
    client = signed_in(world.school_admin_a)
    page = client.get(reverse("evaluation:score_imports"))
    assert page.status_code == 200 and "体育平时成绩" in page.content.decode() and "英语人机对话成绩" not in page.content.decode()
    response = client.post(reverse("evaluation:score_imports"), {"file": score_file([
        by_account(world.student_a, "体育平时成绩", "88"), by_account(world.student_b, "体育平时成绩", "70")])})
    assert response.status_code == 302
    job_url = response["Location"]
    job_id = int(job_url.rstrip("/").split("/")[-1])
    worker.run_preview(job_id)
    page = client.get(job_url).content.decode()
    # The reason names the other school's student masked (the row itself is as the admin typed it).
    assert 'data-testid="commit"' in page and "学生 陈*红 (" in page and "学生 陈小红" not in page
    assert "该生所在学校的管理员" in page  # who can fix it (the page speaks Chinese by default)
    status = client.get(reverse("evaluation:score_job_status", args=[job_id]))
    assert status.status_code == 200 and status["HX-Refresh"] == "true"
    assert client.post(reverse("evaluation:score_job_action", args=[job_id, "commit"])).status_code == 302
    worker.run_commit(job_id)
    page = client.get(job_url).content.decode()
    assert 'data-testid="result"' in page and AcademicScore.objects.count() == 1
    rejected = client.get(reverse("evaluation:score_rejected", args=[job_id]))
    assert rejected.status_code == 200 and rejected["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(verb="import.rejected_download").exists()
    client.post(reverse("evaluation:score_job_action", args=[job_id, "undo"]))
    assert 'data-testid="undo-report"' in client.get(job_url).content.decode()
    assert not AcademicScore.objects.exists()


def test_the_job_page_polls_the_scores_status_while_it_works(world, catalogue):
    client = signed_in(world.city_admin)
    response = client.post(reverse("evaluation:score_imports"), {"file": score_file([
        by_account(world.student_a, "英语人机对话成绩", "88")])})
    page = client.get(response["Location"]).content.decode()
    job_id = int(response["Location"].rstrip("/").split("/")[-1])
    assert f'hx-get="{reverse("evaluation:score_job_status", args=[job_id])}"' in page


def test_an_unknown_action_or_another_levels_job_is_not_found(world, catalogue):
    job = imported(world.school_admin_a, [by_account(world.student_a, "体育平时成绩", "80")])
    own = signed_in(world.school_admin_a)
    assert own.post(reverse("evaluation:score_job_action", args=[job["id"], "explode"])).status_code == 404
    for other in (world.school_admin_b, world.city_admin):
        client = signed_in(other)
        assert client.get(reverse("evaluation:score_job", args=[job["id"]])).status_code == 404
        assert client.get(reverse("evaluation:score_rejected", args=[job["id"]])).status_code == 404
        assert client.post(reverse("evaluation:score_job_action", args=[job["id"], "undo"])).status_code == 404
    assert signed_in(world.district_admin_x).get(reverse("rosters:job", args=[job["id"]])).status_code == 404


def test_missing_file_and_people_who_import_no_scores_are_told(world, catalogue):
    page = signed_in(world.school_admin_a).post(reverse("evaluation:score_imports"), {})
    assert page.status_code == 400 and "请选择要导入的文件。" in page.content.decode()
    for who in (world.teacher_a, world.student_a, world.district_admin_x):
        assert signed_in(who).get(reverse("evaluation:score_imports")).status_code == 403


def test_the_template_lists_the_actors_items_with_their_ranges(world, catalogue):
    from python_calamine import CalamineWorkbook

    response = signed_in(world.city_admin).get(reverse("evaluation:score_template"))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(__import__("io").BytesIO(response.content))
    assert book.get_sheet_by_index(0).to_python()[0] == ["*姓名", "账号", "全国学籍号", "身份证号", "*项目", "*成绩"]
    notes = str(book.get_sheet_by_index(1).to_python())
    assert "英语人机对话成绩（代码 english_dialogue，0～100 分）" in notes and "体育平时成绩" not in notes
    school = get(world.school_admin_a, "/items").json()
    assert {i["code"]: (i["lowest"], i["highest"]) for i in school} == {
        "pe_daily": (0, 100), "fitness_test": (0, 120), "art_daily": (0, 100)}


def test_the_school_sees_its_scores_filtered_and_exports_them(world, catalogue):
    imported(world.school_admin_a, [by_account(world.student_a, "体育平时成绩", "88"),
                                    by_account(world.student_a2, "艺术平时成绩", "77.5")])
    imported(world.school_admin_b, [by_account(world.student_b, "体育平时成绩", "66")])
    client = signed_in(world.school_admin_a)
    page = client.get(reverse("evaluation:scores")).content.decode()
    assert "李小明" in page and "77.5" in page and "陈小红" not in page
    pe = AcademicScore.objects.filter(item__code="pe_daily").first().item_id
    page = client.get(reverse("evaluation:scores"), {"item": pe}).content.decode()
    assert "李小明" in page and "周小刚" not in page
    export = client.get(reverse("evaluation:scores"), {"item": pe, "export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(verb="evaluation.scores_export").exists()
    assert client.get(reverse("evaluation:scores"), {"class_id": "x"}).status_code == 400
    assert signed_in(world.student_a).get(reverse("evaluation:scores")).status_code == 403
    refused = get(world.student_a, "")
    assert refused.status_code == 403 and refused.json()["code"] == "evaluation.scores_not_for_you"
    api = get(world.school_admin_a, "", item_id=pe).json()
    assert api["total"] == 1 and api["items"][0]["score"] == "88" and api["items"][0]["highest"] == 100


def test_students_and_parents_see_their_scores_on_the_growth_page_and_in_the_api(world, catalogue):
    imported(world.school_admin_a, [by_account(world.student_a, "体育平时成绩", "88.5")])
    imported(world.city_admin, [by_account(world.student_a, "英语人机对话成绩", "95")])
    page = signed_in(world.parent_a).get(reverse("evaluation:growth")).content.decode()
    assert 'data-testid="growth-scores"' in page and "88.5" in page and "英语人机对话成绩" in page
    mine = get(world.student_a, "/mine").json()
    assert {s["item_code"]: s["score"] for s in mine} == {"pe_daily": "88.5", "english_dialogue": "95"}
    child = get(world.parent_a, "/mine", student_id=world.student_a.person_id).json()
    assert len(child) == 2
    stranger = get(world.parent_a, "/mine", student_id=world.student_b.person_id)
    assert stranger.status_code == 404
    assert get(world.teacher_a, "/mine").status_code == 403
    assert signed_in(world.student_b).get(reverse("evaluation:growth")).content.decode().count("growth-score") == 0
    assert AcademicScore.objects.get(item__code="english_dialogue").score == Decimal("95")
