"""The pinyin of people's names (issue 12): "dlj" and "dinglijia" find 丁丽佳. The normaliser's
properties, surnames read as surnames, and the stored columns kept with the name on every write path."""

from __future__ import annotations

import importlib

from django.apps import apps
from hypothesis import given, strategies as st

from renrentong.accounts.models import Person
from renrentong.accounts.people.pinyin import name_syllables, pinyin_of, search_key
from renrentong.accounts.people.services import NewPerson, create_people_with_accounts
from renrentong.schooladmin.users import services as users

from renrentong.accounts.access import actor_for

from tests.factories import make_person

CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
NAME_CHARACTERS = st.one_of(CHINESE, st.sampled_from("·•. AbcÉé-ü0"))


@given(st.text(CHINESE, min_size=1, max_size=8))
def test_any_chinese_name_gives_lowercase_ascii_and_its_initials(name):
    full, initials = pinyin_of(name)
    syllables = name_syllables(name)
    assert full == "".join(syllables) and full.isascii() and full == full.lower()
    assert all(s.isalnum() for s in syllables)
    assert initials == "".join(s[0] for s in syllables)


@given(st.text(NAME_CHARACTERS, max_size=12))
def test_any_name_gives_only_lowercase_letters_and_digits(name):
    full, initials = pinyin_of(name)
    for stored in (full, initials):
        assert stored.isascii() and all(ch.isdigit() or ch.islower() for ch in stored)
    assert len(initials) == len(name_syllables(name))


def test_names_and_polyphonic_surnames():
    assert pinyin_of("丁丽佳") == ("dinglijia", "dlj")
    assert pinyin_of("单雄信")[0] == "shanxiongxin"
    assert pinyin_of("曾国藩")[0] == "zengguofan"
    assert pinyin_of("区志强")[0] == "ouzhiqiang"
    assert pinyin_of("单于平") == ("chanyuping", "cyp")
    assert pinyin_of("尉迟恭")[0] == "yuchigong"
    assert pinyin_of("吕布") == ("lvbu", "lb")
    assert pinyin_of("阿依古丽·买买提") == ("ayigulimaimaiti", "ayglmmt")


def test_search_key_of_what_people_type():
    assert search_key("Ding Li-jia") == "dinglijia"
    assert search_key("DLJ") == "dlj"
    assert search_key("lü") == "lv"
    assert search_key("丁丽佳") == "" and search_key("13800138000") == "" and search_key("") == ""


def test_the_constructor_stores_the_pinyin_single_and_bulk(db):
    made = create_people_with_accounts([NewPerson(name="丁丽佳"), NewPerson(name="曾 小 乐")])
    rows = dict(Person.objects.filter(pk__in=[m.person_id for m in made]).values_list("name", "name_pinyin"))
    assert rows == {"丁丽佳": "dinglijia", "曾小乐": "zengxiaole"}


def test_pinyin_follows_every_kind_of_name_write(db):
    person = make_person("丁丽佳")
    assert (person.name_pinyin, person.name_initials) == ("dinglijia", "dlj")
    person.name = "王小明"
    person.save(update_fields=["name"])
    person.refresh_from_db()
    assert (person.name_pinyin, person.name_initials) == ("wangxiaoming", "wxm")
    Person.objects.filter(pk=person.pk).update(name="单田芳")  # the real-name correction, the import's rename
    person.refresh_from_db()
    assert (person.name_pinyin, person.name_initials) == ("shantianfang", "stf")
    Person.objects.bulk_update([Person(pk=person.pk, name="区小东")], ["name"])  # the import undo's rename
    person.refresh_from_db()
    assert (person.name_pinyin, person.name_initials) == ("ouxiaodong", "oxd")


def test_editing_a_user_keeps_the_pinyin_current(world):
    admin = world.school_admin_a
    users.update_user(actor_for(admin, admin.identities.get()), world.student_a.pk, {"name": "丁丽佳"})
    person = Person.objects.get(pk=world.student_a.person_id)
    assert (person.name, person.name_pinyin, person.name_initials) == ("丁丽佳", "dinglijia", "dlj")


def test_the_migration_fills_existing_rows_in_batches(db, monkeypatch):
    migration = importlib.import_module("renrentong.accounts.migrations.0009_person_name_pinyin")
    monkeypatch.setattr(migration, "BATCH", 2)
    people = [make_person(name, id_number=None) for name in ("丁丽佳", "曾国藩", "李华", "Anna")]
    Person.objects.filter(pk__in=[p.pk for p in people]).update(name_pinyin="", name_initials="")
    migration.fill_pinyin(apps, None)
    assert list(Person.objects.filter(pk__in=[p.pk for p in people]).order_by("pk").values_list(
        "name_pinyin", "name_initials")) == [("dinglijia", "dlj"), ("zengguofan", "zgf"), ("lihua", "lh"),
                                             ("anna", "a")]


def test_a_query_is_read_as_syllables_and_initials():
    from renrentong.accounts.people.pinyin import query_syllables

    assert query_syllables("dinglj") == ["ding", "l", "j"]
    assert query_syllables("dlijia") == ["d", "li", "jia"]
    assert query_syllables("zhuangsan") == ["zhuang", "san"]
    assert query_syllables("dlj") == ["d", "l", "j"]


def test_a_name_is_read_by_character_not_as_a_word():
    assert pinyin_of("于思琪") == ("yusiqi", "ysq")  # pypinyin's phrase 于思 would read yusai
    assert pinyin_of("Anna Li") == ("annali", "a")  # a Latin run stays one piece
