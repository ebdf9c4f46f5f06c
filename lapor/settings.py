"""The one settings module. Every value that differs between machines comes from the
environment through the typed readers in ``lapor.environment``; defaults are safe (DEBUG off,
secure cookies when HTTPS is on). See README, section "Configuration".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from lapor.environment import env_bool, env_choice, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LAPOR_VAR_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")



def _from_var(name: str) -> str | None:
    """What `make run` / `make test` last wrote to var/ (the secret key it generated, the
    servers it used), so `manage.py …` works in a checkout after them without exports. The
    environment always wins; in production var/ holds none of these files."""
    path = VAR_DIR / name
    return path.read_text(encoding="utf-8").strip() or None if path.is_file() else None


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY") or _from_var("secret_key")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-development-key-only-used-with-DEBUG"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off. "
            "`make run` and `make test` set one for you."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Behind a TLS-terminating proxy in production: HTTPS=true turns on every transport protection
# that `manage.py check --deploy` asks for.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): everything from our own origin, nothing inline. The
# pages have no inline script or style (handlers and style attributes live in static/); a
# template that needs an inline <script> or <style> gives it nonce="{{ request.csp_nonce }}"
# (none does today). Swagger UI and Redoc set inline styles from their JavaScript and Redoc
# searches in a worker made from a blob: the API docs' pages alone get those exceptions
# (CSP_PATH_EXCEPTIONS); scripts are never allowed inline anywhere. Violations show in the
# browser's console (tests/browser/ fail on one).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # data: for Swagger UI's and the admin's small SVG icons
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "frame-src": [NONE],
    },
}
# Directives replaced under a path prefix (lapor/permissions_policy.py). Not the admin: Django's
# admin sets styles through the CSSOM only, which the policy allows. No nonce in these
# style-src: browsers ignore 'unsafe-inline' beside one.
CSP_PATH_EXCEPTIONS: dict[str, dict[str, list[str]]] = {
    "/api/docs/": {"style-src": [SELF, UNSAFE_INLINE]},
    "/api/redoc/": {"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]},
}
# The browser features a page may use: the filing form asks for the position (our origin only);
# no page uses the camera, the microphone or the rest (lapor/permissions_policy.py).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "geolocation": ["self"],
    "camera": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "serial": [],
    "bluetooth": [],
    "midi": [],
    "magnetometer": [],
    "gyroscope": [],
    "accelerometer": [],
    "display-capture": [],
    "browsing-topics": [],
}

INSTALLED_APPS = [
    "lapor.apps.LaporAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "treebeard",
    "axes",
    "rest_framework.authtoken",
    # The second factor of staff sign-in (agencies/two_factor.py): authenticator-app codes and
    # recovery codes, each device throttled after wrong codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "agencies",
    "complaints",
    "routing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy on every response, errors and
    # static files included (before WhiteNoise, which answers static files itself).
    "csp.middleware.CSPMiddleware",
    "lapor.permissions_policy.PermissionsPolicyMiddleware",
    "lapor.permissions_policy.PolicyExceptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session entered a second-factor code.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff pages ask for the second factor of whoever must use one and has not entered it in
    # this session, keeping what they were submitting (agencies/two_factor_gate.py).
    "agencies.two_factor_gate.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A domain error no view showed on its form: a page with the error's status and sentence.
    "lapor.page_errors.DomainErrorMiddleware",
    # Last, as django-axes requires: turns a lockout into our page with a clear message.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lapor.urls"
WSGI_APPLICATION = "lapor.wsgi.application"
ASGI_APPLICATION = "lapor.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agencies.context_processors.roles",
                "complaints.context_processors.notifications",
            ],
            "builtins": ["agencies.templatetags.lapor_time"],
        },
    },
]

# --- Database: PostgreSQL only (no SQLite path: one engine everywhere) ---------------------
DATABASE_URL = env_str("DATABASE_URL") or _from_var("database_url")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use `make run` / `make test`, which start an embedded "
        "PostgreSQL when it is missing, or point it at a server, e.g. "
        "postgres://postgres@127.0.0.1:5432/lapor"
    )
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://…).")
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
    "DATABASE_CONNECT_TIMEOUT", 5
)
# Behind PgBouncer in transaction pooling mode a server-side cursor cannot outlive its
# transaction: set DATABASE_DISABLE_SERVER_SIDE_CURSORS=true there (Django's documented advice).
# It also stops lapor.prepared from keeping prepared statements on a session.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS", False
)
DATABASES["default"]["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME", None)}
# A streaming read replica of the primary: anonymous visitors' reads of the public pages go
# there (lapor/db_router.py); everything else stays on the primary. Unset: one database.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL") or None
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    )
    if not DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must point at PostgreSQL (postgres://…).")
    # The primary's options (connect_timeout), unless the replica's URL says otherwise.
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["default"]["OPTIONS"], **DATABASES["replica"].get("OPTIONS", {})
    }
    DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = DATABASES["default"][
        "DISABLE_SERVER_SIDE_CURSORS"
    ]
    # Tests use the primary's test database through this alias (no second database to create).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["lapor.db_router.PublicReadsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, Celery broker and results ------------------------------------------------
REDIS_URL = env_str("REDIS_URL") or _from_var("redis_url") or ""
if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL is not set. Use `make run` / `make test`, which start an embedded Redis "
        "when it is missing, or point it at a server, e.g. redis://127.0.0.1:6379/0"
    )
# Every Redis call is bounded (README, "Running at national scale"): a Redis that accepts and
# never answers costs a request at most these many seconds per call, never a hung worker. The
# cache holds only rate-limit counters, so it is asked with the shortest timeout; the broker
# is asked once per published task (after commit: the outbox and the sweeps catch up on what
# could not be queued), and the direct client (heartbeat, /health/) once per check.
REDIS_CACHE_CONNECT_TIMEOUT = env_float("REDIS_CACHE_CONNECT_TIMEOUT", 0.5)
REDIS_CACHE_SOCKET_TIMEOUT = env_float("REDIS_CACHE_SOCKET_TIMEOUT", 0.5)
REDIS_BROKER_CONNECT_TIMEOUT = env_float("REDIS_BROKER_CONNECT_TIMEOUT", 1.0)
REDIS_BROKER_SOCKET_TIMEOUT = env_float("REDIS_BROKER_SOCKET_TIMEOUT", 1.0)
REDIS_CLIENT_TIMEOUT = env_float("REDIS_CLIENT_TIMEOUT", 1.0)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "lapor") or "lapor",
        "OPTIONS": {
            "socket_connect_timeout": REDIS_CACHE_CONNECT_TIMEOUT,
            "socket_timeout": REDIS_CACHE_SOCKET_TIMEOUT,
        },
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_BROKER_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_BROKER_SOCKET_TIMEOUT,
    "max_retries": 0,  # publishing: one connection attempt, no retry loop
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_BROKER_CONNECT_TIMEOUT
# A result backend on Redis (none is configured) would be bounded the same way.
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_BROKER_CONNECT_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_BROKER_SOCKET_TIMEOUT
# One try to publish, no retry loop inside a request: whatever is published after commit is
# also kept in the database (the email outbox, webhook deliveries, export jobs) and a beat
# sweep re-sends it once the broker is back.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Jakarta"
CELERY_IMPORTS = ["lapor.tasks"]
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# The heartbeat proves that beat schedules and a worker executes; /health/ reads it.
HEARTBEAT_INTERVAL_SECONDS = env_int("HEARTBEAT_INTERVAL_SECONDS", 15)
HEARTBEAT_STALE_AFTER_SECONDS = env_int("HEARTBEAT_STALE_AFTER_SECONDS", 90)
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "lapor.tasks.heartbeat",
        "schedule": float(HEARTBEAT_INTERVAL_SECONDS),
        "options": {"expires": float(HEARTBEAT_INTERVAL_SECONDS)},
    },
    "purge-old-exports": {"task": "routing.purge_old_exports", "schedule": 24 * 3600.0},
    "purge-kept-submissions": {
        "task": "lapor.tasks.purge_kept_submissions", "schedule": 24 * 3600.0,
    },
    # The deadline sweep, every minute; tasks expire so a backlog after downtime does not
    # pile up copies (one sweep catches up on everything due).
    "enforce-deadlines": {
        "task": "routing.enforce_deadlines", "schedule": 60.0, "options": {"expires": 55.0},
    },
    # Postponed (Tunda) reports back in the verification queue on their date.
    "return-postponed": {
        "task": "routing.return_postponed", "schedule": 60.0, "options": {"expires": 55.0},
    },
    "deliver-webhooks": {
        "task": "routing.deliver_webhooks", "schedule": 60.0, "options": {"expires": 55.0},
    },
    # The email outbox: every due row, and rows a stopped worker left half-sent.
    "deliver-emails": {
        "task": "complaints.deliver_emails", "schedule": 60.0, "options": {"expires": 55.0},
    },
    # Uploads not yet cleaned: the broker lost their task, or their worker stopped.
    "sweep-attachments": {
        "task": "complaints.sweep_attachments", "schedule": 60.0, "options": {"expires": 55.0},
    },
    # Export jobs whose worker stopped (no heartbeat) are queued again or marked failed.
    "reclaim-exports": {
        "task": "routing.reclaim_stale_exports", "schedule": 60.0, "options": {"expires": 55.0},
    },
    # "Sudah tuntas?": ask the citizens whose final answer is old enough, once.
    "ask-solved": {
        "task": "complaints.ask_solved", "schedule": 3600.0, "options": {"expires": 3500.0},
    },
    # The statistics' rollups: the days touched since the last run, recomputed.
    "refresh-statistics": {
        "task": "routing.refresh_statistics", "schedule": 600.0, "options": {"expires": 590.0},
    },
    "overdue-digest": {
        "task": "routing.send_overdue_digest", "schedule": crontab(hour=7, minute=0),
    },
    # The day's open data set (/data-terbuka/), after the night's quiet hours; a second run
    # the same day does nothing.
    "build-open-data": {
        "task": "routing.build_open_data", "schedule": crontab(hour=1, minute=30),
        "options": {"expires": 6 * 3600.0},
    },
    # The learned routing suggestion, retrained nightly on the newest verified dispositions.
    "train-routing-model": {
        "task": "routing.train_routing_model", "schedule": crontab(hour=2, minute=30),
        "options": {"expires": 6 * 3600.0},
    },
    # The email alerts' digest: new public reports since each address's last (once a day).
    "alert-digests": {
        "task": "complaints.send_alert_digests", "schedule": crontab(hour=6, minute=0),
    },
}
# How many of the newest verified dispositions the learned routing suggestion trains on
# (250,000: about 2 minutes end to end and 1.5 GB at peak on 2 cores, benchmarks/NOTES.md).
ROUTING_MODEL_MAX_ROWS = env_int("ROUTING_MODEL_MAX_ROWS", 200_000)
# The Ombudsman's case system: escalations are posted there, signed with HMAC-SHA256 under a
# secret of their own, shared with the receiver. Never SECRET_KEY: whoever checks a signature
# made with it could also forge our sessions and password-reset links.
OMBUDSMAN_WEBHOOK_URL = (env_str("OMBUDSMAN_WEBHOOK_URL", "") or "").strip()
OMBUDSMAN_WEBHOOK_SECRET = (env_str("OMBUDSMAN_WEBHOOK_SECRET", "") or "").strip()
if OMBUDSMAN_WEBHOOK_URL and not OMBUDSMAN_WEBHOOK_SECRET:
    raise ImproperlyConfigured(
        "OMBUDSMAN_WEBHOOK_URL is set, so OMBUDSMAN_WEBHOOK_SECRET (or "
        "OMBUDSMAN_WEBHOOK_SECRET_FILE), the key shared with the receiver to sign its webhooks, "
        "must be set too."
    )
if OMBUDSMAN_WEBHOOK_URL and OMBUDSMAN_WEBHOOK_SECRET == SECRET_KEY:
    raise ImproperlyConfigured(
        "OMBUDSMAN_WEBHOOK_SECRET must differ from SECRET_KEY: the receiver of "
        "OMBUDSMAN_WEBHOOK_URL gets the webhook secret, never the key of our sessions."
    )
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 20)
# The email outbox (complaints.outbox): attempts before a row is given up (about 3 days of
# back-off), and how long a claimed row may stay "sending" before the sweep sends it again.
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 20)
EMAIL_CLAIM_TIMEOUT_SECONDS = env_int("EMAIL_CLAIM_TIMEOUT_SECONDS", 600)
# A process asks a worker to send its new rows at most once per this many seconds: the task
# runs that long after it is published and sends every due row, so the rows this process
# commits meanwhile go with it (one task per burst, not one per filing). 0: a task per commit.
EMAIL_KICK_SECONDS = env_float("EMAIL_KICK_SECONDS", 1.0)
# Uploads are cleaned by a task; one still waiting this long after upload (or after its last
# try started) is cleaned by the beat sweep; after ATTACHMENT_MAX_ATTEMPTS tries it is refused.
ATTACHMENT_STALE_SECONDS = env_int("ATTACHMENT_STALE_SECONDS", 120)
ATTACHMENT_MAX_ATTEMPTS = env_int("ATTACHMENT_MAX_ATTEMPTS", 3)
# Queue exports hold personal data: their files are deleted after this many days.
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7)
# The daily open data set (routing.opendata_files): its folder (a shared volume when there
# are several hosts: every web process serves it) and how many days are kept.
OPEN_DATA_DIR = Path(env_str("OPEN_DATA_DIR", str(VAR_DIR / "open-data")) or VAR_DIR / "open-data")
OPEN_DATA_KEEP_DAYS = env_int("OPEN_DATA_KEEP_DAYS", 30)
# "Sudah tuntas?": how many days after a final answer the citizen is asked, once, whether the
# problem was really solved (complaints.services.solved).
SOLVED_CHECK_AFTER_DAYS = env_int("SOLVED_CHECK_AFTER_DAYS", 7)
# A running export's worker writes a heartbeat at least this often; a job whose heartbeat is
# older than EXPORT_STALE_AFTER_SECONDS lost its worker and is queued again (at most
# EXPORT_MAX_ATTEMPTS builds in all, then failed with a reason shown to its requester). A
# pending job never picked up within EXPORT_STALE_AFTER_SECONDS (the broker was down) is
# queued again too.
EXPORT_HEARTBEAT_SECONDS = env_int("EXPORT_HEARTBEAT_SECONDS", 10)
EXPORT_STALE_AFTER_SECONDS = env_int("EXPORT_STALE_AFTER_SECONDS", 120)
EXPORT_MAX_ATTEMPTS = env_int("EXPORT_MAX_ATTEMPTS", 3)
# Per person: at most EXPORT_LIMIT_PER_HOUR exports requested in an hour, and at most
# EXPORT_LIMIT_ACTIVE waiting or being built at once (counted in PostgreSQL, not Redis).
EXPORT_LIMIT_PER_HOUR = env_int("EXPORT_LIMIT_PER_HOUR", 10)
EXPORT_LIMIT_ACTIVE = env_int("EXPORT_LIMIT_ACTIVE", 2)

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # counts failures, refuses a locked-out login
    "django.contrib.auth.backends.ModelBackend",
]
# Brute-force lockout: 5 failed logins for one account from one address lock that pair for
# 15 minutes; the page says so in the user's language (templates/accounts/locked_out.html).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Second factor (django-otp): the name an authenticator app shows; a wrong code makes the next
# try wait 1, 2, 4, 8 … seconds (factor × 2^(failures-1)), per device.
OTP_TOTP_ISSUER = "LAPOR!"
OTP_TOTP_THROTTLE_FACTOR = env_int("OTP_TOTP_THROTTLE_FACTOR", 1)
OTP_STATIC_THROTTLE_FACTOR = env_int("OTP_STATIC_THROTTLE_FACTOR", 1)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset or confirmation link lives one day
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", HTTPS)
# Per-action overrides of complaints.rate_limits.DEFAULT_LIMITS, e.g. in tests.
RATE_LIMITS: dict[str, dict[str, tuple[int, int]]] = {}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "id"
# Each language is offered under its own name.
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date and time format per language (lapor/formats/<language>/formats.py): templates use
# the named formats ("SHORT_DATETIME_FORMAT") or the |when filter, never a format of their own.
FORMAT_MODULE_PATH = ["lapor.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files: served by the app itself, no CDN -----------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")) or VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")) or VAR_DIR / "media")
# Attachments and exports: a folder (one host, or a shared volume) or, with several hosts, an
# S3-compatible bucket. Either way they are private: read only through the storage API by the
# views that check who may see them (complaints/views/files.py, routing/views/exports.py).
MEDIA_STORAGE = env_choice("MEDIA_STORAGE", ("filesystem", "s3"), "filesystem")
MEDIA_BACKEND: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if MEDIA_STORAGE == "s3":
    AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME") or None
    if not AWS_STORAGE_BUCKET_NAME:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    _s3: dict[str, Any] = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,  # MinIO, Ceph, a cloud's S3
        "region_name": env_str("AWS_S3_REGION_NAME") or None,
        "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE") or None,  # "path" for MinIO
        "location": env_str("AWS_LOCATION", "") or "",  # a prefix inside the bucket
        # Private: objects get no ACL (the bucket's own, which must not be public), no custom
        # domain, and a URL, should anything ever ask for one, is signed and short-lived.
        "default_acl": None,
        "custom_domain": None,
        "querystring_auth": True,
        "querystring_expire": 300,
        # Names are random, but never let one upload replace another.
        "file_overwrite": False,
        # A file being served is buffered in memory up to 2 MB, on local disk beyond.
        "max_memory_size": 2 * 1024 * 1024,
    }
    # Keys (may come from *_FILE); without them boto3 uses its own chain (instance role, …).
    for _option, _variable in (
        ("access_key", "AWS_ACCESS_KEY_ID"), ("secret_key", "AWS_SECRET_ACCESS_KEY")
    ):
        if _value := env_str(_variable):
            _s3[_option] = _value
    MEDIA_BACKEND = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3}
STORAGES = {
    "default": MEDIA_BACKEND,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an API client without credentials gets 401 with WWW-Authenticate.
        # Both refuse (401, like any credentials that are not enough) a person who must sign
        # in with a second factor and whose token or session did not enter one
        # (agencies/two_factor_api.py).
        "agencies.two_factor_api.SecondFactorTokenAuthentication",
        "agencies.two_factor_api.SecondFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # DRF's parsers, with JSON nested beyond a sane depth refused as a 400 (lapor/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "lapor.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_PAGINATION_CLASS": "lapor.pagination.PageNumberPagination",
    # drf-spectacular's, documenting on every operation the refusals it may answer.
    "DEFAULT_SCHEMA_CLASS": "lapor.api_schema.AutoSchema",
    # Domain errors (lapor.errors) become responses with their own status, in one place.
    "EXCEPTION_HANDLER": "lapor.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LAPOR API",
    "DESCRIPTION": "Layanan Aspirasi dan Pengaduan Online Rakyat — API v1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Two enums share the field name "kind"; give each its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "ReportKindEnum": "complaints.models.ReportKind",
        "BodyKindEnum": "agencies.models.Body.Kind",
        "ReportStatusEnum": "complaints.models.ReportStatus",
        "EventKindEnum": "complaints.models.EventKind",
        "ChannelEnum": "complaints.models.Channel",
        "AttachmentStateEnum": "complaints.models.AttachmentState",
        "ExportStateEnum": "routing.models.ExportJob.State",
    },
}

# --- Email ------------------------------------------------------------------------------
EMAIL_BACKEND = (
    env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    or "django.core.mail.backends.console.EmailBackend"
)
# The address people reach the portal at: every link in an email starts with it. `make run`
# derives it from HOST/PORT and `make test` sets one; in production it must be set.
SITE_URL = (env_str("SITE_URL") or _from_var("site_url") or "").rstrip("/")
if not SITE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SITE_URL (the portal's public address for links in emails, e.g. "
            "https://lapor.example.go.id) must be set when DEBUG is off; `make run` and "
            "`make test` set one for you."
        )
    SITE_URL = "http://127.0.0.1:8000"
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL={SITE_URL!r} must start with http:// or https://.")
# Where the file backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend)
# writes each message: a local trial, the load test's worker.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "LAPOR <no-reply@lapor.localhost>")

# --- Logging: to stderr, one line per event ----------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env_str("LOG_LEVEL", "INFO") or "INFO"},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},  # qpdf's notes on each PDF it repairs
    },
}
