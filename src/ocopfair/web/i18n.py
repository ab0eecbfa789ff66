"""The pages' words in Vietnamese (first) and English: one catalogue per language under ``locales/``, the visitor's
choice kept in a cookie for a year."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Literal

import structlog
from litestar.connection import ASGIConnection

Language = Literal["vi", "en"]
LANGUAGES: tuple[Language, ...] = ("vi", "en")
LANGUAGE_COOKIE = "ocopfair_lang"
LOCALES = Path(__file__).parent / "locales"

log = structlog.get_logger(__name__)


@cache
def catalogue(language: Language) -> dict[str, str]:
    words: dict[str, str] = json.loads((LOCALES / f"{language}.json").read_text(encoding="utf-8"))
    return words


def translate(language: Language, key: str, **values: Any) -> str:
    """The text for ``key`` with ``{placeholders}`` filled; a missing key is logged and shown as itself."""
    text = catalogue(language).get(key)
    if text is None:
        log.warning("missing_translation", key=key, language=language)
        text = key
    return text.format(**values) if values else text


def language_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Language:
    return "en" if connection.cookies.get(LANGUAGE_COOKIE) == "en" else "vi"
