"""The security rules that need no database: production refuses the demo's secret key, the login limit's wait, the
Host header check, and which Content-Security-Policy each kind of answer gets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from ocopfair.accounts.login_throttle import wait_before_next
from ocopfair.allowed_hosts import host_allowed, host_name
from ocopfair.cli import main
from ocopfair.security_headers import API_POLICY, DOCS_POLICY, PAGE_POLICY, content_security_policy
from ocopfair.settings import Settings, SettingsError

STRONG_KEY = "k" * 32


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean ``OCOPFAIR_*`` environment whose var directory is the test's own."""
    names = (
        "ENV",
        "SECRET_KEY",
        "SECURE_COOKIES",
        "ALLOWED_HOSTS",
        "CORS_ORIGINS",
        "TOKEN_TTL_MINUTES",
        "PASSWORD_PROFILE",
    )
    for name in names:
        monkeypatch.delenv(f"OCOPFAIR_{name}", raising=False)
    monkeypatch.setenv("OCOPFAIR_VAR_DIR", str(tmp_path))
    return tmp_path


def test_the_demo_generates_and_keeps_its_key(environment: Path) -> None:
    first = Settings.from_env()
    assert first.environment == "demo"
    assert (environment / "secret.key").read_text(encoding="utf-8") == first.secret_key
    assert Settings.from_env().secret_key == first.secret_key
    assert (first.token_ttl_minutes, first.secure_cookies) == (15, False)


def test_production_needs_a_key_of_its_own(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOPFAIR_ENV", "production")
    with pytest.raises(SettingsError, match="needs OCOPFAIR_SECRET_KEY"):
        Settings.from_env()
    assert not (environment / "secret.key").exists(), "production must not generate a key"


def test_production_refuses_a_short_key(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOPFAIR_ENV", "production")
    monkeypatch.setenv("OCOPFAIR_SECRET_KEY", "k" * 31)
    with pytest.raises(SettingsError, match="at least 32"):
        Settings.from_env()


def test_production_refuses_the_demos_generated_key(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    demo_key = Settings.from_env().secret_key
    monkeypatch.setenv("OCOPFAIR_ENV", "production")
    monkeypatch.setenv("OCOPFAIR_SECRET_KEY", demo_key)
    with pytest.raises(SettingsError, match="demo's generated key"):
        Settings.from_env()


def test_production_with_a_real_key_uses_secure_cookies(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOPFAIR_ENV", "Production")
    monkeypatch.setenv("OCOPFAIR_SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("OCOPFAIR_SECURE_COOKIES", "0")
    monkeypatch.setenv("OCOPFAIR_ALLOWED_HOSTS", " fair.example.vn , *.ocop.vn,")
    settings = Settings.from_env()
    assert (settings.is_production, settings.secure_cookies, settings.secret_key) == (True, True, STRONG_KEY)
    assert settings.allowed_hosts == ("fair.example.vn", "*.ocop.vn")


def test_settings_built_by_hand_are_held_to_the_same_rules() -> None:
    with pytest.raises(SettingsError, match="one of demo, production"):
        Settings(database_url="sqlite://", secret_key=STRONG_KEY, environment="staging")
    with pytest.raises(SettingsError, match="at least 32"):
        Settings(database_url="sqlite://", secret_key="short", environment="production", secure_cookies=True)
    with pytest.raises(SettingsError, match="cookies must be secure"):
        Settings(database_url="sqlite://", secret_key=STRONG_KEY, environment="production")


def test_the_command_line_refuses_to_start_and_says_why(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOPFAIR_ENV", "production")
    result = CliRunner().invoke(main, ["run"])
    assert result.exit_code == 1
    assert "needs OCOPFAIR_SECRET_KEY" in result.output


NOW = dt.datetime(2026, 12, 18, 8, 0, tzinfo=dt.UTC)
WINDOW = dt.timedelta(minutes=15)


def ago(minutes: float) -> dt.datetime:
    return NOW - dt.timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("others", "limit", "wait_s"),
    [
        ([], 3, 0.0),
        ([ago(1), ago(2)], 3, 0.0),
        ([ago(1), ago(2), ago(10)], 3, 5 * 60.0),
        ([ago(10), ago(1), ago(2)], 3, 5 * 60.0),
        ([ago(1), ago(2), ago(10), ago(14)], 3, 5 * 60.0),
        ([ago(1), ago(2), ago(3)], 1, 14 * 60.0),
        ([ago(15), ago(16)], 2, 0.0),
    ],
)
def test_the_wait_lasts_until_enough_attempts_have_left_the_window(
    others: list[dt.datetime], limit: int, wait_s: float
) -> None:
    assert wait_before_next(others, limit, WINDOW, NOW) == pytest.approx(wait_s)


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("fair.example.vn", "fair.example.vn"),
        ("Fair.Example.VN:8000", "fair.example.vn"),
        ("fair.example.vn.", "fair.example.vn"),
        ("127.0.0.1:8000", "127.0.0.1"),
        ("[::1]:8000", "[::1]"),
        ("[::1]", "[::1]"),
        ("fair.example.vn:port", None),
        ("user@fair.example.vn", None),
        ("[::1]evil", None),
        ("", None),
    ],
)
def test_the_host_name_is_read_without_its_port(header: str, name: str | None) -> None:
    assert host_name(header) == name


@pytest.mark.parametrize(
    ("name", "allowed", "expected"),
    [
        ("fair.example.vn", ("fair.example.vn",), True),
        ("evil.example", ("fair.example.vn",), False),
        ("api.ocop.vn", ("*.ocop.vn",), True),
        ("ocop.vn", ("*.ocop.vn",), False),
        ("evilocop.vn", ("*.ocop.vn",), False),
        ("anything.example", ("*",), True),
        ("fair.example.vn", ("Fair.Example.VN",), True),
    ],
)
def test_allowed_hosts_match_exact_names_and_subdomain_patterns(
    name: str, allowed: tuple[str, ...], expected: bool
) -> None:
    assert host_allowed(name, allowed) is expected


@pytest.mark.parametrize(
    ("path", "policy"),
    [
        ("/api/fairs", API_POLICY),
        ("/api", API_POLICY),
        ("/schema/swagger", DOCS_POLICY),
        ("/", PAGE_POLICY),
        ("/fairs/1", PAGE_POLICY),
        ("/apiary", PAGE_POLICY),
        ("/static/app.css", PAGE_POLICY),
    ],
)
def test_each_kind_of_answer_gets_its_content_security_policy(path: str, policy: str) -> None:
    assert content_security_policy(path) == policy


def test_production_refuses_the_test_suites_password_cost(environment: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOPFAIR_ENV", "production")
    monkeypatch.setenv("OCOPFAIR_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("OCOPFAIR_PASSWORD_PROFILE", "cheapest")
    with pytest.raises(SettingsError, match="PASSWORD_PROFILE=cheapest"):
        Settings.from_env()
