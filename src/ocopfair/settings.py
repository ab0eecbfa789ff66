"""Settings read once from ``OCOPFAIR_*`` environment variables; the embedded default is SQLite under ``var/``."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

_DEFAULT_VAR = Path("var")
_DEFAULT_MAIL_FROM = "Hội chợ OCOP <no-reply@ocopfair.invalid>"
_DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"OCOPFAIR_{name}", default)


def _env_bool(name: str, default: bool) -> bool:
    return _env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _default_database_url(var_dir: Path) -> str:
    return f"sqlite+aiosqlite:///{(var_dir / 'ocopfair.sqlite3').as_posix()}"


def _secret_key(var_dir: Path) -> str:
    """The signing key: from the environment, else a random key kept under ``var/`` so tokens survive a restart."""
    configured = os.environ.get("OCOPFAIR_SECRET_KEY")
    if configured:
        return configured
    key_file = var_dir / "secret.key"
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
    """

    database_url: str
    secret_key: str
    var_dir: Path = _DEFAULT_VAR
    token_ttl_minutes: int = 12 * 60
    debug: bool = False
    database_echo: bool = False
    request_max_body_bytes: int = 1_048_576
    log_level: str = "INFO"
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    secure_cookies: bool = False
    smtp_url: str | None = None
    smtp_connections: int = 4
    mail_from: str = _DEFAULT_MAIL_FROM
    public_url: str = _DEFAULT_PUBLIC_URL
    scheduler: bool = False
    scheduler_poll_seconds: float = 5.0

    @classmethod
    def from_env(cls) -> Settings:
        var_dir = Path(_env("VAR_DIR", str(_DEFAULT_VAR)))
        return cls(
            database_url=_env("DATABASE_URL", _default_database_url(var_dir)),
            secret_key=_secret_key(var_dir),
            var_dir=var_dir,
            token_ttl_minutes=int(_env("TOKEN_TTL_MINUTES", "720")),
            debug=_env_bool("DEBUG", default=False),
            database_echo=_env_bool("DATABASE_ECHO", default=False),
            request_max_body_bytes=int(_env("REQUEST_MAX_BODY_BYTES", "1048576")),
            log_level=_env("LOG_LEVEL", "INFO").upper(),
            cors_origins=tuple(o for o in _env("CORS_ORIGINS", "").split(",") if o),
            secure_cookies=_env_bool("SECURE_COOKIES", default=False),
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
