"""Units of OCOP supply and demand: mass, volume and counted units of sale, converted with pint.

A count (piece, bottle, jar, box…) is one unit of sale; all count units share one dimension, and a
product's pack size says how much mass or volume one unit of sale holds.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

import pint
from unidecode import unidecode

UnitKind = Literal["mass", "volume", "count"]
Period = Literal["day", "week", "month", "quarter", "year"]

MONTHS_PER_PERIOD: dict[str, float] = {
    "day": 12 / 365.25,
    "week": 12 * 7 / 365.25,
    "month": 1.0,
    "quarter": 3.0,
    "year": 12.0,
}

COUNT_UNITS: tuple[str, ...] = ("piece", "bottle", "jar", "box", "pack", "bag", "can", "set", "carton", "tray")
MASS_UNITS: tuple[str, ...] = ("g", "kg", "t")
VOLUME_UNITS: tuple[str, ...] = ("ml", "l", "m3")

_ALIASES: dict[str, str] = {
    "gram": "g",
    "grams": "g",
    "gam": "g",
    "kilogram": "kg",
    "kilograms": "kg",
    "kilo": "kg",
    "kgs": "kg",
    "tonne": "t",
    "tonnes": "t",
    "ton": "t",
    "tons": "t",
    "tan": "t",
    "metric_ton": "t",
    "millilitre": "ml",
    "milliliter": "ml",
    "millilitres": "ml",
    "milliliters": "ml",
    "litre": "l",
    "liter": "l",
    "litres": "l",
    "liters": "l",
    "lit": "l",
    "L": "l",
    "m^3": "m3",
    "m**3": "m3",
    "cubic_metre": "m3",
    "cubic_meter": "m3",
    "khoi": "m3",
    "pieces": "piece",
    "pc": "piece",
    "pcs": "piece",
    "unit": "piece",
    "units": "piece",
    "cai": "piece",
    "chiec": "piece",
    "qua": "piece",
    "bottles": "bottle",
    "chai": "bottle",
    "jars": "jar",
    "hu": "jar",
    "lo": "jar",
    "boxes": "box",
    "hop": "box",
    "packs": "pack",
    "packet": "pack",
    "packets": "pack",
    "goi": "pack",
    "bags": "bag",
    "tui": "bag",
    "bao": "bag",
    "cans": "can",
    "lon": "can",
    "sets": "set",
    "bo": "set",
    "cartons": "carton",
    "thung": "carton",
    "trays": "tray",
    "khay": "tray",
}
_PINT_NAMES: dict[str, str] = {
    "g": "gram",
    "kg": "kilogram",
    "t": "metric_ton",
    "ml": "milliliter",
    "l": "liter",
    "m3": "meter ** 3",
}


@cache
def _registry() -> pint.UnitRegistry[Any]:
    registry: pint.UnitRegistry[Any] = pint.UnitRegistry()
    registry.define("unit_of_sale = [count]")
    for name in COUNT_UNITS:
        registry.define(f"{name} = unit_of_sale")
    return registry


@cache
def normalise_unit(unit: str) -> str:
    """The canonical symbol of ``unit`` (``"Tấn"`` → ``"t"``, ``"litre"`` → ``"l"``); ValueError when unknown."""
    key = unidecode(unit.strip())
    candidate = _ALIASES.get(key, _ALIASES.get(key.lower(), key.lower()))
    if candidate in MASS_UNITS or candidate in VOLUME_UNITS or candidate in COUNT_UNITS:
        return candidate
    known = ", ".join((*MASS_UNITS, *VOLUME_UNITS, *COUNT_UNITS))
    raise ValueError(f"unknown unit {unit!r}; use one of: {known}")


@cache
def unit_kind(unit: str) -> UnitKind:
    """Whether ``unit`` (canonical or alias) measures mass, volume or a count of units of sale."""
    canonical = normalise_unit(unit)
    if canonical in MASS_UNITS:
        return "mass"
    if canonical in VOLUME_UNITS:
        return "volume"
    return "count"


@cache
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """How many ``to_unit`` make one ``from_unit``; ValueError when the two measure different things."""
    source, target = normalise_unit(from_unit), normalise_unit(to_unit)
    if unit_kind(source) != unit_kind(target):
        raise ValueError(f"cannot convert {source} to {target}")
    quantity = _registry().Quantity(1.0, _PINT_NAMES.get(source, source))
    return float(quantity.to(_PINT_NAMES.get(target, target)).magnitude)


def convert(amount: float, from_unit: str, to_unit: str) -> float:
    """``amount`` of ``from_unit`` expressed in ``to_unit``; ValueError when the two measure different things."""
    return amount * conversion_factor(from_unit, to_unit)


def per_month(amount: float, per: str) -> float:
    """``amount`` per ``per`` (day, week, month, quarter, year) expressed per month."""
    if per not in MONTHS_PER_PERIOD:
        raise ValueError(f"unknown period {per!r}; use one of: {', '.join(MONTHS_PER_PERIOD)}")
    return amount / MONTHS_PER_PERIOD[per]
