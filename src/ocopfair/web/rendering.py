"""Templates: the Jinja2 environment with the filters pages share, and ``render`` that gives every page the
visitor, the language and the words.

Every filter that writes something a person reads (a date, an amount of money, a category's name) takes the
language from the page's context, so a template only says what to show.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pycountry
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context
from litestar import Request
from litestar.enums import MediaType
from litestar.response import Template

from ocopfair.web.i18n import Language, language_of, translate
from ocopfair.web.messages import localise
from seeds import reference

TEMPLATES = Path(__file__).parent / "templates"
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _language(context: Context) -> Language:
    language: Language = context.get("lang", "vi")
    return language


def grouped(value: float, language: Language, digits: int = 0) -> str:
    """A number with the language's separators: 15.000,5 in Vietnamese, 15,000.5 in English."""
    text = f"{value:,.{digits}f}"
    if language == "vi":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


@pass_context
def t(context: Context, key: str, **values: Any) -> str:
    return translate(_language(context), key, **values)


@pass_context
def number(context: Context, value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    if digits == 0 and float(value).is_integer():
        return grouped(value, _language(context))
    return grouped(value, _language(context), digits or 2).rstrip("0").rstrip(",.")


@pass_context
def money(context: Context, value: int | None) -> str:
    return "–" if value is None else f"{grouped(value, _language(context))} ₫"


@pass_context
def percent(context: Context, share: float | None) -> str:
    return "–" if share is None else f"{grouped(share * 100, _language(context))}%"


@pass_context
def day(context: Context, value: dt.date | str | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if _language(context) == "vi":
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


@pass_context
def weekday(context: Context, value: dt.date) -> str:
    return translate(_language(context), f"weekday.{value.isoweekday()}")


def clock(value: dt.datetime) -> str:
    return value.strftime("%H:%M")


def idify(name: str) -> str:
    """An input's id from its name (``quantity.amount`` → ``f-quantity-amount``)."""
    return "f-" + re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


@pass_context
def category(context: Context, code: str | None) -> str:
    if not code:
        return "–"
    try:
        vi, en = reference.category_label(code)
    except KeyError:
        return code
    return vi if _language(context) == "vi" else en


@pass_context
def province(context: Context, code: str | None) -> str:
    if not code:
        return "–"
    found = reference.resolve_province(code)
    if found is None:
        return code
    return found.name if _language(context) == "vi" else found.name_en


def certification(code: str) -> str:
    """A certificate's short name (VietGAP, HACCP…), the same in both languages."""
    found = next((c for c in reference.certifications() if c.code == code), None)
    return found.name if found is not None else code


@pass_context
def country(context: Context, code: str | None) -> str:
    if not code:
        return "–"
    if code == "VN":
        return translate(_language(context), "country.VN")
    found = pycountry.countries.get(alpha_2=code)
    return found.name if found is not None else code


@pass_context
def unit(context: Context, code: str) -> str:
    return translate(_language(context), f"unit.{code}")


@pass_context
def say(context: Context, message: str, field: str = "") -> str:
    """An error message of the API in the page's language."""
    return localise(message, field, _language(context))


def template_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "svg"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    helpers: dict[str, Any] = {"t": t, "say": say}
    environment.globals.update(helpers)
    environment.filters.update(
        {
            "number": number,
            "money": money,
            "percent": percent,
            "day": day,
            "weekday": weekday,
            "clock": clock,
            "idify": idify,
            "category": category,
            "province": province,
            "certification": certification,
            "country": country,
            "unit": unit,
        }
    )
    return environment


def render(request: Request[Any, Any, Any], template: str, *, status_code: int = 200, **context: Any) -> Template:
    """A page (or, for an HTMX request that asks for a part, that part) with what every template needs."""
    session = request.scope.get("session")
    flash = session.pop("flash", None) if isinstance(session, dict) else None
    return Template(
        template_name=template,
        context={
            "lang": language_of(request),
            "visitor": request.state.get("visitor"),
            "path": request.url.path,
            "query": str(request.url.query),
            "flash": flash,
            **context,
        },
        status_code=status_code,
        media_type=MediaType.HTML,
    )
