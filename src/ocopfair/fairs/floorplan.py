"""The floor plan as a standalone SVG: halls and booths to scale, coloured by product group, province or status.

Pure: plain values in, a deterministic SVG document out (built with ElementTree, so every name is escaped).
Each booth carries ``data-booth-code`` and ``data-status`` and a ``<title>`` tooltip, for pages that make it
clickable. Premium and corner booths have a dashed border, locked ones a thick dark outline.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

ColourBy = Literal["group", "province", "status"]
Language = Literal["vi", "en"]

PX_PER_M = 20.0
MARGIN_PX = 16.0
TITLE_PX = 34.0
LEGEND_ROW_PX = 20.0
LEGEND_ROWS = 8
LEGEND_COLUMN_PX = 260.0
FREE = "#e9ecef"
# Okabe–Ito, safe for colour-blind readers, one per OCOP product group.
GROUP_COLOURS = {
    "food": "#e69f00",
    "beverage": "#56b4e9",
    "herbal": "#009e73",
    "handicraft": "#cc79a7",
    "ornamental": "#f0e442",
    "tourism": "#0072b2",
}
# Kelly's colours of maximum contrast, then Tableau's; a province keeps its colour whatever else is drawn.
PROVINCE_PALETTE = (
    "#f3c300", "#875692", "#f38400", "#a1caf1", "#be0032", "#c2b280", "#848482", "#008856", "#e68fac",
    "#0067a5", "#f99379", "#604e97", "#f6a600", "#b3446c", "#dcd300", "#882d17", "#8db600", "#654522",
    "#e25822", "#2b3d26", "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac", "#1b9e77", "#d95f02", "#7570b3", "#e7298a",
)  # fmt: skip
STATUS_COLOURS = {"available": FREE, "held": "#f5b700", "confirmed": "#2e9e44"}
STATUS_LABELS = {
    "vi": {"available": "Trống", "held": "Đang giữ", "confirmed": "Đã xác nhận", "locked": "Khóa"},
    "en": {"available": "Free", "held": "Held", "confirmed": "Confirmed", "locked": "Locked"},
}
SPECIAL_LABELS = {"vi": "Gian góc / cao cấp (viền đứt)", "en": "Corner / premium booth (dashed border)"}


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


def province_colour(code: str) -> str:
    """A stable colour per province code: the same province is the same colour on every plan."""
    return PROVINCE_PALETTE[zlib.crc32(code.encode()) % len(PROVINCE_PALETTE)]


def text_colour(fill: str) -> str:
    """Dark text on light fills, white on dark ones (WCAG relative luminance)."""
    channels = [int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#1b1b1b" if luminance > 0.23 else "#ffffff"


def _fill(booth: PlanBooth, colour_by: ColourBy) -> tuple[str, str | None]:
    """The booth's fill and its legend label (None: free)."""
    if colour_by == "status":
        return STATUS_COLOURS.get(booth.status, FREE), booth.status
    if booth.exhibitor_name is None:
        return FREE, None
    if colour_by == "group" and booth.group_code:
        return GROUP_COLOURS.get(booth.group_code, "#999999"), booth.group_name or booth.group_code
    if colour_by == "province" and booth.province_code:
        return province_colour(booth.province_code), booth.province_name or booth.province_code
    return "#999999", None


LEGAL_FORMS = ("Công ty TNHH MTV ", "Công ty TNHH ", "Công ty CP ", "Công ty ", "HTX ", "Hộ kinh doanh ", "Cơ sở ")


def shorten(name: str, width_px: float, font_px: float) -> str:
    """As much of ``name`` as fits ``width_px`` at about 0.55 em per letter, with "…" when cut; the legal form
    ("Công ty TNHH", "HTX"…) goes first, since it tells booths apart least."""
    for form in LEGAL_FORMS:
        if name.startswith(form) and len(name) > len(form):
            name = name[len(form) :]
            break
    fits = max(int(width_px / (0.55 * font_px)), 1)
    return name if len(name) <= fits else name[: max(fits - 1, 1)].rstrip() + "…"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _px(metres: float) -> str:
    return f"{metres * PX_PER_M:.1f}"


