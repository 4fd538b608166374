"""Login throttling (AUTH-7): state in the database, so it holds across workers and survives a Redis
restart or flush, and counters raised atomically (one upsert), so parallel requests cannot both read
the same value.

Password logins (log_in, linking a child by account and password) use the counters at the end of
this module: never a lock, a proof-of-work challenge past a threshold (issue 10).

The code steps (second factor, login by code, recovery, phone binding) keep their older rule, now
durable too: failures are counted per (account, source); after `login_free_failures` each further try
must wait a growing delay; at `login_lock_failures` the account is locked *from that source* for
`login_lock_minutes`. Never a permanent lock, and never a lock that a stranger elsewhere can put on
someone's account. The keys include the account's credentials epoch, so a password reset clears them.

A source that fails on many different accounts in the code steps (a probe of many numbers) is paused
for them. The test is on distinct accounts that failed versus distinct accounts that succeeded from
the source (counted in the cache); the pause itself is kept in the database.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models

from renrentong.core.availability import require_cache
from renrentong.orgs.policy import EffectivePolicy

from renrentong.accounts.models import Account, LoginCounter, SchoolNetwork

SPRAY_WINDOW = 15 * 60


@dataclass(frozen=True)
class Verdict:
    locked_until: float = 0.0
    retry_after: int = 0
    paused_until: float = 0.0


def _account_key(account: Account, source: str) -> str:
    return f"{account.pk}:{account.credentials_epoch}:{source}"[:140]


def _window(source: str) -> str:
    return f"{source}:{int(time.time() // SPRAY_WINDOW)}"


def _mark(key: str) -> None:
    """Record "now" durably under the key (its window_start)."""
    bump(key, 0)


def _marked_at(key: str) -> int:
    row = LoginCounter.objects.filter(key=key).values_list("window_start", flat=True).first()
    return row or 0


def check_source(source: str, policy: EffectivePolicy) -> Verdict:
    paused_at = _marked_at(f"paused:{source}"[:160])
    if paused_at and paused_at + policy.spray_pause_minutes * 60 > time.time():
        return Verdict(paused_until=paused_at + policy.spray_pause_minutes * 60)
    return Verdict()


def check_account(account: Account, source: str, policy: EffectivePolicy) -> Verdict:
    key = _account_key(account, source)
    now = time.time()
    locked_at = _marked_at(f"lock:{key}")
    if locked_at and locked_at + policy.login_lock_minutes * 60 > now:
        return Verdict(locked_until=locked_at + policy.login_lock_minutes * 60)
    failures = peek(f"fail:{key}", policy.login_lock_minutes * 60 * 2)
    if failures >= policy.login_free_failures:
        delay = min(2 ** (failures - policy.login_free_failures + 1), 60)
        wait = _marked_at(f"last:{key}") + delay - now
        if wait > 0:
            return Verdict(retry_after=int(wait) + 1)
    return Verdict()


def record_failure(account: Account, source: str, policy: EffectivePolicy) -> tuple[int, float]:
    """Count a failed code or password of a code step; returns (failures so far, locked-until timestamp or 0)."""
    key = _account_key(account, source)
    failures = bump(f"fail:{key}", policy.login_lock_minutes * 60 * 2)
    _mark(f"last:{key}")
    locked_until = 0.0
    if failures >= policy.login_lock_failures:
        _mark(f"lock:{key}")
        forget(f"fail:{key}")
        locked_until = time.time() + policy.login_lock_minutes * 60
    _note_source(source, f"acct:{account.pk}", ok=False, policy=policy)
    return failures, locked_until


def record_unknown(source: str, identifier_digest: str, policy: EffectivePolicy) -> None:
    _note_source(source, f"id:{identifier_digest}", ok=False, policy=policy)


def record_success(account: Account, source: str, policy: EffectivePolicy) -> None:
    key = _account_key(account, source)
    LoginCounter.objects.filter(key__in=[f"fail:{key}", f"last:{key}", f"lock:{key}"]).delete()
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
        _mark(f"paused:{source}"[:160])


# ---------------------------------------------------------------------------------------------------
# Password login (issue 10): durable, atomic counters in the database and a challenge instead of locks.
#
# Three counters run over `login_lock_minutes`: the account from this source (`login_free_failures`),
# the account summed over every source (`login_lock_failures`), and the source itself
# (`spray_distinct_accounts`, or more for a school's registered NAT addresses): unknown identifiers,
# wrong passwords and logins with an initial password all count there. Past any of them a login is
# not refused: it needs a solved proof-of-work challenge (ALTCHA), one per attempt, which a browser
# solves in about a second and which makes every further guess cost the guesser work. Code login and
# recovery never read these counters, so the owner always has a way in.
#
# The account counters are raised *before* the password is checked (a reservation), by one
# INSERT ... ON CONFLICT DO UPDATE ... RETURNING, so parallel workers each see their own number and at
# most `login_free_failures` guesses are checked without a challenge, however many run at once.
# ---------------------------------------------------------------------------------------------------

CHALLENGE_MINUTES = 10


def challenge_max_number() -> int:
    # 100,000 SHA-256 tries at most, about a second in a school's oldest browser; a deployment may raise it.
    return int(getattr(settings, "LOGIN_CHALLENGE_MAX_NUMBER", 100_000))


def ensure_cache() -> None:
    """Fail closed: with the cache (Redis) unreachable nothing is checked, a clear refusal is given."""
    require_cache()


def bump(key: str, window_seconds: int, by: int = 1) -> int:
    """Atomically add `by` to a counter (starting again once its window has passed); returns the new value."""
    return bump_all([key], window_seconds, by)[key]


def bump_all(keys: list[str], window_seconds: int, by: int = 1) -> dict[str, int]:
    """`bump` for several distinct counters in one statement (a login raises two on every try)."""
    now = int(time.time())
    q = connection.ops.quote_name
    table, key_, count, start = q(LoginCounter._meta.db_table), q("key"), q("count"), q("window_start")
    values = ", ".join(["(%s, %s, %s)"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_}, {count}, {start}) VALUES {values} "
            f"ON CONFLICT ({key_}) DO UPDATE SET "
            f"{count} = CASE WHEN {table}.{start} < %s THEN %s ELSE {table}.{count} + %s END, "
            f"{start} = CASE WHEN {table}.{start} < %s THEN %s ELSE {table}.{start} END "
            f"RETURNING {key_}, {count}",
            [value for key in keys for value in (key, by, now)] + [now - window_seconds, by, by,
                                                                   now - window_seconds, now],
        )
        return dict(cursor.fetchall())


def peek(key: str, window_seconds: int) -> int:
    row = LoginCounter.objects.filter(key=key, window_start__gte=int(time.time()) - window_seconds).first()
    return row.count if row else 0


def give_back(*keys: str) -> None:
    LoginCounter.objects.filter(key__in=keys, count__gt=0).update(count=models.F("count") - 1)


def forget(key: str) -> None:
    LoginCounter.objects.filter(key=key).delete()


def pair_key(account: Account, source: str) -> str:
    return f"pw:{account.pk}:{account.credentials_epoch}:{source}"[:160]


def account_key(account: Account) -> str:
    return f"pw:{account.pk}:{account.credentials_epoch}"


def source_key(source: str) -> str:
    return f"src:{source}"[:160]


def window_of(policy: EffectivePolicy) -> int:
    return policy.login_lock_minutes * 60


def source_limit(source: str, policy: EffectivePolicy) -> int:
    """The source's threshold: the platform's, or the highest a school registered for a network holding
    the address. Only the rows of the address's own /24 (/48) block are read (an indexed lookup)."""
    from renrentong.accounts.login.networks import block_of

    limit = policy.spray_distinct_accounts
    try:
        address = ipaddress.ip_address(source)
    except ValueError:
        return limit
    rows = SchoolNetwork.objects.filter(block=block_of(address), threshold__gt=limit)
    for network, threshold in rows.values_list("network", "threshold"):
        if threshold > limit and address in ipaddress.ip_network(network, strict=False):
            limit = threshold
    return limit


