"""The demo fair data: the numbers the README promises, the real Thanh Hóa producers, and determinism."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import msgspec
import pytest

from matching.folding import fold
from matching.quantities import unit_kind
from ocopfair.exhibitors.schemas import ProductCreate
from seeds.demo import DEMO_PASSWORD, DemoBuyer, DemoExhibitor, DemoFair, build_demo_fair, demo_fair

GROUPS = {"food", "beverage", "herbal", "handicraft", "ornamental", "tourism"}
BUYER_TYPES = {"retail_chain", "exporter", "distributor", "hotel_restaurant", "canteen", "ecommerce", "tourism"}
BEFORE_THE_FAIR = dt.date(2026, 11, 28)
REAL_KEYS = {
    "exhibitor:le-gia",
    "exhibitor:coi-nga-son",
    "exhibitor:viet-anh",
    "exhibitor:bamboovina",
    "exhibitor:ong-hut-tre-xu-thanh",
    "exhibitor:truong-tung",
    "exhibitor:long-duong",
    "exhibitor:che-binh-son",
    "exhibitor:che-lam-phu-quang",
    "exhibitor:nep-kay-noi-muong-lat",
    "exhibitor:banh-tho-xuan",
    "exhibitor:xuan-lap",
}


@pytest.fixture(scope="module")
def demo() -> DemoFair:
    return demo_fair()


def _products(demo: DemoFair) -> list[ProductCreate]:
    return [product for exhibitor in demo.exhibitors for product in exhibitor.products]


def _exhibitor(demo: DemoFair, key: str) -> DemoExhibitor:
    return next(e for e in demo.exhibitors if e.key == key)


def _buyer_with_account(demo: DemoFair, email: str) -> DemoBuyer:
    return next(b for b in demo.buyers if b.account is not None and b.account.email == email)


# ----------------------------------------------------------------------------------------------------- fair and layout


def test_fair_is_the_thanh_hoa_ocop_and_tourism_fair(demo: DemoFair) -> None:
    fair = demo.fair
    assert fair.host_province_code == "thanh_hoa"
    assert "Thanh Hóa" in fair.name and "OCOP" in fair.name
    assert "Thanh Hóa" in fair.venue
    assert (fair.starts_on, fair.ends_on) == (dt.date(2026, 12, 17), dt.date(2026, 12, 20))
    assert fair.meeting_days == [dt.date(2026, 12, 18), dt.date(2026, 12, 19)]
    assert fair.slot_minutes == 20
    assert [s.name for s in fair.sessions] == ["morning", "afternoon"]
    assert "kết nối cung cầu" in fair.description and "an toàn" in fair.description


def test_exactly_200_booths(demo: DemoFair) -> None:
    assert sum(hall.rows * hall.columns for hall in demo.layout.halls) == 200


def test_at_least_three_halls_zoned_by_product_group(demo: DemoFair) -> None:
    halls = demo.layout.halls
    assert len(halls) >= 3
    assert all(hall.zones for hall in halls)
    assert {zone.split(".")[0] for hall in halls for zone in hall.zones} == GROUPS


def test_booth_prices_in_vnd_with_a_premium_row_in_the_food_hall(demo: DemoFair) -> None:
    for hall in demo.layout.halls:
        assert 5_000_000 <= hall.price_vnd <= 9_000_000
        assert hall.corner_price_vnd is not None and hall.corner_price_vnd > hall.price_vnd
    food = next(hall for hall in demo.layout.halls if "food" in hall.zones)
    assert food.premium_rows == [1]
    assert food.premium_price_vnd is not None and food.premium_price_vnd > food.price_vnd


def test_each_zone_has_room_for_its_exhibitors(demo: DemoFair) -> None:
    booths: Counter[str] = Counter()
    for hall in demo.layout.halls:
        for row in range(1, hall.rows + 1):
            booths[hall.zones[(row - 1) * len(hall.zones) // hall.rows]] += hall.columns
    exhibitors = Counter(e.products[0].category.split(".")[0] for e in demo.exhibitors)
    for group, count in exhibitors.items():
        assert count <= booths[group], group


# --------------------------------------------------------------------------------------------- exhibitors and products


def test_exhibitors_from_at_least_20_provinces_with_thanh_hoa_the_biggest(demo: DemoFair) -> None:
    provinces = Counter(e.profile.province_code for e in demo.exhibitors)
    assert len(provinces) >= 20
    (biggest, count), _ = provinces.most_common(2)
    assert biggest == "thanh_hoa"
    assert 0.25 <= count / len(demo.exhibitors) <= 0.35
    assert len(demo.exhibitors) <= 200, "every exhibitor can have a booth"


def test_exhibitor_kinds_names_and_contacts(demo: DemoFair) -> None:
    assert {e.profile.kind for e in demo.exhibitors} == {"cooperative", "enterprise", "household"}
    names = [e.profile.name for e in demo.exhibitors]
    assert len(set(names)) == len(names)
    assert any(name.startswith("HTX ") for name in names)
    assert any(name.startswith("Công ty TNHH") for name in names)
    assert any(name.startswith("Hộ kinh doanh") for name in names)
    for exhibitor in demo.exhibitors:
        profile = exhibitor.profile
        assert profile.contact_email is not None and profile.contact_email.endswith(("@example.vn", "@example.com"))
        assert profile.phone and profile.description
        assert profile.owner_user_id is None
        assert exhibitor.products


def test_most_exhibitors_name_their_district(demo: DemoFair) -> None:
    assert sum(1 for e in demo.exhibitors if e.profile.district) >= 0.9 * len(demo.exhibitors)


def test_at_least_400_products_in_all_six_groups(demo: DemoFair) -> None:
    products = _products(demo)
    assert len(products) >= 400
    assert {p.category.split(".")[0] for p in products} == GROUPS
    assert len({p.category for p in products}) >= 18


def test_product_names_carry_diacritics_and_english_names(demo: DemoFair) -> None:
    products = _products(demo)
    assert all(p.name_en for p in products)
    assert sum(1 for p in products if fold(p.name) != p.name.lower()) >= 0.9 * len(products)


def test_stars_are_mostly_three_and_four_with_few_fives(demo: DemoFair) -> None:
    stars = Counter(p.stars for p in _products(demo))
    assert stars[3] + stars[4] >= 0.8 * sum(stars.values())
    assert 1 <= stars[5] <= 0.05 * sum(stars.values())
    assert all(p.star_expires_on is not None for p in _products(demo) if p.stars is not None)


def test_some_certificates_have_expired_before_the_fair(demo: DemoFair) -> None:
    certificates = [c for p in _products(demo) for c in p.certifications]
    assert all(c.expires_on is not None for c in certificates)
    expired = [c for c in certificates if c.expires_on is not None and c.expires_on < BEFORE_THE_FAIR]
    assert expired
    assert len(expired) < len(certificates) / 3


def test_pack_sizes_are_mass_or_volume_and_capacities_fit_the_group(demo: DemoFair) -> None:
    for product in _products(demo):
        if product.pack_size is not None:
            assert unit_kind(product.pack_size.unit) in {"mass", "volume"}
        assert product.capacity is not None
        if product.category.startswith(("tourism.", "handicraft.", "ornamental.")):
            assert unit_kind(product.capacity.unit) == "count", product.name
        assert product.price_min_vnd is not None and product.price_max_vnd is not None
        assert 0 < product.price_min_vnd <= product.price_max_vnd


def test_seasonal_fresh_produce_channels_markets_and_traceability(demo: DemoFair) -> None:
    products = _products(demo)
    fresh = [p for p in products if p.category == "food.fresh"]
    assert sum(1 for p in fresh if p.months_available) >= len(fresh) / 2
    channels = {c for p in products for c in p.ecommerce_channels}
    assert {"shopee", "lazada", "tiki", "sendo", "voso"} <= channels
    assert channels <= {"shopee", "lazada", "tiki", "sendo", "voso", "tiktok_shop", "postmart"}
    assert sum(1 for p in products if p.export_markets) >= 50
    assert sum(1 for p in products if p.traceability_code) >= len(products) / 3


@pytest.mark.parametrize(
    "name",
    [
        "nuoc mam le gia",
        "mam tom le gia",
        "mam tep le gia",
        "chieu coi nga son",
        "che xanh sach binh son",
        "nep kay noi muong lat",
        "banh gai truyen thong tho xuan",
        "che lam phu quang",
        "xuan lap",
        "dua dong hop truong tung",
        "ngo ngot dong hop truong tung",
        "tom kho long duong",
        "bamboovina",
        "viet anh",
        "ong hut tre",
    ],
)
def test_real_thanh_hoa_products_are_present(demo: DemoFair, name: str) -> None:
    assert any(name in fold(p.name) for p in _products(demo))


@pytest.mark.parametrize(
    ("key", "markets"),
    [
        ("exhibitor:le-gia", {"RU", "KR", "TW", "ZA"}),
        ("exhibitor:truong-tung", {"DE", "NL", "FR", "RU", "KR", "AU"}),
        ("exhibitor:long-duong", {"CN"}),
        ("exhibitor:bamboovina", {"DE", "US"}),
        ("exhibitor:viet-anh", {"US", "DE"}),
        ("exhibitor:ong-hut-tre-xu-thanh", {"CH", "SE", "US"}),
    ],
)
def test_real_exporters_list_their_markets(demo: DemoFair, key: str, markets: set[str]) -> None:
    exhibitor = _exhibitor(demo, key)
    assert exhibitor.profile.province_code == "thanh_hoa"
    assert markets <= {m for p in exhibitor.products for m in p.export_markets}


def test_real_producers_are_from_thanh_hoa_with_at_most_one_five_star_product(demo: DemoFair) -> None:
    real = [e for e in demo.exhibitors if e.key in REAL_KEYS]
    assert len(real) == len(REAL_KEYS)
    assert all(e.profile.province_code == "thanh_hoa" for e in real)
    assert sum(1 for e in real for p in e.products if p.stars == 5) <= 1
    assert all(p.stars in {3, 4, 5} for e in real for p in e.products)


def test_le_gia_is_from_hoang_hoa_and_sells_online(demo: DemoFair) -> None:
    le_gia = _exhibitor(demo, "exhibitor:le-gia")
    assert le_gia.profile.district == "Hoằng Hóa"
    assert {"voso", "shopee"} <= {c for p in le_gia.products for c in p.ecommerce_channels}


# ------------------------------------------------------------------------------------------------- buyers and demands


def test_at_least_100_buyers_of_all_seven_types(demo: DemoFair) -> None:
    assert len(demo.buyers) >= 100
    assert {b.profile.buyer_type for b in demo.buyers} == BUYER_TYPES


def test_every_buyer_has_one_to_three_demands(demo: DemoFair) -> None:
    for buyer in demo.buyers:
        assert 1 <= len(buyer.demands) <= 3, buyer.key
        assert all(d.fair_id is None for d in buyer.demands)
        assert buyer.profile.owner_user_id is None


def test_foreign_importers_name_their_target_market_and_mostly_speak_english(demo: DemoFair) -> None:
    foreign = [b for b in demo.buyers if b.profile.country_code != "VN"]
    countries = {b.profile.country_code for b in foreign}
    assert len(countries) >= 10
    assert {"KR", "JP", "DE", "US", "RU", "AU", "SE", "CH", "TW", "CN", "ZA"} <= countries
    assert any(b.profile.buyer_type == "exporter" for b in foreign)
    for buyer in foreign:
        assert buyer.profile.province_code is None
        assert all(d.target_market == buyer.profile.country_code for d in buyer.demands)
    assert sum(1 for b in foreign if b.profile.language == "en") > 0.8 * len(foreign)


def test_domestic_buyers_write_in_vietnamese(demo: DemoFair) -> None:
    domestic = [b for b in demo.buyers if b.profile.country_code == "VN"]
    assert all(b.profile.language == "vi" and b.profile.province_code for b in domestic)
    assert all(fold(d.text) != d.text.lower() for b in domestic for d in b.demands)
    exporters = [d for b in domestic if b.profile.buyer_type == "exporter" for d in b.demands]
    assert exporters and all(d.target_market for d in exporters)


def test_demands_carry_conditions(demo: DemoFair) -> None:
    demands = [d for b in demo.buyers for d in b.demands]
    assert all(d.categories and d.quantity is not None for d in demands)
    assert any(d.required_certifications for d in demands)
    assert any(d.preferred_certifications for d in demands)
    assert any(d.min_stars for d in demands)
    assert any(d.preferred_provinces for d in demands)
    assert any(d.needed_months for d in demands)
    assert any(not d.required_certifications for d in demands)


def test_buyer_contacts_are_fictional(demo: DemoFair) -> None:
    for buyer in demo.buyers:
        email = buyer.profile.contact_email
        assert email is not None and email.endswith(("@example.vn", "@example.com"))


# --------------------------------------------------------------------------------------------- accounts, keys, purity


def test_demo_accounts(demo: DemoFair) -> None:
    accounts = [demo.organiser]
    accounts += [e.account for e in demo.exhibitors if e.account is not None]
    accounts += [b.account for b in demo.buyers if b.account is not None]
    emails = [a.email for a in accounts]
    assert len(set(emails)) == len(emails)
    assert {
        "organiser@ocopfair.vn",
        "legia@ocopfair.vn",
        "bamboovina@ocopfair.vn",
        "buyer@ocopfair.vn",
        "importer@ocopfair.vn",
    } <= set(emails)
    assert all(a.password == DEMO_PASSWORD for a in accounts)
    assert demo.organiser.role == "organiser"
    assert {a.role for a in accounts} == {"organiser", "exhibitor", "buyer"}


def test_accounts_own_the_right_profiles(demo: DemoFair) -> None:
    le_gia = _exhibitor(demo, "exhibitor:le-gia")
    assert le_gia.account is not None and le_gia.account.email == "legia@ocopfair.vn"
    assert "Lệ Gia" in le_gia.profile.name
    retail = _buyer_with_account(demo, "buyer@ocopfair.vn").profile
    assert (retail.buyer_type, retail.country_code) == ("retail_chain", "VN")
    importer = _buyer_with_account(demo, "importer@ocopfair.vn").profile
    assert importer.buyer_type == "exporter" and importer.country_code != "VN"


def test_keys_are_unique_slugs(demo: DemoFair) -> None:
    keys = [demo.key, *(e.key for e in demo.exhibitors), *(b.key for b in demo.buyers)]
    assert len(set(keys)) == len(keys)
    assert all(k.startswith("exhibitor:") for k in keys if k in {e.key for e in demo.exhibitors})
    assert all(k.startswith("buyer:") for k in keys if k in {b.key for b in demo.buyers})
    assert all(k == k.lower() and " " not in k for k in keys)


def test_deterministic(demo: DemoFair) -> None:
    again = build_demo_fair()
    assert again == demo
    assert msgspec.to_builtins(again) == msgspec.to_builtins(demo)
    assert demo_fair() is demo


def test_a_different_seed_changes_the_numbers_not_the_cast(demo: DemoFair) -> None:
    other = build_demo_fair(seed=1)
    assert [e.key for e in other.exhibitors] == [e.key for e in demo.exhibitors]
    assert msgspec.to_builtins(other.exhibitors) != msgspec.to_builtins(demo.exhibitors)
