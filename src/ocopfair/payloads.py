"""Payload types shared by every area: quantities, pages of results, and validated codes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Generic, Literal, TypeVar

import msgspec
import pycountry

from matching.quantities import normalise_unit, unit_kind
from seeds import reference

T = TypeVar("T")

Period = Literal["day", "week", "month", "quarter", "year"]
PositiveAmount = Annotated[float, msgspec.Meta(gt=0, le=1e12)]
Stars = Annotated[int, msgspec.Meta(ge=3, le=5)]
Month = Annotated[int, msgspec.Meta(ge=1, le=12)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
ShortText = Annotated[str, msgspec.Meta(max_length=300)]
LongText = Annotated[str, msgspec.Meta(max_length=4000)]
# Written to mean the same to msgspec (Python's ``re``) as to the OpenAPI's readers (ECMA-262): control characters
# are named, as Python's ``\s`` holds \x1c-\x1f and \x85 and ECMA's does not; and ``(?!\n)`` stops Python's ``$``
# from letting a final newline through (a newline in an address is a mail header injection).
_EMAIL_PART = r"[^@\s\x00-\x1f\x7f-\x9f\ufeff]+"
Email = Annotated[str, msgspec.Meta(pattern=rf"^{_EMAIL_PART}@{_EMAIL_PART}\.{_EMAIL_PART}$(?!\n)", max_length=320)]
# A time of day in the fair's own time zone: an offset would contradict it, so none is accepted.
TimeOfDay = Annotated[dt.time, msgspec.Meta(tz=False)]
Phone = Annotated[str, msgspec.Meta(pattern=r"^\+?[0-9 ().-]{6,25}$")]
Money = Annotated[int, msgspec.Meta(ge=0, le=10**13)]

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class Quantity(msgspec.Struct, forbid_unknown_fields=True):
    """An amount per period: ``{"amount": 2, "unit": "t", "per": "month"}``; units are mass, volume or count."""

    amount: PositiveAmount
    unit: str
    per: Period = "month"

    def __post_init__(self) -> None:
        self.unit = normalise_unit(self.unit)


class Amount(msgspec.Struct, forbid_unknown_fields=True):
    """An amount without a period: a minimum order or a pack size."""

    amount: PositiveAmount
    unit: str

    def __post_init__(self) -> None:
        self.unit = normalise_unit(self.unit)


class Page(msgspec.Struct, Generic[T]):
    """One page of a list, with the total across all pages."""

    items: list[T]
    total: int
    limit: int
    offset: int


def check_subgroup(code: str) -> str:
    if code not in reference.subgroup_codes():
        raise ValueError(f"unknown OCOP category {code!r}; see GET /api/reference/categories (e.g. 'food.condiment')")
    return code


def check_category(code: str) -> str:
    """A group (``food``) or subgroup (``food.condiment``) code."""
    if code not in reference.subgroup_codes() and code not in reference.group_codes():
        raise ValueError(f"unknown OCOP category {code!r}; see GET /api/reference/categories")
    return code


def check_certification(code: str) -> str:
    if code not in reference.certification_codes():
        raise ValueError(f"unknown certification {code!r}; see GET /api/reference/certifications")
    return code


def province_code(value: str) -> str:
    """The current province code for a code, a current name or a former (pre-July 2025) name."""
    province = reference.resolve_province(value)
    if province is None:
        raise ValueError(f"unknown province {value!r}; see GET /api/reference/provinces")
    return province.code


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 country code, upper-cased."""
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"unknown country code {value!r}; use ISO 3166-1 alpha-2 such as 'VN', 'KR', 'DE'")
    return code


def unique(values: list[str], what: str) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError(f"{what} lists a value twice")
    return values


def check_amount_kind(amount: Amount | Quantity | None, kinds: tuple[str, ...], what: str) -> None:
    if amount is not None and unit_kind(amount.unit) not in kinds:
        raise ValueError(f"{what} must be measured as {' or '.join(kinds)}, not in {amount.unit}")