def source_needs_challenge(source: str, policy: EffectivePolicy) -> bool:
    count = peek(source_key(source), window_of(policy))
    # The network table is read only once the platform's own threshold is passed, i.e. rarely.
    return count >= policy.spray_distinct_accounts and count >= source_limit(source, policy)


def note_source(source: str, policy: EffectivePolicy) -> int:
    """Count a failure, or a login with an initial password, against the source."""
    return bump(source_key(source), window_of(policy))


def source_left(source: str, count: int, policy: EffectivePolicy) -> int:
    """Failures the source may still have before every login from it needs the challenge."""
    if count + policy.login_free_failures < policy.spray_distinct_accounts:
        return policy.login_free_failures  # far from the limit: the account's own limits come first
    return max(source_limit(source, policy) - count, 0)


@dataclass(frozen=True)
class Reservation:
    pair: int
    total: int

    def needs_challenge(self, policy: EffectivePolicy) -> bool:
        return self.pair > policy.login_free_failures or self.total > policy.login_lock_failures

    def remaining(self, policy: EffectivePolicy) -> int:
        """Wrong passwords left before the next login needs the challenge (0: it needs it now)."""
        return max(min(policy.login_free_failures - self.pair, policy.login_lock_failures - self.total), 0)


def reserve(account: Account, source: str, policy: EffectivePolicy) -> Reservation:
    pair, total = pair_key(account, source), account_key(account)
    counts = bump_all([pair, total], window_of(policy))
    return Reservation(pair=counts[pair], total=counts[total])


