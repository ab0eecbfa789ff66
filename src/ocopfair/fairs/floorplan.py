"""The floor plan as a standalone SVG: halls and booths to scale, coloured by product group, province or status.

Pure: plain values in, the same bytes out for the same values. User units are the fair's metres (a booth's ``x``
in the SVG is its ``x_m``), shown at ``PX_PER_M`` pixels a metre. Built with ElementTree, so every name is escaped.
Each booth is a ``<g>`` with ``data-booth-code``, ``data-status`` and a ``<title>`` tooltip, for pages that make
booths clickable. Corner booths have a dashed border, premium ones a double border, locked ones a thick dark
outline and a padlock.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

ColourBy = Literal["group", "province", "status"]
Language = Literal["vi", "en"]

PX_PER_M = 24
MARGIN_M = 1.5
LEGEND_FONT_M = 0.6
EM_WIDTH = 0.58  # average advance of a letter, in ems, in the sans fonts browsers pick for Vietnamese
INK, WHITE, FREE, OTHER, EDGE = "#1b1b1b", "#ffffff", "#e9ecef", "#9e9e9e", "#868e96"
# Okabe–Ito, safe for colour-blind readers, one per OCOP product group, in the order of the decision.
GROUP_COLOURS = {
    "food": "#e69f00",
    "beverage": "#56b4e9",
    "herbal": "#009e73",
    "handicraft": "#cc79a7",
    "ornamental": "#f0e442",
    "tourism": "#0072b2",
}
# The 34 provinces from north to south, and 34 colours picked far apart in CIELAB (Glasbey's method), ordered so
# that neighbours in this list, who often exhibit side by side, differ most. A code not listed gets a hashed one.
PROVINCES = (
    "tuyen_quang", "cao_bang", "lai_chau", "lao_cai", "thai_nguyen", "dien_bien", "lang_son", "son_la", "phu_tho",
    "ha_noi", "quang_ninh", "bac_ninh", "hai_phong", "hung_yen", "ninh_binh", "thanh_hoa", "nghe_an", "ha_tinh",
    "quang_tri", "hue", "da_nang", "quang_ngai", "khanh_hoa", "gia_lai", "dak_lak", "lam_dong", "ho_chi_minh",
    "dong_nai", "tay_ninh", "can_tho", "vinh_long", "dong_thap", "ca_mau", "an_giang",
)  # fmt: skip
PROVINCE_PALETTE = (
    "#bb0044", "#66dd77", "#00bbff", "#ee5555", "#117700", "#4488dd", "#aa4400", "#119966", "#7777ee", "#ffaa44",
    "#00ddbb", "#774499", "#775511", "#55ddee", "#aa2288", "#aa9900", "#007799", "#ff6699", "#77aa33", "#555588",
    "#ee8877", "#88cc99", "#cc88ee", "#994433", "#006655", "#bbbbff", "#eebb88", "#556600", "#ff99dd", "#995566",
    "#bbcc77", "#ffaabb", "#aa77aa", "#778855",
)  # fmt: skip
STATUS_COLOURS = {"available": FREE, "held": "#f5b700", "confirmed": "#2e9e44"}
WORDS = {
    "vi": {"available": "Trống", "held": "Đang giữ", "confirmed": "Đã xác nhận", "locked": "Khóa", "other": "Khác",
           "corner": "Gian góc", "premium": "Gian cao cấp", "empty": "Chưa có gian hàng nào.",
           "group": "Sơ đồ gian hàng theo nhóm sản phẩm", "province": "Sơ đồ gian hàng theo tỉnh, thành",
           "status": "Sơ đồ gian hàng theo trạng thái"},
    "en": {"available": "Free", "held": "Held", "confirmed": "Confirmed", "locked": "Locked", "other": "Other",
           "corner": "Corner booth", "premium": "Premium booth", "empty": "No booths yet.",
           "group": "Floor plan by product group", "province": "Floor plan by province",
           "status": "Floor plan by booth status"},
}  # fmt: skip
LEGAL_FORMS = ("Công ty TNHH MTV ", "Công ty TNHH ", "Công ty Cổ phần ", "Công ty CP ", "Công ty ", "Hợp tác xã ",
               "HTX ", "Hộ kinh doanh ", "Cơ sở ")  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlanHall:
    code: str
    name: str
    x_m: float
    y_m: float
    width_m: float
    depth_m: float


@dataclass(frozen=True, slots=True)
class PlanBooth:
    code: str
    hall_code: str
    x_m: float
    y_m: float
    width_m: float
    depth_m: float
    booth_type: str
    zone: str | None
    status: str
    locked: bool
    exhibitor_name: str | None
    province_code: str | None
    province_name: str | None
    group_code: str | None
    group_name: str | None


def _n(value: float) -> str:
    """A coordinate to the millimetre, without trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _sub(parent: ET.Element, tag: str, text: str | None = None, /, **attributes: float | str) -> ET.Element:
    """A child element; ``font_size`` becomes ``font-size``, ``class_`` becomes ``class``, numbers get ``_n``."""
    names = {key: key.rstrip("_").replace("_", "-") for key in attributes}
    values = {names[k]: _n(v) if isinstance(v, float | int) else v for k, v in attributes.items()}
    element = ET.SubElement(parent, tag, values)
    element.text = text
    return element


