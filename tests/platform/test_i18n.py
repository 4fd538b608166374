"""The UI speaks Simplified Chinese by default and English on request; the catalogue is complete and compiled."""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from renrentong.accounts.models import Identity

from tests.factories import make_class

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _default_language():
    # Requests activate their own language; keep an English request from leaking into later tests.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def parse_po(path: Path) -> list[dict[str, str]]:
    """Entries of a .po file as {"msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[0]", ..., "flags"}."""
    entries, entry, field = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if "msgid" in entry:
                entries.append(entry)
            entry, field = {}, None
        elif line.startswith("#,"):
            entry["flags"] = entry.get("flags", "") + line[2:]
        elif line.startswith("#"):
            continue
        elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line):
            field = match.group(1)
            entry[field] = ast.literal_eval(match.group(2))
        else:
            entry[field] += ast.literal_eval(line)
    return entries


def po_catalog(path: Path) -> dict:
    """The translations of a .po keyed as Python's gettext keys them in a compiled catalogue."""
    catalog = {}
    for entry in parse_po(path):
        if entry["msgid"] == "" or "fuzzy" in entry.get("flags", ""):
            continue
        key = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if "msgid_plural" in entry:
            for name, value in entry.items():
                if name.startswith("msgstr["):
                    catalog[(key, int(name[7:-1]))] = value
        else:
            catalog[key] = entry["msgstr"]
    return catalog


def mo_catalog(path: Path) -> dict:
    with path.open("rb") as f:
        catalog = dict(gettext.GNUTranslations(f)._catalog)
    catalog.pop("", None)  # the header
    return catalog


def untranslated(path: Path) -> list[str]:
    missing = []
    for entry in parse_po(path):
        if entry["msgid"] == "":
            continue
        strings = [v for k, v in entry.items() if k.startswith("msgstr")]
        if not strings or any(not s for s in strings) or "fuzzy" in entry.get("flags", ""):
            missing.append(entry["msgid"])
    return missing


def school_admin_client(client, world):
    account = world.school_admin_a
    client.force_login(account)
    session = client.session
    session["identity_id"] = account.identities.get(kind=Identity.Kind.SCHOOL_ADMIN).pk
    session["must_change_password"] = False
    session.save()
    return client


# --- Pages ---------------------------------------------------------------------------------------

def test_login_page_is_chinese_by_default(client, db):
    html = client.get(LOGIN).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html and "账号/手机号/身份证号/学籍号" in html
    assert "Log in" not in html


def test_set_language_switches_the_login_page_to_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302 and response.url == LOGIN
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(LOGIN).content.decode()
    assert "Log in" in html and "Account number, phone, ID number or student number" in html
    assert "登录" not in html

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": LOGIN})
    assert "登录" in client.get(LOGIN).content.decode()


