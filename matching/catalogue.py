"""The product side of matching, fitted once: text vectors, codes and quantities as arrays.

Fitting turns the catalogue into column arrays so that scoring a block of demands is a handful of sparse products
and gathers; nothing here depends on the demands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.folding import fold
from matching.quantities import convert, per_month, unit_kind
from matching.rules import BASE_UNITS, EARTH_RADIUS_KM, KINDS
from matching.types import Amount, Rate, Reference, Supply

COMMON_SHARE = 0.2
COMMON_FLOOR = 50

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Int8Array = npt.NDArray[np.int8]


def text_vectorizer(documents: int) -> TfidfVectorizer:
    """Character n-grams within words of accent-folded text: robust to missing diacritics and to word forms.

    N-grams found in more than ``COMMON_SHARE`` of a large catalogue are dropped like stop words: they say little
    and they make the sparse products of a national catalogue dense.
    """
    return TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=(3, 4),
        preprocessor=fold,
        sublinear_tf=True,
        max_df=max(int(COMMON_SHARE * documents), COMMON_FLOOR),
        dtype=np.float64,
    )


def keyword_forms(phrase: str) -> tuple[tuple[str, ...], ...]:
    """A keyword as folded words, with its last word also in the other English number ("tea bag" / "tea bags")."""
    words = tuple(fold(phrase).split())
    if not words:
        return ()
    last = words[-1]
    other = last[:-1] if last.endswith("s") and len(last) > 3 else last + "s"
    return (words, (*words[:-1], other))


def keyword_index(
    keywords: dict[str, tuple[str, ...]], subgroups: tuple[str, ...], ignored: tuple[str, ...]
) -> dict[tuple[str, ...], frozenset[int]]:
    """Folded keyword phrase → the subgroups it names. Ignored phrases of two words or more name none: spotting one
    consumes its words, so "Thanh Hóa" never votes for flowers ("hoa") nor "an toàn thực phẩm" for supplements.
    A single ignored syllable ("Mỹ", "Huế") is too ambiguous to drop."""
    index: dict[tuple[str, ...], set[int]] = {}
    for phrase in ignored:
        words = tuple(fold(phrase).split())
        if len(words) >= 2:
            index.setdefault(words, set())
    for position, code in enumerate(subgroups):
        for phrase in keywords.get(code, ()):
            for form in keyword_forms(phrase):
                index.setdefault(form, set()).add(position)
    return {words: frozenset(found) for words, found in index.items()}


def keyword_votes(text: str, index: dict[tuple[str, ...], frozenset[int]], longest: int, size: int) -> FloatArray:
    """Per subgroup, the words of ``text`` in its keywords, spotted left to right, longest phrase first, each word
    counted once: "mắm tôm" votes 2 for condiments, not 1 for fresh shrimp ("tôm") as well."""
    words = fold(text).split()
    votes = np.zeros(size)
    position = 0
    while position < len(words):
        for length in range(min(longest, len(words) - position), 0, -1):
            found = index.get(tuple(words[position : position + length]))
            if found is not None:
                votes[list(found)] += length
                position += length
                break
        else:
            position += 1
    return votes


def product_text(supply: Supply, reference: Reference) -> str:
    """The words a product is found by: its names (the Vietnamese one twice), description and category labels."""
    group = supply.category.split(".", 1)[0]
    labels = [*reference.category_names.get(supply.category, ()), *reference.category_names.get(group, ())]
    return " ".join([supply.name, supply.name, supply.name_en or "", supply.description, *labels])


def valid_stars(supply: Supply, today: dt.date) -> int:
    if supply.stars is None or (supply.star_expires_on is not None and supply.star_expires_on < today):
        return 0
    return supply.stars


def satisfied_codes(supply: Supply, reference: Reference, today: dt.date) -> frozenset[str]:
    """Every requirement code the product's valid certificates satisfy."""
    held = {c.code for c in supply.certificates if c.expires_on is None or c.expires_on >= today}
    return frozenset(code for code, satisfiers in reference.satisfiers.items() if held & satisfiers)


