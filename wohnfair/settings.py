"""Settings for Wohnfair, read from environment variables (see .env.example)."""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from wohnfair.lib.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("WOHNFAIR_DATA_DIR", str(BASE_DIR / "var")))

WOHNFAIR_ENV = env_choice("WOHNFAIR_ENV", ("development", "production"), "development")
IS_PRODUCTION = WOHNFAIR_ENV == "production"

# Development runs with well-known keys so that `make run` works out of the box;
# production refuses to start without real ones (and a system check rejects these).
DEVELOPMENT_SECRET_KEY = "development-only-insecure-key-do-not-use-in-production-0000000000"  # noqa: S105
DEVELOPMENT_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQtb25seS1pbnNlY3VyZS1rZXktMDA="

SECRET_KEY = env_secret(
    "WOHNFAIR_SECRET_KEY", required=IS_PRODUCTION, fallback=DEVELOPMENT_SECRET_KEY
)
# Keys for encrypted fields, newest first; older keys stay readable for rotation.
# Deliberately separate from SECRET_KEY so that rotating one never breaks the other.
WOHNFAIR_ENCRYPTION_KEYS = env_list(
    "WOHNFAIR_ENCRYPTION_KEYS",
    None if IS_PRODUCTION else [DEVELOPMENT_ENCRYPTION_KEY],
)
if IS_PRODUCTION and not WOHNFAIR_ENCRYPTION_KEYS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("WOHNFAIR_ENCRYPTION_KEYS must be set when WOHNFAIR_ENV=production")

DEBUG = env_bool("WOHNFAIR_DEBUG", default=not IS_PRODUCTION)
ALLOWED_HOSTS = env_list(
    "WOHNFAIR_ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env_list("WOHNFAIR_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("WOHNFAIR_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "wohnfair",
    "wohnfair.accounts",
    "wohnfair.audit",
    "wohnfair.jobs",
    "wohnfair.cases",
    "wohnfair.intake",
    "wohnfair.monitoring",
    "wohnfair.website",
    "wohnfair.enquiries",
    "wohnfair.newsletter",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks_db",
    # The public website (wohnfair.website) runs on Wagtail.
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.routable_page",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.sitemaps",
]

if not env_str("DATABASE_URL"):
    # The embedded database of a fresh checkout: SQLite creates the file, not its folder.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
else:
    # Write transactions take the lock up front, so that concurrent writers wait
    # for each other instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # The Wagtail admin (/cms/) only gets a looser policy; see wohnfair/website/middleware.py.
    "wohnfair.website.middleware.CmsContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wohnfair.middleware.DatabaseUnavailableMiddleware",
    # Before sessions and authentication: a cached page costs no session or user lookup.
    "wohnfair.website.cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "wohnfair.accounts.middleware.SessionTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "wohnfair.accounts.middleware.ActiveOrganisationMiddleware",
    "wohnfair.accounts.middleware.AdminMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wohnfair.accounts.middleware.PrivateCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "wohnfair.urls"
WSGI_APPLICATION = "wohnfair.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wohnfair.accounts.context_processors.workspace",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# ASVS 5.0: at least 12 characters, at most 128, no composition rules,
# a check against common passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "wohnfair.accounts.passwords.MaximumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "staff:dashboard"
ACCOUNT_ADAPTER = "wohnfair.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Failed logins: at most 10 a minute from one address, 5 per account in 15 minutes;
# more than 30 login requests a minute from one address answer 429.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("WOHNFAIR_LOGIN_FAILED_LIMIT", "10/m/ip,5/15m/key"),
    "login": "30/m/ip",
}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Wohnfair] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Wohnfair"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not IS_PRODUCTION
USERSESSIONS_TRACK_ACTIVITY = False

# Staff must use a second factor in production; the demo does not ask for it.
WOHNFAIR_REQUIRE_MFA = env_bool("WOHNFAIR_REQUIRE_MFA", default=IS_PRODUCTION)
WOHNFAIR_SESSION_IDLE_MINUTES = env_int("WOHNFAIR_SESSION_IDLE_MINUTES", 30)
WOHNFAIR_SESSION_MAX_HOURS = env_int("WOHNFAIR_SESSION_MAX_HOURS", 10)
WOHNFAIR_INVITATION_DAYS = 7
# Uploads to case files: size limit in megabytes.
WOHNFAIR_MAX_UPLOAD_MB = env_int("WOHNFAIR_MAX_UPLOAD_MB", 20)
# Salt of the slow hash of receipt codes: a secret outside the database makes a stolen
# database useless for guessing codes (see intake/receipts.py). Set it once, before the
# first report; a change makes every existing receipt code unusable.
DEVELOPMENT_RECEIPT_SALT = "wohnfair-receipts"
WOHNFAIR_RECEIPT_SALT = env_str("WOHNFAIR_RECEIPT_SALT") or DEVELOPMENT_RECEIPT_SALT
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = WOHNFAIR_SESSION_MAX_HOURS * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = IS_PRODUCTION
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = IS_PRODUCTION
CSRF_FAILURE_VIEW = "wohnfair.views.csrf_failure"

# Shared by every web process and worker: rate limits and caches must not live
# in one process's memory.
# Django culls a database cache beyond MAX_ENTRIES by deleting arbitrary keys;
# the limits here are far above what hourly pruning (jobs.prune_expired_cache_entries)
# leaves, so rate-limit counters are never dropped under load.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wohnfair_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
    # One-time state that must not vanish early: used proof-of-work challenges,
    # receipt codes waiting to be shown once, one-time message tokens.
    "onetime": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wohnfair_onetime",
        "OPTIONS": {"MAX_ENTRIES": 1_000_000},
    },
    # Rendered public pages for anonymous visitors (wohnfair.website.cache); a table of
    # its own, so that many pages never cull rate-limit counters of the default cache.
    "website": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wohnfair_website_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}
