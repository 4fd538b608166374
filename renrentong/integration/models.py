"""Other apps that sign users in through the platform (INT-1): their registrations and the OAuth 2 / OpenID
Connect rows django-oauth-toolkit keeps for them.

The toolkit's five models are swapped for these (settings.OAUTH2_PROVIDER_*_MODEL) so that each grant and
token carries what the toolkit does not know: the identity the user chose for the app (ACC-1), and the
account's credentials epoch when it was issued, so a freeze, a departure, a deletion or a password reset ends
every token at once (AUTH-8) without a sweep. An app is registered by a province or city admin for their
region and everything below it, optionally narrowed to some schools, with the claims it may receive."""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.db import models
from oauth2_provider.models import (AbstractAccessToken, AbstractApplication, AbstractGrant, AbstractIDToken,
                                    AbstractRefreshToken, ApplicationManager)

from renrentong.accounts.models import Identity
from renrentong.orgs.models import Region, School


# The app the authorization page's request has read (integration.oidc.views.AuthorizeView), or None.
REQUEST_APP: ContextVar[App | None] = ContextVar("rrt_request_app", default=None)


class AppManager(ApplicationManager):
    def get(self, *args, **kwargs):
        # The toolkit reads the app by client_id up to three times a request of the authorization page (its
        # validation, its page, its form handling): the one that request read already is given back.
        app = REQUEST_APP.get()
        if app is not None and not args and kwargs.keys() == {"client_id"} and kwargs["client_id"] == app.client_id:
            return app
        return super().get(*args, **kwargs)


