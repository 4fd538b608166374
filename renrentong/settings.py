"""Settings, read from the environment so one build runs in development, CI and production.

DATABASE_URL  default: an embedded SQLite file in var/
REDIS_URL     when set, cache, sessions and the task queue use Redis (rate limits and quotas count in the database)
SECRET_KEY    required when DEBUG is off
RRT_DATA_KEYS "kid:base64key[,kid:base64key...]" AES-256-GCM keys for ID numbers; the first encrypts
RRT_LOOKUP_KEY base64 key for the HMAC that makes ID numbers and initial passwords searchable
RRT_AUDIT_SEAL_KEY base64 Ed25519 seed that signs the audit log's chain heads daily (docs/operations.md)
Transport and headers (docs/operations.md): RRT_SECURE_COOKIES, RRT_HSTS_SECONDS, RRT_HSTS_PRELOAD,
RRT_SSL_REDIRECT, RRT_TRUST_X_FORWARDED_PROTO, RRT_TRUSTED_PROXIES, RRT_CSP, RRT_CSP_REPORT_ONLY; and
RRT_SMS_OUTBOX_ALLOWED.
Uploaded files (docs/uploads.md): RRT_S3_BUCKET, RRT_S3_ENDPOINT, RRT_S3_ACCESS_KEY_ID, RRT_S3_SECRET_ACCESS_KEY,
RRT_S3_REGION, RRT_S3_ADDRESSING_STYLE, RRT_S3_PREFIX; without RRT_S3_BUCKET files are kept under VAR_DIR/files.
OpenID Connect provider (docs/oidc.md): RRT_OIDC_ISSUER (the public https origin), RRT_OIDC_KEY_DIR (the signing keys,
one PEM per key; `manage.py oidc_keys rotate` adds one).
"""

import base64
import hashlib
import os
import urllib.parse
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("RRT_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Spooled import uploads and finished exports, named by job id. pytest-xdist workers (gw0, gw1, ...) each have
# their own test database, so their job ids collide: each gets its own folders (processes a test starts inherit
# the variable).
_SPOOL_SUFFIX = "-" + os.environ["PYTEST_XDIST_WORKER"] if os.environ.get("PYTEST_XDIST_WORKER", "").startswith(
    "gw") else ""
IMPORT_UPLOAD_DIR = VAR_DIR / f"uploads{_SPOOL_SUFFIX}"
EXPORT_DIR = VAR_DIR / f"exports{_SPOOL_SUFFIX}"

DEBUG = os.environ.get("DEBUG", "1") == "1"
_DEV_SECRET = "dev-only-secret-not-for-production-use-renrentong"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]


def _dev_key(label: str) -> str:
    # Development keys are derived from the dev secret so `make run` works without setup;
    # production sets its own keys (see docs/operations.md).
    return base64.b64encode(hashlib.sha256(f"{SECRET_KEY}:{label}".encode()).digest()).decode()


RRT_DATA_KEYS = os.environ.get("RRT_DATA_KEYS", f"dev1:{_dev_key('data')}")
RRT_LOOKUP_KEY = os.environ.get("RRT_LOOKUP_KEY", _dev_key("lookup"))
# The Ed25519 seed (base64, 32 bytes) that signs the audit chains' heads each day (core.auditchain): kept
# outside the database so that whoever can rewrite the database cannot re-sign what they rewrote.
RRT_AUDIT_SEAL_KEY = os.environ.get("RRT_AUDIT_SEAL_KEY", _dev_key("audit-seal"))



def _flag(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0") == "1"


# The development SMS outbox keeps codes on the server; with DEBUG=0 it refuses to send unless a demo
# server says so on purpose, and `check --deploy` fails on it (verification/apps.py).
RRT_SMS_OUTBOX_ALLOWED = _flag("RRT_SMS_OUTBOX_ALLOWED", DEBUG)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "renrentong.core",
    "renrentong.orgs",
    "renrentong.accounts",
    "renrentong.exports",
    "renrentong.schooladmin",
    "renrentong.rosters",
    "renrentong.verification",
    "renrentong.realname",
    "renrentong.rollover",
    "renrentong.keyinfo",
    "renrentong.auditlog",
    "renrentong.demo",
    "renrentong.uploads",
    "renrentong.push",
    "renrentong.wechat",
    "renrentong.notices",
    "renrentong.spaces",
    "renrentong.classgroups",
    "renrentong.evaluation",
    "renrentong.activities",
    "renrentong.resources",
    "renrentong.stats",
    "renrentong.home",
    "oauth2_provider",
    "renrentong.integration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files with content-hashed names, gzip variants and one-year immutable caching (docs/operations.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # After CSP, so that it sees the responses first: a page on an app's sign-in may lead to the app (INT-1).
    "renrentong.integration.oidc.formtarget.AppFormTargetMiddleware",
    "renrentong.core.replica.ReplicaReadsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "renrentong.core.web.locale.PlatformLocaleMiddleware",
    "renrentong.core.web.locale.ApiErrorShapeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "renrentong.accounts.login.middleware.ActorMiddleware",
    "renrentong.accounts.phones.middleware.PhoneBindingMiddleware",
    "renrentong.core.web.refusals.RefusalMiddleware",
]

