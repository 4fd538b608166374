"""The demo region's textbook catalogue (RES-4): a few People's Education Press books kept by the province,
each with its contents, so the smart classroom, online practice and lesson preparation have chapters to
hang on. Real catalogues arrive by the catalogue import."""

from __future__ import annotations

from renrentong.orgs.models import Region
from renrentong.resources.models import Chapter, Textbook

PEP = ("人教版", "人民教育出版社")
BOOKS = [
    # (subject, grade, volume, title, [(number, title), ...]); "n.m" numbers are sections of chapter n.
    ("数学", 3, "first", "义务教育教科书·数学 三年级上册", [
        ("1", "时、分、秒"), ("2", "万以内的加法和减法（一）"), ("3", "测量"), ("3.1", "毫米、分米的认识"),
        ("3.2", "千米的认识"), ("3.3", "吨的认识"), ("4", "万以内的加法和减法（二）"), ("5", "倍的认识"),
        ("6", "多位数乘一位数"), ("7", "长方形和正方形"), ("8", "分数的初步认识")]),
    ("语文", 3, "first", "义务教育教科书·语文 三年级上册", [
        ("1", "第一单元"), ("1.1", "大青树下的小学"), ("1.2", "花的学校"), ("1.3", "不懂就要问"),
        ("2", "第二单元"), ("2.1", "古诗三首"), ("2.2", "铺满金色巴掌的水泥道"), ("2.3", "秋天的雨")]),
    ("英语", 4, "first", "义务教育教科书·英语（PEP）四年级上册", [
        ("1", "Unit 1 My classroom"), ("2", "Unit 2 My schoolbag"), ("3", "Unit 3 My friends"),
        ("4", "Unit 4 My home"), ("5", "Unit 5 Dinner's ready"), ("6", "Unit 6 Meet my family!")]),
    ("数学", 7, "first", "义务教育教科书·数学 七年级上册", [
        ("1", "有理数"), ("1.1", "正数和负数"), ("1.2", "有理数"), ("1.3", "有理数的加减法"),
        ("2", "整式的加减"), ("3", "一元一次方程"), ("4", "几何图形初步")]),
    ("物理", 8, "first", "义务教育教科书·物理 八年级上册", [
        ("1", "机械运动"), ("2", "声现象"), ("3", "物态变化"), ("4", "光现象"), ("5", "透镜及其应用"),
        ("6", "质量与密度")]),
]


def install_demo_textbooks(province: Region) -> int:
    made = 0
    for subject, grade, volume, title, contents in BOOKS:
        book = Textbook.objects.create(region_id=province.pk, subject=subject, grade=grade, volume=volume,
                                       edition=PEP[0], publisher=PEP[1], title=title)
        chapters: dict[str, Chapter] = {}
        for position, (number, name) in enumerate(contents):
            parent = chapters.get(number.rsplit(".", 1)[0]) if "." in number else None
            chapters[number] = Chapter.objects.create(region_id=province.pk, textbook=book, parent=parent,
                                                      number=number, title=name, position=position)
        made += 1
    return made
