"""The verbs of the WeChat adapter (MSG-2, MSG-4): set up a region's official account, bind and unbind
openids (QR scenes, the subscribe/SCAN/unsubscribe events, OAuth snsapi_base), record what WeChat says
about a configuration, and pass its TEMPLATESENDJOBFINISH events to the delivery engine."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.crypto import seal
from renrentong.core.errors import UserFacingError

from renrentong.wechat import selectors
from renrentong.wechat.client import TokenRefused, WeChatUnavailable
from renrentong.wechat.errors import CONFIG_FIXES
from renrentong.wechat.models import BindingScene, Follower, OfficialAccount
from renrentong.push import services as push_services

log = logging.getLogger(__name__)

SCENE_SECONDS = 30 * 24 * 3600  # WeChat's maximum for a temporary QR code
SCENE_REUSE_MARGIN = timedelta(days=2)  # a code shown on a page still has this long to live
SHEET_REUSE_LEFT = timedelta(days=25)  # a code printed on paper keeps most of its 30 days
SHEET_CONCURRENCY = 8
XML_LIMIT = 64 * 1024
_APPID = re.compile(r"wx[0-9a-f]{16}\Z")
_TOKEN = re.compile(r"[A-Za-z0-9]{3,32}\Z")
_AES_KEY = re.compile(r"[A-Za-z0-9]{43}\Z")
_SECRET = re.compile(r"[0-9A-Za-z]{32}\Z")


# -- configuration ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConfigInput:
    appid: str
    secret: str  # empty keeps the stored one (or the environment's)
    template_id: str
    callback_token: str
    aes_key: str = ""


@transaction.atomic
def save_config(actor: Actor, data: ConfigInput) -> OfficialAccount:
    """A district or city admin sets their region's official account; saving clears a reported error."""
    region, official = selectors.own_config(actor)
    appid = data.appid.strip()
    if not _APPID.match(appid):
        raise UserFacingError("wechat.appid_invalid")
    secret = data.secret.strip()
    if secret and not _SECRET.match(secret):
        raise UserFacingError("wechat.secret_required")
    if not data.template_id.strip() or len(data.template_id.strip()) > 64:
        raise UserFacingError("wechat.template_required")
    if not _TOKEN.match(data.callback_token.strip()):
        raise UserFacingError("wechat.token_invalid")
    if data.aes_key.strip() and not _AES_KEY.match(data.aes_key.strip()):
        raise UserFacingError("wechat.aes_key_invalid")
    if OfficialAccount.objects.filter(appid=appid).exclude(region=region).exists():
        raise UserFacingError("wechat.appid_taken")
    official = official or OfficialAccount(region=region)
    changed_app = official.appid != appid
    official.appid = appid
    if secret:
        official.secret_key, official.secret_cipher = seal(secret, selectors.SECRET_PURPOSE)
    elif changed_app:
        official.secret_key, official.secret_cipher = "", None
    official.template_id = data.template_id.strip()
    official.callback_token = data.callback_token.strip()
    official.aes_key = data.aes_key.strip()
    official.config_error, official.config_error_at = "", None
    official.updated_at, official.updated_by = timezone.now(), actor.account
    if not selectors.secret_of(official):
        raise UserFacingError("wechat.secret_required")
    official.save()
    selectors.forget_memo()
    transaction.on_commit(selectors.forget_memo)  # again: another process may have read the old row meanwhile
    audit.record(actor, "wechat.config_saved", region, {"appid": appid, "secret_changed": bool(secret)})
    return official


def record_config_error(official: OfficialAccount, errcode: int | str) -> None:
    """WeChat refused the configuration (template id, data, appid, secret): the admin sees it with the fix."""
    code = str(errcode)
    if official.config_error != code:
        OfficialAccount.objects.filter(pk=official.pk).update(config_error=code, config_error_at=timezone.now())
        official.config_error = code
        log.warning("wechat configuration error %s for region %s", code, official.region_id)


def config_fix(code: str) -> str:
    from renrentong.core.errors import in_language

    return in_language(*CONFIG_FIXES[code]) if code in CONFIG_FIXES else code


# -- following and binding ------------------------------------------------------------------------------------

def _school_of(account_id: int) -> int | None:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=account_id).values_list("home_school_id", flat=True).first()


