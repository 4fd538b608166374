"""Verbs that change the region tree's settings (AUTH-2, AUTH-3 per region, overridable per school)."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date
from typing import Any

from django.db import transaction

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError

from renrentong.orgs.access import acts_as_region_admin, acts_as_school_admin
from renrentong.orgs.models import Policy
from renrentong.orgs.policy import EffectivePolicy, inherited_policy, policy_changed, policy_for_region, policy_for_school

STUDENT_RULES = ("pw_account_last6", "school_default", "random")
PARENT_RULES = ("pw_phone_last6", "school_default", "random")
TEACHER_RULES = ("phone_last6", "school_default", "random")

# What a school admin may override; the rest is the region's to decide.
SCHOOL_FIELDS = {"student_initial_rule", "parent_initial_rule", "teacher_initial_rule",
                 "school_default_password", "initial_password_days", "co_teaching"}
CHOICES = {
    "password_rule": ("S", "Z"),
    "student_initial_rule": STUDENT_RULES,
    "parent_initial_rule": PARENT_RULES,
    "teacher_initial_rule": TEACHER_RULES,
    "student_transfer_approval": ("both", "target"),  # ADM-5, schooladmin/transfers.py
    "second_factor_region_admins": (True, False),  # docs/recovery.md
    "second_factor_school_admins": (True, False),
    "phone_binding_required": (True, False),  # docs/verification.md
    "co_teaching": (True, False),  # two teachers may share a class's subject (docs/users-and-teaching.md)
    # The province a phone must belong to for codes (SMS-2), named as phonenumbers' geocoder names it.
    "sms_province": ("", "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
                     "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
                     "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区",
                     "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区"),
}
RANGES = {
    "initial_password_days": (1, 365),
    "login_free_failures": (1, 10),
    "login_lock_failures": (3, 50),
    "login_lock_minutes": (1, 1440),
    "spray_distinct_accounts": (10, 10_000),
    "spray_pause_minutes": (1, 1440),
    "recycle_retention_days": (1, 3650),
    "recovery_misses_per_hour": (1, 1000),
    "sms_code_minutes": (1, 60),  # docs/verification.md
    "sms_daily_per_target": (1, 50),
    "sms_resend_seconds": (30, 600),
    "sms_max_attempts": (1, 10),
    "sms_daily_per_source": (1, 100_000),
    "sms_daily_per_account": (1, 200),
    "realname_attempts_per_hour": (1, 1000),  # docs/realname-and-registration.md
    "realname_source_attempts_per_hour": (1, 100_000),
    "registration_attempts_per_hour": (1, 100_000),
}
MONTH_DAYS = ("rollover_window_start", "rollover_window_end", "rollover_auto_date")  # docs/rollover.md


def policy_owner(actor: Actor) -> tuple[Any, Any]:
    """The (region, school) whose policy row this actor may edit."""
    identity = actor.require_identity()
    if acts_as_region_admin(actor):
        return identity.region, None
    if acts_as_school_admin(actor):
        return None, identity.school
    raise UserFacingError("policy.not_allowed")


def effective_policy(actor: Actor) -> EffectivePolicy:
    region, school = policy_owner(actor)
    return policy_for_school(school) if school else policy_for_region(region)


@transaction.atomic
def update_policy(actor: Actor, changes: dict[str, Any]) -> EffectivePolicy:
    """Set this region's or school's own values; a value equal to the inherited one is dropped so a
    later change above reaches it again."""
    region, school = policy_owner(actor)
    allowed = SCHOOL_FIELDS if school else set(asdict(EffectivePolicy()))
    for field, value in changes.items():
        if field not in allowed:
            raise UserFacingError("policy.field_not_allowed", field=field)
        _validate(field, value)
    row, _ = Policy.objects.select_for_update().get_or_create(region=region, school=school)
    inherited = inherited_policy(region, school)
    values = {**row.values, **changes}
    merged = replace(inherited, **values)
    if "school_default" in (merged.student_initial_rule, merged.parent_initial_rule, merged.teacher_initial_rule):
        _check_default_password(merged.school_default_password)
    row.values = {k: v for k, v in values.items() if getattr(inherited, k) != v}
    row.save()
    audit.record(actor, "policy.update", row, {"changes": {k: ("***" if k == "school_default_password" else v)
                                                           for k, v in changes.items()}},
                 school_id=school.pk if school else None)
    # Bump now and again after commit: a request that re-cached the old values in between is replaced.
    policy_changed()
    transaction.on_commit(policy_changed)
    return policy_for_school(school) if school else policy_for_region(region)


def _validate(field: str, value: Any) -> None:
    if field in CHOICES and value not in CHOICES[field]:
        raise UserFacingError("policy.invalid_value", field=field, allowed=", ".join(CHOICES[field]))
    if field in RANGES:
        low, high = RANGES[field]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise UserFacingError("policy.invalid_value", field=field, allowed=f"{low}-{high}")
    if field in MONTH_DAYS:
        try:
            date.fromisoformat(f"2000-{value}")  # a leap year, so 02-29 is a day
        except (TypeError, ValueError):
            raise UserFacingError("policy.invalid_value", field=field, allowed="MM-DD") from None
    if field == "school_default_password" and not isinstance(value, str):
        raise UserFacingError("policy.invalid_value", field=field, allowed="text")


def _check_default_password(password: str) -> None:
    # A shared default is printed on slips and known to a whole school: it must at least be long and mixed.
    classes = sum((any(c.isdigit() for c in password), any(c.isupper() for c in password),
                   any(c.islower() for c in password), any(not c.isalnum() for c in password)))
    if not 8 <= len(password) <= 20 or classes < 3 or not password.isascii():
        raise UserFacingError("policy.weak_default_password")
