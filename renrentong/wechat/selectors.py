"""Reads of the official accounts and of who follows them (MSG-2), starting from what the actor may see."""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from renrentong.accounts.selectors import audience_account_ids, audience_parents, people_names
from renrentong.core.actor import Actor
from renrentong.core.crypto import unseal
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import mask_phone
from renrentong.core.text import MAX_ID
from renrentong.orgs.models import Region, School, SchoolClass
from renrentong.orgs.selectors import school_for

from renrentong.push import registry
from renrentong.wechat import access
from renrentong.wechat.client import WeChatClient
from renrentong.wechat.models import Follower, OfficialAccount

SECRET_PURPOSE = "wechat_secret"
_MEMO_SECONDS = 30.0
_clients: dict[tuple, WeChatClient] = {}
_memo: dict[int, tuple[str, float, OfficialAccount | None]] = {}
GENERATION_KEY = "wechat:config-generation"


def _generation() -> str:
    """A word in the shared cache that changes whenever a configuration is saved (or the cache is
    emptied): every process's memo of official accounts is void from then on."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), None)
        generation = cache.get(GENERATION_KEY) or ""
    return generation


def official_account_for_region(region_id: int | None) -> OfficialAccount | None:
    """The official account that applies to a region: its own, else the nearest one above it (a city's
    account serves its districts). Memoised per process, since every push asks, until a configuration is
    saved anywhere (the generation in the cache) or _MEMO_SECONDS pass."""
    if region_id is None:
        return None
    generation = _generation()
    hit = _memo.get(region_id)
    if hit and hit[0] == generation and hit[1] > time.monotonic():
        return hit[2]
    found = None
    current, seen = region_id, set()
    while current is not None and current not in seen:
        seen.add(current)
        found = OfficialAccount.objects.filter(region_id=current).select_related("region").first()
        if found:
            break
        current = Region.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    _memo[region_id] = (generation, time.monotonic() + _MEMO_SECONDS, found)
    return found


def forget_memo() -> None:
    cache.delete(GENERATION_KEY)
    _memo.clear()
    _clients.clear()


def region_of_account(account, actor: Actor | None = None) -> int | None:
    """The region whose official account an account follows: its school's district, else (a region admin)
    the region it administers."""
    if account.home_school_id:
        return registry.config_region(None, account.home_school_id)
    region = access.admin_region(actor) if actor is not None else None
    return region.pk if region is not None else None


def official_account_of(actor: Actor) -> OfficialAccount:
    found = official_account_for_region(region_of_account(actor.account, actor))
    if found is None:
        raise UserFacingError("wechat.not_configured")
    return found


def secret_of(official: OfficialAccount) -> str:
    if official.secret_cipher:
        return unseal(official.secret_key, bytes(official.secret_cipher), SECRET_PURPOSE)
    return os.environ.get(f"RRT_WECHAT_SECRET_{official.appid.upper()}", "")


def client_for(official: OfficialAccount) -> WeChatClient:
    key = (official.pk, official.appid, official.secret_key, bytes(official.secret_cipher or b""))
    held = _clients.get(key)
    if held is None:
        held = _clients[key] = WeChatClient(official.appid, secret_of(official))
    return held


def own_config(actor: Actor) -> tuple[Region, OfficialAccount | None]:
    region = access.configures_region(actor)
    if region is None:
        raise UserFacingError("wechat.config_not_allowed")
    return region, OfficialAccount.objects.filter(region=region).first()


def follower_of(actor: Actor) -> Follower | None:
    official = official_account_for_region(region_of_account(actor.account, actor))
    if official is None:
        return None
    return Follower.objects.filter(official_account=official, account=actor.account).first()


# -- who follows -----------------------------------------------------------------------------------------

@dataclass
class FollowFigures:
    label: str
    parents: int
    following: int
    school_class: SchoolClass | None = None
    school: School | None = None

    @property
    def share(self) -> int:
        return round(100 * self.following / self.parents) if self.parents else 0

    @property
    def not_following(self) -> int:
        return self.parents - self.following


def _following(account_ids) -> set[int]:
    return set(Follower.objects.filter(following=True, account_id__in=account_ids).values_list("account_id", flat=True))


def _classes_seen(actor: Actor, school: School | None = None):
    qs = actor.scope.class_members(SchoolClass.objects.all()).filter(kind=SchoolClass.Kind.ADMINISTRATIVE)
    if school is not None:
        qs = qs.filter(school=school)
    return qs.select_related("school", "cohort__stage").order_by("school__code", "cohort__enrollment_year", "number")


def follows_school(actor: Actor, school_id: int | None) -> tuple[School | None, list[FollowFigures]]:
    """Per class of a school: parent accounts of the class's students and how many follow. A teacher
    sees the classes they teach or head; admins every class of the school."""
    if not access.sees_follows(actor):
        raise UserFacingError("wechat.follows_not_allowed")
    school = None
    if not _is_teacher_view(actor):
        school = school_for(actor, school_id, not_allowed="wechat.follows_not_allowed")
    classes = list(_classes_seen(actor, school))
    rows = list(audience_parents(timezone.localdate(), class_ids=[c.pk for c in classes])) if classes else []
    following = _following({r[2] for r in rows})
    per_class: dict[int, set[int]] = {}
    for _school, class_id, account_id, _child in rows:
        per_class.setdefault(class_id, set()).add(account_id)
    figures = []
    for c in classes:
        accounts = per_class.get(c.pk, set())
        figures.append(FollowFigures(str(c), len(accounts), len(accounts & following), school_class=c))
    return school, figures


def _is_teacher_view(actor: Actor) -> bool:
    return access.sees_own_classes_only(actor)


def follows_region(actor: Actor) -> list[FollowFigures]:
    """Per school within a region admin's scope."""
    if not access.sees_schools_of_region(actor):
        raise UserFacingError("wechat.follows_not_allowed")
    today = timezone.localdate()
    figures = []
    for school in actor.scope.schools(School.objects.all()).order_by("code")[:500]:
        [accounts] = audience_account_ids("parent", today, school_id=school.pk)
        parents = get_user_model().objects.filter(pk__in=accounts).count()
        following = Follower.objects.filter(following=True, account_id__in=accounts).values("account_id").distinct().count()
        figures.append(FollowFigures(school.name, parents, following, school=school))
    return figures


