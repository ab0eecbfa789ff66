"""Validation of the reference data (categories, certifications, provinces) and of its loader."""

from __future__ import annotations

import pytest

from seeds import reference

# ---------------------------------------------------------------------------------------------------------- categories


def test_six_groups_with_unique_codes() -> None:
    codes = [group.code for group in reference.category_groups()]
    assert len(codes) == 6
    assert set(codes) == {"food", "beverage", "herbal", "handicraft", "ornamental", "tourism"}
    assert reference.group_codes() == frozenset(codes)


@pytest.mark.parametrize("group", reference.category_groups(), ids=lambda g: g.code)
def test_subgroups_are_prefixed_by_their_group(group: reference.CategoryGroup) -> None:
    assert group.subgroups
    for sub in group.subgroups:
        assert sub.code.startswith(f"{group.code}.")
        assert sub.name_vi
        assert sub.name_en
        assert sub.keywords_vi


def test_subgroup_codes_are_unique() -> None:
    codes = [sub.code for group in reference.category_groups() for sub in group.subgroups]
    assert len(codes) == len(set(codes))
    assert reference.subgroup_codes() == frozenset(codes)
    assert {"food.condiment", "food.tea", "herbal.cosmetic", "handicraft.household", "tourism.site"} <= set(codes)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("food", ("Thực phẩm", "Food")), ("food.condiment", ("Gia vị", "Condiments and seasonings"))],
)
def test_category_label(code: str, expected: tuple[str, str]) -> None:
    assert reference.category_label(code) == expected


def test_category_label_unknown() -> None:
    with pytest.raises(KeyError):
        reference.category_label("food.nonexistent")


# ------------------------------------------------------------------------------------------------------ certifications


def test_certification_codes_unique_and_ocop_is_not_one() -> None:
    codes = [c.code for c in reference.certifications()]
    assert len(codes) == len(set(codes))
    assert reference.certification_codes() == frozenset(codes)
    assert "ocop" not in codes


@pytest.mark.parametrize("certification", reference.certifications(), ids=lambda c: c.code)
def test_satisfies_codes_exist(certification: reference.Certification) -> None:
    assert set(certification.satisfies) <= reference.certification_codes()
    assert certification.code not in certification.satisfies


def test_satisfies_relation_has_no_cycles() -> None:
    edges = {c.code: c.satisfies for c in reference.certifications()}
    done: set[str] = set()

    def visit(code: str, path: tuple[str, ...]) -> None:
        assert code not in path, f"cycle: {' -> '.join((*path, code))}"
        if code in done:
            return
        for target in edges.get(code, ()):
            visit(target, (*path, code))
        done.add(code)

    for code in edges:
        visit(code, ())


@pytest.mark.parametrize(
    ("required", "expected_subset"),
    [
        ("vietgap", {"vietgap", "globalgap"}),
        ("haccp", {"haccp", "iso_22000", "fssc_22000"}),
        ("organic", {"organic", "organic_eu", "organic_usda", "organic_jas"}),
        ("iso_22000", {"iso_22000", "fssc_22000"}),
    ],
)
def test_satisfiers_include(required: str, expected_subset: set[str]) -> None:
    assert expected_subset <= reference.satisfiers(required)


@pytest.mark.parametrize("code", ["globalgap", "fssc_22000", "halal", "fda", "iso_9001"])
def test_satisfiers_of_leaf_is_itself(code: str) -> None:
    assert reference.satisfiers(code) == {code}


def test_satisfiers_do_not_go_backwards() -> None:
    assert "vietgap" not in reference.satisfiers("globalgap")
    assert "haccp" not in reference.satisfiers("fssc_22000")


def test_satisfied_by_all_matches_satisfiers() -> None:
    mapping = reference.satisfied_by_all()
    assert set(mapping) == reference.certification_codes()
    for code, holders in mapping.items():
        assert holders == reference.satisfiers(code)


# ----------------------------------------------------------------------------------------------------------- provinces


def test_thirty_four_units_six_cities_unique_codes() -> None:
    units = reference.provinces()
    assert len(units) == 34
    assert len({p.code for p in units}) == 34
    cities = {p.code for p in units if p.kind == "city"}
    assert cities == {"ha_noi", "hue", "hai_phong", "da_nang", "ho_chi_minh", "can_tho"}
    assert sum(p.kind == "province" for p in units) == 28


def test_sixty_three_distinct_former_names() -> None:
    former = [name for p in reference.provinces() for name in p.former_names]
    assert len(former) == 63
    assert len(set(former)) == 63


@pytest.mark.parametrize("unit", reference.provinces(), ids=lambda p: p.code)
def test_province_is_well_formed(unit: reference.Province) -> None:
    assert 8.3 <= unit.lat <= 23.5
    assert 102.1 <= unit.lon <= 109.5
    assert unit.code.isascii()
    assert unit.name_en.isascii()
    assert unit.former_names
    assert reference.province(unit.code) is unit


@pytest.mark.parametrize("unit", reference.provinces(), ids=lambda p: p.code)
def test_every_name_resolves_to_its_province(unit: reference.Province) -> None:
    # Also proves that no lookup key is shared by two provinces.
    for value in (unit.code, unit.name, unit.name_en, *unit.former_names):
        assert reference.resolve_province(value) is unit, value


def test_province_unknown_code() -> None:
    with pytest.raises(KeyError):
        reference.province("hoa_binh")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("thanh_hoa", "thanh_hoa"),
        ("Hòa Bình", "phu_tho"),
        ("Hoa Binh", "phu_tho"),
        ("hoa-binh", "phu_tho"),
        ("HOA BINH", "phu_tho"),
        ("Tỉnh Thanh Hóa", "thanh_hoa"),
        ("TP. Hồ Chí Minh", "ho_chi_minh"),
        ("Thành phố Hồ Chí Minh", "ho_chi_minh"),
        ("TP HCM", "ho_chi_minh"),
        ("HCMC", "ho_chi_minh"),
        ("Sài Gòn", "ho_chi_minh"),
        ("Ba Ria - Vung Tau", "ho_chi_minh"),
        ("Bình Dương", "ho_chi_minh"),
        ("Thua Thien Hue", "hue"),
        ("Thừa Thiên Huế", "hue"),
        ("Huế", "hue"),
        ("Đắk Lắk", "dak_lak"),
        ("Dak Lak", "dak_lak"),
        ("Daklak", "dak_lak"),
        ("Phú Yên", "dak_lak"),
        ("Đắk Nông", "lam_dong"),
        ("Hà Giang", "tuyen_quang"),
        ("Nam Định", "ninh_binh"),
        ("Kiên Giang", "an_giang"),
        ("Hanoi", "ha_noi"),
        ("  thành phố   hà nội ", "ha_noi"),
        ("Hà Tĩnh", "ha_tinh"),
    ],
)
def test_resolve_province(value: str, code: str) -> None:
    resolved = reference.resolve_province(value)
    assert resolved is not None
    assert resolved.code == code


@pytest.mark.parametrize("value", ["", "   ", "Tỉnh", "Atlantis", "Hoa", "thanh pho"])
def test_resolve_province_unknown(value: str) -> None:
    assert reference.resolve_province(value) is None