ROOT_URLCONF = "renrentong.urls"
WSGI_APPLICATION = "renrentong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "renrentong" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "renrentong.home.context_processors.shell",
            ],
        },
    },
]
# Django forms render with one template pack (templates/forms/, issue 12).
FORM_RENDERER = "renrentong.core.web.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'renrentong.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
# A streaming replica (docs/operations.md, "Reads from a replica"): GET requests read there (core.replica).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"],
                                                 conn_max_age=DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# Behind PgBouncer in transaction mode (make cluster) a named cursor would outlive the transaction it was pooled
# for: Django's iterator() then reads in chunks from a client-side cursor instead.
if _flag("RRT_PGBOUNCER", False):
    for _alias in DATABASES:
        DATABASES[_alias]["DISABLE_SERVER_SIDE_CURSORS"] = True
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound on the server, and a query prepared once it has run five times on a connection: PostgreSQL
    # spent three times as long planning the OIDC sign-in's queries as running them (docs/benchmarks.md, "oidc").
    # Not behind PgBouncer in transaction mode, whose Debian 12 release (1.18) cannot carry prepared statements.
    for _alias in DATABASES:
        DATABASES[_alias].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
RRT_REPLICA_READS = bool(os.environ.get("DATABASE_REPLICA_URL"))
DATABASE_ROUTERS = ["renrentong.core.replica.ReplicaRouter"]
RRT_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("RRT_REPLICA_MAX_LAG_SECONDS", "2"))
RRT_REPLICA_RETRY_SECONDS = float(os.environ.get("RRT_REPLICA_RETRY_SECONDS", "5"))
RRT_READ_OWN_WRITES_SECONDS = int(os.environ.get("RRT_READ_OWN_WRITES_SECONDS", "5"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, for the test database: tests that kill a worker process need to share it.
    # One file per test run, so runs side by side never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw"):
    # Each test flushes the cache; pytest-xdist workers (gw0, gw1, ...) each get their own Redis database after
    # the one named, so one worker never flushes another's sessions. Processes a test starts inherit the variable.
    _redis = urllib.parse.urlsplit(REDIS_URL)
    _redis_db = int(_redis.path.strip("/") or 0) + 1 + int(os.environ["PYTEST_XDIST_WORKER"][2:])
    REDIS_URL = urllib.parse.urlunsplit(_redis._replace(path=f"/{_redis_db}"))
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    INSTALLED_APPS.append("django_rq")
else:
    # A database cache is shared by every process (web workers and the task worker), unlike
    # local memory, so rate limits hold across them.
    # MAX_ENTRIES is high because culling at the default 300 would drop rate-limit counters.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "rrt_cache",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# What `manage.py run_worker` runs every 30 seconds beside the queue (core/periodic.py): dotted paths of
# functions that take no argument and are safe to run at any time, from several processes at once.
PERIODIC_DUTIES = [
    "renrentong.rosters.services.resume_stalled",  # an import whose worker died runs again (issue 10, item 8)
    "renrentong.rosters.services.purge_old_rejected_originals",  # full cells of rejected rows: a month (NFR-1)
    "renrentong.exports.services.resume_stalled",  # an export whose worker died is written again (issue 12)
    "renrentong.exports.services.purge_expired",  # export files are kept 24 hours (issue 12, item 5)
    "renrentong.notices.services.release_due",  # scheduled notices go out; a dead fan-out resumes (issue 13)
    "renrentong.uploads.services.sweep_orphans",  # stored objects without a row, over a day old (issue 13)
    "renrentong.wechat.services.sweep_expired_scenes",  # binding QR scenes past their expiry (MSG-2)
    "renrentong.push.tasks.sweep_pushes",  # held pushes after quiet hours, dead workers' rows, due retries (MSG-4)
    "renrentong.stats.catchup.catch_up",  # usage figures from the day's events, at most minutes behind (STAT-1)
    "renrentong.core.auditchain.seal_if_due",  # the audit chains' heads signed once a day (issue 16, NFR-1)
    "renrentong.core.partitions.maintain_if_due",  # months made ahead and retired to the archive (issue 16)
    "renrentong.integration.tasks.sweep_logouts",  # back-channel logout announcements due again (INT-1)
    "renrentong.integration.oneroster.refresh.refresh_due",  # OneRoster rows the REST service reads (INT-3)
]
# How old a school's OneRoster rows may grow before the worker rebuilds them (integration/oneroster/refresh.py).
RRT_ONEROSTER_REFRESH_MINUTES = int(os.environ.get("RRT_ONEROSTER_REFRESH_MINUTES", "15"))
# MSG-4 push channels (docs/push.md): name -> dotted path of the class, loaded when first used; a region
# enables some of them by Policy.push_channels. The notices' "who has still not read it" for SMS:
RRT_PUSH_CHANNELS = {
    "outbox": "renrentong.push.outbox.OutboxChannel",
    "sms": "renrentong.push.sms.SmsChannel",
    "email": "renrentong.push.email.EmailChannel",
    "webpush": "renrentong.push.webpush.WebPushChannel",
    "wechat": "renrentong.wechat.channel.WeChatChannel",
}
# The WeChat API and OAuth hosts (docs/wechat.md); tests point them at a local fake of the API.
RRT_WECHAT_API = os.environ.get("RRT_WECHAT_API", "https://api.weixin.qq.com")
RRT_WECHAT_OPEN = os.environ.get("RRT_WECHAT_OPEN", "https://open.weixin.qq.com")
RRT_PUSH_SOURCES = {"notice": "renrentong.notices.push_hooks.still_unread",
                    "reminder": "renrentong.notices.push_hooks.still_unread_after_reminder"}
# The address readers open the platform at: pushes (WeChat, SMS, email) carry links to it.
RRT_PUBLIC_URL = os.environ.get("RRT_PUBLIC_URL", "http://127.0.0.1:8000")

AUTH_USER_MODEL = "accounts.Account"
AUTHENTICATION_BACKENDS = ["renrentong.accounts.login.backends.AccountBackend"]
# The second hasher is for OAuth client secrets only (integration/hashers.py): the toolkit checks them with
# check_password, which looks the algorithm up here; accounts' passwords are always made with the first.
PASSWORD_HASHERS = ["renrentong.accounts.passwords.hashers.PlatformArgon2Hasher",
                    "renrentong.integration.hashers.ClientSecretHasher"]
LOGIN_URL = "accounts:login"
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

# Transport security. Each defaults to on with DEBUG=0 and off in development (plain http on
# localhost), and each can be switched by the environment; docs/operations.md gives the production set.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _flag("RRT_SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("RRT_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("RRT_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _flag("RRT_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = _flag("RRT_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes speak plain http to the process itself
# Addresses (or networks) of our own reverse proxies: only a request from one of them has its client address taken
# from X-Forwarded-For (core.web.client). Empty by default: nobody's X-Forwarded-For is believed.
RRT_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("RRT_TRUSTED_PROXIES", "").split(",") if p.strip()]
if _flag("RRT_TRUST_X_FORWARDED_PROTO", False):
    # Only behind a proxy that overwrites this header; otherwise a client could claim https itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp), on everywhere by default, tests included, so a template that
# slips in an inline script fails in development rather than in production. Scripts come only from
# our static files. Style *attributes* are allowed (style-src-attr): the templates use them for layout
# and they cannot run code; <style> elements and stylesheets from elsewhere are not.
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "img-src": ["'self'", "data:"],  # data: for the authenticator QR code (accounts/second_factor.py)
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if _flag("RRT_CSP", True):
    if _flag("RRT_CSP_REPORT_ONLY", False):
        CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
    else:
        CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = None

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "renrentong" / "static"]
STATIC_ROOT = VAR_DIR / "static"
# With DEBUG off (production, the benchmarks) static files are collected (`manage.py collectstatic`) under
# content-hashed names with gzip variants, and WhiteNoise serves them with a one-year immutable Cache-Control.
# In development and tests the plain storage needs no collectstatic: runserver and live_server serve
# the source files, and WhiteNoise finds them through the finders.
# Uploaded files (SPC-4, docs/uploads.md): private objects, served only through signed links by
# renrentong.uploads (never by a public URL). On disk under VAR_DIR/files for `make run`; in production an
# S3-compatible store (django-storages) when RRT_S3_BUCKET is set.
FILES_DIR = VAR_DIR / "files"
if os.environ.get("RRT_S3_BUCKET"):
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["RRT_S3_BUCKET"],
            "endpoint_url": os.environ.get("RRT_S3_ENDPOINT") or None,
            "access_key": os.environ.get("RRT_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("RRT_S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("RRT_S3_REGION") or None,
            "addressing_style": os.environ.get("RRT_S3_ADDRESSING_STYLE", "path"),
            "default_acl": None,  # objects are private; the bucket's policy must not make them public
            "querystring_auth": True,
            "file_overwrite": False,
            "location": os.environ.get("RRT_S3_PREFIX", ""),
        },
    }
