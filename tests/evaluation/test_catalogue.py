"""The evaluation catalogue as data (EVA-1): seed 000's list, read by everyone below the city, edited by the
city admin; renaming or retiring an item never orphans material filed under it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renrentong.core.errors import UserFacingError
from renrentong.evaluation import services
from renrentong.evaluation.models import Dimension, EvidenceItem
from renrentong.evaluation.standard import STANDARD_CATALOGUE, UPLOADED, standard_items

from tests.evaluation.helpers import call, item, refused, write
from tests.factories import RegionFactory, SchoolFactory, make_class, make_student


def test_standard_list_has_five_dimensions_and_23_items_16_uploaded():
    assert [d.label for d in STANDARD_CATALOGUE] == ["思想品德", "学业水平", "身心健康", "艺术素养", "社会实践"]
    items = standard_items()
    assert len(items) == 23 and sum(i.source == UPLOADED for i in items) == 16
    labels = {i.label for i in items}
    assert {"英语人机对话成绩", "语文人机对话成绩", "体育平时成绩", "艺术平时成绩"} <= labels
    assert len({i.code for i in items} | {d.code for d in STANDARD_CATALOGUE}) == 28


@pytest.mark.parametrize("role", ["student_a", "parent_a", "teacher_a", "school_admin_a", "district_admin_x",
                                  "city_admin", "student_b"])
def test_everyone_below_the_city_reads_its_catalogue(world, catalogue, role):
    response = call("get", "/catalogue", getattr(world, role))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["city_id"] == world.city.pk and body["school_year"] == 2026
    assert [d["label"] for d in body["dimensions"]] == ["思想品德", "学业水平", "身心健康", "艺术素养", "社会实践"]
    items = [i for d in body["dimensions"] for i in d["items"]]
    assert len(items) == 23 and sum(i["kind"] == "uploaded" for i in items) == 16


def test_installing_twice_adds_nothing(world, catalogue):
    assert services.install_standard_catalogue(world.city, 2026) == 0
    assert EvidenceItem.objects.filter(region_id=world.city.pk).count() == 23


def test_demo_region_ships_the_standard_catalogue(db):
    from django.core.management import call_command

    from renrentong.orgs.models import Region

    call_command("load_demo", "--scale", "0.1")
    city = Region.objects.get(kind="city")
    assert Dimension.objects.filter(region_id=city.pk).count() == 5
    assert EvidenceItem.objects.filter(region_id=city.pk, kind="uploaded").count() == 16
    assert EvidenceItem.objects.filter(region_id=city.pk, kind="imported").count() == 7


def test_renaming_an_item_renames_it_on_material_filed_under_it(world, catalogue):
    volunteer = item("volunteer_service")
    record = write(world.student_a, item_id=volunteer.pk)
    response = call("patch", f"/catalogue/items/{volunteer.pk}", world.city_admin, {"label": "志愿服务活动"})
    assert response.status_code == 200 and response.json()["label"] == "志愿服务活动"
    again = call("get", f"/records/{record['id']}", world.student_a).json()
    assert again["item_id"] == volunteer.pk and again["item_label"] == "志愿服务活动"


def test_retiring_an_item_keeps_material_and_refuses_new_classification(world, catalogue):
    volunteer = item("volunteer_service")
    record = write(world.student_a, item_id=volunteer.pk)
    assert call("post", f"/catalogue/items/{volunteer.pk}/retire", world.city_admin).json()["retired"] is True
    again = call("get", f"/records/{record['id']}", world.student_a).json()
    assert again["item_id"] == volunteer.pk and again["item_retired"] is True
    body = refused(call("post", "/records", world.student_a, {"text": "又一次", "happened_on": "2026-10-02",
                                                               "item_id": volunteer.pk}), "evaluation.item_retired", 400)
    assert "志愿服务" in body["message"]
    assert call("post", f"/catalogue/items/{volunteer.pk}/restore", world.city_admin).json()["retired"] is False
    write(world.student_a, item_id=volunteer.pk)


@pytest.mark.parametrize("role", ["district_admin_x", "school_admin_a", "teacher_a", "student_a", "province_admin"])
def test_only_the_city_admin_edits_the_catalogue(world, catalogue, role):
    volunteer = item("volunteer_service")
    refused(call("patch", f"/catalogue/items/{volunteer.pk}", getattr(world, role), {"label": "改名"}),
            "evaluation.not_city_admin", 403)
    assert item("volunteer_service").label == "志愿服务"


def test_city_admin_adds_a_dimension_and_items(world, catalogue):
    made = call("post", "/catalogue/dimensions", world.city_admin, {"school_year": 2026, "code": "labour", "label": "劳动素养"})
    assert made.status_code == 201, made.content
    dimension = made.json()["id"]
    added = call("post", "/catalogue/items", world.city_admin,
                 {"dimension_id": dimension, "code": "housework", "label": "家务劳动", "source": "family"})
    assert added.status_code == 201 and added.json()["kind"] == "uploaded"
    imported = call("post", "/catalogue/items", world.city_admin,
                    {"dimension_id": dimension, "code": "labour_exam", "label": "劳动考查成绩", "source": "city"})
    assert imported.json()["kind"] == "imported"
    renamed = call("patch", f"/catalogue/dimensions/{dimension}", world.city_admin, {"label": "劳动教育"})
    assert renamed.json()["label"] == "劳动教育" and len(renamed.json()["items"]) == 2


def test_catalogue_refusals(world, catalogue):
    admin = world.city_admin
    refused(call("post", "/catalogue/dimensions", admin, {"school_year": 2026, "code": "moral", "label": "重复"}),
            "evaluation.code_exists", 409)
    refused(call("post", "/catalogue/dimensions", admin, {"school_year": 2026, "code": "Bad Code", "label": "新"}),
            "evaluation.code_invalid", 400)
    refused(call("post", "/catalogue/dimensions", admin, {"school_year": 2026, "code": "fine", "label": "   "}),
            "evaluation.label_invalid", 400)
    refused(call("post", "/catalogue/items", admin, {"dimension_id": 999999, "code": "x1", "label": "新"}),
            "evaluation.dimension_unknown", 404)
    refused(call("patch", "/catalogue/items/999999", admin, {"label": "新"}), "evaluation.item_unknown", 404)


def test_another_citys_admin_cannot_touch_this_catalogue(world, catalogue):
    from tests.factories import make_region_admin

    other_city = RegionFactory(kind="city", name="株洲市", code="430200", parent=world.province)
    other_admin = make_region_admin(other_city, "株洲市管理员")
    refused(call("patch", f"/catalogue/items/{item('volunteer_service').pk}", other_admin, {"label": "改"}),
            "evaluation.item_unknown", 404)
    assert call("get", "/catalogue", other_admin).json()["dimensions"] == []


def test_a_new_year_starts_as_a_copy_of_the_last_without_retired_items(world, catalogue):
    call("post", f"/catalogue/items/{item('volunteer_service').pk}/retire", world.city_admin)
    response = call("post", "/catalogue/years", world.city_admin, {"school_year": 2027})
    assert response.status_code == 200, response.content
    items = [i for d in response.json()["dimensions"] for i in d["items"]]
    assert len(items) == 22 and "volunteer_service" not in {i["code"] for i in items}


def test_a_school_outside_any_city_has_no_catalogue(world):
    lone = RegionFactory(kind="district", name="直管区", code="439001", parent=world.province)
    student = make_student(make_class(SchoolFactory(district=lone)), "王独立")
    refused(call("post", "/records", student, {"text": "记录", "happened_on": "2026-10-01", "item_id": 1}),
            "evaluation.no_city", 409)


def test_classifying_before_the_city_set_the_year_is_refused(world):
    body = refused(call("post", "/records", world.student_a, {"text": "记录", "happened_on": "2026-10-01", "item_id": 1}),
                   "evaluation.no_catalogue", 409)
    assert "2026" in body["message"] and body["who_can_fix"] == "the city admin"


@given(st.text(max_size=60))
def test_a_label_is_one_to_32_characters_of_trimmed_text(label):
    expected = " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in label).split())
    try:
        cleaned = services.clean_label(label)
    except UserFacingError as error:
        assert error.code == "evaluation.label_invalid"
        assert not expected or len(expected) > 32
    else:
        assert cleaned == expected and 1 <= len(cleaned) <= 32
        assert not any(unicodedata.category(c) == "Cc" for c in cleaned)


@given(st.text(alphabet="abcxyz019_-A 中", max_size=40))
def test_a_code_is_lower_case_ascii_starting_with_a_letter(code):
    try:
        cleaned = services.clean_code(code)
    except UserFacingError as error:
        assert error.code == "evaluation.code_invalid"
    else:
        assert cleaned[0].isalpha() and cleaned.isascii() and len(cleaned) <= 32
        assert set(cleaned) <= set("abcdefghijklmnopqrstuvwxyz0123456789_")
