"""Charts drawn on the server as SVG: horizontal bars, and one stacked bar for parts of a whole.

Pure: labelled values in, an accessible SVG out (``role="img"`` with the values spoken in its label, numbers
printed beside the bars), scaled by the page's CSS. Built with ElementTree, so every label is escaped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

WIDTH = 320
ROW = 26
LABEL_W = 118
VALUE_W = 40
INK, MUTED, TRACK = "#1b1b1b", "#4a5159", "#e9ecef"
# Okabe–Ito, distinguishable by colour-blind readers; the same order everywhere.
PALETTE = ("#0072b2", "#009e73", "#e69f00", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#999999")


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    text: str


def _svg(height: float, summary: str) -> ET.Element:
    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {height:g}",
            "role": "img",
            "aria-label": summary,
            "font-family": "system-ui, Noto Sans, DejaVu Sans, sans-serif",
            "font-size": "12",
        },
    )
    ET.SubElement(svg, "title").text = summary
    return svg


def _markup(svg: ET.Element) -> Markup:
    return Markup(ET.tostring(svg, encoding="unicode"))  # noqa: S704  (ElementTree escapes every value)


def bar_chart(title: str, bars: Sequence[Bar]) -> Markup:
    """One bar per value, longest at the largest value, each with its label and number."""
    summary = f"{title}: " + "; ".join(f"{bar.label} {bar.text}" for bar in bars)
    svg = _svg(max(len(bars), 1) * ROW + 4, summary)
    most = max((bar.value for bar in bars), default=0) or 1
    track = WIDTH - LABEL_W - VALUE_W
    for index, bar in enumerate(bars):
        y = 4 + index * ROW
        ET.SubElement(svg, "text", {"x": "0", "y": f"{y + 15}", "fill": INK}).text = bar.label
        ET.SubElement(
            svg,
            "rect",
            {"x": f"{LABEL_W}", "y": f"{y + 3}", "width": f"{track}", "height": "16", "fill": TRACK, "rx": "3"},
        )
        width = track * bar.value / most
        if width > 0:
            ET.SubElement(
                svg,
                "rect",
                {
                    "x": f"{LABEL_W}",
                    "y": f"{y + 3}",
                    "width": f"{max(width, 2):.1f}",
                    "height": "16",
                    "fill": PALETTE[index % len(PALETTE)],
                    "rx": "3",
                },
            )
        ET.SubElement(
            svg, "text", {"x": f"{WIDTH}", "y": f"{y + 15}", "text-anchor": "end", "fill": INK, "font-weight": "bold"}
        ).text = bar.text
    return _markup(svg)


def stacked_bar(title: str, parts: Sequence[Bar]) -> Markup:
    """The parts of a whole side by side in one bar, with a legend of each part and its number."""
    summary = f"{title}: " + "; ".join(f"{part.label} {part.text}" for part in parts)
    svg = _svg(34 + len(parts) * 20, summary)
    whole = sum(part.value for part in parts) or 1
    x = 0.0
    for index, part in enumerate(parts):
        width = WIDTH * part.value / whole
        colour = PALETTE[index % len(PALETTE)]
        if width > 0:
            ET.SubElement(
                svg, "rect", {"x": f"{x:.1f}", "y": "2", "width": f"{width:.1f}", "height": "22", "fill": colour}
            )
        x += width
        y = 34 + index * 20
        ET.SubElement(svg, "rect", {"x": "0", "y": f"{y}", "width": "12", "height": "12", "fill": colour})
        ET.SubElement(svg, "text", {"x": "18", "y": f"{y + 11}", "fill": INK}).text = part.label
        ET.SubElement(
            svg, "text", {"x": f"{WIDTH}", "y": f"{y + 11}", "text-anchor": "end", "fill": MUTED, "font-weight": "bold"}
        ).text = part.text
    return _markup(svg)
