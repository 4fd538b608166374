"""The standard evaluation catalogue (EVA-1, seed 000): five dimensions, 23 evidence items, 16 uploaded by
students or parents and 7 imported by the city bureau or the school. The demo region installs it and the
tests build theirs from it, so both use this one list. A city admin edits their own copy afterwards: this
list is only where a new school year's catalogue starts when there is nothing to copy.

Each entry is (code, label); codes are stable keys (a renamed item keeps its code and its row)."""

from __future__ import annotations

from dataclasses import dataclass

UPLOADED = "uploaded"
IMPORTED_BY_CITY = "city"
IMPORTED_BY_SCHOOL = "school"


@dataclass(frozen=True)
class StandardItem:
    code: str
    label: str
    source: str  # uploaded | city | school


@dataclass(frozen=True)
class StandardDimension:
    code: str
    label: str
    items: tuple[StandardItem, ...]


def _up(code: str, label: str) -> StandardItem:
    return StandardItem(code, label, UPLOADED)


STANDARD_CATALOGUE: tuple[StandardDimension, ...] = (
    StandardDimension("moral", "思想品德", (
        _up("team_activities", "少先队与共青团活动"),
        _up("volunteer_service", "志愿服务"),
        _up("public_welfare", "公益劳动"),
        _up("honours", "荣誉称号"),
    )),
    StandardDimension("academic", "学业水平", (
        _up("research_study", "研究性学习"),
        _up("subject_contests", "学科竞赛"),
        _up("reading", "阅读积累"),
        StandardItem("english_dialogue", "英语人机对话成绩", IMPORTED_BY_CITY),
        StandardItem("chinese_dialogue", "语文人机对话成绩", IMPORTED_BY_CITY),
        StandardItem("lab_practice", "理化生实验操作考查成绩", IMPORTED_BY_CITY),
    )),
    StandardDimension("health", "身心健康", (
        _up("sports_exercise", "体育锻炼"),
        _up("sports_contests", "体育竞赛"),
        _up("mental_health", "心理健康活动"),
        StandardItem("pe_daily", "体育平时成绩", IMPORTED_BY_SCHOOL),
        StandardItem("fitness_test", "体质健康测试成绩", IMPORTED_BY_SCHOOL),
    )),
    StandardDimension("arts", "艺术素养", (
        _up("art_activities", "艺术活动"),
        _up("art_works", "艺术作品"),
        _up("art_contests", "艺术竞赛"),
        StandardItem("art_exam", "艺术考查成绩", IMPORTED_BY_CITY),
        StandardItem("art_daily", "艺术平时成绩", IMPORTED_BY_SCHOOL),
    )),
    StandardDimension("social", "社会实践", (
        _up("study_tours", "研学实践"),
        _up("labour_practice", "劳动实践"),
        _up("career_experience", "职业体验"),
    )),
)


def standard_items() -> list[StandardItem]:
    return [item for dimension in STANDARD_CATALOGUE for item in dimension.items]


# -- Score scales of the imported items (EVA-6) ---------------------------------------------------------------
# Seed 000 names the imported items but not their scales. These are the national ones where there is one
# (国家学生体质健康标准 2014: 100 points plus up to 20 extra points); the others are marked out of 100.
# An imported item a city adds itself (any other code) takes DEFAULT_SCALE.

@dataclass(frozen=True)
class ScoreScale:
    lowest: int
    highest: int
    decimals: int = 1  # the most digits after the point a score of the item may have


DEFAULT_SCALE = ScoreScale(0, 100)
SCORE_SCALES: dict[str, ScoreScale] = {
    "english_dialogue": ScoreScale(0, 100),
    "chinese_dialogue": ScoreScale(0, 100),
    "lab_practice": ScoreScale(0, 100),
    "art_exam": ScoreScale(0, 100),
    "pe_daily": ScoreScale(0, 100),
    "fitness_test": ScoreScale(0, 120),
    "art_daily": ScoreScale(0, 100),
}


def scale_of(code: str) -> ScoreScale:
    return SCORE_SCALES.get(code, DEFAULT_SCALE)