def test_language_cookie_wins_over_accept_language(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "登录" in client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_pages_stay_chinese_for_an_english_browser_until_the_user_switches(client, db):
    html = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html and "登录" in html


def test_api_follows_accept_language(client, db):
    import json

    body = json.dumps({"identifier": "1", "password": "x"})
    en = client.post("/api/v1/auth/login", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en-US,en")
    zh = client.post("/api/v1/auth/login", body, content_type="application/json")
    assert en.json()["who_can_fix"] == "the school admin"
    assert zh.json()["who_can_fix"] == "学校管理员"


def test_school_admin_home_names_grades_and_classes_in_chinese(client, world):
    # make_class enrols the cohort in 2024; the school year is 2026, so it is in grade 3.
    assert (world.class_a1.cohort.enrollment_year, world.school_a.school_year) == (2024, 2026)
    html = school_admin_client(client, world).get("/").content.decode()
    assert "三年级2024级" in html
    assert "三年级1班" in html and "三年级2班" in html
    assert "小学 · 六三制" in html
    assert "2026-2027学年" in html
    assert "学校管理员" in html  # the identity badge
    assert "Grade 3" not in html


def test_school_admin_home_in_english(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = school_admin_client(client, world).get("/").content.decode()
    assert "Grade 3 (enrolled 2024)" in html and "Grade 3 class 1" in html
    assert "Primary school · 6-3 system" in html
    assert "三年级" not in html


def test_grade_and_class_names_cover_every_stage():
    cases = {
        "zh-hans": ["一年级", "六年级", "七年级", "九年级", "高一", "高三"],
        "en": ["Grade 1", "Grade 6", "Grade 7", "Grade 9", "Senior 1", "Senior 3"],
    }
    from renrentong.orgs.models import GRADE_NAMES

    for language, names in cases.items():
        with translation.override(language):
            assert [str(GRADE_NAMES[n]) for n in (1, 6, 7, 9, 10, 12)] == names


def test_graduated_and_senior_class_names(world):
    senior = make_class(world.school_a, 3, enrollment_year=2025, level="senior")
    graduated = make_class(world.school_a, 4, enrollment_year=2019, level="primary")  # 6 years: out in 2025
    with translation.override("zh-hans"):
        assert senior.display_name() == "高二3班"
        assert senior.cohort.grade_name(2026) == "高二2025级"
        assert graduated.display_name() == "2025届4班"
        assert graduated.cohort.grade_name(2026) == "2025届毕业"
    with translation.override("en"):
        assert senior.display_name() == "Senior 2 class 3"
        assert graduated.display_name() == "Class of 2025, class 4"


def test_identity_labels_and_choices_are_translated(world):
    with translation.override("zh-hans"):
        labels = {identity.label() for identity in world.province_admin.identities.all()}
        assert labels == {"省级管理员 · 湖南省"}
        assert str(Identity.Kind.GUARDIAN.label) == "家长"
        assert world.student_a.get_status_display() == "正常"
    with translation.override("en"):
        assert str(Identity.Kind.GUARDIAN.label) == "Parent"


# --- The catalogue -------------------------------------------------------------------------------

def test_po_header_declares_chinese_with_one_plural_form():
    header = parse_po(PO)[0]
    assert header["msgid"] == ""
    assert "Language: zh_Hans\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header["msgstr"]
    assert "fuzzy" not in header.get("flags", "")


def test_every_msgid_is_translated():
    entries = parse_po(PO)
    assert len(entries) > 50
    assert untranslated(PO) == []
    for entry in entries:
        assert "msgstr[1]" not in entry, f"zh has one plural form: {entry['msgid']!r}"
        for name, value in entry.items():
            if name.startswith("msgstr") and entry["msgid"]:
                placeholders = sorted(re.findall(r"%\(\w+\)s", entry["msgid"]))
                assert sorted(re.findall(r"%\(\w+\)s", value)) == placeholders, entry["msgid"]


def test_committed_mo_matches_the_po():
    """Without gettext tools: the .mo holds exactly the .po's translations."""
    assert mo_catalog(MO) == po_catalog(PO)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
def test_committed_mo_is_what_msgfmt_compiles(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(PO)], check=True)
    assert mo_catalog(MO) == mo_catalog(compiled), "run `make messages` and commit locale/"


@pytest.mark.skipif(shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
                    reason="gettext's xgettext/msgmerge are not installed")
def test_catalogue_covers_every_msgid_in_the_source(tmp_path):
    """makemessages over a copy of the source finds nothing new: no template or model string lacks Chinese."""
    shutil.copytree(ROOT / "renrentong", tmp_path / "renrentong",
                    ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "renrentong.settings", "RRT_VAR_DIR": str(tmp_path / "var")}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--ignore=var",
         "-v", "0"],
        cwd=tmp_path, env=env, check=True,
    )
    fresh = tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert untranslated(fresh) == [], "new msgids: run `make messages` and translate them"
    assert po_catalog(fresh) == po_catalog(PO), "the .po is stale: run `make messages`"
