"""Settings read once from ``OCOPFAIR_*`` environment variables; the embedded default is SQLite under ``var/``."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

_DEFAULT_VAR = Path("var")
_DEFAULT_MAIL_FROM = "Hội chợ OCOP <no-reply@ocopfair.invalid>"
_DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
DEMO_KEY_FILE = "secret.key"
ENVIRONMENTS = ("demo", "production")
MIN_PRODUCTION_KEY_LENGTH = 32


def _env(name: str, default: str) -> str:
    return os.environ.get(f"OCOPFAIR_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    return _env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str) -> tuple[str, ...]:
    """A comma-separated setting, blanks dropped."""
    return tuple(item.strip() for item in _env(name, "").split(",") if item.strip())


def _default_database_url(var_dir: Path) -> str:
    return f"sqlite+aiosqlite:///{(var_dir / 'ocopfair.sqlite3').as_posix()}"


class SettingsError(ValueError):
    """The environment describes a service that must not start (production with the demo's secret key, say)."""


def _secret_key(var_dir: Path, environment: str) -> str:
    """The signing key: from the environment, else (the embedded demo only) a random key kept under ``var/`` so tokens
    survive a restart. Production takes the key from the environment only, and never the demo's generated one."""
    configured = os.environ.get("OCOPFAIR_SECRET_KEY")
    key_file = var_dir / DEMO_KEY_FILE
    if environment == "production":
        if not configured:
            raise SettingsError("OCOPFAIR_ENV=production needs OCOPFAIR_SECRET_KEY (at least 32 random characters)")
        if key_file.exists() and key_file.read_text(encoding="utf-8").strip() == configured.strip():
            raise SettingsError("OCOPFAIR_SECRET_KEY is the demo's generated key: set a key of your own in production")
        return configured
    if configured:
        return configured
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the service needs to know about its environment.

    Mail goes through ``smtp_url`` (``smtp://``, ``smtp+starttls://`` or ``smtps://``, with ``user:password@``) on up
    to ``smtp_connections`` connections at once or, without one, into ``.eml`` files under ``var_dir/outbox``.
    ``scheduler`` starts the elected scheduler inside the web process: on by default from the environment
    (``OCOPFAIR_SCHEDULER=off`` turns it off), off for settings built by hand, so tests never run one by accident.
    ``environment`` is ``demo`` (the embedded default) or ``production``, which insists on a real secret key and
    secure cookies and sends HSTS. API access tokens live ``token_ttl_minutes`` and are renewed with a refresh token
    that lives ``refresh_ttl_days`` past its last use; the pages' cookie session lives ``session_ttl_minutes``.
    """

    database_url: str
    secret_key: str
    environment: str = "demo"
    var_dir: Path = _DEFAULT_VAR
    token_ttl_minutes: int = 15
    refresh_ttl_days: int = 14
    session_ttl_minutes: int = 12 * 60
    login_attempts_per_account: int = 5
    login_attempts_per_address: int = 20
    login_window_minutes: int = 15
    debug: bool = False
    database_echo: bool = False
    request_max_body_bytes: int = 1_048_576
    log_level: str = "INFO"
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)
    secure_cookies: bool = False
    smtp_url: str | None = None
    smtp_connections: int = 4
    mail_from: str = _DEFAULT_MAIL_FROM
    public_url: str = _DEFAULT_PUBLIC_URL
    scheduler: bool = False
    scheduler_poll_seconds: float = 5.0

    def __post_init__(self) -> None:
        if self.environment not in ENVIRONMENTS:
            raise SettingsError(f"OCOPFAIR_ENV must be one of {', '.join(ENVIRONMENTS)}, not {self.environment!r}")
        if self.is_production and len(self.secret_key) < MIN_PRODUCTION_KEY_LENGTH:
            raise SettingsError(
                f"OCOPFAIR_SECRET_KEY must be at least {MIN_PRODUCTION_KEY_LENGTH} characters in production"
            )
        if self.is_production and not self.secure_cookies:
            raise SettingsError("production serves over HTTPS only: its cookies must be secure")

    @classmethod
    def from_env(cls) -> Settings:
        var_dir = Path(_env("VAR_DIR", str(_DEFAULT_VAR)))
        environment = _env("ENV", "demo").strip().lower()
        production = environment == "production"
        if production and _env("PASSWORD_PROFILE", "").strip().lower() == "cheapest":
            raise SettingsError("OCOPFAIR_PASSWORD_PROFILE=cheapest is for the test suite, never for production")
        return cls(
            database_url=_env("DATABASE_URL", _default_database_url(var_dir)),
            secret_key=_secret_key(var_dir, environment),
            environment=environment,
            var_dir=var_dir,
            token_ttl_minutes=int(_env("TOKEN_TTL_MINUTES", "15")),
            refresh_ttl_days=int(_env("REFRESH_TTL_DAYS", "14")),
            session_ttl_minutes=int(_env("SESSION_TTL_MINUTES", "720")),
            login_attempts_per_account=int(_env("LOGIN_ATTEMPTS_PER_ACCOUNT", "5")),
            login_attempts_per_address=int(_env("LOGIN_ATTEMPTS_PER_ADDRESS", "20")),
            login_window_minutes=int(_env("LOGIN_WINDOW_MINUTES", "15")),
            debug=_env_bool("DEBUG", default=False),
            database_echo=_env_bool("DATABASE_ECHO", default=False),
            request_max_body_bytes=int(_env("REQUEST_MAX_BODY_BYTES", "1048576")),
            log_level=_env("LOG_LEVEL", "INFO").upper(),
            cors_origins=_env_list("CORS_ORIGINS"),
            allowed_hosts=_env_list("ALLOWED_HOSTS"),
            secure_cookies=production or _env_bool("SECURE_COOKIES", default=False),
            smtp_url=_env("SMTP_URL", "") or None,
            smtp_connections=max(1, int(_env("SMTP_CONNECTIONS", "4"))),
            mail_from=_env("MAIL_FROM", _DEFAULT_MAIL_FROM),
            public_url=_env("PUBLIC_URL", _DEFAULT_PUBLIC_URL).rstrip("/"),
            scheduler=_env_bool("SCHEDULER", default=True),
            scheduler_poll_seconds=float(_env("SCHEDULER_POLL_SECONDS", "5")),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_production(self) -> bool:
        return self.environment == "production"
