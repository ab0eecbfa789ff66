"""The floor plan made for tapping: the SVG the API serves, with each booth wrapped in a link that opens its panel.

A link works without JavaScript (it opens the booth's page) and, with HTMX, loads the panel beside the plan; SVG
links take the keyboard focus, so a booth opens with Tab and Enter too. Shown for one hall, the plan is cropped to
that hall and keeps only its booths, which suits a phone.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)


@dataclass(frozen=True, slots=True)
class Box:
    x_m: float
    y_m: float
    width_m: float
    depth_m: float

    def holds(self, x: float, y: float) -> bool:
        return self.x_m <= x <= self.x_m + self.width_m and self.y_m <= y <= self.y_m + self.depth_m


def _tag(name: str) -> str:
    return f"{{{SVG}}}{name}"


def _booth_origin(booth: ET.Element) -> tuple[float, float]:
    rect = booth.find(_tag("rect"))
    if rect is None:
        return 0.0, 0.0
    return float(rect.get("x", "0")), float(rect.get("y", "0"))


def _is_booth(element: ET.Element) -> bool:
    return element.tag == _tag("g") and element.get("class") == "booth"


def _link(booth: ET.Element, booth_url: Callable[[str], str], target: str) -> ET.Element:
    code = booth.get("data-booth-code", "")
    title = booth.find(_tag("title"))
    url = booth_url(code)
    attributes = {
        "href": url,
        "hx-get": url,
        "hx-target": target,
        "hx-swap": "innerHTML show:none",
        "class": "booth-link",
        "aria-label": (title.text if title is not None else None) or code,
    }
    link = ET.Element(_tag("a"), attributes)
    link.append(booth)
    return link


def interactive_plan(svg: str, booth_url: Callable[[str], str], target: str, hall: Box | None = None) -> Markup:
    """``svg`` (from ``render_floorplan``) with every booth a link to ``booth_url(code)`` whose panel HTMX puts
    into ``target``; cropped to ``hall`` when given."""
    root = ET.fromstring(svg.encode("utf-8"))  # noqa: S314  (our own renderer's output, not a visitor's)
    for name in ("width", "height"):
        root.attrib.pop(name, None)
    root.set("class", "floorplan")
    root.set("preserveAspectRatio", "xMinYMin meet")
    if hall is not None:
        root.set("viewBox", f"{hall.x_m - 1} {hall.y_m - 1.6} {hall.width_m + 2} {hall.depth_m + 2.6}")
    for parent in list(root.iter()):
        children = list(parent)
        if not any(_is_booth(child) for child in children):
            continue
        kept: list[ET.Element] = []
        for child in children:
            if not _is_booth(child):
                kept.append(child)
            elif hall is None or hall.holds(*_booth_origin(child)):
                kept.append(_link(child, booth_url, target))
        parent[:] = kept
    return Markup(ET.tostring(root, encoding="unicode"))  # noqa: S704  (ElementTree escapes every value)