def _booth(parent: ET.Element, booth: PlanBooth, colour_by: ColourBy, language: Language, top: float) -> str | None:
    fill, label = _fill(booth, colour_by)
    group = _sub(parent, "g", data_booth_code=booth.code, data_status=booth.status, class_="booth")
    holder = booth.exhibitor_name or STATUS_LABELS[language]["available"]
    where = f" · {booth.province_name}" if booth.province_name else ""
    _sub(group, "title", f"{booth.code} · {holder}{where} · {STATUS_LABELS[language].get(booth.status, booth.status)}")
    x, y = booth.x_m * PX_PER_M + MARGIN_PX, booth.y_m * PX_PER_M + top
    width, height = booth.width_m * PX_PER_M, booth.depth_m * PX_PER_M
    outline = {"stroke": "#1b1b1b", "stroke_width": "3"} if booth.locked else {"stroke": "#6c757d", "stroke_width": "1"}
    if booth.booth_type in ("premium", "corner"):
        outline["stroke_dasharray"] = "4 2"
    _sub(group, "rect", x=f"{x:.1f}", y=f"{y:.1f}", width=f"{width:.1f}", height=f"{height:.1f}", fill=fill, **outline)
    font = max(min(width / 6, height / 3.2), 6.0)
    ink = text_colour(fill)
    _sub(group, "text", booth.code, x=f"{x + 3:.1f}", y=f"{y + font + 2:.1f}", font_size=f"{font:.1f}", fill=ink)
    if booth.exhibitor_name:
        short = shorten(booth.exhibitor_name, width - 6, font * 0.85)
        _sub(
            group,
            "text",
            short,
            x=f"{x + 3:.1f}",
            y=f"{y + 2 * font + 4:.1f}",
            font_size=f"{font * 0.85:.1f}",
            fill=ink,
        )
    return label if label and (colour_by == "status" or booth.exhibitor_name) else None


def _legend(parent: ET.Element, entries: list[tuple[str, str]], top: float, language: Language) -> None:
    """Entries in columns of ``LEGEND_ROWS``, then the mark of corner and premium booths."""
    items = [*entries, ("#ffffff", SPECIAL_LABELS[language])]
    for index, (fill, label) in enumerate(items):
        x = MARGIN_PX + (index // LEGEND_ROWS) * LEGEND_COLUMN_PX
        y = top + (index % LEGEND_ROWS) * LEGEND_ROW_PX
        mark = {"stroke_dasharray": "4 2"} if index == len(entries) else {}
        if label == STATUS_LABELS[language]["locked"]:
            mark = {"stroke": "#1b1b1b", "stroke_width": "3"}
        _sub(
            parent,
            "rect",
            x=f"{x:.1f}",
            y=f"{y:.1f}",
            width="14",
            height="14",
            fill=fill,
            **{"stroke": "#6c757d", **mark},
        )
        _sub(parent, "text", label, x=f"{x + 20:.1f}", y=f"{y + 12:.1f}", font_size="12", fill="#1b1b1b")


def render_floorplan(
    title: str,
    halls: Sequence[PlanHall],
    booths: Sequence[PlanBooth],
    colour_by: ColourBy,
    language: Language = "vi",
) -> str:
    """The plan as an SVG document; the legend lists only the colours used, then the locked and special marks."""
    width_m = max((h.x_m + h.width_m for h in halls), default=0.0)
    depth_m = max((h.y_m + h.depth_m for h in halls), default=0.0)
    top = MARGIN_PX + TITLE_PX
    used: dict[str, str] = {}
    body = ET.Element("g")
    for hall in halls:
        x, y = hall.x_m * PX_PER_M + MARGIN_PX, hall.y_m * PX_PER_M + top
        _sub(
            body,
            "rect",
            x=f"{x:.1f}",
            y=f"{y:.1f}",
            width=_px(hall.width_m),
            height=_px(hall.depth_m),
            fill="#ffffff",
            stroke="#343a40",
            stroke_width="2",
        )
        _sub(
            body, "text", hall.name, x=f"{x:.1f}", y=f"{y - 6:.1f}", font_size="13", font_weight="bold", fill="#1b1b1b"
        )
    for booth in sorted(booths, key=lambda b: b.code):
        label = _booth(body, booth, colour_by, language, top)
        if label:
            used.setdefault(label, _fill(booth, colour_by)[0])
    entries = sorted(
        ((fill, STATUS_LABELS[language].get(label, label)) for label, fill in used.items()), key=lambda e: e[1]
    )
    if any(b.locked for b in booths):
        entries.append(("#ffffff", STATUS_LABELS[language]["locked"]))
    legend_top = top + depth_m * PX_PER_M + 24
    width_px = max(width_m * PX_PER_M + 2 * MARGIN_PX, 360.0)
    height_px = legend_top + min(len(entries) + 1, LEGEND_ROWS) * LEGEND_ROW_PX + MARGIN_PX
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": f"{width_px:.0f}",
            "height": f"{height_px:.0f}",
            "viewBox": f"0 0 {width_px:.0f} {height_px:.0f}",
            "font-family": "Noto Sans, DejaVu Sans, Arial, sans-serif",
        },
    )
    _sub(svg, "title", title)
    _sub(svg, "rect", x="0", y="0", width=f"{width_px:.0f}", height=f"{height_px:.0f}", fill="#fafafa")
    _sub(
        svg,
        "text",
        title,
        x=f"{MARGIN_PX:.1f}",
        y=f"{MARGIN_PX + 14:.1f}",
        font_size="18",
        font_weight="bold",
        fill="#1b1b1b",
    )
    svg.append(body)
    _legend(svg, entries, legend_top, language)
    return ET.tostring(svg, encoding="unicode", xml_declaration=False)
