"""Why a product matches a demand, in the buyer's language: "4★ OCOP · HACCP ✓ (bắt buộc) · cung cấp 5 t/tháng…"."""

from __future__ import annotations

import math

from matching.catalogue import Catalogue, capacity_per_month, haversine_km, min_order_in, valid_stars
from matching.quantities import convert, per_month, unit_kind
from matching.rules import BASE_UNITS, HOME_MARKET, KINDS
from matching.types import Language, Need, Supply

COUNT_NAMES_VI = {
    "piece": "cái",
    "bottle": "chai",
    "jar": "hũ",
    "box": "hộp",
    "pack": "gói",
    "bag": "túi",
    "can": "lon",
    "set": "bộ",
    "carton": "thùng",
    "tray": "khay",
}
PERIODS = {
    "vi": {"day": "ngày", "week": "tuần", "month": "tháng", "quarter": "quý", "year": "năm"},
    "en": {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"},
}
TEXTS = {
    "vi": {
        "stars_expired": "OCOP {stars}★ (chứng nhận hết hạn)",
        "required": "{held} ✓ (bắt buộc)",
        "required_via": "{held} ✓ đáp ứng {code} (bắt buộc)",
        "preferred": "{held} ✓",
        "preferred_missing": "chưa có {code}",
        "supplies": "cung cấp {supply}/{period}, bạn cần {need}",
        "not_comparable": "không so sánh được sản lượng ({supply_unit} và {need_unit}, thiếu quy cách đóng gói)",
        "no_capacity": "chưa công bố sản lượng",
        "min_order": "đơn tối thiểu {amount}",
        "exported_there": "đã xuất khẩu sang {market}",
        "exported_elsewhere": "đã xuất khẩu ({markets}), chưa sang {market}",
        "never_exported": "chưa xuất khẩu",
        "preferred_province": "tỉnh ưu tiên: {province}",
        "distance": "{province}, cách ~{km} km",
        "season": "có hàng {have}/{need} tháng cần",
        "category": "đúng ngành hàng: {category}",
    },
    "en": {
        "stars_expired": "OCOP {stars}★ (certificate expired)",
        "required": "{held} ✓ (required)",
        "required_via": "{held} ✓ meets {code} (required)",
        "preferred": "{held} ✓",
        "preferred_missing": "no {code}",
        "supplies": "supplies {supply}/{period} of your {need}",
        "not_comparable": "volume not comparable ({supply_unit} vs {need_unit}, no pack size)",
        "no_capacity": "capacity not stated",
        "min_order": "minimum order {amount}",
        "exported_there": "has exported to {market}",
        "exported_elsewhere": "exports to {markets}, not yet to {market}",
        "never_exported": "not exported yet",
        "preferred_province": "preferred province: {province}",
        "distance": "{province}, ~{km} km away",
        "season": "available in {have} of the {need} months needed",
        "category": "category: {category}",
    },
}


def format_number(value: float, language: Language) -> str:
    """Whole numbers from 100 up, three significant figures below; separators by language (vi 1.200, en 1,200)."""
    if value == 0 or not math.isfinite(value):
        return "0"
    digits = max(0, 2 - math.floor(math.log10(abs(value))))
    text = f"{round(value, digits):,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if language == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def unit_label(unit: str, language: Language) -> str:
    return COUNT_NAMES_VI.get(unit, unit) if language == "vi" else unit


def _amount(value: float, unit: str, language: Language) -> str:
    return f"{format_number(value, language)} {unit_label(unit, language)}"


def _certificate_name(code: str) -> str:
    return code.replace("_", " ").upper().replace("GLOBALGAP", "GlobalGAP").replace("VIETGAP", "VietGAP")


def _certificates(need: Need, supply: Supply, catalogue: Catalogue, texts: dict[str, str]) -> list[str]:
    today, satisfiers = catalogue.today, catalogue.reference.satisfiers
    held = [c.code for c in supply.certificates if c.expires_on is None or c.expires_on >= today]
    reasons = []
    for code in need.required_certifications:
        meeting = [h for h in held if h in satisfiers.get(code, frozenset({code}))]
        if meeting:
            via = code if code in meeting else meeting[0]
            key = "required" if via == code else "required_via"
            reasons.append(texts[key].format(held=_certificate_name(via), code=_certificate_name(code)))
    for code in need.preferred_certifications:
        meeting = [h for h in held if h in satisfiers.get(code, frozenset({code}))]
        if meeting:
            reasons.append(texts["preferred"].format(held=_certificate_name(code if code in meeting else meeting[0])))
        else:
            reasons.append(texts["preferred_missing"].format(code=_certificate_name(code)))
    return reasons


def _volume(need: Need, supply: Supply, language: Language, texts: dict[str, str]) -> list[str]:
    if need.quantity is None:
        return []
    kind = unit_kind(need.quantity.unit)
    base = BASE_UNITS[KINDS.index(kind)]
    monthly = capacity_per_month(supply, kind)
    if supply.capacity is None:
        return [texts["no_capacity"]]
    if math.isnan(monthly):
        return [
            texts["not_comparable"].format(
                supply_unit=unit_label(supply.capacity.unit, language),
                need_unit=unit_label(need.quantity.unit, language),
            )
        ]
    period = need.quantity.per
    supplied = convert(monthly, base, need.quantity.unit) / per_month(1.0, period)
    reasons = [
        texts["supplies"].format(
            supply=_amount(supplied, need.quantity.unit, language),
            need=_amount(need.quantity.amount, need.quantity.unit, language),
            period=PERIODS[language][period],
        )
    ]
    minimum = min_order_in(supply, kind)
    wanted = per_month(convert(need.quantity.amount, need.quantity.unit, base), period)
    if not math.isnan(minimum) and minimum > wanted and supply.min_order is not None:
        reasons.append(
            texts["min_order"].format(amount=_amount(supply.min_order.amount, supply.min_order.unit, language))
        )
    return reasons


def _region(need: Need, supply: Supply, catalogue: Catalogue, texts: dict[str, str]) -> list[str]:
    reference = catalogue.reference
    name = reference.province_names.get(supply.province_code, supply.province_code)
    if supply.province_code in need.preferred_provinces:
        return [texts["preferred_province"].format(province=name)]
    anchors = [p for p in need.preferred_provinces if p in reference.province_coordinates]
    if not anchors and need.buyer_province_code in reference.province_coordinates:
        anchors = [need.buyer_province_code]
    here = reference.province_coordinates.get(supply.province_code)
    if not anchors or here is None:
        return []
    km = min(haversine_km(here, reference.province_coordinates[a]) for a in anchors)
    return [texts["distance"].format(province=name, km=f"{round(km, -1):.0f}")]


def explain(need: Need, supply: Supply, catalogue: Catalogue) -> list[str]:
    """The reasons behind a match, most decisive first, in ``need.language``."""
    language = need.language
    texts = TEXTS[language]
    reasons: list[str] = []
    stars = valid_stars(supply, catalogue.today)
    if stars:
        reasons.append(f"{stars}★ OCOP")
    elif supply.stars:
        reasons.append(texts["stars_expired"].format(stars=supply.stars))
    names = catalogue.reference.category_names.get(supply.category)
    if need.categories and names:
        reasons.append(texts["category"].format(category=names[0] if language == "vi" else names[1]))
    reasons += _certificates(need, supply, catalogue, texts)
    reasons += _volume(need, supply, language, texts)
    if need.target_market and need.target_market != HOME_MARKET:
        if need.target_market in supply.export_markets:
            reasons.append(texts["exported_there"].format(market=need.target_market))
        elif supply.export_markets:
            reasons.append(
                texts["exported_elsewhere"].format(markets=", ".join(supply.export_markets), market=need.target_market)
            )
        else:
            reasons.append(texts["never_exported"])
    reasons += _region(need, supply, catalogue, texts)
    if need.needed_months:
        available = set(supply.months_available) or set(range(1, 13))
        have = len(available & set(need.needed_months))
        reasons.append(texts["season"].format(have=have, need=len(need.needed_months)))
    return reasons
