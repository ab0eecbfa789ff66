"""What the forms offer to choose from: the reference data (categories, certifications, provinces, countries) and the
schemas' own enumerations (buyer types, units, periods…), labelled in the visitor's language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, get_args

import pycountry

from matching.quantities import COUNT_UNITS, MASS_UNITS, VOLUME_UNITS
from ocopfair.allocation.schemas import RequestedType
from ocopfair.buyers.schemas import BuyerType
from ocopfair.exhibitors.schemas import ExhibitorKind
from ocopfair.payloads import Period
from ocopfair.web.i18n import Language, translate
from seeds import reference


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class OptionGroup:
    value: str
    label: str
    options: list[Option]


def _enumeration(kind: Any, prefix: str, language: Language) -> list[Option]:
    return [Option(value, translate(language, f"{prefix}.{value}")) for value in get_args(kind)]


def category_groups(language: Language) -> list[OptionGroup]:
    return [
        OptionGroup(
            group.code,
            group.name_vi if language == "vi" else group.name_en,
            [Option(sub.code, sub.name_vi if language == "vi" else sub.name_en) for sub in group.subgroups],
        )
        for group in reference.category_groups()
    ]


def product_groups(language: Language) -> list[Option]:
    return [Option(group.value, group.label) for group in category_groups(language)]


def certifications() -> list[Option]:
    """By their short names (VietGAP, HACCP…), which buyers and producers know them by in either language."""
    return [Option(c.code, c.name) for c in reference.certifications()]


def provinces(language: Language) -> list[Option]:
    return [Option(p.code, p.name if language == "vi" else p.name_en) for p in reference.provinces()]


@cache
def _countries() -> tuple[Option, ...]:
    everyone = sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda pair: pair[1])
    return tuple(Option(code, name) for code, name in everyone)


def countries(language: Language) -> list[Option]:
    """Every country by its English name, Việt Nam first."""
    home = Option("VN", translate(language, "country.VN"))
    return [home, *(option for option in _countries() if option.value != "VN")]


def units(language: Language) -> list[OptionGroup]:
    return [
        OptionGroup(
            kind, translate(language, f"unit_kind.{kind}"), [Option(u, translate(language, f"unit.{u}")) for u in codes]
        )
        for kind, codes in (("mass", MASS_UNITS), ("volume", VOLUME_UNITS), ("count", COUNT_UNITS))
    ]


def periods(language: Language) -> list[Option]:
    return _enumeration(Period, "per", language)


def buyer_types(language: Language) -> list[Option]:
    return _enumeration(BuyerType, "buyer_type", language)


def exhibitor_kinds(language: Language) -> list[Option]:
    return _enumeration(ExhibitorKind, "exhibitor_kind", language)


def booth_types(language: Language) -> list[Option]:
    return _enumeration(RequestedType, "booth_type", language)


def months(language: Language) -> list[Option]:
    return [Option(str(month), translate(language, f"month.{month}")) for month in range(1, 13)]