@transaction.atomic
def bind(official: OfficialAccount, openid: str, account_id: int, how: str) -> Follower:
    """The openid now stands for the account (a scene scanned or OAuth in WeChat): an openid bound to
    another account moves, and the account's previous openid is let go."""
    Follower.objects.filter(Q(account_id=account_id) | Q(openid=openid), official_account=official).exclude(
        account_id=account_id, openid=openid).delete()
    now = timezone.now()
    follower, _ = Follower.objects.update_or_create(
        official_account=official, account_id=account_id, openid=openid,
        defaults=dict(region_id=official.region_id, school_id=_school_of(account_id), following=True, how=how,
                      reason="", changed_at=now),
        create_defaults=dict(region_id=official.region_id, school_id=_school_of(account_id), following=True,
                             how=how, bound_at=now, changed_at=now),
    )
    audit.record(None, "wechat.bound", None, {"how": how, "region_id": official.region_id},
                 account=follower.account, school_id=follower.school_id)
    return follower


def set_following(official: OfficialAccount, *, openid: str | None = None, account_id: int | None = None,
                  following: bool, reason: str = "") -> int:
    """Turn following on or off for an openid (events) or an account (a push's answer)."""
    rows = Follower.objects.filter(official_account=official)
    rows = rows.filter(openid=openid) if openid is not None else rows.filter(account_id=account_id)
    return rows.exclude(following=following, reason=reason).update(
        following=following, reason=reason, changed_at=timezone.now())


def binding_scene(actor: Actor) -> BindingScene:
    """The account's current binding QR code: reused while it has days to live, else a new scene is asked
    of WeChat (POST /cgi-bin/qrcode/create, QR_STR_SCENE)."""
    official = selectors.official_account_of(actor)
    held = BindingScene.objects.filter(official_account=official, account=actor.account,
                                       expires_at__gt=timezone.now() + SCENE_REUSE_MARGIN).order_by("-expires_at").first()
    return held or new_scene(official, actor.account.pk, actor.account.home_school_id)


def _ask_scene(official: OfficialAccount, scene: str) -> tuple[str, int]:
    """WeChat's QR content (url) and lifetime for a new scene; a refusal or trouble is "unavailable"."""
    try:
        answer = selectors.client_for(official).create_qrcode(scene, SCENE_SECONDS)
    except (WeChatUnavailable, TokenRefused) as exc:
        if isinstance(exc, TokenRefused) and str(exc.errcode) in CONFIG_FIXES:
            record_config_error(official, exc.errcode)
        raise UserFacingError("wechat.unavailable") from exc
    if answer["errcode"] or not answer.get("url"):
        raise UserFacingError("wechat.unavailable")
    return str(answer["url"])[:255], min(int(answer.get("expire_seconds") or SCENE_SECONDS), SCENE_SECONDS)


def _scene_row(official: OfficialAccount, account_id: int, school_id: int | None, scene: str,
               asked: tuple[str, int]) -> BindingScene:
    url, seconds = asked
    return BindingScene(official_account=official, region_id=official.region_id, school_id=school_id,
                        account_id=account_id, scene=scene, url=url, expires_at=timezone.now() + timedelta(seconds=seconds))


def _new_scene_name() -> str:
    return "b" + secrets.token_urlsafe(18)  # 25 characters, unguessable: the code alone binds


def new_scene(official: OfficialAccount, account_id: int, school_id: int | None) -> BindingScene:
    scene = _new_scene_name()
    row = _scene_row(official, account_id, school_id, scene, _ask_scene(official, scene))
    row.save()
    return row


def scenes_for(official: OfficialAccount, accounts: list[int], school_id: int | None) -> dict[int, BindingScene]:
    """A binding code for each account, for a printed sheet: one with most of its 30 days left is reused,
    the others are asked of WeChat a few at a time (a school's sheet needs thousands)."""
    from concurrent.futures import ThreadPoolExecutor

    held = {}
    for row in BindingScene.objects.filter(official_account=official, account_id__in=accounts,
                                           expires_at__gt=timezone.now() + SHEET_REUSE_LEFT).order_by("expires_at"):
        held[row.account_id] = row
    missing = [a for a in accounts if a not in held]
    names = {a: _new_scene_name() for a in missing}
    client = selectors.client_for(official)
    token = None
    if missing:
        try:
            token = client.token()  # here, not in the threads: they touch neither the cache nor the database
        except (WeChatUnavailable, TokenRefused):
            pass  # _ask_scene below says why

    def ask_quickly(account_id: int) -> tuple[str, int] | None:
        try:
            answer = client.create_qrcode(names[account_id], SCENE_SECONDS, token=token)
        except WeChatUnavailable:
            return None
        if answer["errcode"] or not answer.get("url"):
            return None
        return str(answer["url"])[:255], min(int(answer.get("expire_seconds") or SCENE_SECONDS), SCENE_SECONDS)

    asked: list[tuple[str, int] | None] = [None] * len(missing)
    if token is not None:
        with ThreadPoolExecutor(max_workers=SHEET_CONCURRENCY) as pool:
            asked = list(pool.map(ask_quickly, missing))
    # What failed in the threads (a token that just expired, a passing error) is asked again the usual way.
    asked = [answer or _ask_scene(official, names[a]) for a, answer in zip(missing, asked)]
    rows = [_scene_row(official, a, school_id, names[a], answer) for a, answer in zip(missing, asked)]
    BindingScene.objects.bulk_create(rows, batch_size=500)
    held.update({row.account_id: row for row in rows})
    return held


