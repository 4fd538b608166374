"""The effective Policy of a school or region: platform defaults, then province, city, district, school."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from .models import Policy, Region, School


@dataclass(frozen=True)
class EffectivePolicy:
    # AUTH-3: "S" = 8-15 with digits, upper and lower, no symbols (Sichuan);
    #         "Z" = 8-20 with 3 of upper, lower, digit, symbol (Zhejiang).
    password_rule: str = "Z"
    # AUTH-2 initial-password rules per role; see RULE_LABELS below.
    student_initial_rule: str = "pw_account_last6"
    parent_initial_rule: str = "pw_phone_last6"
    teacher_initial_rule: str = "phone_last6"
    school_default_password: str = ""
    initial_password_days: int = 30
    # AUTH-7 login throttling.
    login_free_failures: int = 3
    login_lock_failures: int = 10
    login_lock_minutes: int = 15
    spray_distinct_accounts: int = 30
    spray_pause_minutes: int = 15
    # ACC-5: after this many days in the recycle bin only a province admin restores.
    recycle_retention_days: int = 30


POLICY_FIELDS = {f.name for f in fields(EffectivePolicy)}
_CACHE_SECONDS = 300
_VERSION_KEY = "policy:version"


def _key(kind: str, pk: int) -> str:
    # Every policy change bumps one version number, so a region's change reaches the cached
    # policies of all the schools below it at once.
    return f"policy:{cache.get_or_set(_VERSION_KEY, 1, timeout=None)}:{kind}:{pk}"


def policy_changed() -> None:
    cache.add(_VERSION_KEY, 1, timeout=None)
    cache.incr(_VERSION_KEY)
    cache.touch(_VERSION_KEY, None)


def region_chain(region: Region | None) -> list[Region]:
    chain: list[Region] = []
    while region is not None:
        chain.append(region)
        region = region.parent
    return list(reversed(chain))


def policy_for_school(school: School) -> EffectivePolicy:
    key = _key("school", school.pk)
    found = cache.get(key)
    if found is None:
        found = _merge(region_chain(school.district), school)
        cache.set(key, found, _CACHE_SECONDS)
    return found


def policy_for_region(region: Region) -> EffectivePolicy:
    key = _key("region", region.pk)
    found = cache.get(key)
    if found is None:
        found = _merge(region_chain(region), None)
        cache.set(key, found, _CACHE_SECONDS)
    return found


def _merge(regions: list[Region], school: School | None) -> EffectivePolicy:
    rows = {p.region_id: p.values for p in Policy.objects.filter(region__in=regions)}
    merged = EffectivePolicy()
    for region in regions:
        merged = replace(merged, **_known(rows.get(region.pk, {})))
    if school is not None:
        row = Policy.objects.filter(school=school).first()
        if row:
            merged = replace(merged, **_known(row.values))
    return merged


def _known(values: dict) -> dict:
    return {k: v for k, v in values.items() if k in POLICY_FIELDS}


def inherited_policy(region: Region | None, school: School | None) -> EffectivePolicy:
    """What a region or school would get from above it, without its own row."""
    if school is not None:
        return _merge(region_chain(school.district), None)
    return _merge(region_chain(region.parent), None) if region and region.parent else EffectivePolicy()


RULE_LABELS = {
    "pw_account_last6": _("“Pw” + last 6 digits of the account + “@”"),
    "pw_phone_last6": _("“Pw” + last 6 digits of the phone + “@”"),
    "phone_last6": _("Last 6 digits of the phone"),
    "school_default": _("The school's default password"),
    "random": _("Random, printed on the account slip"),
}
PASSWORD_RULE_LABELS = {
    "S": _("8-15 characters with digits, upper- and lower-case letters; no symbols."),
    "Z": _("8-20 characters with at least 3 of: upper-case letters, lower-case letters, digits, symbols."),
}

# Rules derived from numbers others know are weaker than random ones (OWASP ASVS 6.4.1).
WEAK_RULES = ("pw_account_last6", "pw_phone_last6", "phone_last6", "school_default")


def weak_rules_of(policy: EffectivePolicy) -> list[str]:
    rules = {policy.student_initial_rule, policy.parent_initial_rule, policy.teacher_initial_rule}
    return sorted(rules & set(WEAK_RULES))