class App(AbstractApplication):
    """A registered relying party. Region-level row: `school_id` is always null (docs/scaling.md)."""

    objects = AppManager()

    school_id = models.BigIntegerField(null=True, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    # Empty: every school of the region and below; else only these.
    schools = models.ManyToManyField(School, blank=True, related_name="+")
    # The claims beyond `sub` the app may receive (integration.oidc.claims.CLAIMS).
    claims = models.JSONField(default=list, blank=True)
    # OpenID Connect Back-Channel Logout 1.0: where a logout at the platform is announced to the app.
    backchannel_logout_uri = models.URLField(max_length=512, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    # A suspended app signs nobody in and its tokens stop working; its registration stays.
    active = models.BooleanField(default=True)
    # The OneRoster REST scopes the app may ask for with its own credentials (client credentials, INT-3):
    # roster-core.readonly, roster.readonly, roster-demographics.readonly. Empty: sign-in only.
    roster_scopes = models.JSONField(default=list, blank=True)

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"

    def is_usable(self, request) -> bool:
        return self.active

    def allows_grant_type(self, *grant_types) -> bool:
        """Every app signs users in with a code; one granted roster scopes also reads rosters as itself."""
        return super().allows_grant_type(*grant_types) or (
            bool(self.roster_scopes) and self.GRANT_CLIENT_CREDENTIALS in grant_types)


class Grant(AbstractGrant):
    identity = models.ForeignKey(Identity, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    epoch = models.PositiveIntegerField(default=0)
    # When this browser session's login happened: the ID token's auth_time and max_age's measure.
    auth_time = models.DateTimeField(null=True, blank=True)
    # Kept once exchanged, so a second use of the code is recognised and what the first one got is revoked
    # (RFC 6749 4.1.2); the toolkit deletes it, and clear_expired removes it once expired.
    used_at = models.DateTimeField(null=True, blank=True)
    # The platform browser session that signed in (the ID token's `sid`): a logout there ends what it started.
    sid = models.CharField(max_length=32, blank=True)

    class Meta(AbstractGrant.Meta):
        swappable = "OAUTH2_PROVIDER_GRANT_MODEL"


class AccessToken(AbstractAccessToken):
    identity = models.ForeignKey(Identity, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    epoch = models.PositiveIntegerField(default=0)
    # The code it was exchanged for: a replayed code revokes it.
    grant = models.ForeignKey(Grant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sid = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta(AbstractAccessToken.Meta):
        swappable = "OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL"


class RefreshToken(AbstractRefreshToken):
    identity = models.ForeignKey(Identity, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    epoch = models.PositiveIntegerField(default=0)
    sid = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta(AbstractRefreshToken.Meta):
        swappable = "OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL"


class IDToken(AbstractIDToken):
    identity = models.ForeignKey(Identity, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    sid = models.CharField(max_length=32, blank=True)

    class Meta(AbstractIDToken.Meta):
        swappable = "OAUTH2_PROVIDER_ID_TOKEN_MODEL"


class Consent(models.Model):
    """What an account allowed an app on the consent page: to sign in as `identity`, with `scopes`, while the app
    was granted `claims`. A later sign-in that asks for no more, by an account whose one identity the app serves is
    still that one, gets its code without the page (selectors.remembered_identity), as a returning user expects.
    The user sees and withdraws it on the page of the apps they allowed (/my/apps/)."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="+")
    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="+")
    scopes = models.CharField(max_length=255)  # space-separated, as the toolkit keeps them
    claims = models.JSONField(default=list)
    allowed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "app"], name="one_consent_per_app")]


class LogoutDelivery(models.Model):
    """An OpenID Connect Back-Channel Logout announcement owed to an app: a platform session that signed in to it
    has ended (school computers are shared, so the app's session must end too). Sent by a task, retried with
    growing pauses until the app answers 200 or the tries run out (integration/logout.py)."""

    school_id = models.BigIntegerField(null=True, blank=True)  # the account's home school, for the figures
    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sid = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    gave_up_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=64, blank=True)


# A directory row the REST service may serve: not gone, and written by a refresh. An import keeps a package's
# sourcedIds in rows without columns (fingerprint 0) until the worker's next refresh of their school writes them.
LIVE = models.Q(gone_at__isnull=True) & ~models.Q(fingerprint=0)


class RosterId(models.Model):
    """The OneRoster directory (INT-2): the sourcedId each exported object goes by, kept so that it never changes
    and never derives from an ID number or account number (a random UUID, or the sourcedId an imported package
    gave it), and the last row each object was exported with, so that a delta says what changed since a date and
    a removed object is sent once more as `tobedeleted`.

    `kind` is the OneRoster file (users, classes ...), `local_key` names our object ("person:12", "class:7");
    `school_id` is the school the row belongs to (0: a region's or the platform's row), the school whose export
    notices when the object is gone (integration/oneroster/records.py)."""

    kind = models.CharField(max_length=20)
    local_key = models.CharField(max_length=64)
    sourced_id = models.CharField(max_length=64)
    school_id = models.BigIntegerField(default=0)
    fingerprint = models.BigIntegerField(default=0)
    row = models.JSONField(default=list)  # the columns after sourcedId, status and dateLastModified
    modified_at = models.DateTimeField()
    gone_at = models.DateTimeField(null=True, blank=True)
    # A roles row's userSourcedId (its row's first cell) as a column of its own, written with the row: the REST
    # service finds the users an app may see (a role at one of its schools) by index, not by reading every row.
    user_sourced_id = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "local_key"], name="one_roster_id_per_object"),
            models.UniqueConstraint(fields=["kind", "sourced_id"], name="one_object_per_roster_id"),
        ]
        indexes = [models.Index(fields=["school_id", "kind", "modified_at"], name="roster_id_changes"),
                   # roles rows only (the REST service's queries name the kind): the others have no user, and each
                   # import's directory COPY maintained an entry for every row of every kind
                   models.Index(fields=["kind", "user_sourced_id", "school_id"], name="roster_id_role_users",
                                condition=models.Q(gone_at__isnull=True, kind="roles")),
                   # the live objects of a kind by sourcedId, read from the index alone (PostgreSQL includes the id)
                   models.Index(fields=["kind", "sourced_id"], include=["id"], name="roster_id_live",
                                condition=LIVE)]


class RosterRefresh(models.Model):
    """When each school's OneRoster rows were last rebuilt (integration/oneroster/refresh.py): the REST service
    reads the directory, so the worker refreshes the schools in turn, longest ago first."""

    school_id = models.BigIntegerField(unique=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)


class RosterSnapshot(models.Model):
    """A school's part of the last bulk OneRoster package, as written, with what it was written from
    (integration/oneroster/snapshot.py): while the school's source rows and its directory rows are unchanged, a
    bulk export copies these lines instead of rebuilding them object by object. PostgreSQL only (the source
    digest is computed there). Never holds a national student number: packages that carry them neither keep nor
    use a snapshot."""

    school_id = models.BigIntegerField(unique=True)
    source_digest = models.CharField(max_length=64)
    taken_at = models.DateTimeField()
    people = models.JSONField(default=list)  # every person with a role at the school, sorted
    written = models.JSONField(default=list)  # those whose users row the school wrote (not an earlier school)
    row_ids = models.JSONField(default=list)  # the directory rows (RosterId pks) the lines were written from
    rows_digest = models.CharField(max_length=32, default="")  # of those rows' ids, sourcedIds and fingerprints
    counts = models.JSONField(default=list)  # [[file, bytes, lines], ...] in the order of `lines`
    lines = models.BinaryField(default=b"")
