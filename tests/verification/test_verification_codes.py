"""Verification codes (SMS-1, SMS-2, SMS-3; seeds 000 and 003): validity, resend wait, 10 per 24 hours
counted from each send, 5 wrong entries, single use, binding, caps per source and account, the province
rule, durability across a cache clear, and provider failures that cost no quota."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import Policy
from renrentong.orgs.policy import EffectivePolicy, policy_changed, policy_for_school
from renrentong.verification import services
from renrentong.verification.models import Challenge, OutboxMessage
from renrentong.verification.providers import ProviderError

from tests.verification_helpers import last_code, recipient

CHANGSHA = "13874812345"  # 湖南省长沙市 in libphonenumber's geocoding data
CHANGSHA_2 = "18874812345"
BEIJING = "13810000000"
POLICY = EffectivePolicy(sms_province="湖南省")


def send(target=CHANGSHA, *, purpose="recover", account_id=None, source="10.0.0.1", binding="recover:1",
         policy=POLICY):
    return services.send_code(purpose=purpose, target=target, recipient=recipient(account_id), source=source,
                              binding=binding, policy=policy)


def confirm(challenge, code, *, purpose="recover", binding="recover:1"):
    return services.confirm_code(token=challenge.token, code=code, purpose=purpose, binding=binding)


def error_of(call, *args, **kwargs) -> UserFacingError:
    with pytest.raises(UserFacingError) as caught:
        call(*args, **kwargs)
    return caught.value


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_the_geocoder_places_numbers_in_their_province(db):
    assert services.place_of(CHANGSHA) == "湖南省长沙市"
    assert services.place_of(BEIJING) == "北京市"
    assert services.in_province(CHANGSHA, "湖南省") and not services.in_province(BEIJING, "湖南省")
    assert services.in_province(BEIJING, "")


def test_a_code_is_sent_to_the_outbox_and_confirmed_once(db):
    challenge = send()
    assert challenge.masked_target == "138****2345" and challenge.token
    code = last_code(CHANGSHA)
    # Only a keyed digest of the code is stored, never the code.
    row = Challenge.objects.get(pk=challenge.pk)
    assert code not in row.code_digest and code not in row.token
    assert confirm(challenge, code).target == CHANGSHA
    assert error_of(confirm, challenge, code).code == "verification.used"


def test_platform_default_validity_is_10_minutes_and_changsha_sets_30(db, freezer):
    challenge = send(policy=EffectivePolicy())
    assert challenge.expires_at - challenge.created_at == timedelta(minutes=10)
    freezer.tick(timedelta(minutes=10, seconds=1))
    error = error_of(confirm, challenge, last_code(CHANGSHA))
    assert error.code == "verification.expired" and "10" in error.message

    changsha = EffectivePolicy(sms_province="湖南省", sms_code_minutes=30)
    challenge = send(CHANGSHA_2, policy=changsha)
    freezer.tick(timedelta(minutes=29))
    assert confirm(challenge, last_code(CHANGSHA_2)).used_at is not None


def test_validity_comes_from_the_region_policy(world):
    Policy.objects.create(region=world.city, values={"sms_code_minutes": 30, "sms_province": "湖南省"})
    policy_changed()
    policy = policy_for_school(world.school_a)
    challenge = send(policy=policy)
    assert challenge.expires_at - challenge.created_at == timedelta(minutes=30)
    assert error_of(send, BEIJING, policy=policy).code == "verification.out_of_province"


def test_out_of_province_numbers_are_refused_and_named(db):
    error = error_of(send, BEIJING)
    assert error.code == "verification.out_of_province"
    assert "湖南省" in error.message and "北京市" in error.message
    assert not OutboxMessage.objects.exists() and not Challenge.objects.exists()


def test_a_resend_waits_60_seconds(db, freezer):
    send()
    error = error_of(send)
    assert error.code == "verification.resend_wait" and "60" in error.message
    freezer.tick(timedelta(seconds=59))
    assert error_of(send).params["seconds"] == 1
    freezer.tick(timedelta(seconds=1))
    send()


def test_ten_codes_in_any_24_hours_counted_from_each_send(db, freezer):
    start = timezone.now()
    for _ in range(10):
        send()
        freezer.tick(timedelta(hours=1))
    # 10 sends between hour 0 and hour 9: the 11th at hour 10 is refused until the first turns 24 hours old.
    error = error_of(send)
    assert error.code == "verification.daily_limit"
    assert error.params["limit"] == 10
    expected = timezone.localtime(start + timedelta(hours=24)).strftime("%Y-%m-%d %H:%M")
    assert error.params["until"] == expected
    # Not a calendar day: still refused after midnight, until 24 hours after the first send.
    freezer.move_to(start + timedelta(hours=23, minutes=59))
    assert error_of(send).code == "verification.daily_limit"
    freezer.move_to(start + timedelta(hours=24, seconds=1))
    send()
    # The second send (hour 1) is still counted, so the next is refused again until hour 25.
    freezer.tick(timedelta(minutes=1))
    assert error_of(send).code == "verification.daily_limit"
    freezer.move_to(start + timedelta(hours=25, seconds=2))
    send()


def test_five_wrong_entries_void_a_code(db):
    challenge = send()
    code = last_code(CHANGSHA)
    for remaining in (4, 3, 2, 1):
        error = error_of(confirm, challenge, wrong(code))
        assert error.code == "verification.wrong_code" and error.params["remaining"] == remaining
    assert error_of(confirm, challenge, wrong(code)).code == "verification.voided"
    # Void means void: even the right code is refused now.
    assert error_of(confirm, challenge, code).code == "verification.voided"


def test_a_code_is_bound_to_its_purpose_and_request(db):
    challenge = send(binding="recover:1")
    code = last_code(CHANGSHA)
    assert error_of(confirm, challenge, code, binding="recover:2").code == "verification.unknown"
    assert error_of(confirm, challenge, code, purpose="login").code == "verification.unknown"
    assert error_of(services.confirm_code, token="no-such-token", code=code, purpose="recover",
                    binding="recover:1").code == "verification.unknown"
    # Mismatches are not wrong entries and do not spend the code.
    assert Challenge.objects.get(pk=challenge.pk).attempts == 0
    confirm(challenge, code)


def test_an_older_code_stays_valid_beside_a_newer_one_but_each_only_for_its_own_token(db, freezer):
    first = send()
    first_code = last_code(CHANGSHA)
    freezer.tick(timedelta(seconds=61))
    second = send()
    second_code = last_code(CHANGSHA)
    if first_code != second_code:
        assert error_of(confirm, second, first_code).code == "verification.wrong_code"
    confirm(first, first_code)


def test_daily_cap_per_source_address(db, freezer):
    policy = EffectivePolicy(sms_province="湖南省", sms_daily_per_source=3)
    for n in range(3):
        send(f"1387481000{n}", source="10.9.9.9", policy=policy)
    error = error_of(send, "13874810009", source="10.9.9.9", policy=policy)
    assert error.code == "verification.source_limit" and error.spec.who[0] == "区县管理员"
    send("13874810009", source="10.9.9.8", policy=policy)


def test_daily_cap_per_account(world, freezer):
    policy = EffectivePolicy(sms_province="湖南省", sms_daily_per_account=2)
    account = world.parent_a.pk
    send("13874810001", account_id=account, policy=policy)
    send("13874810002", account_id=account, policy=policy)
    assert error_of(send, "13874810003", account_id=account, policy=policy).code == "verification.account_limit"
    send("13874810003", account_id=world.parent_b.pk, policy=policy)


def test_quotas_are_counted_in_the_database_and_survive_a_cache_clear(db):
    send()
    cache.clear()
    assert error_of(send).code == "verification.resend_wait"


def test_a_provider_failure_says_so_and_uses_up_no_quota(db, freezer, monkeypatch):
    from renrentong.verification import providers

    def broken(self, message):
        raise ProviderError("verification.provider_failed", "isp.SYSTEM_ERROR")

    monkeypatch.setattr(providers.OutboxProvider, "send", broken)
    policy = EffectivePolicy(sms_province="湖南省", sms_daily_per_target=2)
    for _ in range(5):
        error = error_of(send, policy=policy)
        assert error.code == "verification.provider_failed"
        assert error.spec.who[1] == "platform support" and error.status < 500
    assert not Challenge.objects.exists()
    monkeypatch.undo()
    # No resend wait and the whole daily quota still there.
    send(policy=policy)
    freezer.tick(timedelta(seconds=61))
    send(policy=policy)
    freezer.tick(timedelta(seconds=61))
    assert error_of(send, policy=EffectivePolicy(sms_daily_per_target=2, sms_resend_seconds=0)).code == \
        "verification.daily_limit"


def test_email_codes_go_through_djangos_email_backend(db):
    challenge = send("Parent.Li@Example.cn", binding="recover:9")
    assert challenge.channel == "email" and challenge.masked_target == "p***i@example.cn"
    assert mail.outbox[-1].to == ["parent.li@example.cn"]
    assert not OutboxMessage.objects.exists()
    confirm(challenge, last_code("parent.li@example.cn"), binding="recover:9")


def test_email_failure_costs_no_quota(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1  # nothing listens there
    assert error_of(send, "a@example.cn").code == "verification.provider_failed"
    assert not Challenge.objects.exists()


@pytest.mark.parametrize("target", ["12345", "abc", "1387481234", "a@", "+8613874812345x", ""])
def test_invalid_targets_are_refused_by_name(db, target):
    assert error_of(send, target).code == "verification.invalid_target"


def test_full_width_and_country_code_forms_are_normalised(db):
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in CHANGSHA)
    assert send(fullwidth).target == CHANGSHA
    Challenge.objects.all().delete()
    assert send("+86 138 7481 2345").target == CHANGSHA


def test_a_missing_code_is_named(db):
    challenge = send()
    assert error_of(confirm, challenge, "  ").code == "verification.code_missing"


def test_unknown_purposes_are_a_programming_error(db):
    with pytest.raises(ValueError):
        send(purpose="anything")


@hsettings(max_examples=60, deadline=None)
@given(st.text(max_size=20))
def test_normalize_target_accepts_only_mobiles_and_emails(text):
    try:
        value, channel = services.normalize_target(text)
    except UserFacingError as exc:
        assert exc.code == "verification.invalid_target"
        return
    if channel == "sms":
        assert len(value) == 11 and value.isdigit() and value[0] == "1"
    else:
        assert "@" in value and value == value.lower()


@hsettings(max_examples=40, deadline=None)
@given(st.integers(min_value=13000000000, max_value=19999999999))
def test_mask_keeps_three_and_four_digits(number):
    masked = services.mask_target(str(number))
    assert masked[:3] == str(number)[:3] and masked[-4:] == str(number)[-4:] and masked[3:7] == "****"


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_at_once_cannot_both_pass_the_quota(monkeypatch):
    """Web workers are separate connections: the per-target lock row makes the second one wait for the
    first to commit, so it counts the first send and is refused (without the lock both would pass)."""
    import threading
    import time

    from django.db import connection

    from renrentong.verification import providers

    original = providers.OutboxProvider.send

    def slow_send(self, message):
        time.sleep(0.3)  # hold the first transaction open while the second worker arrives
        return original(self, message)

    policy = EffectivePolicy(sms_province="湖南省", sms_resend_seconds=0, sms_daily_per_target=2)
    send(policy=policy)  # an earlier send: one code of the quota is left
    monkeypatch.setattr(providers.OutboxProvider, "send", slow_send)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def worker():
        start.wait()
        try:
            send(policy=policy)
            outcomes.append("sent")
        except UserFacingError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["sent", "verification.daily_limit"]
    assert Challenge.objects.count() == 2
