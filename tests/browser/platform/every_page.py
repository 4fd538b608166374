"""Every page of every role, with real ids: the list the quality checks (test_every_page.py) and the visual
tour walk. One entry per URL name of urls.py that a browser opens with GET; URL names that are not pages
(downloads, htmx fragments, POST-only actions, redirects) are in NOT_PAGES with the reason.
test_every_page_of_urls_py_is_listed fails when urls.py gains a name that is in neither.

Roles: one account each from tests.factories.build_world (a region admin stands for district, city and
province admins: the same pages, a wider scope). "public" is nobody logged in."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import bearer, make_activity, make_evaluation_catalogue, make_id_number, make_phone
from tests.roster_files import csv_file, preview, row

ROLE_ACCOUNTS = {
    "student": "student_a",
    "parent": "parent_a",
    "teacher": "teacher_a",
    "head_teacher": "head_teacher_a",
    "school_admin": "school_admin_a",
    "region_admin": "district_admin_x",
    "public": None,
}
ROLES = tuple(ROLE_ACCOUNTS)
SIGNED_IN = tuple(r for r in ROLES if r != "public")
ADMINS = ("school_admin", "region_admin")
TEACHERS = ("teacher", "head_teacher")


@dataclass(frozen=True)
class Page:
    name: str                                  # the URL name, "namespace:name"
    roles: tuple[str, ...]                     # who opens it
    args: Callable[[object, dict], tuple] = field(default=lambda world, made: ())
    query: str = ""

    def url(self, world, made: dict) -> str:
        return reverse(self.name, args=self.args(world, made)) + (f"?{self.query}" if self.query else "")


def _school(world, made):
    return (world.school_a.pk,)


def _cohort(world, made):
    return (world.class_a1.cohort_id,)


def _stage(world, made):
    return (world.class_a1.cohort.stage_id,)


def _campus(world, made):
    return (world.class_a1.cohort.stage.campus_id,)


def _class(world, made):
    return (world.class_a1.pk,)


def _invite(world, made):
    from renrentong.accounts.access import actor_for
    from renrentong.classgroups.services import invite_token

    head = world.head_teacher_a
    return (invite_token(actor_for(head, head.identities.get()), world.class_a1.pk),)


PAGES: list[Page] = [
    # Everyone signed in.
    Page("home", SIGNED_IN),
    Page("accounts:password_change", SIGNED_IN),
    Page("accounts:phone", SIGNED_IN),
    Page("allowed_apps", SIGNED_IN),  # the apps that sign the user in without asking (INT-1)
    Page("realname:verify", SIGNED_IN),
    Page("help", ROLES),  # the FAQ and the nearest support contact (HELP-2), public
    # The phone shell's tabs.
    Page("home:messages", ("student", "parent", "teacher", "head_teacher")),
    Page("home:growth", ("student",)),
    Page("home:me", ("student", "parent", "teacher", "head_teacher")),
    # Notices: the inbox and read receipts (issue 13).
    Page("notices:inbox_item", ("student", "parent", "teacher", "head_teacher"), lambda world, made: (made["inbox_notice"],)),
    Page("notices:receipts_list", ("teacher", "head_teacher", "school_admin", "region_admin")),
    Page("notices:receipts", ("head_teacher", "school_admin", "region_admin"), lambda world, made: (made["inbox_notice"],)),
    Page("notices:receipts_class", ("head_teacher", "school_admin"),
         lambda world, made: (made["inbox_notice"], world.class_a1.pk)),
    # Families.
    Page("children", ("parent",)),
    Page("child_password", ("parent",), lambda world, made: (world.student_a.person_id,)),
    Page("link_requests", ("head_teacher", "school_admin")),
    Page("student_guardians", ("head_teacher", "school_admin"), lambda world, made: (world.student_a.person_id,)),
    Page("accounts:phone_unbind", ADMINS),
    # Teachers.
    Page("resets", ("head_teacher", "school_admin", "region_admin")),
    Page("schooladmin:my_teaching", TEACHERS),
    Page("schooladmin:transfers", ("teacher", "school_admin", "region_admin")),
    Page("orgs:apply_admin", ("teacher",)),
    # School admins.
    Page("schooladmin:users", ("school_admin",)),
    Page("schooladmin:users", ("school_admin",), query="kind=parent"),
    Page("schooladmin:users", ("school_admin",), query="kind=teacher"),
    Page("schooladmin:user_new", ("school_admin",)),
    Page("schooladmin:user_edit", ("school_admin",), lambda world, made: (world.student_a.pk,)),
    Page("schooladmin:recycle_bin", ("school_admin",)),
    Page("schooladmin:class_students", ("school_admin", "head_teacher"), _class),
    Page("schooladmin:teaching", ("school_admin",)),
    Page("schooladmin:class_changes", ("school_admin", "head_teacher")),
    Page("rosters:imports", ("school_admin",)),
    Page("rosters:job", ("school_admin",), lambda world, made: (made["job"],)),
    Page("keyinfo:index", ADMINS),
    Page("keyinfo:class", ("school_admin",), _class),
    Page("keyinfo:person", ("school_admin", "parent", "student"), lambda world, made: (world.student_a.person_id,)),
    Page("keyinfo:request", ("school_admin",), lambda world, made: (made["change"],)),
    Page("keyinfo:registry", ("school_admin",), lambda world, made: (made["comparison"],)),
    Page("realname:registry", ("school_admin",)),
    Page("realname:applications", ("school_admin",)),
    Page("orgs:school", ADMINS, _school),
    Page("orgs:campus_new", ADMINS, _school),
    Page("orgs:stage_new", ADMINS, _campus),
    Page("orgs:grade_new", ADMINS, _stage),
    Page("orgs:naming", ADMINS, _stage),
    Page("orgs:classes_new", ADMINS, _cohort),
    Page("orgs:system", ("school_admin",), _school),
    Page("rollover:page", ("school_admin",)),
    Page("rollover:alumni", ("school_admin",)),
    Page("audit_log", ADMINS),
    Page("accounts:networks", ADMINS),
    Page("accounts:second_factor_setup", ADMINS),
    # Region admins.
    Page("orgs:settings", ("region_admin",)),
    Page("help_edit", ("region_admin",)),
    Page("orgs:tenants", ("region_admin",)),
    Page("orgs:tenant", ("region_admin",), _school),
    Page("orgs:approvals", ("region_admin",)),
    Page("verification:outbox", ("region_admin",)),
    # Notices (MSG-1): the sender's pages.
    Page("notices:compose", ("teacher", "head_teacher", "school_admin", "region_admin")),
    Page("notices:sent", ("teacher", "head_teacher", "school_admin", "region_admin")),
    Page("notices:sent_detail", ("teacher", "school_admin"), lambda world, made: (made["notice"],)),
    Page("notices:correct", ("teacher",), lambda world, made: (made["notice"],)),
    # Class groups (SPC-3).
    Page("classgroups:index", ("student", "parent", "teacher", "head_teacher")),
    Page("classgroups:group", ("student", "parent", "teacher", "head_teacher"), _class),
    Page("classgroups:group", ("student", "parent", "teacher", "head_teacher"), _class, query="tab=members"),
    Page("classgroups:group", ("parent", "head_teacher"), _class, query="tab=files"),
    Page("classgroups:group", ("parent",), _class, query="tab=circle"),
    Page("classgroups:manage", ("head_teacher",), _class),
    Page("classgroups:invite", ("parent",), _invite),
    Page("push:outbox", ADMINS),
    # WeChat (MSG-2, MSG-4): the bind page opens for everyone, saying so when the region has no account.
    Page("wechat:config", ("region_admin",)),
    Page("wechat:bind", SIGNED_IN),
    Page("wechat:follows", ("teacher", "head_teacher", "school_admin", "region_admin")),
    Page("wechat:class_follows", ("teacher", "head_teacher", "school_admin", "region_admin"), _class),
    # Nobody signed in.
    Page("accounts:login", ("public",)),
    Page("accounts:code_login", ("public",)),
    Page("accounts:recover", ("public",)),
    Page("accounts:recover_student", ("public",)),
    Page("accounts:register", ("public",)),
    Page("accounts:register_status", ("public",)),
    # Posts and spaces (SPC-1, SPC-2).
    Page("spaces:feed", ("student", "parent", "teacher", "head_teacher", "school_admin")),
    Page("spaces:compose", ("student", "parent", "teacher", "head_teacher")),
    Page("spaces:mine", SIGNED_IN),
    Page("spaces:post", ("student", "parent", "teacher", "head_teacher", "school_admin"),
         lambda world, made: (made["post"],)),
    Page("spaces:person", ("student", "parent", "teacher", "head_teacher"), lambda world, made: (world.student_a.pk,)),
    Page("spaces:class_space", SIGNED_IN, _class),
    Page("spaces:class_space_manage", ("head_teacher",), _class),
    Page("spaces:school_space", SIGNED_IN, _school),
    Page("spaces:school_space_manage", ("school_admin",), _school),
    Page("spaces:review", ("school_admin",)),
    Page("spaces:words", ("region_admin",)),
    Page("spaces:stats", ADMINS),
    # Comprehensive evaluation (EVA-1..EVA-3).
    Page("evaluation:growth", ("student", "parent")),
    Page("evaluation:desk", ("student", "parent")),
    Page("evaluation:record", ("student", "parent", "school_admin"), lambda world, made: (made["record"],)),
    Page("evaluation:catalogue", ADMINS),
    Page("evaluation:windows", ("school_admin",)),
    Page("evaluation:progress", ("head_teacher", "school_admin", "region_admin")),
    Page("evaluation:progress_student", ("head_teacher", "school_admin"), lambda world, made: (world.student_a.person_id,)),
    # The school's review, reviewers and public display (issue 14 item 4).
    Page("evaluation:review", ("school_admin", "teacher")),
    Page("evaluation:review", ("school_admin",), query="state=approved"),
    Page("evaluation:review_record", ("school_admin", "teacher"), lambda world, made: (made["submitted"],)),
    Page("evaluation:reviewers", ("school_admin",)),
    Page("evaluation:displays", ("school_admin",)),
    Page("evaluation:display", ("student", "parent", "teacher", "head_teacher", "school_admin")),
    # Academic scores (EVA-6).
    Page("evaluation:score_imports", ("school_admin",)),
    Page("evaluation:score_job", ("school_admin",), lambda world, made: (made["score_job"],)),
    Page("evaluation:scores", ("school_admin",)),
    # OneRoster package imports (INT-2).
    Page("oneroster_imports:imports", ADMINS),
    Page("oneroster_imports:job", ("school_admin",), lambda world, made: (made["oneroster_job"],)),
    # Activities (ACT-1): parents on the phone, organisers in the console.
    Page("activities:index", ("parent",)),
    Page("activities:mine", ("parent",)),
    Page("activities:detail", ("parent",), lambda world, made: (made["activity"],)),
    Page("activities:manage", ADMINS),
    Page("activities:new", ADMINS),
    Page("activities:edit", ("school_admin",), lambda world, made: (made["activity"],)),
    Page("activities:edit", ("region_admin",), lambda world, made: (made["practice"],)),
    Page("activities:sign_ups", ("school_admin",), lambda world, made: (made["activity"],)),
    Page("activities:sign_ups", ("school_admin", "region_admin"), lambda world, made: (made["practice"],)),
    Page("activities:attendance", ("school_admin",), lambda world, made: (made["activity"],)),
    # Peer evaluation (EVA-5): the student of the world is in primary school, so the page says it is for grade 9.
    Page("evaluation:peer", ("student",)),
    Page("evaluation:peer_switches", ("school_admin",)),
    Page("evaluation:peer_results", ("school_admin",)),
    # The archive (综合素质档案, issue 14 item 8): students and parents on the phone, the school in the console.
    Page("evaluation:archive", ("student", "parent", "school_admin")),
    Page("evaluation:archive_class", ("school_admin",), _class),
    # Lesson preparation (RES-4): teachers by device, the school's check in the console.
    Page("lessonprep:index", ("teacher",)),
    Page("lessonprep:book", ("teacher",), lambda world, made: (made["textbook"],)),
    Page("lessonprep:chapter", ("teacher",), lambda world, made: (made["chapter"],)),
    Page("lessonprep:missing", TEACHERS),
    Page("lessonprep:checking", ("school_admin",)),
    Page("lessonprep:checking_teacher", ("school_admin",), lambda world, made: (made["prep_teacher"],)),
    Page("lessonprep:checkers", ("school_admin",)),
    Page("lessonprep:catalogue", ("school_admin",)),
    Page("lessonprep:catalogue_book", ("school_admin",), lambda world, made: (made["textbook"],)),
    # The smart classroom (RES-1, RES-3): a parent and the admins get the page that says where to go instead.
    Page("classroom:index", SIGNED_IN),
    Page("classroom:desk", ("student", "teacher")),
    Page("classroom:resource", ("student", "teacher", "school_admin"), lambda world, made: (made["resource"],)),
    Page("classroom:mine", TEACHERS + ADMINS),
    Page("classroom:new", TEACHERS + ADMINS),
    Page("classroom:edit", ("teacher",), lambda world, made: (made["resource"],)),
    Page("classroom:school", ("school_admin",)),
    Page("classroom:recommendations", ADMINS),
    # Online practice (issue 15 item 2): students on the phone, teachers in the console.
    Page("practice:index", ("student",)),
    Page("practice:paper", ("student",), lambda world, made: (made["practice_paper"],)),
    Page("practice:attempt", ("student",), lambda world, made: (made["practice_graded"],)),
    Page("practice:attempt", ("student",), lambda world, made: (made["practice_open"],)),
    Page("practice:wrong", ("student",)),
    Page("practice:manage", TEACHERS + ("school_admin",)),
    Page("practice:bank", TEACHERS + ("region_admin",)),
    Page("practice:question_new", ("teacher", "region_admin")),
    Page("practice:question_edit", ("teacher",), lambda world, made: (made["practice_question"],)),
    Page("practice:paper_new", ("teacher",)),
    Page("practice:paper_manage", ("teacher",), lambda world, made: (made["practice_paper"],)),
    Page("practice:results", ("teacher", "school_admin"),
         lambda world, made: (made["practice_paper"], world.class_a1.pk)),
    # Usage statistics (STAT-1, STAT-2): the district of the region admin, the school, a class's people.
    Page("stats:region", ("region_admin",), lambda world, made: (world.district_x.pk,)),
    Page("stats:school", ("school_admin", "region_admin"), _school),
    Page("stats:class", ("school_admin",), _class),
]

NOT_PAGES: dict[str, str] = {
    "apps": "province and city admins only, who have no role here (tests/browser/integration/test_apps_page.py)",
    "oauth2_provider:authorize": "opened only by an app's signed-in request (tests/integration/test_oidc.py)",
    "oauth2_provider:token": "OAuth token endpoint (POST, JSON)",
    "oauth2_provider:revoke-token": "OAuth revocation endpoint (POST)",
    "oauth2_provider:introspect": "OAuth introspection endpoint (JSON)",
    "oauth2_provider:oidc-connect-discovery-info": "OpenID Connect discovery (JSON)",
    "oauth2_provider:jwks-info": "the signing keys (JSON)",
    "oauth2_provider:user-info": "OpenID Connect userinfo (JSON, bearer token)",
    "oauth2_provider:rp-initiated-logout": "opened only by an app's logout request (tests/integration/test_logout.py)",
    "practice:start": "POST only (opens an attempt, redirects to it)",
    "practice:save": "htmx fragment: one answer saved (POST)",
    "practice:submit": "POST only",
    "practice:practise_weak": "POST only (opens a weak-point set, redirects to it)",
    "stats:home": "a redirect to the admin's own region or school (stats:region, stats:school)",
    "classgroups:post": "POST only",
    "classgroups:reply": "POST only",
    "classgroups:upload": "POST only",
    "classgroups:remove": "POST only",
    "classgroups:file": "a download (redirects to the signed file link)",
    "accounts:logout": "POST only",
    "accounts:identities": "only for an account with two identities (tests/browser/platform/test_pages.py)",
    "accounts:second_factor": "in the middle of a region admin's login (tests/browser/accounts/test_recovery.py)",
    "accounts:recover_code": "a step of recovery after a code was sent",
    "accounts:recover_reset": "a step of recovery after the code was checked",
    "accounts:register_done": "after a registration was sent",
    "accounts:register_schools": "htmx fragment of the registration form",
    "orgs:class_students": "htmx fragment of the school tree",
    "orgs:class_delete": "POST only",
    "keyinfo:reveal": "audited reveal (a value, not a page)",
    "accounts:reveal": "audited reveal in a table cell (POST, a value, not a page)",
    "exports:job": "an export's progress page, opened by a big export (tests/browser/exports/test_export_progress.py)",
    "exports:job_file": ".xlsx download",
    "exports:job_retry": "POST only",
    "exports:job_status": "htmx fragment of exports:job",
    "home:schools_export": ".xlsx download",
    "rosters:chosen_slips": "POST only (PDF of the accounts chosen in the users table)",
    "rosters:new_accounts": ".xlsx download",
    "keyinfo:incomplete": ".xlsx download",
    "keyinfo:registry_upload": "POST only (the form is on keyinfo:index)",
    "realname:template": "spreadsheet template download",
    "rosters:job_status": "htmx fragment of the job page",
    "rosters:rejected": "spreadsheet download",
    "rosters:job_action": "POST only",
    "rosters:template": "spreadsheet template download",
    "rosters:slips": "PDF download",
    "rosters:export": "spreadsheet download",
    "rollover:undo": "POST only",
    "schooladmin:transfer_action": "POST only",
    "schooladmin:class_change": "POST only",
    "schooladmin:user_action": "POST only",
    "schooladmin:class_change_action": "POST only",
    "audit_export": "spreadsheet download",
    "healthz": "a probe for the proxy: plain text, no page (tests/core/test_health.py)",
    "readyz": "a probe for the proxy: JSON, no page (tests/core/test_health.py)",
    "set_language": "POST only (Django's i18n view)",
    "notices:audience": "htmx fragment of notices:compose (the audience size)",
    "notices:recall": "POST only",
    "notices:sent_status": "htmx fragment of notices:sent_detail (the status while sending)",
    "uploads:file": "a file download through a signed link (tests/uploads/test_api.py)",
    "uploads:upload": "POST only (the picker's upload, an htmx fragment: tests/uploads/test_pages_and_sweep.py)",
    "wechat:oauth_start": "a redirect to WeChat's OAuth page (inside WeChat)",
    "wechat:oauth_return": "WeChat's OAuth redirect back, then a redirect to wechat:bind",
    "wechat:sheet": "PDF download",
    "wechat:callback": "WeChat's servers call it (signature checked), not a browser",
    "spaces:post_report": "POST only (the form is on spaces:post)",
    "spaces:post_remove": "POST only (the form is on spaces:post and spaces:review)",
    "spaces:post_approve": "POST only (the form is on spaces:review)",
    "spaces:post_delete": "POST only (the form is on spaces:post)",
    "spaces:class_admin_add": "POST only (the form is on spaces:class_space_manage)",
    "spaces:class_admin_dismiss": "POST only (the form is on spaces:class_space_manage)",
    "spaces:word_delete": "POST only (the form is on spaces:words)",
    "spaces:children_public": "POST only (the form is on spaces:words)",
    "notices:inbox_more": "htmx fragment of home:messages (the next page of the inbox)",
    "notices:inbox_confirm": "POST only",
    "notices:receipts_remind": "POST only",
    "notices:receipts_export": ".xlsx download",
    "evaluation:record_delete": "POST only (the form is on evaluation:record)",
    "evaluation:record_withdraw": "POST only (the form is on evaluation:record)",
    "evaluation:record_reopen": "POST only (the form is on evaluation:record)",
    "evaluation:review_file": "a download (audited, then redirects to the signed file link)",
    "activities:sign_up": "POST only (the form is on activities:detail)",
    "activities:cancel": "POST only (the form is on activities:mine)",
    "evaluation:peer_rate": "only a grade-9 student opens it (the world's student is in primary school); "
                            "tests/browser/evaluation/test_peer.py checks it at phone width with axe",
    "evaluation:peer_criteria": "POST only (the form is on evaluation:peer_switches for a city admin; "
                                "tests/evaluation/peer/test_criteria.py)",
    "evaluation:archive_pdf": "PDF download (tests/evaluation/archive/test_archive.py)",
    "evaluation:archive_export": "POST only (the forms are on evaluation:archive and evaluation:archive_class)",
    "activities:file_material": "POST only (the form is on activities:mine)",
    "activities:file_attended": "POST only (the form is on activities:sign_ups)",
    "evaluation:score_job_status": "htmx fragment of evaluation:score_job",
    "evaluation:score_rejected": "spreadsheet download",
    "evaluation:score_job_action": "POST only",
    "evaluation:score_template": "spreadsheet template download",
    "oneroster_imports:job_status": "htmx fragment of oneroster_imports:job",
    "oneroster_imports:job_commit": "POST only",
    "oneroster_imports:job_cancel": "POST only",
    "oneroster_imports:job_undo": "POST only",
    "oneroster_imports:export": ".zip download (tests/integration/oneroster/test_import_pages.py)",
    # The catalogue's keeping is the province's and the city's; the roles here stand a district admin for every
    # region admin, who keeps none (403). tests/resources/lessonprep/test_pages.py opens them as the city admin.
    "lessonprep:queue": "province and city admins only (no such role here)",
    "lessonprep:imports": "province and city admins only (no such role here)",
    "lessonprep:import_job": "province and city admins only (no such role here)",
    "lessonprep:import_status": "htmx fragment of lessonprep:import_job",
    "lessonprep:import_rejected": "spreadsheet download",
    "lessonprep:import_action": "POST only",
    "lessonprep:import_template": "spreadsheet template download",
    "classroom:delete": "POST only (the form is on classroom:resource)",
    "classroom:take_down": "POST only (the forms are on classroom:resource and classroom:school)",
}


def url_names() -> set[str]:
    """Every named URL of urls.py outside the API."""
    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                # The JSON APIs: ours, and the OneRoster service (schemathesis runs against both schemas).
                if str(p.pattern).startswith(("api/", "ims/")):
                    continue
                inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern) and p.name:
                yield namespace + p.name

    return set(walk(get_resolver().url_patterns))


def make_objects(world) -> dict:
    """What the pages with an id need besides the world: an import job, a key-information change request
    and a registry comparison, made through the API as the people who make them."""
    client = Client()
    admin = bearer(world.school_admin_a)
    job = preview(client, admin, csv_file([row("导入生", make_id_number(date(2016, 4, 1)), world.class_a1,
                                               parent_phone=make_phone(), parent_name="导入家长")]))
    person = world.student_a.person
    change = client.patch(f"/api/v1/school/keyinfo/people/{person.pk}",
                          json.dumps({"local_student_number": "L123456"}), content_type="application/json",
                          **bearer(world.parent_a))
    assert change.status_code == 202, change.content
    # The help pages show a question of the province and one of the district (HELP-2).
    for region, question in ((world.province, "忘记账号怎么办？"), (world.district_x, "学生的初始密码在哪里？")):
        assert client.post(f"/api/v1/help/regions/{region.pk}/entries", json.dumps(
            {"category": "用户登录", "question": question, "answer": "印在学校发的开通单上。"}),
            content_type="application/json", **bearer(world.province_admin)).status_code == 201
    registry = "\n".join(["姓名,身份证号,全国学籍号", f"{person.name},{person.reveal_id_number()},",
                          f"新生,{make_id_number()},"])
    comparison = client.post("/api/v1/school/keyinfo/registry",
                             {"file": SimpleUploadedFile("registry.csv", registry.encode(), content_type="text/csv")},
                             **admin)
    assert comparison.status_code == 201, comparison.content
    notice = client.post("/api/v1/notices", json.dumps({"title": "数学作业", "body": "练习册第 5 页", "roles": ["parent"],
                                                         "class_ids": [world.class_a1.pk]}),
                         content_type="application/json", **bearer(world.teacher_a))
    assert notice.status_code == 201, notice.content
    post = client.post("/api/v1/spaces/posts", json.dumps({"text": "🌸 2026 🌸", "visibility": "class"}),
                       content_type="application/json", **bearer(world.student_a))
    assert post.status_code == 201, post.content
    make_evaluation_catalogue(world.city)
    record = client.post("/api/v1/evaluation/records", json.dumps({"text": "参加社区志愿服务", "happened_on": "2026-10-01",
                                                                  "title": "社区服务"}),
                         content_type="application/json", **bearer(world.parent_a))
    assert record.status_code == 201, record.content
    activity, practice = make_activity(world.school_admin_a), make_activity(world.district_admin_x, approval="school")
    for made in (activity, practice):
        signed = client.post(f"/api/v1/activities/{made.pk}/sign-ups", json.dumps({"child_id": world.student_a.person_id}),
                             content_type="application/json", **bearer(world.parent_a))
        assert signed.status_code == 201, signed.content
    # A graduating grade-9 class of school A with peer evaluation open (the summary shows its progress).
    from tests.factories import make_peer_class, open_peer_evaluation

    make_peer_class(world, 3)
    open_peer_evaluation(world)
    from tests.evaluation.scores.helpers import by_account, imported

    score_job = imported(world.school_admin_a, [by_account(world.student_a, "体育平时成绩", "88"),
                                                by_account(world.student_b, "体育平时成绩", "70")])
    # A OneRoster delta of school A with nothing in it, uploaded: its preview (INT-2). A package's rows are the
    # roster system's words (OneRoster's English codes beside Chinese names): the import tests show them.
    oneroster_job = _oneroster_job(client, world)
    # Lesson preparation (RES-4): the demo's books kept by the province, a lesson teacher A prepared.
    from renrentong.demo.textbooks import install_demo_textbooks

    install_demo_textbooks(world.province)
    books = client.get("/api/v1/lessonprep/my/textbooks", **bearer(world.teacher_a)).json()
    book = client.get(f"/api/v1/lessonprep/textbooks/{books[0]['id']}", **bearer(world.teacher_a)).json()
    chapter = book["chapters"][0]["id"]
    prepared = client.put(f"/api/v1/lessonprep/my/chapters/{chapter}", json.dumps({"design": "教学设计", "done": True}),
                          content_type="application/json", **bearer(world.teacher_a))
    assert prepared.status_code == 200, prepared.content
    resource = client.post("/api/v1/resources/classroom/", json.dumps({
        "title": "测量 微课", "kind": "video", "stage": "primary", "subject": "数学", "grade": 3, "term": "first",
        "url": "https://example.org/lesson/1", "sharing": "school"}), content_type="application/json",
        **bearer(world.teacher_a))
    assert resource.status_code == 201, resource.content
    return {"notice": notice.json()["id"], "inbox_notice": _notice(world), "job": job["id"],
            "score_job": score_job["id"], "oneroster_job": oneroster_job, "textbook": book["id"], "chapter": chapter,
            "prep_teacher": world.teacher_a.identities.get().pk, "resource": resource.json()["id"],
            "change": change.json()["person"]["pending"]["id"], "comparison": comparison.json()["id"],
            "post": post.json()["id"], "record": record.json()["id"], "activity": activity.pk, "practice": practice.pk,
            **_reviewed(client, world), **_practised(client, world)}


def _oneroster_job(client, world) -> int:
    from renrentong.rosters import worker
    from tests.integration.oneroster.test_export import package
    from tests.integration.oneroster.test_import import zipped

    delta = package(client, world.school_admin_a, since="2099-01-01T00:00:00Z")
    answer = client.post("/api/v1/oneroster/imports", {"file": zipped(delta)}, **bearer(world.school_admin_a))
    assert answer.status_code == 202, answer.content
    worker.run_preview(answer.json()["id"])
    return answer.json()["id"]


def _practised(client, world) -> dict:
    """Online practice: a paper of every kind of question published to class A1, student A's first attempt
    submitted with some wrong answers, and a second one open."""
    from tests.resources.practice.helpers import QUESTIONS, api, published_paper

    paper_id, ids = published_paper(client, world)
    first = api(client, "post", f"/api/v1/practice/papers/{paper_id}/attempts", world.student_a).json()
    answers = [{"question_id": qid, **(right if n % 2 else wrong)}
               for n, (qid, (_k, _f, right, wrong)) in enumerate(zip(ids, QUESTIONS))]
    graded = api(client, "post", f"/api/v1/practice/attempts/{first['id']}/submit", world.student_a,
                 {"answers": answers})
    assert graded.status_code == 200, graded.content
    second = api(client, "post", f"/api/v1/practice/papers/{paper_id}/attempts", world.student_a).json()
    return {"practice_paper": paper_id, "practice_question": ids[0], "practice_graded": first["id"],
            "practice_open": second["id"]}


def _reviewed(client, world) -> dict:
    """The review's pages (issue 14 item 4): a record waiting for review, an approved one on public display
    with an objection against it."""
    from datetime import timedelta

    from django.utils import timezone

    from renrentong.evaluation.models import EvidenceItem
    from tests.factories import open_evaluation_windows

    def send(url, account, body):
        response = client.post(url, json.dumps(body), content_type="application/json", **bearer(account))
        assert response.status_code in (200, 201), response.content
        return response.json()

    open_evaluation_windows(world)
    made = {}
    for key, account, text in (("submitted", world.parent_a, "读完《草房子》"), ("approved", world.student_a, "参加植树活动")):
        record = send("/api/v1/evaluation/records", account, {
            "text": text, "title": text[:4], "happened_on": "2026-10-02",
            "item_id": EvidenceItem.objects.filter(code="reading" if key == "submitted" else "volunteer_service")
            .first().pk})
        send("/api/v1/evaluation/submissions", account, {"record_ids": [record["id"]]})
        made[key] = record["id"]
    send("/api/v1/evaluation/review/decisions", world.school_admin_a, {"record_ids": [made["approved"]], "approve": True})
    send("/api/v1/evaluation/review/reviewers", world.school_admin_a,
         {"teacher_id": world.teacher_a.identities.get().pk, "class_ids": [world.class_a1.pk]})
    today = timezone.localdate()
    display = send("/api/v1/evaluation/review/displays", world.school_admin_a,
                   {"title": "材料公示", "starts_on": str(today), "ends_on": str(today + timedelta(days=3))})
    send(f"/api/v1/evaluation/review/displays/{display['id']}/objections", world.parent_a,
         {"record_id": made["approved"], "reason": "请核实日期"})
    return made


def _notice(world) -> int:
    """A school notice to class A1's parents, students and teachers, fanned out (the inbox and receipts pages)."""
    from renrentong.accounts.access import actor_for
    from renrentong.notices import fanout
    from renrentong.notices.services import NoticeDraft, send_notice

    sender = actor_for(world.school_admin_a, world.school_admin_a.identities.get())
    notice = send_notice(sender, NoticeDraft(title="运动会通知", body="周五举行运动会。", roles=["parent", "student", "teacher"],
                                             class_ids=[world.class_a1.pk], confirm_required=True))
    fanout.fan_out(notice.pk)
    return notice.pk


def pages_of(role: str) -> list[Page]:
    return [p for p in PAGES if role in p.roles]