def class_seen(actor: Actor, class_id: int) -> SchoolClass:
    if not access.sees_follows(actor):
        raise UserFacingError("wechat.follows_not_allowed")
    found = _classes_seen(actor).filter(pk=class_id).first() if 0 < class_id <= MAX_ID else None
    if found is None:
        raise UserFacingError("scope.not_found")
    return found


@dataclass
class ParentRow:
    account_id: int
    account_number: str
    parent: str
    children: list[str]
    phone: str  # masked
    following: bool


def class_parents(actor: Actor, class_id: int) -> tuple[SchoolClass, list[ParentRow]]:
    """The parent accounts of a class with their children's names and masked phones, and who follows."""
    school_class = class_seen(actor, class_id)
    rows = list(audience_parents(timezone.localdate(), class_ids=[school_class.pk]))
    names = people_names({child for _school, _class, _account, child in rows})
    children: dict[int, list[str]] = {}
    for _school, _class, account_id, child in rows:
        children.setdefault(account_id, []).append(names.get(child, ""))
    following = _following(children)
    accounts = get_user_model().objects.filter(pk__in=children).select_related("person").order_by("number")
    return school_class, [
        ParentRow(a.pk, a.number, a.person.name if a.person_id else "", sorted(set(children[a.pk])),
                  mask_phone(a.phone) if a.phone else "", a.pk in following)
        for a in accounts
    ]


def classes_for_sheet(actor: Actor, school_id: int | None, class_id: int | None) -> list[SchoolClass]:
    if class_id is not None:
        return [class_seen(actor, class_id)]
    school, _ = follows_school(actor, school_id) if not _is_teacher_view(actor) else (None, None)
    return list(_classes_seen(actor, school))
