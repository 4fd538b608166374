"""The demo region's activities (ACT-1): a campus activity of the first school (accepted at once) and a social
practice of the city for its schools (each school approves its children), published and signed up for through
the same services as any other, so the parents' and the admins' pages have something to show."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from renrentong.accounts.access import actor_for
from renrentong.accounts.models import Guardianship, Identity
from renrentong.activities.services import ActivityDraft, publish, sign_up
from renrentong.orgs.models import Region, School


def _draft(title: str, place: str, programme: str, bring: str, capacity: int, approval: str,
           days: int) -> ActivityDraft:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    starts = now + timedelta(days=days)
    return ActivityDraft(title=title, starts_at=starts, ends_at=starts + timedelta(hours=3), place=place,
                         capacity=capacity, signup_opens_at=now - timedelta(days=1),
                         signup_closes_at=starts - timedelta(days=2), cancel_until=starts - timedelta(days=3),
                         programme=programme, bring=bring, approval=approval)


def publish_demo_activities() -> list[int]:
    school = School.objects.filter(registered=True).order_by("pk").first()
    admin = Identity.objects.filter(kind=Identity.Kind.SCHOOL_ADMIN, school=school).select_related(
        "account", "school").first()
    city = Region.objects.filter(kind=Region.Kind.CITY).order_by("pk").first()
    city_admin = Identity.objects.filter(kind=Identity.Kind.REGION_ADMIN, region=city).select_related(
        "account", "region").first()
    if admin is None or city_admin is None:
        return []
    campus = publish(actor_for(admin.account, admin), _draft(
        "春季校园科技节", "学校体育馆", "9:00 开幕式\n9:30 科技作品展示\n11:00 颁奖", "科技作品一件；水杯", 60, "auto", 14))
    practice = publish(actor_for(city_admin.account, city_admin), _draft(
        "湘江博物馆社会实践", "湖南省博物馆（长沙市开福区东风路 50 号）", "8:30 校门口集合乘车\n9:30 讲解员带领参观\n11:30 返校",
        "身份证或学生证；雨具；午餐自理", 200, "school", 21))
    guardian = (Guardianship.objects.filter(student__enrollments__school=school, student__enrollments__ended_on=None,
                                            guardian__account__isnull=False)
                .select_related("guardian__account").order_by("pk").first())
    if guardian is not None:
        account = guardian.guardian.account
        identity = account.identities.filter(kind=Identity.Kind.GUARDIAN).first()
        if identity is not None:
            parent = actor_for(account, identity)
            sign_up(parent, campus.pk, guardian.student_id)
            sign_up(parent, practice.pk, guardian.student_id)
    return [campus.pk, practice.pk]
