"""Login throttling (AUTH-7), kept in the shared cache (Redis in production).

Failures are counted per (account, source). After `login_free_failures` each further try must wait
a growing delay; at `login_lock_failures` the account is locked *from that source* for
`login_lock_minutes`. Never a permanent lock, and never a lock that a stranger elsewhere can put on
someone's account. The keys include the account's credentials epoch, so a password reset clears them.

A source that fails on many different accounts (a password spray) is paused. The test is on
distinct accounts that failed versus distinct accounts that succeeded from the source, so a school
network where 300 students log in, a few with typos, is never paused, while a sprayer who logs into
one account of their own to look legitimate still is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache

from renrentong.orgs.policy import EffectivePolicy

from .models import Account

SPRAY_WINDOW = 15 * 60


@dataclass(frozen=True)
class Verdict:
    locked_until: float = 0.0
    retry_after: int = 0
    paused_until: float = 0.0


def _account_key(account: Account, source: str) -> str:
    return f"login:fail:{account.pk}:{account.credentials_epoch}:{source}"


def _window(source: str) -> str:
    return f"{source}:{int(time.time() // SPRAY_WINDOW)}"


def check_source(source: str, policy: EffectivePolicy) -> Verdict:
    paused = cache.get(f"login:paused:{source}")
    if paused and paused > time.time():
        return Verdict(paused_until=paused)
    return Verdict()


def check_account(account: Account, source: str, policy: EffectivePolicy) -> Verdict:
    state = cache.get(_account_key(account, source))
    if not state:
        return Verdict()
    failures, last_at, locked_until = state
    now = time.time()
    if locked_until > now:
        return Verdict(locked_until=locked_until)
    if failures >= policy.login_free_failures:
        delay = min(2 ** (failures - policy.login_free_failures + 1), 60)
        wait = last_at + delay - now
        if wait > 0:
            return Verdict(retry_after=int(wait) + 1)
    return Verdict()


def record_failure(account: Account, source: str, policy: EffectivePolicy) -> tuple[int, float]:
    """Count a failed password; returns (failures so far, locked-until timestamp or 0)."""
    key = _account_key(account, source)
    failures, _last, _locked = cache.get(key) or (0, 0.0, 0.0)
    failures += 1
    now = time.time()
    locked_until = 0.0
    if failures >= policy.login_lock_failures:
        locked_until = now + policy.login_lock_minutes * 60
        cache.set(key, (0, now, locked_until), policy.login_lock_minutes * 60 + 60)
    else:
        cache.set(key, (failures, now, 0.0), policy.login_lock_minutes * 60 * 2)
    _note_source(source, f"acct:{account.pk}", ok=False, policy=policy)
    return failures, locked_until


def record_unknown(source: str, identifier_digest: str, policy: EffectivePolicy) -> None:
    _note_source(source, f"id:{identifier_digest}", ok=False, policy=policy)


def record_success(account: Account, source: str, policy: EffectivePolicy) -> None:
    cache.delete(_account_key(account, source))
    _note_source(source, f"acct:{account.pk}", ok=True, policy=policy)


def _note_source(source: str, who: str, *, ok: bool, policy: EffectivePolicy) -> None:
    window = _window(source)
    kind = "ok" if ok else "bad"
    if cache.add(f"login:seen:{window}:{kind}:{who}", 1, SPRAY_WINDOW * 2):
        counter = f"login:distinct:{window}:{kind}"
        cache.add(counter, 0, SPRAY_WINDOW * 2)
        cache.incr(counter)
        # The database cache's incr rewrites the row with the default timeout; keep the window's.
        cache.touch(counter, SPRAY_WINDOW * 2)
    if ok:
        return
    bad = cache.get(f"login:distinct:{window}:bad", 0)
    good = cache.get(f"login:distinct:{window}:ok", 0)
    if bad >= policy.spray_distinct_accounts and bad > good:
        cache.set(f"login:paused:{source}", time.time() + policy.spray_pause_minutes * 60,
                  policy.spray_pause_minutes * 60)
