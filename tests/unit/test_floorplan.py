"""The SVG floor plan: a valid document drawn to scale, every booth once, escaped names, colours and legend."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

import pytest

from ocopfair.fairs.floorplan import PX_PER_M, ColourBy, PlanBooth, PlanHall, render_floorplan
from seeds import reference

SVG = "{http://www.w3.org/2000/svg}"
MODES: tuple[ColourBy, ...] = ("group", "province", "status")
HALL_A = PlanHall("A", "Nhà A", 0.0, 0.0, 34.0, 21.0)
HALL_B = PlanHall("B", "Nhà B", 40.0, 0.0, 34.0, 21.0)
GROUP_NAMES = {"food": "Thực phẩm", "beverage": "Đồ uống", "herbal": "Sản phẩm từ thảo dược"}


def booth(code: str = "A-001", x_m: float = 2.0, y_m: float = 2.0, **changes: Any) -> PlanBooth:
    """A confirmed 3 × 3 m standard booth of a food exhibitor from Thanh Hóa; ``changes`` override any field."""
    base = PlanBooth(
        code=code,
        hall_code=code.split("-", maxsplit=1)[0],
        x_m=x_m,
        y_m=y_m,
        width_m=3.0,
        depth_m=3.0,
        booth_type="standard",
        zone="food",
        status="confirmed",
        locked=False,
        exhibitor_name="Lệ Gia",
        province_code="thanh_hoa",
        province_name="Thanh Hóa",
        group_code="food",
        group_name="Thực phẩm",
    )
    return replace(base, **changes)


def free(code: str, x_m: float = 2.0, y_m: float = 2.0, **changes: Any) -> PlanBooth:
    empty = {"status": "available", "exhibitor_name": None, "province_code": None, "province_name": None}
    return booth(code, x_m, y_m, **{**empty, "group_code": None, "group_name": None, **changes})


def of_group(code: str, x_m: float, group: str) -> PlanBooth:
    return booth(code, x_m, group_code=group, group_name=GROUP_NAMES[group])


def of_province(code: str, x_m: float, province: str) -> PlanBooth:
    return booth(code, x_m, province_code=province, province_name=reference.province(province).name)


def render(
    booths: Sequence[PlanBooth],
    colour_by: ColourBy = "group",
    halls: Sequence[PlanHall] = (HALL_A, HALL_B),
    language: Literal["vi", "en"] = "vi",
) -> ET.Element:
    svg = render_floorplan("Hội chợ OCOP 2025", halls, booths, colour_by, language)
    return ET.fromstring(svg.encode())  # noqa: S314 - our own output


def booth_groups(root: ET.Element) -> dict[str, ET.Element]:
    groups = root.findall(f".//{SVG}g[@data-booth-code]")
    codes = [g.get("data-booth-code", "") for g in groups]
    assert len(codes) == len(set(codes)), "a booth is drawn twice"
    return dict(zip(codes, groups, strict=True))


def fill_of(root: ET.Element, code: str) -> str:
    return booth_groups(root)[code].findall(f"{SVG}rect")[0].get("fill", "")


def name_lines(group: ET.Element) -> list[str]:
    return [tspan.text or "" for tspan in group.findall(f"{SVG}text[@class='name']/{SVG}tspan")]


def legend(root: ET.Element) -> list[str]:
    return [text.text or "" for text in root.findall(f".//{SVG}g[@class='legend']//{SVG}text")]


def contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# ------------------------------------------------------------------------------------------------------ the document


def test_an_svg_document_to_scale() -> None:
    text = render_floorplan("Hội chợ", [HALL_A, HALL_B], [booth()], "group")
    root = render([booth()])
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert root.tag == f"{SVG}svg"
    assert root.get("version") == "1.1"
    left, top, width, height = map(float, root.get("viewBox", "").split())
    assert float(root.get("width", "")) == pytest.approx(width * PX_PER_M)
    assert float(root.get("height", "")) == pytest.approx(height * PX_PER_M)
    assert left <= 0.0
    assert left + width >= 74.0
    assert top <= 0.0
    assert top + height >= 21.0


@pytest.mark.parametrize(("hall_width", "hall_depth"), [(20.0, 15.0), (60.0, 15.0), (60.0, 45.0)])
def test_the_size_follows_the_halls(hall_width: float, hall_depth: float) -> None:
    small = render([], halls=[PlanHall("A", "A", 0.0, 0.0, 20.0, 15.0)])
    root = render([], halls=[PlanHall("A", "A", 0.0, 0.0, hall_width, hall_depth)])
    assert float(root.get("width", "")) - float(small.get("width", "")) == pytest.approx((hall_width - 20) * PX_PER_M)
    assert float(root.get("height", "")) - float(small.get("height", "")) == pytest.approx((hall_depth - 15) * PX_PER_M)


def test_halls_are_drawn_where_they_stand_with_their_names() -> None:
    root = render([])
    halls = root.findall(f".//{SVG}rect[@class='hall']")
    assert [(h.get("x"), h.get("y"), h.get("width"), h.get("height")) for h in halls] == [
        ("0", "0", "34", "21"),
        ("40", "0", "34", "21"),
    ]
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"Nhà A", "Nhà B", "Hội chợ OCOP 2025"} <= texts


@pytest.mark.parametrize("colour_by", MODES)
def test_every_booth_once_at_its_place_and_size(colour_by: ColourBy) -> None:
    booths = [
        booth("A-001", 2.0, 2.0),
        free("A-002", 5.0, 2.0),
        booth("A-011", 2.0, 7.0, width_m=4.5, depth_m=2.5, locked=True, booth_type="corner"),
        booth("B-001", 42.125, 2.0, booth_type="premium", status="held"),
    ]
    groups = booth_groups(render(booths, colour_by))
    assert sorted(groups) == ["A-001", "A-002", "A-011", "B-001"]
    for expected in booths:
        group = groups[expected.code]
        rect = group.findall(f"{SVG}rect")[0]
        drawn = [float(rect.get(name, "")) for name in ("x", "y", "width", "height")]
        assert drawn == pytest.approx([expected.x_m, expected.y_m, expected.width_m, expected.depth_m])
        assert group.get("data-status") == expected.status
        assert group.findall(f"{SVG}text")[0].text == expected.code


def test_booths_without_halls_and_nothing_at_all_still_give_a_document() -> None:
    nothing = render([], halls=[])
    assert nothing.tag == f"{SVG}svg"
    assert booth_groups(nothing) == {}
    assert legend(nothing) == []
    assert float(nothing.get("width", "0")) > 0
    assert float(nothing.get("height", "0")) > 0
    assert "Chưa có gian hàng nào." in {t.text for t in nothing.iter(f"{SVG}text")}
    assert list(booth_groups(render([booth()], halls=[]))) == ["A-001"]


def test_same_booths_in_any_order_give_the_same_bytes() -> None:
    booths = [booth(f"A-{i:03d}", 2.0 + 3 * i, locked=i % 3 == 0) for i in range(1, 11)] + [free("B-001", 42.0)]
    shuffled = booths[:]
    random.Random(3).shuffle(shuffled)
    for colour_by in MODES:
        first = render_floorplan("Hội chợ", [HALL_A, HALL_B], booths, colour_by)
        assert render_floorplan("Hội chợ", [HALL_A, HALL_B], booths, colour_by) == first
        assert render_floorplan("Hội chợ", [HALL_B, HALL_A], shuffled, colour_by) == first


# ------------------------------------------------------------------------------------------------------------- names


def test_names_are_escaped_and_read_back_unchanged() -> None:
    name = 'Tôm & Cua <Đặc sản> "Cà Mau"'
    text = render_floorplan("Hội chợ & <Triển lãm>", [HALL_A], [booth(exhibitor_name=name, width_m=30.0)], "group")
    assert "&amp;" in text
    assert "&lt;" in text
    root = ET.fromstring(text.encode())  # noqa: S314 - our own output
    group = booth_groups(root)["A-001"]
    assert name_lines(group) == [name]
    assert name in (group.findtext(f"{SVG}title") or "")
    assert root.findtext(f"{SVG}title") == "Hội chợ & <Triển lãm>"


@pytest.mark.parametrize(("width", "depth"), [(3.0, 3.0), (2.0, 2.0), (6.0, 3.0), (3.0, 1.5)])
def test_long_names_are_cut_to_fit_the_booth(width: float, depth: float) -> None:
    name = "Hợp tác xã Dịch vụ Nông nghiệp và Chế biến Nông sản Sạch Xã Quảng Phú Huyện Quảng Xương"
    group = booth_groups(render([booth(exhibitor_name=name, width_m=width, depth_m=depth)]))["A-001"]
    lines = name_lines(group)
    assert lines
    assert lines[-1].endswith("…")
    font = float(group.findall(f"{SVG}text")[1].get("font-size", ""))
    for index, line in enumerate(lines):
        assert len(line) * 0.58 * font <= width - 0.3
        assert float(group.findall(f".//{SVG}tspan")[index].get("y", "")) + 0.2 * font <= 2.0 + depth
    assert name in (group.findtext(f"{SVG}title") or "")


def test_a_legal_form_is_left_out_of_the_booth_but_not_the_tooltip() -> None:
    group = booth_groups(render([booth(exhibitor_name="Công ty TNHH Lệ Gia")]))["A-001"]
    assert name_lines(group) == ["Lệ Gia"]
    assert (group.findtext(f"{SVG}title") or "").split(" · ")[:3] == ["A-001", "Công ty TNHH Lệ Gia", "Thanh Hóa"]


def test_the_tooltip_says_code_holder_province_and_status() -> None:
    groups = booth_groups(render([booth(status="held", locked=True), free("A-002", 5.0)], language="en"))
    assert groups["A-001"].findtext(f"{SVG}title") == "A-001 · Lệ Gia · Thanh Hóa · Thực phẩm · Held · Locked"
    assert groups["A-002"].findtext(f"{SVG}title") == "A-002 · Free · Free"


# ----------------------------------------------------------------------------------------------------------- colours


def test_same_group_same_colour_other_groups_other_colours() -> None:
    booths = [
        of_group("A-001", 2.0, "food"),
        of_group("A-002", 5.0, "food"),
        of_group("A-003", 8.0, "beverage"),
        of_group("A-004", 11.0, "herbal"),
        free("A-005", 14.0),
    ]
    root = render(booths)
    fills = {b.code: fill_of(root, b.code) for b in booths}
    assert fills["A-001"] == fills["A-002"]
    assert len({fills["A-001"], fills["A-003"], fills["A-004"], fills["A-005"]}) == 4


def test_the_six_groups_have_six_colours_none_of_them_free() -> None:
    groups = [g.code for g in reference.category_groups()]
    booths = [booth(f"A-{i:03d}", 2.0 + 3 * i, group_code=g, group_name=g) for i, g in enumerate(groups)]
    root = render([*booths, free("B-001", 42.0)])
    fills = {fill_of(root, b.code) for b in booths}
    assert len(fills) == 6
    assert fill_of(root, "B-001") not in fills


@pytest.mark.parametrize("colour_by", ["group", "province"])
def test_free_booths_are_light_grey_whatever_their_zone(colour_by: ColourBy) -> None:
    root = render([free("A-001", zone="food"), free("A-002", 5.0, zone="herbal")], colour_by)
    assert fill_of(root, "A-001") == fill_of(root, "A-002")
    red, green, blue = (int(fill_of(root, "A-001")[i : i + 2], 16) for i in (1, 3, 5))
    assert min(red, green, blue) >= 200
    assert max(red, green, blue) - min(red, green, blue) <= 16


def test_a_province_keeps_its_colour_whoever_else_comes() -> None:
    alone = render([of_province("A-001", 2.0, "thanh_hoa")], "province")
    others = ["ha_noi", "nghe_an", "ca_mau", "son_la", "hue", "an_giang", "lao_cai"]
    crowded = render(
        [of_province(f"A-{i + 2:03d}", 5.0 + 3 * i, p) for i, p in enumerate(others)]
        + [of_province("A-001", 2.0, "thanh_hoa")],
        "province",
    )
    assert fill_of(alone, "A-001") == fill_of(crowded, "A-001")
    assert fill_of(render([of_province("A-001", 2.0, "ca_mau")], "province"), "A-001") == fill_of(crowded, "A-004")


def test_the_34_provinces_have_34_colours() -> None:
    codes = [p.code for p in reference.provinces()]
    booths = [of_province(f"A-{i:03d}", 3.0 * i, code) for i, code in enumerate(codes)]
    root = render([*booths, free("B-001", 42.0)], "province")
    fills = {fill_of(root, b.code) for b in booths}
    assert len(fills) == 34
    assert fill_of(root, "B-001") not in fills


def test_an_unknown_province_still_gets_a_stable_colour() -> None:
    stray = booth(province_code="atlantis", province_name="Atlantis")
    first = fill_of(render([stray], "province"), "A-001")
    assert first == fill_of(render([stray, of_province("A-002", 5.0, "ha_noi")], "province"), "A-001")
    assert first != fill_of(render([free("A-001")], "province"), "A-001")


def test_status_colours() -> None:
    booths = [
        free("A-001"),
        booth("A-002", 5.0, status="held"),
        booth("A-003", 8.0, status="confirmed"),
        booth("A-004", 11.0, status="confirmed", group_code="herbal", province_code="ca_mau"),
    ]
    root = render(booths, "status")
    assert fill_of(root, "A-001") == fill_of(render([free("A-001")], "group"), "A-001")
    assert len({fill_of(root, code) for code in ("A-001", "A-002", "A-003")}) == 3
    assert fill_of(root, "A-003") == fill_of(root, "A-004")
    red, green, blue = (int(fill_of(root, "A-003")[i : i + 2], 16) for i in (1, 3, 5))
    assert green > red
    assert green > blue
    red, green, blue = (int(fill_of(root, "A-002")[i : i + 2], 16) for i in (1, 3, 5))
    assert red > green > blue


def test_text_contrasts_with_every_fill() -> None:
    groups = [g.code for g in reference.category_groups()]
    provinces = [p.code for p in reference.provinces()]
    samples: list[tuple[ColourBy, list[PlanBooth]]] = [
        ("group", [booth(f"A-{i:03d}", 3.0 * i, group_code=g) for i, g in enumerate(groups)]),
        ("province", [of_province(f"A-{i:03d}", 3.0 * i, p) for i, p in enumerate(provinces)]),
        ("status", [free("A-001"), booth("A-002", status="held"), booth("A-003", status="confirmed")]),
    ]
    for colour_by, booths in samples:
        for group in booth_groups(render(booths, colour_by)).values():
            fill = group.findall(f"{SVG}rect")[0].get("fill", "")
            for text in group.findall(f"{SVG}text"):
                assert contrast(fill, text.get("fill", "")) >= 4.0, (colour_by, fill)


# ------------------------------------------------------------------------------------------------------------ marks


@pytest.mark.parametrize("colour_by", MODES)
def test_the_lock_only_on_locked_booths(colour_by: ColourBy) -> None:
    booths = [booth("A-001", locked=True), booth("A-002", 5.0), free("A-003", 8.0), booth("A-004", 11.0, locked=True)]
    groups = booth_groups(render(booths, colour_by))
    locks = {code: len(group.findall(f"{SVG}g[@class='lock']")) for code, group in groups.items()}
    assert locks == {"A-001": 1, "A-002": 0, "A-003": 0, "A-004": 1}
    widths = {code: float(group.findall(f"{SVG}rect")[0].get("stroke-width", "")) for code, group in groups.items()}
    assert min(widths["A-001"], widths["A-004"]) > max(widths["A-002"], widths["A-003"])


@pytest.mark.parametrize("colour_by", MODES)
def test_corner_and_premium_booths_stand_out_in_every_mode(colour_by: ColourBy) -> None:
    booths = [booth("A-001"), booth("A-002", 5.0, booth_type="corner"), booth("A-003", 8.0, booth_type="premium")]
    groups = booth_groups(render(booths, colour_by))

    def look(code: str) -> tuple[bool, int]:
        rects = groups[code].findall(f"{SVG}rect")
        return rects[0].get("stroke-dasharray") is not None, len(rects)

    assert look("A-001") == (False, 1)
    assert look("A-002") == (True, 1)
    assert look("A-003") == (False, 2)


# ------------------------------------------------------------------------------------------------------------ legend


def test_the_group_legend_lists_the_groups_used_then_free_then_marks() -> None:
    booths = [
        of_group("A-001", 2.0, "herbal"),
        of_group("A-002", 5.0, "food"),
        of_group("A-003", 8.0, "herbal"),
        free("A-004", 11.0),
        booth("A-005", 14.0, locked=True),
    ]
    assert legend(render(booths)) == ["Thực phẩm", "Sản phẩm từ thảo dược", "Trống", "Khóa"]
    assert legend(render(booths[:3])) == ["Thực phẩm", "Sản phẩm từ thảo dược"]


def test_the_province_legend_lists_the_provinces_used_north_to_south() -> None:
    booths = [of_province("A-001", 2.0, "ca_mau"), of_province("A-002", 5.0, "ha_noi"), free("A-003", 8.0)]
    assert legend(render(booths, "province")) == ["Hà Nội", "Cà Mau", "Trống"]
    assert legend(render(booths, "province", language="en")) == ["Hà Nội", "Cà Mau", "Free"]


def test_a_booth_without_a_group_or_province_is_other() -> None:
    stray = booth(group_code=None, group_name=None, province_code=None, province_name=None)
    assert legend(render([stray], "group")) == ["Khác"]
    assert legend(render([stray], "province", language="en")) == ["Other"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", ["Trống", "Đang giữ", "Đã xác nhận", "Khóa", "Gian góc", "Gian cao cấp"]),
        ("en", ["Free", "Held", "Confirmed", "Locked", "Corner booth", "Premium booth"]),
    ],
)
def test_the_status_legend_in_both_languages(language: Literal["vi", "en"], expected: list[str]) -> None:
    booths = [
        booth("A-003", 8.0, status="confirmed", booth_type="premium"),
        booth("A-002", 5.0, status="held", locked=True),
        free("A-001", booth_type="corner"),
    ]
    assert legend(render(booths, "status", language=language)) == expected
    assert legend(render(booths[:1], "status", language=language)) == [expected[2], expected[5]]


def test_legend_swatches_match_the_booths() -> None:
    booths = [of_group("A-001", 2.0, "food"), of_group("A-002", 5.0, "beverage"), free("A-003", 8.0)]
    root = render(booths)
    entries = root.findall(f".//{SVG}g[@class='legend']/{SVG}g")
    swatches = {e.findtext(f"{SVG}text"): e.findall(f"{SVG}rect")[0].get("fill") for e in entries}
    assert swatches == {
        "Thực phẩm": fill_of(root, "A-001"),
        "Đồ uống": fill_of(root, "A-002"),
        "Trống": fill_of(root, "A-003"),
    }
