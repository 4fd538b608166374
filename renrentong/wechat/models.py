"""The WeChat official account of a region (MSG-4) and who follows it (MSG-2).

An official account (公众号) belongs to a district or city; its schools' parents follow it and bind their
platform account to their openid by scanning a parametric QR code (a scene) or by opening the platform
inside WeChat. Region-level rows carry `region_id` and no school (school_id null); a follower row carries
the school of the account when it bound, so the follow figures of a school are read without a join."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from renrentong.orgs.models import Region


class OfficialAccount(models.Model):
    """One per region. The secret is sealed (AES-GCM, core.crypto) or, when left empty, read from the
    environment variable RRT_WECHAT_SECRET_<APPID> on the server that sends."""

    school_id = models.BigIntegerField(null=True, blank=True)  # always null: a region-level row
    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="+")
    appid = models.CharField(max_length=32)
    secret_key = models.CharField(max_length=16, blank=True)
    secret_cipher = models.BinaryField(null=True, blank=True)
    template_id = models.CharField(max_length=64)
    callback_token = models.CharField(max_length=32)
    # Optional EncodingAESKey (43 characters) for WeChat's safe mode; the callback runs in plaintext mode.
    aes_key = models.CharField(max_length=43, blank=True)
    # The last configuration error WeChat reported (40037 template id invalid, 47003 data invalid,
    # 40013/40125 appid or secret invalid): shown to the district admin with the fix, cleared on saving.
    config_error = models.CharField(max_length=16, blank=True)
    config_error_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint("appid", name="wechat_one_region_per_appid")]


class Follower(models.Model):
    """An openid bound to an account for one official account; `following` turns off on unsubscribe and
    when a push is refused (43004 not following, 43101 the user refused the template)."""

    school_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    region_id = models.BigIntegerField()  # the official account's region
    official_account = models.ForeignKey(OfficialAccount, on_delete=models.CASCADE, related_name="followers")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    openid = models.CharField(max_length=64)
    following = models.BooleanField(default=True)
    how = models.CharField(max_length=16, default="scene")  # scene | oauth
    reason = models.CharField(max_length=32, blank=True)  # why following turned off
    bound_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("official_account", "openid", name="wechat_one_account_per_openid"),
            models.UniqueConstraint("official_account", "account", name="wechat_one_openid_per_account"),
        ]
        indexes = [models.Index(fields=["region_id", "following", "account"], name="wechat_follow_reach")]


class BindingScene(models.Model):
    """A parametric QR code's scene string and the account it binds, until it expires (at most 30 days)."""

    school_id = models.BigIntegerField(null=True, blank=True)
    region_id = models.BigIntegerField()
    official_account = models.ForeignKey(OfficialAccount, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scene = models.CharField(max_length=64, unique=True)
    url = models.CharField(max_length=255)  # what the QR code encodes (WeChat's answer)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["account", "official_account", "expires_at"], name="wechat_scene_of")]
