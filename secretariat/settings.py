"""Settings for the secretariat CMS, read from environment variables.

The defaults give a local demo on SQLite with DEBUG on. Production sets at least
``SECRET_KEY``, ``DEBUG=false``, ``ALLOWED_HOSTS`` and ``DATABASE_URL`` (see README).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_seconds(name: str, default: str) -> float:
    value = os.environ.get(name) or default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if not 0 <= seconds < float("inf"):  # also refuses nan
        raise ImproperlyConfigured(f"{name} must be a number of seconds, not {value!r}.")
    return seconds


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-demo-key-never-use-in-production"  # noqa: S105

# With DEBUG on and no list, Django accepts localhost, 127.0.0.1 and [::1].
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # before django.contrib.admin, so its admin patches apply
    "django.contrib.admin",
    "django.contrib.auth",
    "secretariat.apps.SignInThrottlingConfig",  # django-axes: locks an account or an address after repeated failures
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # full-text search on PostgreSQL; harmless on SQLite
    "django.contrib.sitemaps",  # sitemap.xml (archive.open.sitemaps)
    "django_filters",
    "ninja",  # the open-data API (archive.open.api); its Swagger UI served from its own static files
    "corsheaders",  # CORS headers on the API
    "nested_admin",
    "reversion",
    "django_prose_editor",
    # The layers, each building on the one below: archive → dialogue → editorial.
    "editorial",
    "dialogue",
    "archive",
]

MIDDLEWARE = [
    # /healthz and /readyz for the load balancer: answered before anything else (no host check,
    # no HTTPS redirect, no session, no cache).
    "editorial.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads the path, the query string or the cookies: see its docstring.
    "secretariat.middleware.HostileInputMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # answers the API's preflight requests; only /api/ (CORS_URLS_REGEX)
    # Which database this request reads from: a replica for anonymous public reads (editorial.routing).
    "editorial.routing.DatabaseRoutingMiddleware",
    # Anonymous public pages from the cache: a hit skips everything below (editorial.pagecache).
    "editorial.pagecache.PageCacheMiddleware",
    # Django's, but a cookie naming no live session never starts a new one (secretariat.middleware).
    "secretariat.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the “too many attempts” page
]

if not DEBUG:
    # In production WhiteNoise serves the collected static files; in DEBUG, runserver does.
    security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
    MIDDLEWARE.insert(security + 1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "secretariat.urls"
WSGI_APPLICATION = "secretariat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "secretariat.context_processors.site",
            ],
        },
    },
]

# SQLite is the embedded default; production and CI name PostgreSQL in DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}


def replica_database(url: str) -> dict:
    """A streaming replica of the primary, read by anonymous public pages (editorial.routing)."""
    database = dj_database_url.parse(
        url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")), conn_health_checks=True
    )
    if database["ENGINE"] != "django.db.backends.postgresql" or DATABASES["default"]["ENGINE"] != database["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS names PostgreSQL replicas of a PostgreSQL DATABASE_URL.")
    # A replica that cannot be reached is skipped: give up connecting after 2 s (libpq's shortest).
    database["OPTIONS"] = {**database.get("OPTIONS", {}), "connect_timeout": 2}
    # Tests run in one transaction on the primary: there the replica is the primary's test database.
    database["TEST"] = {"MIRROR": "default"}
    return database


# Streaming replicas of the primary (PostgreSQL only), comma-separated: anonymous public pages read
# from a healthy one; the admin, staff, writes and the reads of a transaction that writes use the
# primary (editorial.routing). A replica further behind than DATABASE_REPLICA_MAX_LAG seconds, or
# down, is skipped. After a save, its author reads from the primary for
# DATABASE_READ_YOUR_WRITES_SECONDS, longer than a replica may lag.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    DATABASES[f"replica_{number}"] = replica_database(url)
    DATABASE_REPLICAS.append(f"replica_{number}")
DATABASE_ROUTERS = ["editorial.routing.ReplicaRouter"]
DATABASE_REPLICA_MAX_LAG = env_seconds("DATABASE_REPLICA_MAX_LAG", "5")
DATABASE_REPLICA_CHECK_SECONDS = env_seconds("DATABASE_REPLICA_CHECK_SECONDS", "1")
DATABASE_READ_YOUR_WRITES_SECONDS = env_seconds("DATABASE_READ_YOUR_WRITES_SECONDS", "10")
if DATABASE_READ_YOUR_WRITES_SECONDS < DATABASE_REPLICA_MAX_LAG:
    raise ImproperlyConfigured(
        "DATABASE_READ_YOUR_WRITES_SECONDS must be at least DATABASE_REPLICA_MAX_LAG: an author would otherwise "
        "read from a replica that may not have their save yet."
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict:
    """Django's cache settings from ``CACHE_URL``: redis://…, locmem://, dummy:// (no caching).

    Redis goes through ``editorial.cache.FailSafeRedisCache``: Django's backend, which raises when
    Redis is down, made to answer a miss instead (and log a warning), with short timeouts.
    """
    if not url or url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "secretariat"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "editorial.cache.FailSafeRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "secretariat",
            "OPTIONS": {
                "socket_timeout": env_seconds("CACHE_TIMEOUT", "0.25"),
                "socket_connect_timeout": env_seconds("CACHE_TIMEOUT", "0.25"),
                "retry_seconds": env_seconds("CACHE_RETRY_SECONDS", "1"),
            },
        }
    if url.startswith("dummy://"):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL must start with redis://, rediss://, unix://, locmem:// or dummy://, not {url!r}."
    )


# The cache: local memory in one process by default; Redis (shared by every process) in production.
CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", ""))}
# Anonymous public pages are kept in it (editorial.pagecache) until the archive changes, at most
# PAGE_CACHE_SECONDS; browsers may keep them PAGE_MAX_AGE seconds, a CDN PAGE_SHARED_MAX_AGE.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", True)  # false: pages are built at every request (figures stay cached)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
PAGE_MAX_AGE = int(os.environ.get("PAGE_MAX_AGE", "60"))
PAGE_SHARED_MAX_AGE = int(os.environ.get("PAGE_SHARED_MAX_AGE", "300"))

# The open-data API (/api/v1/): readable from any origin with GET, throttled per address.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("Retry-After",)
CORS_PREFLIGHT_MAX_AGE = 86400
API_ANON_RATE = os.environ.get("API_ANON_RATE", "120/min")
# The lists' downloads (CSV, JSON of a whole list): a few seconds each at a hundred times the archive.
DOWNLOAD_ANON_RATE = os.environ.get("DOWNLOAD_ANON_RATE", "20/hour")
# Sitemaps: at most this many addresses per sitemap page (the protocol's limit is 50,000).
SITEMAP_LIMIT = int(os.environ.get("SITEMAP_LIMIT", "10000"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French first, as the secretariat's reference language; English beside it.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["secretariat.formats"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
# A text missing in one language falls back to the other.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr", "en"), "fr": ("en",), "en": ("fr",)}
# TabbedTranslationAdmin would load jQuery UI from a CDN: serve the vendored copy instead.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Uploaded documents and images: stored under MEDIA_ROOT with random names, served by
# editorial.uploads.serve_upload (type, nosniff, a sandbox, and only while the item carrying them is public).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
UPLOAD_MAX_SIZES = {
    "document": int(os.environ.get("UPLOAD_MAX_DOCUMENT_MB", "20")) * 1024 * 1024,
    "image": int(os.environ.get("UPLOAD_MAX_IMAGE_MB", "5")) * 1024 * 1024,
}
# Images are decoded on upload; one with more pixels than this (all frames together) is refused:
# a small file can declare a huge canvas that would take gigabytes to decode.
UPLOAD_MAX_IMAGE_PIXELS = int(os.environ.get("UPLOAD_MAX_IMAGE_PIXELS", "40000000"))
FILE_UPLOAD_PERMISSIONS = 0o640

# Publication waits until every language is complete, unless an editor records an explicit
# “one language only” exception on the item.
PUBLICATION_REQUIRES_ALL_LANGUAGES = env_bool("PUBLICATION_REQUIRES_ALL_LANGUAGES", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Content Security Policy: nothing from another host, no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],  # the nonce: the rich-text editor's import map only
    # The hash: the base stylesheet the rich-text editor (Tiptap, in django-prose-editor) inserts.
    "style-src": [CSP.SELF, "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Logins: after LOGIN_FAILURE_LIMIT failures, an account and the address it was tried from are
# locked for LOGIN_LOCKOUT_MINUTES (a superuser may unlock them sooner from the admin's users list).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: the account, and the address
AXES_RESET_ON_SUCCESS = True
# Attempts while locked out are refused and not recorded: axes otherwise appended each one's data to
# the row and restarted the lockout, a row growing by 2 KB a request for as long as an attack lasts.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "editorial.admin.accounts.locked_out"
AXES_CLIENT_IP_CALLABLE = "secretariat.network.client_ip"
AXES_HTTP_RESPONSE_CODE = 429
# How many proxies in front of the site append to X-Forwarded-For (nginx: 1); 0 trusts no header.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if env_bool("BEHIND_PROXY", False) else "0"))

# Sessions end after a working day without activity (each request starts the count again).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_HOURS", "9")) * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # remembered for a year: where / sends the reader
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
