"""What several rooms of accounts ask about an account: its effective policy, the support contact shown
with a refusal, and new account numbers."""

from __future__ import annotations

from renrentong.core.bulk import among, chunks
from renrentong.orgs.models import Region
from renrentong.orgs.policy import EffectivePolicy, policy_for_region, policy_for_school

from renrentong.accounts.models import Account, Identity

PLATFORM_POLICY = EffectivePolicy()


def policy_for_account(account: Account) -> EffectivePolicy:
    if account.home_school_id:
        return policy_for_school(account.home_school)
    admin = account.identities.filter(kind=Identity.Kind.REGION_ADMIN).select_related("region").first()
    return policy_for_region(admin.region) if admin else PLATFORM_POLICY


def contact_for(account: Account | None) -> str:
    """The support contact shown with an error: the school's, else its region's, else the platform's."""
    school = account.home_school if account else None
    if school is None:
        root = Region.objects.filter(parent__isnull=True).exclude(support_contact="").first()
        return root.support_contact if root else ""
    if school.admin_contact:
        return school.admin_contact
    region = school.district
    while region is not None:
        if region.support_contact:
            return region.support_contact
        region = region.parent
    return ""


def allocate_account_numbers(count: int, rng=None) -> list[str]:
    """`count` new platform-unique 8- or 9-digit account numbers (ACC-2), checked set-based.

    Numbers are random, not sequential, so that knowing one account does not reveal its neighbours.
    """
    import secrets

    draw = rng.randint if rng else lambda a, b: a + secrets.randbelow(b - a + 1)
    found: set[str] = set()
    while len(found) < count:
        wanted = count - len(found)
        candidates = {str(draw(10_000_000, 999_999_999)) for _ in range(wanted + wanted // 10 + 8)} - found
        taken = set()
        for chunk in chunks(sorted(candidates)):
            taken.update(Account.objects.filter(among("number", chunk)).values_list("number", flat=True))
        found.update(list(candidates - taken)[:wanted])
    return list(found)
