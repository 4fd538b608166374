"""The demo region's smart classroom (RES-1, RES-3): the city's free links on the demo textbooks' chapters
(shared with the whole city, as the city's teaching research institute would), a teacher's lesson link shared
with the first school, and a recommended course from the city and from the school, all made through the
classroom's own services."""

from __future__ import annotations

from renrentong.accounts.access import actor_for
from renrentong.accounts.models import Identity
from renrentong.orgs.models import Region, School
from renrentong.resources.classroom.services import ResourceDraft, create, recommend
from renrentong.resources.models import Chapter

PLATFORM = "https://basic.smartedu.cn/"  # 国家中小学智慧教育平台: free lessons for every grade and subject
STAGES = {3: "primary", 4: "primary", 7: "junior", 8: "junior"}
# (subject, grade, chapter number, title, kind, module)
CITY = [
    ("数学", 3, "1", "时、分、秒 微课", "video", "review"),
    ("数学", 3, "3.1", "毫米、分米的认识 微课", "video", "review"),
    ("数学", 3, "8", "分数的初步认识 专题", "link", "topic"),
    ("语文", 3, "2.1", "古诗三首 朗读与赏析", "video", "review"),
    ("英语", 4, "1", "Unit 1 My classroom 听说课", "video", "review"),
    ("数学", 7, "1.3", "有理数的加减法 练习", "exercises", "practice"),
    ("物理", 8, "2", "声现象 实验微课", "video", "topic"),
]


def _draft(chapter: Chapter, title: str, kind: str, module: str, sharing: str) -> ResourceDraft:
    book = chapter.textbook
    return ResourceDraft(title=title, kind=kind, module=module, stage=STAGES.get(book.grade, "primary"),
                         subject=book.subject, grade=book.grade, term=book.volume if book.volume != "whole" else "first",
                         edition=book.edition, chapter_id=chapter.pk, url=PLATFORM, sharing=sharing)


def publish_demo_resources() -> list[int]:
    city = Region.objects.filter(kind=Region.Kind.CITY).order_by("pk").first()
    city_admin = Identity.objects.filter(kind=Identity.Kind.REGION_ADMIN, region=city).select_related(
        "account", "region").first()
    if city_admin is None:
        return []
    region_actor = actor_for(city_admin.account, city_admin)
    catalogue = Chapter.objects.select_related("textbook").filter(textbook__region_id__in=[city.pk, city.parent_id])
    made = []
    for subject, grade, number, title, kind, module in CITY:
        chapter = catalogue.filter(textbook__subject=subject, textbook__grade=grade, number=number).order_by("pk").first()
        if chapter is not None:
            made.append(create(region_actor, _draft(chapter, title, kind, module, "district")))
    if made:
        first = made[0]
        recommend(region_actor, first.pk, stage=first.stage, subject=first.subject, term=first.term,
                  note="寒假在线学习推荐")
    school = School.objects.filter(registered=True).order_by("pk").first()
    teacher = Identity.objects.filter(kind=Identity.Kind.TEACHER, school=school).select_related("account").order_by(
        "pk").first()
    admin = Identity.objects.filter(kind=Identity.Kind.SCHOOL_ADMIN, school=school).select_related("account").first()
    chapter = catalogue.filter(textbook__subject="数学", textbook__grade=3, number="7").order_by("pk").first()
    if teacher is not None and chapter is not None:
        lesson = create(actor_for(teacher.account, teacher), _draft(chapter, "长方形和正方形 课堂实录", "video",
                                                                    "topic", "school"))
        made.append(lesson)
        if admin is not None:
            recommend(actor_for(admin.account, admin), lesson.pk, stage=lesson.stage, subject=lesson.subject,
                      term=lesson.term, note="本校数学组推荐")
    return [r.pk for r in made]
