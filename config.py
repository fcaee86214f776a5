"""Configuration, read from environment variables.

Local use needs no settings at all: SQLite and a generated SECRET_KEY live in
instance/. Production (LEERLIJN_ENV=production) refuses to start without SECRET_KEY.
"""
import json
import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("LEERLIJN_INSTANCE", BASE_DIR / "instance"))


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _local_secret_key() -> str:
    """Generated once and kept in instance/, so sessions survive restarts."""
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'leerlijn.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    REDIS_URL = os.environ.get("REDIS_URL")
    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(BASE_DIR / "modules"))
    OPEN_REGISTRATION = _bool("OPEN_REGISTRATION", True)
    # Single sign-on (course/sso): client secrets are encrypted with a key derived from this
    # (SECRET_KEY when unset); the seconds of clock difference tolerated in ID tokens.
    OIDC_SECRET_KEY = os.environ.get("OIDC_SECRET_KEY")
    OIDC_CLOCK_LEEWAY = int(os.environ.get("OIDC_CLOCK_LEEWAY", "60"))

    # Mail. Without MAIL_SERVER, mail is written to instance/mail/ instead.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_FROM = os.environ.get("MAIL_FROM", "Leerlijn <noreply@leerlijn.local>")
    MAIL_DIR = os.environ.get("MAIL_DIR", str(INSTANCE_DIR / "mail"))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))

    # The worker (`flask worker`): Huey on a SQLite file here, on Redis when REDIS_URL is set.
    # Times are local (WORKER_TIMEZONE); weekdays in English ("monday").
    WORKER_TIMEZONE = os.environ.get("WORKER_TIMEZONE", "Europe/Amsterdam")
    DIGEST_TIME = os.environ.get("DIGEST_TIME", "07:00")
    REMINDER_WEEKDAY = os.environ.get("REMINDER_WEEKDAY", "monday")
    REMINDER_TIME = os.environ.get("REMINDER_TIME", "09:00")
    PURGE_TIME = os.environ.get("PURGE_TIME", "03:00")
    FOLLOWUP_TIME = os.environ.get("FOLLOWUP_TIME", "10:00")  # check-ins 30/90 days after a course (issue 14)
    STATISTICS_TIME = os.environ.get("STATISTICS_TIME", "03:30")  # the planner's statistics (course/maintenance.py)
    WORKER_QUEUE_NAME = os.environ.get("WORKER_QUEUE_NAME", "leerlijn")
    WORKER_SQLITE_PATH = os.environ.get("WORKER_SQLITE_PATH", str(INSTANCE_DIR / "worker-queue.sqlite"))
    WORKER_THREADS = int(os.environ.get("WORKER_THREADS", "2"))
    WORKER_TICK_SECONDS = int(os.environ.get("WORKER_TICK_SECONDS", "60"))
    MAIL_POLL_SECONDS = float(os.environ.get("MAIL_POLL_SECONDS", "5"))

    # Learning records (xAPI): off unless an LRS is set. XAPI_ENDPOINT is the LRS's xAPI
    # base ("https://lrs.example.nl/xAPI/"). XAPI_ORGANISATIONS adds LRSs per organisation,
    # as JSON {"<organisation public id>": {"endpoint": ..., "username": ..., "password": ...}}.
    XAPI_ENDPOINT = os.environ.get("XAPI_ENDPOINT")
    XAPI_USERNAME = os.environ.get("XAPI_USERNAME")
    XAPI_PASSWORD = os.environ.get("XAPI_PASSWORD")
    XAPI_ORGANISATIONS = json.loads(os.environ.get("XAPI_ORGANISATIONS") or "{}")
    XAPI_MAX_ATTEMPTS = int(os.environ.get("XAPI_MAX_ATTEMPTS", "10"))
    XAPI_TIMEOUT_SECONDS = float(os.environ.get("XAPI_TIMEOUT_SECONDS", "10"))

    # Languages: Dutch first, English second.
    LANGUAGES = ("nl", "en")
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")

    # Rate limits: shared through Redis when REDIS_URL is set (several app servers).
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_IP = os.environ.get("LOGIN_LIMIT_PER_IP", "20 per minute; 200 per hour")
    # Failed logins only. A stranger typing someone's address locks out their own IP
    # (per account and IP); only a spread attack reaches the higher account-wide cap.
    LOGIN_LIMIT_PER_ACCOUNT_AND_IP = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT_AND_IP", "10 per 15 minutes")
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "100 per 15 minutes")
    RESET_LIMIT_PER_ACCOUNT = os.environ.get("RESET_LIMIT_PER_ACCOUNT", "5 per hour")
    REGISTER_LIMIT = os.environ.get("REGISTER_LIMIT", "10 per hour")
    PUBLIC_FORM_LIMIT = os.environ.get("PUBLIC_FORM_LIMIT", "5 per hour")
    # Memory storage counts per process: several gunicorn workers would each allow the limit.
    RATELIMIT_SINGLE_PROCESS = _bool("RATELIMIT_SINGLE_PROCESS")
    FORM_STASH_LIMIT = os.environ.get("FORM_STASH_LIMIT", "30 per hour")
    FORM_STASH_MAX_TOTAL = int(os.environ.get("FORM_STASH_MAX_TOTAL", str(50_000_000)))  # characters

    WTF_CSRF_TIME_LIMIT = None  # valid for the session's life: a long writing session is fine
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PASSWORD_RESET_MAX_AGE = 60 * 60  # seconds
    EMAIL_CONFIRM_MAX_AGE = 24 * 60 * 60  # seconds: registration and e-mail change links
    INVITATION_DAYS = 14
    # A colleague's work allocated for peer feedback and not answered within this many
    # days no longer holds its place: the next colleague who asks may get it too.
    PEER_HOLD_DAYS = int(os.environ.get("PEER_HOLD_DAYS", "7"))
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024  # uploads (enrolment files)
    PROXY_FIX = _bool("PROXY_FIX")
    SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "support@leerlijn.local")
    # The installation's own privacy and accessibility statements (<name>.<lang>.md);
    # the defaults in pages/ are used for every file that is not there.
    PAGES_DIR = os.environ.get("PAGES_DIR", str(INSTANCE_DIR / "pages"))
    # `flask backup create` without a path writes here; PG_DUMP / PG_RESTORE name the tools.
    BACKUP_DIR = os.environ.get("BACKUP_DIR", str(INSTANCE_DIR / "backups"))
    PG_DUMP = os.environ.get("PG_DUMP")
    PG_RESTORE = os.environ.get("PG_RESTORE")
    # Compiled templates, kept between restarts (course/warmup.py); empty turns it off.
    TEMPLATE_CACHE_DIR = os.environ.get("TEMPLATE_CACHE_DIR", str(INSTANCE_DIR / "template-cache")) or None

    # Retention (AVG): applied by `flask privacy purge` (nightly from the worker). 0 = keep.
    RETENTION_SENT_MAIL_DAYS = int(os.environ.get("RETENTION_SENT_MAIL_DAYS", "30"))
    RETENTION_UPLOAD_BATCH_DAYS = int(os.environ.get("RETENTION_UPLOAD_BATCH_DAYS", "30"))
    RETENTION_FORM_STASH_HOURS = int(os.environ.get("RETENTION_FORM_STASH_HOURS", "24"))
    RETENTION_INACTIVE_MONTHS = int(os.environ.get("RETENTION_INACTIVE_MONTHS", "24"))
    RETENTION_INACTIVE_GRACE_DAYS = int(os.environ.get("RETENTION_INACTIVE_GRACE_DAYS", "30"))

    @classmethod
    def finalise(cls, config: dict) -> None:
        """Fill in what may only be computed when the app starts."""
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = _local_secret_key()


class DevelopmentConfig(Config):
    pass


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def finalise(cls, config: dict) -> None:
        if not config.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production (LEERLIJN_ENV=production).")
        if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://") and not config.get(
                "RATELIMIT_SINGLE_PROCESS"):
            raise RuntimeError(
                "Rate limits are kept in per-process memory: with several gunicorn workers each worker "
                "would allow the full limit. Set REDIS_URL (shared storage) in production, or set "
                "RATELIMIT_SINGLE_PROCESS=1 if you really run one single process (gunicorn -w 1).")


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105  (tests only)
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = False
    MAIL_SERVER = None
    PASSWORD_HASH_FAST = True
    WTF_CSRF_ENABLED = False  # tests that check CSRF turn it on (csrf_app fixture)
    TEMPLATE_CACHE_DIR = None  # no files shared between test apps (tests/test_warmup.py sets one)


CONFIGS = {"development": DevelopmentConfig, "production": ProductionConfig, "test": TestConfig}


def config_from_env() -> type[Config]:
    return CONFIGS.get(os.environ.get("LEERLIJN_ENV", "development"), DevelopmentConfig)
