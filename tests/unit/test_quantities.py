"""Units of supply and demand: normalisation, kinds, conversion, periods."""

from __future__ import annotations

import pytest

from matching.quantities import convert, normalise_unit, per_month, unit_kind


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("kg", "kg"),
        ("KG", "kg"),
        ("Tấn", "t"),
        ("tonne", "t"),
        ("litre", "l"),
        ("L", "l"),
        ("ml", "ml"),
        ("chai", "bottle"),
        ("hộp", "box"),
        ("pcs", "piece"),
        ("m3", "m3"),
    ],
)
def test_units_are_normalised(given: str, canonical: str) -> None:
    assert normalise_unit(given) == canonical


@pytest.mark.parametrize("unknown", ["furlong", "", "kgs of rice", "°C"])
def test_unknown_units_are_refused_with_the_known_list(unknown: str) -> None:
    with pytest.raises(ValueError, match="unknown unit") as error:
        normalise_unit(unknown)
    assert "kg" in str(error.value)


@pytest.mark.parametrize(("unit", "kind"), [("t", "mass"), ("g", "mass"), ("ml", "volume"), ("jar", "count")])
def test_unit_kinds(unit: str, kind: str) -> None:
    assert unit_kind(unit) == kind


@pytest.mark.parametrize(
    ("amount", "source", "target", "expected"),
    [(2, "t", "kg", 2000), (500, "ml", "l", 0.5), (1, "m3", "l", 1000), (3, "box", "piece", 3), (250, "g", "kg", 0.25)],
)
def test_conversion(amount: float, source: str, target: str, expected: float) -> None:
    assert convert(amount, source, target) == pytest.approx(expected)


@pytest.mark.parametrize(("source", "target"), [("kg", "l"), ("piece", "kg"), ("ml", "bottle")])
def test_different_kinds_do_not_convert(source: str, target: str) -> None:
    with pytest.raises(ValueError, match="cannot convert"):
        convert(1, source, target)


@pytest.mark.parametrize(
    ("amount", "per", "monthly"), [(24, "year", 2), (6, "quarter", 2), (2, "month", 2), (1, "day", 365.25 / 12)]
)
def test_per_month(amount: float, per: str, monthly: float) -> None:
    assert per_month(amount, per) == pytest.approx(monthly)


def test_unknown_period_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown period"):
        per_month(1, "fortnight")
