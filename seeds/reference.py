"""Reference data of ocopfair: OCOP product categories, certifications and the 34 provinces, read from ``seeds/data``.

The JSON files are read through :mod:`importlib.resources` (so they work from an installed wheel), decoded once into
frozen msgspec Structs and cached. The data is validated by ``tests/unit/test_reference.py``, not at runtime.
"""

from __future__ import annotations

from collections import deque
from functools import cache
from importlib.resources import files
from typing import Literal

import msgspec
import pycountry

from matching.folding import fold
from matching.types import Reference as MatchingReference

ProvinceKind = Literal["city", "province"]
Region = Literal[
    "northern_midlands_mountains",
    "red_river_delta",
    "north_central_coast",
    "south_central_coast",
    "central_highlands",
    "south_east",
    "mekong_delta",
]
CertificationKind = Literal["gap", "food_safety", "quality", "organic", "religious", "market_access"]


class Subgroup(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """An OCOP product subgroup, e.g. ``food.condiment``; the keywords are typical product words for matching."""

    code: str
    name_vi: str
    name_en: str
    keywords_vi: tuple[str, ...] = ()
    keywords_en: tuple[str, ...] = ()


class CategoryGroup(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One of the six OCOP product groups of Decision 148/QĐ-TTg (2023)."""

    code: str
    name_vi: str
    name_en: str
    subgroups: tuple[Subgroup, ...]


class Certification(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A certificate; ``satisfies`` lists the codes whose requirement it directly meets (GlobalGAP → VietGAP)."""

    code: str
    name: str
    name_vi: str
    kind: CertificationKind
    satisfies: tuple[str, ...] = ()


class Province(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A provincial-level unit in force since 1 July 2025 (Resolution 202/2025/QH15), with the units it absorbed."""

    code: str
    name: str
    name_en: str
    kind: ProvinceKind
    region: Region
    lat: float
    lon: float
    former_names: tuple[str, ...]


def _read(name: str) -> bytes:
    return (files("seeds") / "data" / name).read_bytes()


# ---------------------------------------------------------------------------------------------------------- categories


@cache
def category_groups() -> tuple[CategoryGroup, ...]:
    """The six OCOP product groups with their subgroups, in the order of the decision."""
    return msgspec.json.decode(_read("categories.json"), type=tuple[CategoryGroup, ...])


@cache
def group_codes() -> frozenset[str]:
    """Codes of the six groups: ``food``, ``beverage``, ``herbal``, ``handicraft``, ``ornamental``, ``tourism``."""
    return frozenset(group.code for group in category_groups())


@cache
def subgroup_codes() -> frozenset[str]:
    """Codes of every subgroup, ``group.sub`` (e.g. ``food.condiment``)."""
    return frozenset(sub.code for group in category_groups() for sub in group.subgroups)


@cache
def _category_labels() -> dict[str, tuple[str, str]]:
    labels: dict[str, tuple[str, str]] = {}
    for group in category_groups():
        labels[group.code] = (group.name_vi, group.name_en)
        for sub in group.subgroups:
            labels[sub.code] = (sub.name_vi, sub.name_en)
    return labels


def category_label(code: str) -> tuple[str, str]:
    """(Vietnamese, English) name of a group or subgroup code; ``KeyError`` if the code is unknown."""
    return _category_labels()[code]


# ------------------------------------------------------------------------------------------------------ certifications


@cache
def certifications() -> tuple[Certification, ...]:
    """Every known certification."""
    return msgspec.json.decode(_read("certifications.json"), type=tuple[Certification, ...])


@cache
def certification_codes() -> frozenset[str]:
    """Codes of every known certification."""
    return frozenset(c.code for c in certifications())


@cache
def _satisfiers_map() -> dict[str, frozenset[str]]:
    satisfied_directly_by: dict[str, set[str]] = {c.code: set() for c in certifications()}
    for c in certifications():
        for target in c.satisfies:
            satisfied_directly_by.setdefault(target, set()).add(c.code)
    result: dict[str, frozenset[str]] = {}
    for required in satisfied_directly_by:
        seen = {required}
        queue = deque([required])
        while queue:
            for holder in satisfied_directly_by.get(queue.popleft(), ()):
                if holder not in seen:
                    seen.add(holder)
                    queue.append(holder)
        result[required] = frozenset(seen)
    return result


def satisfiers(required_code: str) -> frozenset[str]:
    """Every certification code that meets a requirement for ``required_code``, itself included, transitively.

    ``satisfiers("haccp")`` contains ``iso_22000`` and, through it, ``fssc_22000``. An unknown code is satisfied
    only by itself.
    """
    return _satisfiers_map().get(required_code, frozenset({required_code}))


def satisfied_by_all() -> dict[str, frozenset[str]]:
    """``{code: satisfiers(code)}`` for every known certification (a fresh dict; the sets are immutable)."""
    return dict(_satisfiers_map())


# ----------------------------------------------------------------------------------------------------------- provinces

_PREFIXES = (("thanh", "pho"), ("tinh",), ("tp",))
_SUFFIXES = (("city",), ("province",))
# Customary names and abbreviations that are neither a current nor a former official name (keys are compact).
_ALIASES = {
    "hcm": "ho_chi_minh",
    "hcmc": "ho_chi_minh",
    "tphcm": "ho_chi_minh",
    "saigon": "ho_chi_minh",
    "brvt": "ho_chi_minh",
}


def _key(value: str) -> str:
    """Compact lookup key: folded, leading "tỉnh"/"thành phố"/"TP" and trailing "city"/"province" dropped, no spaces."""
    words = fold(value).split()
    stripped = True
    while stripped and words:
        stripped = False
        for affix in _PREFIXES:
            if tuple(words[: len(affix)]) == affix and len(words) > len(affix):
                words = words[len(affix) :]
                stripped = True
        for affix in _SUFFIXES:
            if tuple(words[-len(affix) :]) == affix and len(words) > len(affix):
                words = words[: -len(affix)]
                stripped = True
    return "".join(words)


@cache
def provinces() -> tuple[Province, ...]:
    """The 34 provinces and centrally-run cities in force since 1 July 2025, grouped by region."""
    return msgspec.json.decode(_read("provinces.json"), type=tuple[Province, ...])


@cache
def _provinces_by_code() -> dict[str, Province]:
    return {p.code: p for p in provinces()}


@cache
def _province_index() -> dict[str, Province]:
    by_code = _provinces_by_code()
    index: dict[str, Province] = {}
    for p in provinces():
        for name in (p.code, p.name, p.name_en, *p.former_names):
            index[_key(name)] = p
    for alias, code in _ALIASES.items():
        index[alias] = by_code[code]
    return index


def province(code: str) -> Province:
    """The province with this current code (e.g. ``thanh_hoa``); ``KeyError`` if unknown."""
    return _provinces_by_code()[code]


def resolve_province(value: str) -> Province | None:
    """The current province for a code, a current or former name, or a customary alias; ``None`` if unknown.

    Case-, accent- and punctuation-insensitive, tolerant of a "tỉnh"/"thành phố"/"TP" prefix and of missing spaces:
    "Hòa Bình", "hoa-binh" and "HOA BINH" give Phú Thọ; "TP. Hồ Chí Minh", "HCMC" and "Sài Gòn" give Hồ Chí Minh City;
    "Đắk Lắk" and "Daklak" are the same.
    """
    key = _key(value)
    if not key:
        return None
    return _province_index().get(key)


class _ContextPhrases(msgspec.Struct, frozen=True):
    quality: tuple[str, ...]
    countries_vi: tuple[str, ...]
    regions_vi: tuple[str, ...]


@cache
def context_phrases() -> tuple[str, ...]:
    """What buyers write in demands that says where or how, not what: places (provinces current and former,
    countries, regions) and quality words, in Vietnamese and English."""
    phrases = msgspec.json.decode(_read("context_phrases.json"), type=_ContextPhrases)
    countries = [
        name
        for country in pycountry.countries
        for name in (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None))
        if name
    ]
    provincial = [name for p in provinces() for name in (p.name, p.name_en, *p.former_names)]
    return tuple(dict.fromkeys([*provincial, *phrases.countries_vi, *phrases.regions_vi, *countries, *phrases.quality]))


@cache
def matching_reference() -> MatchingReference:
    """The reference data the matching engine needs, in its own terms."""
    category_keywords: dict[str, tuple[str, ...]] = {}
    category_names: dict[str, tuple[str, str]] = {}
    for group in category_groups():
        category_names[group.code] = (group.name_vi, group.name_en)
        for sub in group.subgroups:
            category_names[sub.code] = (sub.name_vi, sub.name_en)
            category_keywords[sub.code] = (*sub.keywords_vi, *sub.keywords_en)
    return MatchingReference(
        category_keywords=category_keywords,
        satisfiers=satisfied_by_all(),
        province_coordinates={p.code: (p.lat, p.lon) for p in provinces()},
        category_names=category_names,
        province_names={p.code: p.name for p in provinces()},
        ignored_phrases=context_phrases(),
    )
