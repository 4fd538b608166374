"""The SMS channel (MSG-4): through the verification app's configured provider (outbox or Aliyun), only to
those who have still not read the notice after Policy.push_sms_delay_minutes (the engine asks the source,
settings.RRT_PUSH_SOURCES), within Policy.push_sms_monthly_budget messages per region and month. The budget
fails closed: a message is counted before it is sent, and one over budget fails with reason "budget"."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from renrentong.accounts.models import Account
from renrentong.push import registry
from renrentong.push.channels import Outcome, PushMessage, Result
from renrentong.push.models import SmsBudgetUse
from renrentong.push.text import sms_text
from renrentong.verification.providers import ProviderError, TextMessage, sms_provider

# The provider's refusals that another try will not change.
FINAL = {"verification.provider_rejected_number", "verification.outbox_disabled"}
BUSY = {"verification.provider_busy"}


def month_of(now=None) -> str:
    return timezone.localtime(now or timezone.now()).strftime("%Y-%m")


def take_budget(region_id: int | None, budget: int) -> bool:
    """Count one message against the region's month, unless that would exceed the budget."""
    if budget <= 0:
        return False
    region, month = region_id or 0, month_of()
    with transaction.atomic():
        if SmsBudgetUse.objects.filter(region_id=region, month=month, used__lt=budget).update(used=F("used") + 1):
            return True
        try:
            with transaction.atomic():
                SmsBudgetUse.objects.create(region_id=region, month=month, used=1)
            return True
        except IntegrityError:
            return False  # the month's row exists and is at the budget


def give_back_budget(region_id: int | None) -> None:
    SmsBudgetUse.objects.filter(region_id=region_id or 0, month=month_of(), used__gt=0).update(used=F("used") - 1)


class SmsChannel:
    name = "sms"
    unread_only = True

    @staticmethod
    def delay(policy) -> timedelta:
        return timedelta(minutes=max(0, int(policy.push_sms_delay_minutes)))

    def reachable(self, region_id: int | None):
        return Account.objects.filter(phone__isnull=False).exclude(phone="").values_list("pk")

    def send(self, message: PushMessage) -> Result:
        account = Account.objects.filter(pk=message.account_id).values("phone").first()
        if not account or not account["phone"]:
            return Result(Outcome.FAILED, reason="no phone")
        policy = registry.policy_of(None, message.region_id)
        if not take_budget(message.region_id, int(policy.push_sms_monthly_budget)):
            return Result(Outcome.FAILED, reason="budget")
        text = TextMessage(phone=account["phone"], code="", minutes=0, purpose="notice_push",
                           account_id=message.account_id, school_id=None, district_id=message.region_id,
                           text=sms_text(message))
        try:
            reference = sms_provider().send(text)
        except ProviderError as error:
            give_back_budget(message.region_id)
            if error.code in FINAL:
                return Result(Outcome.FAILED, reason=error.code.rsplit(".", 1)[-1])
            if error.code in BUSY:
                tomorrow = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
                return Result(Outcome.PAUSED, reason=error.reason, resume_at=tomorrow)
            return Result(Outcome.RETRY, reason=error.reason)
        return Result(Outcome.DELIVERED, reference=str(reference)[:100])