def _ink(fill: str) -> str:
    """Whichever of dark and white text contrasts more with ``fill`` (WCAG relative luminance)."""
    channels = [int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return INK if (luminance + 0.05) / 0.0611 >= 1.05 / (luminance + 0.05) else WHITE


def _category(booth: PlanBooth, colour_by: ColourBy, words: dict[str, str]) -> tuple[tuple[int, int], str, str]:
    """The booth's legend rank, fill and label."""
    if colour_by == "status":
        rank = list(STATUS_COLOURS).index(booth.status) if booth.status in STATUS_COLOURS else len(STATUS_COLOURS)
        return (0, rank), STATUS_COLOURS.get(booth.status, OTHER), words.get(booth.status, booth.status)
    if booth.exhibitor_name is None:
        return (2, 0), FREE, words["available"]
    if colour_by == "group" and booth.group_code in GROUP_COLOURS:
        code = booth.group_code
        return (0, list(GROUP_COLOURS).index(code)), GROUP_COLOURS[code], booth.group_name or code
    if colour_by == "province" and booth.province_code:
        code, label = booth.province_code, booth.province_name or booth.province_code
        if code in PROVINCES:
            return (0, PROVINCES.index(code)), PROVINCE_PALETTE[PROVINCES.index(code)], label
        return (0, len(PROVINCES)), PROVINCE_PALETTE[zlib.crc32(code.encode()) % len(PROVINCE_PALETTE)], label
    return (1, 0), OTHER, words["other"]


def _lines(name: str, per_line: int, most: int) -> list[str]:
    """The name without its legal form, word-wrapped into at most ``most`` lines of ``per_line`` letters; "…"
    marks a cut."""
    name = next((name[len(form) :] for form in LEGAL_FORMS if name.startswith(form) and name != form), name)
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    cut = len(lines) > most or any(len(line) > per_line for line in lines[:most])
    lines = [line[:per_line] for line in lines[:most]]
    if cut and lines:
        lines[-1] = lines[-1][: max(per_line - 1, 1)].rstrip() + "…"
    return lines


def _booth(parent: ET.Element, booth: PlanBooth, fill: str, words: dict[str, str]) -> None:
    x, y, width, depth = booth.x_m, booth.y_m, booth.width_m, booth.depth_m
    group = _sub(parent, "g", class_="booth", data_booth_code=booth.code, data_status=booth.status)
    facts = [booth.code, booth.exhibitor_name or words["available"], booth.province_name, booth.group_name]
    facts += [words.get(booth.status, booth.status), words["locked"] if booth.locked else None]
    _sub(group, "title", " · ".join(fact for fact in facts if fact))
    border: dict[str, float | str] = (
        {"stroke": INK, "stroke_width": 0.2} if booth.locked else {"stroke": EDGE, "stroke_width": 0.05}
    )
    if booth.booth_type == "corner":
        border = {"stroke": INK, "stroke_width": 0.2 if booth.locked else 0.1, "stroke_dasharray": "0.45 0.25"}
    _sub(group, "rect", x=x, y=y, width=width, height=depth, fill=fill, **border)
    if booth.booth_type == "premium":
        inset = min(0.25, width / 8, depth / 8)
        _sub(group, "rect", x=x + inset, y=y + inset, width=width - 2 * inset, height=depth - 2 * inset,
             fill="none", stroke=_ink(fill), stroke_width=0.05)  # fmt: skip
    pad, font, ink = min(0.2, width / 10), max(min(width / 5.5, depth / 4.5, 1.0), 0.15), _ink(fill)
    _sub(group, "text", booth.code, x=x + 1.5 * pad, y=y + pad + font, font_size=font, font_weight="bold", fill=ink)
    if booth.locked:
        size = min(width, depth) / 6
        left, top = x + width - 1.5 * pad - size, y + 1.5 * pad
        lock = _sub(group, "g", class_="lock", fill=ink, stroke=ink)
        _sub(lock, "rect", x=left, y=top + 0.45 * size, width=size, height=0.55 * size, stroke="none")
        _sub(lock, "path", d=f"M{_n(left + 0.2 * size)} {_n(top + 0.45 * size)}V{_n(top + 0.3 * size)}"
             f"a{_n(0.3 * size)} {_n(0.3 * size)} 0 0 1 {_n(0.6 * size)} 0V{_n(top + 0.45 * size)}",
             fill="none", stroke_width=0.12 * size)  # fmt: skip
    if booth.exhibitor_name:
        small = 0.8 * font
        per_line = max(int((width - 3 * pad) / (EM_WIDTH * small)), 1)
        most = max(int((depth - 2 * pad - font - 0.5 * small) / (1.2 * small)), 1)
        text = _sub(group, "text", class_="name", font_size=small, fill=ink)
        for index, line in enumerate(_lines(booth.exhibitor_name, per_line, most)):
            _sub(text, "tspan", line, x=x + 1.5 * pad, y=y + pad + font + (index + 1.2) * 1.2 * small)


def _legend_column(entries: list[tuple[str, str, str]]) -> float:
    """The width of a legend column: a swatch and the longest label."""
    return 2.2 + EM_WIDTH * LEGEND_FONT_M * max((len(label) for _, _, label in entries), default=0)


def _legend(parent: ET.Element, entries: list[tuple[str, str, str]], x: float, y: float, width: float) -> float:
    """Swatches with labels in as many columns as fit ``width``, filled down; returns the legend's height."""
    row, column = 1.0, _legend_column(entries)
    columns = max(int(width // column), 1)
    rows = math.ceil(len(entries) / columns)
    legend = _sub(parent, "g", class_="legend", font_size=LEGEND_FONT_M, fill=INK)
    for index, (mark, fill, label) in enumerate(entries):
        left, top = x + (index // rows) * column, y + (index % rows) * row
        style: dict[str, float | str] = {"stroke": EDGE, "stroke_width": 0.05}
        if mark == "locked":
            style = {"stroke": INK, "stroke_width": 0.15}
        elif mark == "corner":
            style = {"stroke": INK, "stroke_width": 0.08, "stroke_dasharray": "0.25 0.12"}
        swatch = _sub(legend, "g", class_="entry", data_mark=mark)
        _sub(swatch, "rect", x=left, y=top, width=1.1, height=0.75, fill=fill, **style)
        if mark == "premium":
            _sub(swatch, "rect", x=left + 0.15, y=top + 0.15, width=0.8, height=0.45, fill="none", stroke=EDGE,
                 stroke_width=0.05)  # fmt: skip
        _sub(swatch, "text", label, x=left + 1.5, y=top + 0.6)
    return rows * row


def _scale_bar(parent: ET.Element, right: float, y: float, length: int) -> None:
    """A bar ``length`` metres long ending at ``right``, to show the plan is drawn to scale."""
    bar = _sub(parent, "g", class_="scale", stroke=INK, stroke_width=0.08)
    _sub(bar, "path", d=f"M{_n(right - length)} {_n(y - 0.35)}V{_n(y)}H{_n(right)}V{_n(y - 0.35)}", fill="none")
    _sub(bar, "text", f"{length} m", x=right - length - 0.3, y=y, font_size=0.6, text_anchor="end", fill=INK,
         stroke="none")  # fmt: skip


def render_floorplan(
    title: str,
    halls: Sequence[PlanHall],
    booths: Sequence[PlanBooth],
    colour_by: ColourBy,
    language: Language = "vi",
) -> str:
    """The plan as an SVG 1.1 document: a title, the halls with their booths, then a legend of the colours and
    marks actually used."""
    words = WORDS[language]
    boxes = [(h.x_m, h.y_m, h.x_m + h.width_m, h.y_m + h.depth_m) for h in halls]
    boxes += [(b.x_m, b.y_m, b.x_m + b.width_m, b.y_m + b.depth_m) for b in booths]
    boxes = boxes or [(0.0, 0.0, 0.0, 0.0)]
    left = math.floor(min(box[0] for box in boxes) - MARGIN_M)
    right = math.ceil(max(box[2] for box in boxes) + MARGIN_M)
    top = math.floor(min(box[1] for box in boxes) - 4.5)
    plan_bottom = max(box[3] for box in boxes)
    plan = ET.Element("g", {"class": "plan"})
    for hall in sorted(halls, key=lambda h: h.code):
        _sub(plan, "rect", class_="hall", x=hall.x_m, y=hall.y_m, width=hall.width_m, height=hall.depth_m,
             fill=WHITE, stroke="#343a40", stroke_width=0.15)  # fmt: skip
        _sub(plan, "text", hall.name or hall.code, x=hall.x_m, y=hall.y_m - 0.4, font_size=0.8, font_weight="bold")
    used: dict[str, tuple[tuple[int, int], str]] = {}
    for booth in sorted(booths, key=lambda b: b.code):
        rank, fill, label = _category(booth, colour_by, words)
        used.setdefault(label, (rank, fill))
        _booth(plan, booth, fill, words)
    entries = [("colour", fill, label) for label, (_, fill) in sorted(used.items(), key=lambda item: item[1][0])]
    entries += [("locked", WHITE, words["locked"])] if any(b.locked for b in booths) else []
    entries += [
        (kind, WHITE, words[kind]) for kind in ("corner", "premium") if any(b.booth_type == kind for b in booths)
    ]
    right = max(right, math.ceil(left + 2 * MARGIN_M + max(_legend_column(entries), EM_WIDTH * len(title))))
    svg = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "version": "1.1"})
    _sub(svg, "title", title)
    background = _sub(svg, "rect", fill=WHITE)
    _sub(svg, "text", title, x=left + MARGIN_M, y=top + 1.5, font_size=1.0, font_weight="bold")
    _sub(svg, "text", words[colour_by], x=left + MARGIN_M, y=top + 2.5, font_size=0.6, fill="#495057")
    if not booths:
        _sub(svg, "text", words["empty"], x=left + MARGIN_M, y=plan_bottom + 1.0, font_size=0.7, fill="#495057")
    _scale_bar(svg, right - MARGIN_M, top + 2.5, 10 if right - left >= 40 else 5)
    svg.append(plan)
    legend_top = plan_bottom + (2.5 if booths else 2.0)
    bottom = math.ceil(legend_top + _legend(svg, entries, left + MARGIN_M, legend_top, right - left - 2 * MARGIN_M))
    width, height = right - left, bottom + 1 - top
    background.attrib.update({"x": str(left), "y": str(top), "width": str(width), "height": str(height)})
    svg.attrib.update({"width": str(width * PX_PER_M), "height": str(height * PX_PER_M)})
    svg.attrib.update(
        {"viewBox": f"{left} {top} {width} {height}", "font-family": "Noto Sans, DejaVu Sans, sans-serif"}
    )
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(svg, encoding="unicode") + "\n"
