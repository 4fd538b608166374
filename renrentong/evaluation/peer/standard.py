"""The standard peer criteria (EVA-5). Seed 000 names no criteria for 学生互评, so a city's year starts from
this list, which follows the five dimensions of the evaluation catalogue as classmates can see them.
Grades are A..D (优秀, 良好, 合格, 待提高); averages count A as 4 and D as 1."""

from __future__ import annotations

STANDARD_CRITERIA: tuple[tuple[str, str, str], ...] = (
    ("conduct", "品德表现", "诚实守信、遵守纪律、尊重他人"),
    ("cooperation", "合作交流", "乐于合作、善于沟通、帮助同学"),
    ("attitude", "学习态度", "认真主动、勤学好问、按时完成"),
    ("health", "运动健康", "积极锻炼、阳光自信、情绪稳定"),
    ("aesthetics", "审美表现", "爱好艺术、举止文明、热爱生活"),
)

GRADES = ("A", "B", "C", "D")
POINTS = {"A": 4, "B": 3, "C": 2, "D": 1}
# Aggregates from fewer raters are not shown: with one or two raters a student could tell who gave what.
MIN_RATERS = 3