def _in_kind(amount: Amount | Rate, kind: str, pack_size: Amount | None) -> float:
    """``amount`` in the base unit of ``kind``, through the pack size when one side counts units of sale; NaN if
    the two cannot be compared."""
    source_kind = unit_kind(amount.unit)
    base = BASE_UNITS[KINDS.index(kind)]
    if source_kind == kind:
        return convert(amount.amount, amount.unit, base)
    if pack_size is None:
        return float("nan")
    pack_kind = unit_kind(pack_size.unit)
    if kind == "count" and pack_kind == source_kind:
        return convert(amount.amount, amount.unit, pack_kind_base(pack_kind)) / convert(
            pack_size.amount, pack_size.unit, pack_kind_base(pack_kind)
        )
    if source_kind == "count" and pack_kind == kind:
        return amount.amount * convert(pack_size.amount, pack_size.unit, base)
    return float("nan")


def pack_kind_base(kind: str) -> str:
    return BASE_UNITS[KINDS.index(kind)]


def capacity_per_month(supply: Supply, kind: str) -> float:
    """Monthly capacity in the base unit of ``kind``; NaN when unknown or not comparable."""
    if supply.capacity is None:
        return float("nan")
    return per_month(_in_kind(supply.capacity, kind, supply.pack_size), supply.capacity.per)


def min_order_in(supply: Supply, kind: str) -> float:
    if supply.min_order is None:
        return float("nan")
    return _in_kind(supply.min_order, kind, supply.pack_size)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(np.radians, (a[0], a[1], b[0], b[1]))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return float(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(h)))


def _one_hot(index: IntArray, width: int) -> FloatArray:
    matrix = np.zeros((index.size, width))
    matrix[np.arange(index.size), index] = 1.0
    return matrix


def _linear_features(parts: dict[str, FloatArray]) -> tuple[FloatArray, dict[str, slice]]:
    """Side by side, the product encodings every linear factor is a weighted sum over, and where each one sits."""
    slices, start = {}, 0
    for name, part in parts.items():
        slices[name] = slice(start, start + part.shape[1])
        start += part.shape[1]
    return np.hstack(list(parts.values())), slices


@dataclass(frozen=True, slots=True)
class Catalogue:
    """A fitted catalogue; attributes ending in ``_`` are arrays aligned with ``supplies``."""

    supplies: tuple[Supply, ...]
    reference: Reference
    today: dt.date
    vectorizer_: TfidfVectorizer
    text_: sparse.csr_matrix
    text_by_feature_: sparse.csr_matrix
    subgroups_: tuple[str, ...]
    keywords_: dict[tuple[str, ...], frozenset[int]]
    subgroup_group_: IntArray
    groups_: tuple[str, ...]
    product_subgroup_: IntArray
    stars_: FloatArray
    valid_stars_: IntArray
    raw_stars_: IntArray
    requirement_codes_: tuple[str, ...]
    satisfies_: FloatArray
    capacity_: FloatArray
    min_order_: FloatArray
    countries_: tuple[str, ...]
    markets_: sparse.csr_matrix
    exports_any_: BoolArray
    months_: FloatArray
    provinces_: tuple[str, ...]
    product_province_: IntArray
    distance_km_: FloatArray
    unsatisfied_: FloatArray
    unsatisfied_by_code_: BoolArray
    features_: FloatArray
    features_by_product_: FloatArray
    feature_slices_: dict[str, slice]

    @property
    def size(self) -> int:
        return len(self.supplies)

    def keyword_votes(self, texts: Sequence[str]) -> FloatArray:
        """Per text and subgroup, the words of the text spotted among the subgroup's keywords."""
        longest = max(map(len, self.keywords_), default=0)
        size = len(self.subgroups_)
        return np.array([keyword_votes(text, self.keywords_, longest, size) for text in texts]).reshape(-1, size)