# Anonymous page cache: on/off, how long an entry lives on the server, and how long
# browsers may keep a page (short: publishing empties the server cache at once,
# not browsers').
# Statistics read whole months from a summary kept current by the case models' signals;
# off: every figure is counted live from the case tables.
WOHNFAIR_STATISTICS_SUMMARY = env_bool("WOHNFAIR_STATISTICS_SUMMARY", default=True)
WOHNFAIR_PAGE_CACHE = env_bool("WOHNFAIR_PAGE_CACHE", default=True)
WOHNFAIR_PAGE_CACHE_ALIAS = "website"
WOHNFAIR_PAGE_CACHE_SECONDS = env_int("WOHNFAIR_PAGE_CACHE_SECONDS", 600)
WOHNFAIR_PAGE_CACHE_MAX_AGE = env_int("WOHNFAIR_PAGE_CACHE_MAX_AGE", 60)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", _("Deutsch")),
    ("en", _("Englisch")),
    ("tr", _("Türkisch")),
    ("ar", _("Arabisch")),
]
LANGUAGES_BIDI = ["ar"]
# Overrides first: Django texts that an installed app translates differently.
LOCALE_PATHS = [BASE_DIR / "wohnfair" / "locale_overrides", BASE_DIR / "wohnfair" / "locale"]
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = IS_PRODUCTION
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Website search: the database's own full-text search (PostgreSQL with German
# stemming; SQLite FTS5, where SEARCH_CONFIG is not used).
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        "SEARCH_CONFIG": "german",
    }
}

# The public website (Wagtail). Pages exist per language as translated copies.
WAGTAIL_SITE_NAME = env_str("WOHNFAIR_WEBSITE_NAME", "Wohnfair")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch"), ("en", "English")]
# Editors sign in through the staff login (throttled, second factor), never through
# Wagtail's own login forms (see wohnfair/website/serve_urls.py and wohnfair/urls.py).
WAGTAILADMIN_LOGIN_URL = "/konto/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/konto/login/"
# No requests to third parties from the admin either.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILIMAGES_MAX_UPLOAD_SIZE = WOHNFAIR_MAX_UPLOAD_MB * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "txt"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Security headers. Scripts only from this host or with the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("WOHNFAIR_SSL_REDIRECT", default=IS_PRODUCTION)
SECURE_HSTS_SECONDS = 31536000 if IS_PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = IS_PRODUCTION
SECURE_HSTS_PRELOAD = IS_PRODUCTION
if env_bool("WOHNFAIR_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

_email_backend = env_str(
    "WOHNFAIR_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _email_backend,
        "OPTIONS": {
            "host": env_str("WOHNFAIR_EMAIL_HOST", "localhost"),
            "port": env_int("WOHNFAIR_EMAIL_PORT", 587),
            "username": env_str("WOHNFAIR_EMAIL_USER"),
            "password": env_str("WOHNFAIR_EMAIL_PASSWORD"),
            "use_tls": env_bool("WOHNFAIR_EMAIL_TLS", default=True),
        }
        if _email_backend.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("WOHNFAIR_FROM_EMAIL", "Wohnfair <no-reply@wohnfair.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("WOHNFAIR_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # PDF rendering reports every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Periodic jobs, enqueued by `manage.py run_scheduler` and run by `manage.py db_worker`.
WOHNFAIR_PERIODIC_JOBS: dict[str, dict[str, str | int]] = {
    "clear_expired_sessions": {
        "task": "wohnfair.jobs.tasks.clear_expired_sessions",
        "every_minutes": 60,
    },
    "anonymise_expired_cases": {
        "task": "wohnfair.cases.tasks.anonymise_expired_cases",
        "every_minutes": 24 * 60,
    },
    "send_deadline_reminders": {
        "task": "wohnfair.cases.tasks.send_deadline_reminders",
        "every_minutes": 60,
    },
    "delete_orphaned_document_files": {
        "task": "wohnfair.cases.tasks.delete_orphaned_document_files",
        "every_minutes": 24 * 60,
    },
    "delete_orphaned_report_files": {
        "task": "wohnfair.intake.tasks.delete_orphaned_report_files",
        "every_minutes": 24 * 60,
    },
    "prune_expired_cache_entries": {
        "task": "wohnfair.jobs.tasks.prune_expired_cache_entries",
        "every_minutes": 60,
    },
    "publish_scheduled_pages": {
        "task": "wohnfair.website.tasks.publish_scheduled_pages",
        "every_minutes": 5,
    },
    "prune_finished_jobs": {
        "task": "wohnfair.jobs.tasks.prune_finished_jobs",
        "every_minutes": 24 * 60,
    },
    # The statistics summary (monitoring.summary): months that changes marked stale are
    # rebuilt in the background within a minute (a read before that rebuilds them itself) ...
    "refresh_statistics": {
        "task": "wohnfair.monitoring.tasks.refresh_statistics",
        "every_minutes": 1,
    },
    # ... and every night every month, the safety net for writes that bypassed the signals.
    "rebuild_statistics": {
        "task": "wohnfair.monitoring.tasks.rebuild_statistics",
        "every_minutes": 24 * 60,
    },
    "delete_expired_enquiries": {
        "task": "wohnfair.enquiries.tasks.delete_expired_enquiries",
        "every_minutes": 24 * 60,
    },
    "delete_expired_newsletter_signups": {
        "task": "wohnfair.newsletter.tasks.delete_expired_signups",
        "every_minutes": 24 * 60,
    },
}
