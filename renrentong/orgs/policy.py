"""The effective Policy of a school or region: platform defaults, then province, city, district, school."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from renrentong.orgs.models import Policy, Region, School


@dataclass(frozen=True)
class EffectivePolicy:
    # AUTH-3: "S" = 8-15 with digits, upper and lower, no symbols (Sichuan);
    #         "Z" = 8-20 with 3 of upper, lower, digit, symbol (Zhejiang).
    password_rule: str = "Z"
    # AUTH-2 initial-password rules per role; see RULE_LABELS below.
    # A new region draws random initial passwords printed on slips: rules derived from numbers others
    # know opened 300 of 300 demo accounts from one address (issue 10). Derived rules stay a setting.
    student_initial_rule: str = "random"
    parent_initial_rule: str = "random"
    teacher_initial_rule: str = "random"
    school_default_password: str = ""
    initial_password_days: int = 30
    # AUTH-7 login throttling (accounts/throttle.py): nothing locks, a proof-of-work challenge is asked.
    # Wrong passwords for one account from one address before the challenge:
    login_free_failures: int = 3
    # Wrong passwords for one account summed over all addresses before the challenge (and, for the
    # code and second-factor steps, the lock of the old counters):
    login_lock_failures: int = 10
    # The window the counters above and below run over, in minutes:
    login_lock_minutes: int = 15
    # Failures (unknown identifiers, wrong passwords) and initial-password logins from one address
    # before every login from it needs the challenge; a school's registered NAT addresses get more:
    spray_distinct_accounts: int = 30
    spray_pause_minutes: int = 15
    # ACC-5: after this many days in the recycle bin only a province admin restores.
    recycle_retention_days: int = 30
    # ADM-5: who approves a student's transfer: "both" the old and the new school [S], or the new
    # school's approval is enough, "target" [J]. The old school's setting applies (schooladmin/transfers.py).
    student_transfer_approval: str = "both"
    # SMS-1..SMS-2 verification codes (renrentong/verification, docs/verification.md). Validity: OWASP
    # ASVS 6.5.5 asks for at most 10 minutes; Changsha's configuration sets 30.
    sms_code_minutes: int = 10
    # Only numbers of this province receive codes, e.g. "湖南省" (the geocoder's name); "" allows any.
    sms_province: str = ""
    sms_daily_per_target: int = 10
    sms_resend_seconds: int = 60
    sms_max_attempts: int = 5
    sms_daily_per_source: int = 100
    sms_daily_per_account: int = 20
    # ACC-8, seed 003: after an upgrade that cleared duplicate phones, accounts without a phone (other
    # than students') must bind one after login before they go on.
    phone_binding_required: bool = False
    # Second factor at login (TOTP or a code to the bound phone; docs/recovery.md). MLPS level 3 asks
    # two factors of administrators: on by default for district admins and above, optional for schools.
    second_factor_region_admins: bool = True
    second_factor_school_admins: bool = False
    # AUTH-4, AUTH-6: look-ups that found nobody (recovery, login by code) per source address and hour;
    # beyond it every look-up from the source waits for the next hour (account enumeration, docs/recovery.md).
    recovery_misses_per_hour: int = 10
    # RN-1, ACC-4: real-name verification attempts per account and per source address and hour, and
    # teacher registrations per source and hour; each answer says something about whether an ID number
    # or a phone is known (docs/realname-and-registration.md). A school's teachers share one address.
    realname_attempts_per_hour: int = 10
    realname_source_attempts_per_hour: int = 200
    registration_attempts_per_hour: int = 60
    # ORG-7 yearly rollover (renrentong/rollover, docs/rollover.md), "MM-DD": admins may run it (and
    # undo it) by hand from the window's start to its end, 1 July to 31 March in Zhejiang [Z]; on the
    # set date it runs by itself for every school that has not been rolled yet.
    rollover_window_start: str = "07-01"
    rollover_window_end: str = "03-31"
    rollover_auto_date: str = "08-31"
    # ADM-2: one teacher per class and subject; a school that co-teaches (two teachers share a
    # class's subject) turns this on, and then the teacher import adds a teacher instead of replacing.
    co_teaching: bool = False
    # MSG-4 push channels (renrentong/push, docs/push.md): the channels that ring a reader's bell, comma
    # separated, from outbox, wechat, sms, email, webpush; quiet hours ("HH:MM", local time) hold pushes
    # (never the inbox) except urgent ones; SMS goes only to the still-unread after the delay, within a
    # monthly budget of messages per region (0: none, fail closed).
    push_channels: str = "outbox"
    push_quiet_start: str = "21:30"
    push_quiet_end: str = "07:00"
    push_sms_delay_minutes: int = 120
    push_sms_monthly_budget: int = 0
    # SPC-1 posts
    # Students under 14 (or without a known birth date) may not post publicly unless the region allows it
    # (PIPL art. 28: children's personal information); the district admin sets it.
    public_posts_under_14: bool = False


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


PLATFORM_POLICY = EffectivePolicy()


def policy_for(school: School | None = None, region: Region | None = None) -> EffectivePolicy:
    """The policy of a school, else of a region, else the platform's defaults."""
    if school is not None:
        return policy_for_school(school)
    return policy_for_region(region) if region is not None else PLATFORM_POLICY


def support_contact(school: School | None) -> str:
    """The support contact shown with an error: the school's, else its region's, else the platform's."""
    if school is not None and school.admin_contact:
        return school.admin_contact
    return region_contact(school.district if school is not None else None)


def region_contact(region: Region | None) -> str:
    """The contact of the region or of the nearest region above it that has one (HELP-2); with no region,
    the platform's (the top region's)."""
    if region is None:
        root = Region.objects.filter(parent__isnull=True).exclude(support_contact="").order_by("code").first()
        return root.support_contact if root else ""
    while region is not None:
        if region.support_contact:
            return region.support_contact
        region = region.parent
    return ""


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
