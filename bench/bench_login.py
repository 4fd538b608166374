"""Login throughput: POST /api/v1/auth/login against a running server, 20 and 50 clients at once.

Baseline, measured in the same run: the hash-bound limit, cores / median time of one Argon2 verify
with the platform hasher. A login cannot go faster than that on this machine, so the ratio says how
much of the CPU the rest of the request (Django, the queries, the cache, the token) takes away.

Prints `login 20 clients: ...` and `login 50 clients: ...`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

ACCOUNTS = 200
PASSWORD = "Bench@2026"
LEVELS = (20, 50)
FIRST_NUMBER = 310_000_000


def create_accounts(count: int) -> list[str]:
    """A province, city and district, one registered school and `count` student accounts with a real
    Argon2 password and a student identity, as the demo and an import make them. Returns the numbers."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from renrentong.accounts.models import Account, Identity, Person
    from renrentong.orgs.models import Region, School

    # One Argon2 hash for every account: the cost of verifying does not depend on the salt, and hashing
    # 200 passwords one by one would spend ~25 s of the benchmark on setup.
    encoded = make_password(PASSWORD)
    with transaction.atomic():
        province = Region.objects.create(kind="province", name="湖南省", code="430000", support_contact="400-800-1234")
        city = Region.objects.create(kind="city", name="长沙市", code="430100", parent=province)
        district = Region.objects.create(kind="district", name="芙蓉区", code="430102", parent=city)
        school = School.objects.create(district=district, name="芙蓉第1小学", code="S43010201", school_year=2026,
                                       admin_contact="0731-8000-0000")
        people = Person.objects.bulk_create(Person(name=f"学生{i}", sex="M") for i in range(count))
        accounts = Account.objects.bulk_create(
            Account(number=str(FIRST_NUMBER + i), person=person, home_school=school, password=encoded)
            for i, person in enumerate(people)
        )
        Identity.objects.bulk_create(Identity(account=a, kind=Identity.Kind.STUDENT, school=school) for a in accounts)
    return [a.number for a in accounts]


def verify_seconds() -> float:
    """Median time of one Argon2 verify with the platform hasher, in this process. The hash-bound
    limit, cores / this, is every core doing nothing but verifying passwords."""
    from django.contrib.auth.hashers import get_hasher

    hasher = get_hasher()
    encoded = hasher.encode(PASSWORD, hasher.salt())
    return common.median(common.timed(lambda: hasher.verify(PASSWORD, encoded), repeat=15, warmup=2))


def login_request(numbers: list[str]):
    def request(client: common.Client, index: int, n: int) -> str | None:
        # Each client steps through the accounts from its own start, so concurrent logins are mostly of
        # different accounts, as in a morning rush.
        number = numbers[(index + n * 53) % len(numbers)]
        status, body = client.post_json("/api/v1/auth/login", {"identifier": number, "password": PASSWORD})
        if status != 200:
            try:
                code = json.loads(body).get("code", "")
            except ValueError:
                code = body[:60].decode(errors="replace")
            return f"HTTP {status} {code}".strip()
        if b'"token"' not in body:
            return "200 without a token"
        return None

    return request


def main() -> int:
    seconds = common.measured_seconds()
    common.say(f"login: {common.machine_note()}; {common.backend_label()}")
    loads: list[common.Load] = []
    with common.bench_environment("login") as env:
        common.django_setup(env)
        numbers = create_accounts(ACCOUNTS)
        verifies = [verify_seconds()]
        common.say(f"login: one Argon2 verify {common.millis(verifies[0])} (median of 15)")
        common.close_db()
        with common.running_server(env) as server:
            common.say(f"login: {server.description} on 127.0.0.1:{server.port}, {ACCOUNTS} accounts")
            request = login_request(numbers)
            single = common.run_load(server, 1, min(seconds, 5), request, warmup=1)
            if single.error_count or not single.latencies:
                common.say(f"login: one client alone fails: {single.describe_errors() or 'no answer'}\n"
                           + common.server_log_tail(server))
                return 1
            common.say(f"login: 1 client: median {common.millis(common.median(single.latencies))} "
                       f"({common.rate(single.throughput)}), one login with the server to itself")
            for clients in LEVELS:
                load = common.run_load(server, clients, seconds, request)
                loads.append(load)
                common.say(f"login: {clients} clients: {load.completed} logins in {seconds:.0f} s, "
                           f"median {common.millis(common.median(load.latencies))}, "
                           f"p99 {common.millis(common.percentile(load.latencies, 99))}, "
                           f"{load.reconnects} reconnects, {load.error_count} errors")
                if load.completed:
                    # CPU per login, read off the server's processes: unlike the rates, it hardly moves when
                    # other programs share the machine. cores / CPU per login is what the server could do alone.
                    per_login = load.server_cpu / load.completed
                    common.say(f"login: {clients} clients: server CPU {common.millis(per_login)} per login "
                               f"(clients {load.client_cpu / load.completed * 1000:.1f} ms), "
                               f"CPU-bound limit {common.rate(common.cores() / per_login)}; "
                               f"other processes took {load.others_share:.0%} of the CPU")
                if load.error_count:
                    common.say(f"login: ERRORS with {clients} clients: {load.describe_errors()}")
                    common.say(common.server_log_tail(server))
        verifies.append(verify_seconds())
        common.close_db()
    # The baseline is the faster of the two measurements, before and after the load: a busy machine only
    # ever slows a verify down, so the faster one is nearer the truth and the ratio errs low, never high.
    verify = min(verifies)
    limit = common.cores() / verify
    common.say(f"login: one Argon2 verify {common.millis(verifies[0])} before the load, "
               f"{common.millis(verifies[1])} after; hash-bound limit {common.rate(limit)} on {common.cores()} cores")
    if max(verifies) > 1.15 * verify:
        common.say("login: the verify time moved during the run: something else used the CPU, the figures are low")
    for load in loads:
        p99 = common.percentile(load.latencies, 99)
        common.emit(common.summary(
            f"login {load.clients} clients", f"{common.rate(load.throughput)} p99 {common.millis(p99)}",
            "hash-bound limit", common.rate(limit), load.throughput / limit,
        ))
    return 1 if any(load.error_count for load in loads) else 0


if __name__ == "__main__":
    sys.exit(main())
