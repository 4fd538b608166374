"""The effective Policy of a school or region: platform defaults, then province, city, district, school."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from django.core.cache import cache

from .models import Policy, Region, School


@dataclass(frozen=True)
class EffectivePolicy:
    # AUTH-3: "S" = 8-15 with digits, upper and lower, no symbols (Sichuan);
    #         "Z" = 8-20 with 3 of upper, lower, digit, symbol (Zhejiang).
    password_rule: str = "Z"
    # AUTH-2 initial-password rules per role; see accounts.passwords.INITIAL_RULES.
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
_CACHE_SECONDS = 60


def region_chain(region: Region | None) -> list[Region]:
    chain: list[Region] = []
    while region is not None:
        chain.append(region)
        region = region.parent
    return list(reversed(chain))


def policy_for_school(school: School) -> EffectivePolicy:
    key = f"policy:school:{school.pk}"
    found = cache.get(key)
    if found is None:
        found = _merge(region_chain(school.district), school)
        cache.set(key, found, _CACHE_SECONDS)
    return found


def policy_for_region(region: Region) -> EffectivePolicy:
    key = f"policy:region:{region.pk}"
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