def sweep_expired_scenes() -> int:
    """A periodic duty: binding codes a day past their expiry are deleted (safe to run anywhere, any time)."""
    deleted, _ = BindingScene.objects.filter(expires_at__lt=timezone.now() - timedelta(days=1)).delete()
    return deleted


# -- OAuth inside WeChat (snsapi_base) ------------------------------------------------------------------------

OAUTH_STATE = "wechat_oauth_state"


def oauth_start(actor: Actor, session, redirect_uri: str) -> str:
    """Where to send a logged-in user who opened the platform inside WeChat: WeChat's silent OAuth page.
    The state is random and kept in the session, so only this session can finish the binding."""
    official = selectors.official_account_of(actor)
    state = secrets.token_urlsafe(16)
    session[OAUTH_STATE] = {"state": state, "official": official.pk, "account": actor.account.pk}
    return selectors.client_for(official).authorize_url(redirect_uri, state)


def oauth_finish(actor: Actor, session, code: str, state: str) -> Follower:
    """WeChat came back with a code: its openid is bound to the logged-in account that started."""
    held = session.pop(OAUTH_STATE, None)
    if (not held or not state or not code or len(code) > 128 or held.get("account") != actor.account.pk
            or not hmac.compare_digest(str(held.get("state", "")), state)):
        raise UserFacingError("wechat.oauth_failed")
    official = OfficialAccount.objects.filter(pk=held.get("official")).first()
    if official is None:
        raise UserFacingError("wechat.not_configured")
    try:
        answer = selectors.client_for(official).oauth_openid(code)
    except WeChatUnavailable as exc:
        raise UserFacingError("wechat.unavailable") from exc
    if answer["errcode"] or not answer.get("openid"):
        raise UserFacingError("wechat.oauth_failed")
    return bind(official, str(answer["openid"])[:64], actor.account.pk, "oauth")


# -- the callback (服务器配置 URL) ---------------------------------------------------------------------------

def callback_account(key: str) -> OfficialAccount | None:
    """The official account whose callback URL this is: /wechat/callback/<region code or id>/."""
    if not key.isascii() or not key.isdigit() or len(key) > 18:
        return None
    official = OfficialAccount.objects.filter(region__code=key).first()
    return official or OfficialAccount.objects.filter(region_id=int(key)).first()


def signature_ok(official: OfficialAccount, signature: str, timestamp: str, nonce: str) -> bool:
    """sha1 of the sorted token, timestamp and nonce (WeChat's 服务器配置 check)."""
    if not (signature and timestamp and nonce) or len(timestamp) > 32 or len(nonce) > 64:
        return False
    expected = hashlib.sha1("".join(sorted([official.callback_token, timestamp, nonce])).encode()).hexdigest()
    return hmac.compare_digest(expected, signature.lower())


class BadMessage(ValueError):
    pass


def parse_event(body: bytes) -> dict[str, str]:
    """WeChat's XML, parsed safely: a size limit and no DTD at all (no entities, no external references)."""
    if len(body) > XML_LIMIT:
        raise BadMessage("too large")
    lowered = body.lower()
    # WeChat sends UTF-8; a NUL byte means UTF-16 or UTF-32, in which the DTD check below would see nothing.
    if b"\x00" in body or b"<!doctype" in lowered or b"<!entity" in lowered:
        raise BadMessage("DTDs and other encodings than UTF-8 are refused")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise BadMessage("not XML") from exc
    return {child.tag: (child.text or "").strip() for child in root}