def release(reservation: Reservation, account: Account, source: str) -> None:
    """Hand back a reservation whose password was never checked."""
    give_back(pair_key(account, source), account_key(account))


def password_right(account: Account, source: str, *, initial: bool, policy: EffectivePolicy) -> None:
    """The password was right: the source's failures for the account end, the sum keeps its history
    (an owner's success must not hand a guesser elsewhere fresh tries). An initial password counts
    against the source like a failure: it is derived or printed, and one address opening dozens of
    untouched accounts is how a spray with known account numbers looks."""
    pair = pair_key(account, source)
    # One statement: the pair's counter ends (a window start of 0 reads as expired, so it starts afresh,
    # as if deleted) and the sum gives back this try.
    LoginCounter.objects.filter(key__in=[pair, account_key(account)]).update(
        count=models.Case(models.When(key=pair, then=0), models.When(count__gt=0, then=models.F("count") - 1),
                          default=0),
        window_start=models.Case(models.When(key=pair, then=0), default=models.F("window_start"),
                                 output_field=models.BigIntegerField()),
    )
    if initial:
        note_source(source, policy)


# --- The challenge (ALTCHA v1: find n with SHA-256(salt + n) == challenge, signed by the server) ---

def _challenge_key() -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:login-challenge".encode()).hexdigest()


# Each further round of `login_lock_failures` wrong passwords for an account doubles the work its next
# challenge asks, up to this many times the base: a guesser pays more and more per guess, while the
# owner (who can always log in by code instead) still gets through in under a minute.
MAX_COST_FACTOR = 32


def cost_for(total_failures: int, policy: EffectivePolicy) -> int:
    """The work (the challenge's maxNumber) a login needs after this many failures of the account in all."""
    rounds = max(0, (total_failures - policy.login_lock_failures) // max(policy.login_lock_failures, 1))
    return challenge_max_number() * min(2 ** min(rounds, 16), MAX_COST_FACTOR)


def account_failures(account: Account, policy: EffectivePolicy) -> int:
    return peek(account_key(account), window_of(policy))


def new_challenge(cost: int | None = None) -> dict:
    """A challenge of the given work; the work is signed into its salt, so a cheaper one cannot pass for it."""
    from altcha import create_challenge_v1

    work = cost or challenge_max_number()
    challenge = create_challenge_v1(
        hmac_key=_challenge_key(), max_number=work, params={"cost": str(work)},
        expires=datetime.now(dt_timezone.utc) + timedelta(minutes=CHALLENGE_MINUTES),
    )
    return challenge.to_dict()


def redeem_challenge(payload: str) -> int:
    """The work of a valid, unexpired solution used for the first time (0: none). One solution, one attempt."""
    from altcha import extract_params_v1, verify_solution_v1

    if not payload or len(payload) > 2000:
        return 0
    try:
        ok, _error = verify_solution_v1(payload, _challenge_key(), check_expires=True)
        solution = json.loads(base64.b64decode(payload))
        signature = solution["signature"]
        cost = int(extract_params_v1(solution).get("cost", ["0"])[-1])
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        return 0
    if not ok:
        return 0
    # A replayed solution finds its row already counted; rows outlive the challenge's expiry.
    return cost if bump(f"challenge:{signature}"[:160], (CHALLENGE_MINUTES + 5) * 60) == 1 else 0