def fit_catalogue(supplies: tuple[Supply, ...] | list[Supply], reference: Reference, today: dt.date) -> Catalogue:
    """Fit the text model on the catalogue and lay every other attribute out as arrays."""
    supplies = tuple(supplies)
    vectorizer = text_vectorizer(len(supplies))
    subgroups = tuple(sorted(code for code in reference.category_names if "." in code))
    groups = tuple(sorted({code.split(".", 1)[0] for code in subgroups}))
    corpus = [product_text(s, reference) for s in supplies] or [
        " ".join(n for p in reference.category_names.values() for n in p)
    ]
    text = sparse.csr_matrix(vectorizer.fit_transform(corpus))[: len(supplies)]
    subgroup_index = {code: i for i, code in enumerate(subgroups)}
    requirement_codes = tuple(sorted(reference.satisfiers))
    countries = tuple(sorted({m for s in supplies for m in s.export_markets}))
    country_index = {code: i for i, code in enumerate(countries)}
    provinces = tuple(sorted(reference.province_coordinates))
    province_index = {code: i for i, code in enumerate(provinces)}

    satisfies = np.zeros((len(supplies), len(requirement_codes)))
    months = np.zeros((len(supplies), 12))
    rows, cols = [], []
    for i, supply in enumerate(supplies):
        codes = satisfied_codes(supply, reference, today)
        satisfies[i] = [code in codes for code in requirement_codes]
        months[i, [m - 1 for m in supply.months_available] or list(range(12))] = 1.0
        for market in supply.export_markets:
            rows.append(i)
            cols.append(country_index[market])
    markets = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(supplies), max(len(countries), 1)), dtype=np.float64
    )
    coordinates = [reference.province_coordinates[p] for p in provinces]
    distance = np.array([[haversine_km(a, b) for b in coordinates] for a in coordinates]).reshape(
        len(provinces), len(provinces)
    )
    valid = np.array([valid_stars(s, today) for s in supplies], dtype=np.int64)
    stars = np.where(valid > 0, (valid - 2) / 3.0, 0.0)
    product_subgroup = np.array([subgroup_index.get(s.category, len(subgroups)) for s in supplies], dtype=np.int64)
    product_province = np.array([province_index.get(s.province_code, len(provinces)) for s in supplies], dtype=np.int64)
    exports_any = np.array([bool(s.export_markets) for s in supplies], dtype=np.bool_)
    features, slices = _linear_features(
        {
            "category": _one_hot(product_subgroup, len(subgroups) + 1),
            "region": _one_hot(product_province, len(provinces) + 1),
            "certification": satisfies,
            "season": months,
            "stars": stars[:, None],
            "exports_any": exports_any[:, None].astype(np.float64),
            "markets": markets.toarray()[:, : len(countries)],
        }
    )
    return Catalogue(
        supplies=supplies,
        reference=reference,
        today=today,
        vectorizer_=vectorizer,
        text_=text,
        text_by_feature_=sparse.csr_matrix(text.T),
        subgroups_=subgroups,
        keywords_=keyword_index(reference.category_keywords, subgroups, reference.ignored_phrases),
        subgroup_group_=np.array([groups.index(c.split(".", 1)[0]) for c in subgroups], dtype=np.int64),
        groups_=groups,
        product_subgroup_=product_subgroup,
        stars_=stars,
        valid_stars_=valid,
        raw_stars_=np.array([s.stars or 0 for s in supplies], dtype=np.int64),
        requirement_codes_=requirement_codes,
        satisfies_=satisfies,
        capacity_=np.array([[capacity_per_month(s, kind) for kind in KINDS] for s in supplies]).reshape(-1, 3),
        min_order_=np.array([[min_order_in(s, kind) for kind in KINDS] for s in supplies]).reshape(-1, 3),
        countries_=countries,
        markets_=markets,
        exports_any_=exports_any,
        months_=months,
        provinces_=provinces,
        product_province_=product_province,
        distance_km_=distance,
        unsatisfied_=1.0 - satisfies,
        unsatisfied_by_code_=np.ascontiguousarray(satisfies.T == 0),
        features_=features,
        features_by_product_=np.ascontiguousarray(features.T),
        feature_slices_=slices,
    )
