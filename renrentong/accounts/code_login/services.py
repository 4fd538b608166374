"""Login by phone and SMS code (AUTH-6): the phone gets a code, the code yields a grant naming the accounts
that phone serves, and one of them logs in with the same checks as a password login. The code and grant
flows are recovery's (accounts/recovery/services.py); docs/recovery.md explains them."""

from __future__ import annotations

from django.core.cache import cache

from renrentong.core.errors import UserFacingError
from renrentong.core.text import is_valid_mobile, normalize_text
from renrentong.verification.totp import has_totp

from renrentong.accounts import selectors as account_selectors
from renrentong.accounts.login import second_factor, throttle
from renrentong.accounts.login import events
from renrentong.accounts.login import services as login_services
from renrentong.accounts.recovery.services import (
    CodeSent, Grant, accounts_served_by, check_lookups, confirm_flow_code, granted, mobile_of, new_grant,
    platform_policy, record_miss, send_flow_code, token_digest,
)


def start_code_login(phone: str, *, source: str, channel: str = "web") -> CodeSent:
    """Login by phone and SMS code, step 1 (AUTH-6): the same source pause as password logins."""
    value = mobile_of(phone)
    if not is_valid_mobile(value):
        raise UserFacingError("code_login.invalid_phone", value=normalize_text(phone)[:20])
    policy = platform_policy()
    verdict = throttle.check_source(source, policy)
    if verdict.paused_until:
        events.log_event(None, value, source, channel, "source_paused")
        raise UserFacingError("login.source_throttled", until=events.local_time(verdict.paused_until))
    check_lookups(source)
    accounts = accounts_served_by(value)
    if not accounts:
        events.log_event(None, value, source, channel, "unknown_account")
        record_miss(source, value)
        raise UserFacingError("code_login.unknown_phone", contact=account_selectors.contact_for(None))
    return send_flow_code(purpose="login", target=value, account=accounts[0], source=source, binding=f"login:{value}",
                 flow={"kind": "login", "channel": channel})


def verify_code_login(token: str, code: str, *, source: str, channel: str = "web") -> Grant:
    """Step 2: the code proves the phone; the grant lists the accounts it may log in as."""
    flow = cache.get(f"recovery:flow:{token_digest(token or '')}")
    try:
        flow, challenge = confirm_flow_code(token, code, "login", "code_login.expired")
    except UserFacingError:
        if flow is not None:
            events.log_event(None, flow["binding"].split(":", 1)[1], source, channel, "wrong_code")
        raise
    accounts = accounts_served_by(challenge.target)
    if not accounts:
        raise UserFacingError("code_login.unknown_phone", contact=account_selectors.contact_for(None))
    return new_grant("login", accounts, challenge.target)


def complete_code_login(grant: str, account_id: int, *, source: str, channel: str = "web"):
    """Step 3: log in as one of the granted accounts, with the same checks as a password login."""
    state, account = granted(grant, "login", account_id, "code_login.expired")
    identifier = state["target"]
    policy = account_selectors.policy_for_account(account)
    contact = account_selectors.contact_for(account)
    verdict = throttle.check_account(account, source, policy)
    if verdict.locked_until:
        events.log_event(account, identifier, source, channel, "refused_locked")
        raise UserFacingError("login.locked", until=events.local_time(verdict.locked_until), contact=contact)
    refusal = login_services.state_refusal(account, policy, False)
    if refusal:
        events.log_event(account, identifier, source, channel, refusal.code.split(".", 1)[1])
        refusal.contact = contact
        raise refusal
    needs_factor = second_factor.required(account)
    if needs_factor and not has_totp(account):
        # The SMS code was one factor; an admin's second must be something else: the authenticator app.
        events.log_event(account, identifier, source, channel, "needs_password")
        raise UserFacingError("code_login.needs_password", contact=contact)
    if not cache.delete(f"recovery:grant:{token_digest(grant)}"):
        raise UserFacingError("code_login.expired")  # used by a concurrent request a moment ago
    if needs_factor:
        pending = second_factor.begin(account, identifier=identifier, source=source, channel=channel,
                                      must_change_password=False, allowed=("totp",))
        events.log_event(account, identifier, source, channel, "second_factor_required")
        raise second_factor.SecondFactorRequired(pending)
    # The user proved the phone, not the initial password: no forced change (they may never have had it).
    return events.complete_login(account, identifier, source=source, channel=channel, must_change_password=False,
                                   policy=policy)