else:
    _DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(FILES_DIR), "base_url": None, "file_permissions_mode": 0o600,
                    "directory_permissions_mode": 0o700},
    }
STORAGES = {
    "default": _DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "renrentong.core.web.static.GzipManifestStaticFilesStorage"
        if _flag("RRT_STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = DEBUG


def _cache_hashed_for_a_year(headers, path, url):
    # WhiteNoise marks content-hashed names immutable with ten years; a year is the longest HTTP caches honour.
    if "immutable" in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = "max-age=31536000, public, immutable"


WHITENOISE_ADD_HEADERS_FUNCTION = _cache_hashed_for_a_year

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Request lines carry URLs only; ID numbers and phones never appear in URLs (NFR-1).
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


# OpenID Connect provider (INT-1, docs/oidc.md) on django-oauth-toolkit. Keys: one RSA PEM per file in
# RRT_OIDC_KEY_DIR, named by creation time; the newest signs, and a key is still published in the JWKS until
# every ID token it signed has expired (its successor is older than the ID token lifetime plus a margin).
OIDC_ID_TOKEN_SECONDS = 60 * 60
OIDC_KEY_DIR = Path(os.environ.get("RRT_OIDC_KEY_DIR", VAR_DIR / "oidc-keys"))


from renrentong.integration.keys import load_keys  # noqa: E402 (cryptography only, no Django models)

_OIDC_ACTIVE_KEY, _OIDC_INACTIVE_KEYS = load_keys(OIDC_KEY_DIR, OIDC_ID_TOKEN_SECONDS, create=DEBUG)
OAUTH2_PROVIDER_APPLICATION_MODEL = "integration.App"
OAUTH2_PROVIDER_GRANT_MODEL = "integration.Grant"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "integration.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "integration.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "integration.IDToken"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    # Explicit, never taken from the request's Host header (a forged Host would name another issuer).
    "OIDC_ISS_ENDPOINT": os.environ.get("RRT_OIDC_ISSUER", "http://127.0.0.1:8000").rstrip("/") + "/oauth",
    "OIDC_RSA_PRIVATE_KEY": _OIDC_ACTIVE_KEY,
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": _OIDC_INACTIVE_KEYS,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_SUBJECT_TYPES_SUPPORTED": ["pairwise"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    # Not every token of the user on every device: integration/logout.py ends what this session signed in to.
    "OIDC_RP_INITIATED_LOGOUT_DELETE_TOKENS": False,
    "OAUTH2_VALIDATOR_CLASS": "renrentong.integration.oidc.validator.Validator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Name, role, school and class",
               # OneRoster 1.2 rostering, read-only, for an app's own token (INT-3, docs/oneroster.md)
               "roster-core.readonly": "Rosters: orgs, sessions, courses, classes, users, enrollments",
               "roster.readonly": "Rosters, demographics included",
               "roster-demographics.readonly": "Students' birth dates and sex"},
    "DEFAULT_SCOPES": ["openid"],
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 60 * 60,
    "ID_TOKEN_EXPIRE_SECONDS": OIDC_ID_TOKEN_SECONDS,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 30 * 24 * 60 * 60,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REQUEST_APPROVAL_PROMPT": "force",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"] if not DEBUG else ["http", "https"],
    # Client secrets are 128 random characters: a keyed SHA-256 (microseconds) protects them as well as Argon2
    # would (nobody guesses 700 random bits), and the token endpoint is not held to the login's hash rate.
    "CLIENT_SECRET_HASHER": "rrt_client_secret",
    # RFC 9700 (OAuth 2.0 Security Best Current Practice), all enforced.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": not DEBUG,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "client_credentials", "refresh_token"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
}