def decrypt_event(official: OfficialAccount, outer: dict[str, str], query) -> dict[str, str]:
    """Safe mode (安全模式): the event is the AES-256-CBC ciphertext in <Encrypt>, signed as msg_signature =
    sha1 of the sorted token, timestamp, nonce and ciphertext; the plaintext is 16 random bytes, the
    message's length (4 bytes, big-endian), the message and the appid. The key is the EncodingAESKey
    decoded from base64, its first 16 bytes the IV; padding is PKCS#7 to 32 bytes."""
    import base64
    import struct

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    encrypted = outer.get("Encrypt", "")
    timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
    expected = hashlib.sha1("".join(sorted([official.callback_token, timestamp, nonce, encrypted])).encode()).hexdigest()
    if not (encrypted and official.aes_key) or not hmac.compare_digest(expected, query.get("msg_signature", "").lower()):
        raise BadSignature()
    try:
        key = base64.b64decode(official.aes_key + "=")
        data = base64.b64decode(encrypted, validate=True)
        decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
        plain = decryptor.update(data) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= 32:
            raise ValueError("padding")
        plain = plain[:-pad]
        (length,) = struct.unpack(">I", plain[16:20])
        message, appid = plain[20:20 + length], plain[20 + length:].decode()
    except (ValueError, struct.error, UnicodeDecodeError) as exc:
        raise BadMessage("cannot decrypt") from exc
    if appid != official.appid:
        raise BadMessage("another appid")
    return parse_event(message)


class BadSignature(ValueError):
    pass


def handle_event(official: OfficialAccount, event: dict[str, str]) -> None:
    """subscribe / SCAN with a scene bind its account; unsubscribe unbinds; TEMPLATESENDJOBFINISH goes to
    the delivery engine. Anything else is ignored (WeChat only needs "success")."""
    if event.get("MsgType") != "event":
        return
    kind = event.get("Event", "")
    openid = event.get("FromUserName", "")[:64]
    if not openid:
        return
    if kind in ("subscribe", "SCAN"):
        key = event.get("EventKey", "")
        scene = key.removeprefix("qrscene_") if kind == "subscribe" else key
        found = BindingScene.objects.filter(official_account=official, scene=scene,
                                            expires_at__gt=timezone.now()).first() if scene else None
        if found is not None:
            try:
                bind(official, openid, found.account_id, "scene")
            except IntegrityError:  # the same scan delivered twice at once: the first one bound it
                pass
            # Used up, with the account's other codes (a printed sheet's): a code seen later by someone
            # else binds nobody. Unfollowing and following again needs no code; a new WeChat gets a new one.
            BindingScene.objects.filter(official_account=official, account_id=found.account_id).delete()
        elif kind == "subscribe":
            set_following(official, openid=openid, following=True)
    elif kind == "unsubscribe":
        set_following(official, openid=openid, following=False, reason="unsubscribed")
    elif kind == "TEMPLATESENDJOBFINISH":
        if "user block" in event.get("Status", ""):
            set_following(official, openid=openid, following=False, reason="43101")
        job_finished(event.get("MsgID", "") or event.get("MsgId", ""), event.get("Status", ""))


def job_finished(msgid: str, status: str) -> bool:
    """WeChat's word on a template message it accepted: "success", "failed:user block" (the user refused
    the account's messages) or "failed:system failed", settled on the push delivery it accepted; returns
    whether a delivery was waiting for it."""
    if not msgid:
        return False
    delivered = status == "success"
    reason = "" if delivered else ("43101" if "user block" in status else "system_failed")
    return push_services.settle(channel="wechat", reference=str(msgid)[:64], delivered=delivered, reason=reason) > 0


# -- the binding sheet -------------------------------------------------------------------------------------------

def binding_sheet(actor: Actor, school_id: int | None, class_id: int | None) -> bytes:
    """A PDF with a page per class (of the school, or the one class): a binding code with most of its 30
    days left (fresh unless one was just made) for each parent account that does not follow yet. Refused when the school's region has no official account."""
    from django.utils.translation import gettext as _

    from renrentong.wechat.sheet import ClassSheet, Code, render

    classes = selectors.classes_for_sheet(actor, school_id, class_id)
    sheets = []
    for school_class in classes:
        official = selectors.official_account_for_region(school_class.school.district_id)
        if official is None:
            raise UserFacingError("wechat.not_configured")
        _class, parents = selectors.class_parents(actor, school_class.pk)
        waiting = [p for p in parents if not p.following]
        scenes = scenes_for(official, [p.account_id for p in waiting], school_class.school_id)
        codes = [Code(p.parent or p.account_number, "、".join(p.children), scenes[p.account_id].url) for p in waiting]
        sheets.append(ClassSheet(f"{school_class.school.name} {school_class}", codes,
                                 _("Every parent of this class follows the official account.")))
    audit.record(actor, "wechat.sheet_printed", None, {"classes": [c.pk for c in classes][:100]},
                 school_id=classes[0].school_id if classes else None)
    return render(sheets, _("WeChat binding codes"),
                  _("Scan with WeChat and follow the official account: notices then reach you in WeChat too. "
                    "Each code binds only the account named under it."))

