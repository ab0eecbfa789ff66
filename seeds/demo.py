"""The demo fair: the Thanh Hóa OCOP and regional tourism fair of December 2026, generated deterministically.

The hand-written data lives in ``seeds/data/demo``: ``real.json`` holds the real Thanh Hóa producers named in the
province's OCOP interview (Lệ Gia, Nga Sơn sedge, BambooVina, Trường Tùng…), ``catalogue.json`` the product templates
and each province's delegation, ``buyers.json`` the buyers and demand templates. :func:`build_demo_fair` fills in the
numbers (capacities, prices, stars, certificate dates…) with a :class:`random.Random` of fixed seed, so every build
is the same; :func:`demo_fair` caches it. Keys are stable slugs that :mod:`seeds.loader` turns into ids; demands leave
``fair_id`` and profiles leave ``owner_user_id`` unset for the loader. Contact data is fictional (``example.vn``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Iterator
from functools import cache
from importlib.resources import files

import msgspec
from unidecode import unidecode

from matching.folding import fold
from ocopfair.allocation.schemas import AllocationPolicyIn, RequestedType
from ocopfair.buyers.schemas import BuyerCreate, BuyerType, DemandCreate, Language
from ocopfair.exhibitors.schemas import CertificateIn, ExhibitorCreate, ExhibitorKind, ProductCreate
from ocopfair.fairs.schemas import BoothLayout, FairCreate, HallLayout
from ocopfair.payloads import Amount, Period, Quantity
from seeds import reference

DEMO_PASSWORD = "ocopfair-demo"
DEMO_SEED = 20261217
CHANNELS = ("shopee", "lazada", "tiki", "sendo", "voso", "tiktok_shop", "postmart")

_KIND_LABEL: dict[str, str] = {"cooperative": "Hợp tác xã", "enterprise": "Doanh nghiệp", "household": "Hộ kinh doanh"}


# -------------------------------------------------------------------------------------------------------- public types


class DemoAccount(msgspec.Struct, frozen=True):
    email: str
    password: str
    role: str  # "organiser" | "exhibitor" | "buyer"
    display_name: str


class DemoExhibitor(msgspec.Struct, frozen=True):
    key: str
    profile: ExhibitorCreate
    products: list[ProductCreate]
    account: DemoAccount | None = None


class DemoBuyer(msgspec.Struct, frozen=True):
    key: str
    profile: BuyerCreate
    demands: list[DemandCreate]
    account: DemoAccount | None = None


class DemoApplication(msgspec.Struct, frozen=True):
    """An exhibitor's booth application (the exhibitor is the one at the same index)."""

    booths_requested: int
    booth_type: RequestedType
    preferred_halls: list[str]
    wants_near_delegation: bool


class DemoMeetings(msgspec.Struct, frozen=True):
    """How the demo fills its agendas: each buyer with an account asks to meet the exhibitors (with a booth) of its
    best stored matches — the first ``accepted`` say yes, the rest are still pending — then the organiser schedules,
    adding up to ``suggestions_per_buyer`` suggested meetings for every buyer."""

    requests_per_buyer: int = 4
    accepted: int = 3
    suggestions_per_buyer: int = 2
    message: str = "Chúng tôi muốn gặp tại gian hàng để trao đổi về sản phẩm và đơn hàng thử."


class DemoFair(msgspec.Struct, frozen=True):
    key: str
    fair: FairCreate
    layout: BoothLayout
    organiser: DemoAccount
    exhibitors: list[DemoExhibitor]
    buyers: list[DemoBuyer]
    applications: list[DemoApplication]
    policy: AllocationPolicyIn
    meetings: DemoMeetings = DemoMeetings()


# ---------------------------------------------------------------------------------------------------- the data files


class _Template(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """A kind of product a producer of a place makes; the generated product is named ``"{vi} {place}"``."""

    id: str
    cat: str
    vi: str
    en: str
    trade: str
    desc: str
    cap: tuple[float, float, str, Period]  # capacity range, unit, period
    price: tuple[int, int]  # VND per unit of sale
    moq: tuple[float, str] | None = None
    pack: tuple[float, str] | None = None
    months: tuple[int, ...] = ()
    certs: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    rel: tuple[str, ...] = ()  # templates the same producer plausibly also makes


class _Catalogue(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    templates: tuple[_Template, ...]
    area_codes: dict[str, str]
    surnames: tuple[str, ...]
    middle_names: tuple[str, ...]
    given_names: tuple[str, ...]
    delegations: dict[str, tuple[tuple[str, str, str], ...]]  # province → (template, district, place)


class _AccountSeed(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: str
    display_name: str


class _RealExhibitor(msgspec.Struct, forbid_unknown_fields=True):
    key: str
    profile: ExhibitorCreate
    products: list[ProductCreate]
    account: _AccountSeed | None = None


class _DemandTemplate(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    types: tuple[BuyerType, ...]
    cats: tuple[str, ...]
    vi: str
    en: str
    q: tuple[float, float, str, Period]
    req: tuple[str, ...] = ()
    pref: tuple[str, ...] = ()
    stars: bool = False
    months: tuple[tuple[int, ...], ...] = ()  # alternatives; a demand picks one
    provs: tuple[str, ...] = ()


class _Context(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    vi: str
    en: str
    n: tuple[int, int]


class _NamedBuyer(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    name: str
    type: BuyerType
    dial: str
    interests: tuple[str, ...]
    country: str = "VN"
    province: str | None = None
    lang: Language = "en"
    account: _AccountSeed | None = None


class _DomesticType(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    count: int
    mailbox: str  # contact emails are "{mailbox}.{brand}@example.vn"
    patterns: tuple[str, ...]
    provinces: tuple[str, ...]


class _BuyerData(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    demands: tuple[_DemandTemplate, ...]
    contexts: dict[BuyerType, _Context]
    named: tuple[_NamedBuyer, ...]
    domestic: dict[BuyerType, _DomesticType]
    brands: tuple[str, ...]
    cities: dict[str, str]
    export_markets: tuple[str, ...]


def _read(name: str) -> bytes:
    return (files("seeds") / "data" / "demo" / name).read_bytes()


# ------------------------------------------------------------------------------------------------------------ helpers


def _nice(value: float) -> float:
    """``value`` rounded to two significant digits (13 742 → 14 000, 2.37 → 2.4)."""
    step = 10.0 ** (math.floor(math.log10(value)) - 1)
    return round(round(value / step) * step, 6)


def _price(value: float) -> int:
    step = 1000 if value >= 10_000 else 100
    return max(step, round(value / step) * step)


def _date(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _cert_expiry(rng: random.Random) -> dt.date:
    """About one certificate in seven has lapsed before the fair (the demo shows expired certificates)."""
    if rng.random() < 0.15:
        return _date(rng, dt.date(2025, 9, 1), dt.date(2026, 11, 20))
    return _date(rng, dt.date(2027, 1, 15), dt.date(2029, 12, 31))


def _some(rng: random.Random, values: tuple[str, ...], most: int) -> list[str]:
    """Up to ``most`` of ``values``, in their original order."""
    picked = set(rng.sample(values, rng.randint(0, min(most, len(values))))) if values else set()
    return [v for v in values if v in picked]


def _with_thousands(number: int, lang: str) -> str:
    return f"{number:,}".replace(",", "." if lang == "vi" else ",")


# ------------------------------------------------------------------------------------------------------ the fair


def _fair() -> FairCreate:
    return FairCreate(
        name="Hội chợ OCOP và Du lịch vùng Thanh Hóa 2026",
        venue="Quảng trường Lam Sơn, TP. Thanh Hóa",
        host_province_code="thanh_hoa",
        starts_on=dt.date(2026, 12, 17),
        ends_on=dt.date(2026, 12, 20),
        meeting_days=[dt.date(2026, 12, 18), dt.date(2026, 12, 19)],
        slot_minutes=20,
        description=(
            "Không gian quảng bá, kết nối sản phẩm OCOP với hoạt động du lịch vùng; kết nối cung cầu nông sản, "
            "thực phẩm an toàn với 200 gian hàng của các tỉnh, thành phố trong cả nước. Hai ngày giao thương "
            "18 và 19/12 giúp hợp tác xã, doanh nghiệp và hộ sản xuất gặp các chuỗi bán lẻ, nhà xuất khẩu, khách sạn, "
            "bếp ăn công nghiệp, sàn thương mại điện tử và doanh nghiệp lữ hành."
        ),
    )


def _layout() -> BoothLayout:
    """200 booths in four halls zoned by product group; the first row of the food hall is premium."""
    halls = (  # code, name, rows, columns, zones, standard price (VND)
        ("A", "Nhà A – Thực phẩm", 10, 10, ["food"], 7_000_000),
        ("B", "Nhà B – Đồ uống & Thảo dược", 4, 8, ["beverage", "herbal"], 6_500_000),
        ("C", "Nhà C – Thủ công mỹ nghệ", 5, 8, ["handicraft"], 6_000_000),
        ("D", "Nhà D – Sinh vật cảnh & Du lịch", 4, 7, ["ornamental", "tourism"], 6_000_000),
    )
    return BoothLayout(
        halls=[
            HallLayout(
                code=code,
                name=name,
                rows=rows,
                columns=columns,
                zones=zones,
                premium_rows=[1] if code == "A" else [],
                price_vnd=price,
                corner_price_vnd=price + 1_500_000,
                premium_price_vnd=price + 3_000_000 if code == "A" else None,
            )
            for code, name, rows, columns, zones, price in halls
        ]
    )


# ------------------------------------------------------------------------------------------------------ exhibitors


def _product(
    rng: random.Random, t: _Template, place: str, code: str, kind: str, trace: Iterator[int], *, flagship: bool
) -> ProductCreate:
    """One product of ``t`` made at ``place``; the flagship (the producer's OCOP product) always has stars."""
    group = t.cat.split(".")[0]
    stars = rng.choices((None, 3, 4, 5), weights=(0, 57, 39, 4) if flagship else (15, 55, 28, 2))[0]
    low, high, unit, per = t.cap
    price_min = _price(rng.uniform(t.price[0], (t.price[0] + t.price[1]) / 2))
    price_max = max(price_min, _price(min(t.price[1], price_min * rng.uniform(1.2, 2.0))))
    exports = bool(t.markets) and ((kind == "enterprise" and rng.random() < 0.6) or rng.random() < 0.15)
    if group == "tourism":
        channels = ["tiktok_shop"] if rng.random() < 0.3 else []
    else:
        channels = [CHANNELS[i] for i in sorted(rng.sample(range(len(CHANNELS)), rng.choice((0, 1, 2, 2, 3, 4))))]
    traced = group != "tourism" and rng.random() < 0.6
    abbr = "".join(word[0] for word in code.split("_")).upper()
    return ProductCreate(
        name=f"{t.vi} {place}",
        category=t.cat,
        name_en=f"{unidecode(place)} {t.en}",
        description=f"{t.desc} Sản xuất tại {place}." if group != "tourism" else f"{t.desc} Điểm đến: {place}.",
        stars=stars,
        star_expires_on=_date(rng, dt.date(2027, 1, 1), dt.date(2029, 11, 30)) if stars else None,
        certifications=[CertificateIn(code=c, expires_on=_cert_expiry(rng)) for c in _some(rng, t.certs, 3)],
        capacity=Quantity(amount=_nice(rng.uniform(low, high)), unit=unit, per=per),
        min_order=Amount(amount=t.moq[0], unit=t.moq[1]) if t.moq else None,
        pack_size=Amount(amount=t.pack[0], unit=t.pack[1]) if t.pack else None,
        price_min_vnd=price_min,
        price_max_vnd=price_max,
        export_markets=_some(rng, t.markets, 3) if exports else [],
        ecommerce_channels=channels,
        months_available=list(t.months),
        traceability_code=f"VN-{abbr}-{next(trace):05d}" if traced else None,
    )


def _kind(rng: random.Random, t: _Template) -> ExhibitorKind:
    kinds: tuple[ExhibitorKind, ...] = ("cooperative", "enterprise", "household")
    if t.cat.split(".")[0] in {"tourism", "ornamental"}:
        return rng.choices(kinds, weights=(5, 1, 4))[0]
    if t.trade in {"Thực phẩm xuất khẩu", "Chế biến hạt điều", "Yến sào", "Công nghệ sinh học"}:
        return "enterprise"
    return rng.choices(kinds, weights=(40, 35, 25))[0]


def _exhibitors(rng: random.Random, catalogue: _Catalogue) -> list[DemoExhibitor]:
    templates = {t.id: t for t in catalogue.templates}
    result: list[DemoExhibitor] = []
    for real in msgspec.json.decode(_read("real.json"), type=list[_RealExhibitor]):
        seed = real.account
        account = DemoAccount(seed.email, DEMO_PASSWORD, "exhibitor", seed.display_name) if seed else None
        result.append(DemoExhibitor(key=real.key, profile=real.profile, products=real.products, account=account))
    names = {e.profile.name for e in result}
    emails: set[str] = set()
    trace = itertools.count(1)
    for code, entries in catalogue.delegations.items():
        province = reference.province(code)
        for index, (template_id, district, place) in enumerate(entries, start=1):
            t = templates[template_id]
            kind = _kind(rng, t)
            person = " ".join(
                rng.choice(part) for part in (catalogue.surnames, catalogue.middle_names, catalogue.given_names)
            )
            if kind == "cooperative":
                name = f"HTX {t.trade} {place}"
            elif kind == "enterprise":
                name = f"Công ty {rng.choice(('TNHH', 'CP'))} {t.trade} {place}"
            else:
                name = f"Hộ kinh doanh {person}"
            name = name if name not in names else f"{name} ({district})"
            names.add(name)
            slug = fold(place).replace(" ", "")
            email = f"lienhe.{slug}@example.vn" if slug not in emails else f"lienhe.{slug}{index}@example.vn"
            emails.add(slug)
            pool = [templates[r] for r in t.rel]
            chosen = [t, *rng.sample(pool, min(len(pool), rng.choice((1, 2, 2, 3))))]
            verb = "cung cấp dịch vụ" if t.cat.startswith("tourism.") else "sản xuất"
            workers = rng.randint(5, 120)
            description = (
                f"{_KIND_LABEL[kind]} {verb} {t.vi[0].lower()}{t.vi[1:]} tại {place}, {district}, {province.name}. "
                f"Thành lập năm {rng.randint(1995, 2022)}, {workers} lao động"
                + (f", liên kết {rng.randint(20, 300)} hộ thành viên." if kind == "cooperative" else ".")
            )
            profile = ExhibitorCreate(
                name=name,
                kind=kind,
                province_code=code,
                district=district,
                contact_email=email,
                phone=f"0{catalogue.area_codes[code]} 555 {200 + index:04d}",
                description=description,
            )
            products = [_product(rng, p, place, code, kind, trace, flagship=p is t) for p in chosen]
            key = f"exhibitor:{code.replace('_', '-')}-{index:02d}"
            result.append(DemoExhibitor(key=key, profile=profile, products=products))
    return result


# ------------------------------------------------------------------------------------------------------------ buyers


def _demand(
    rng: random.Random, t: _DemandTemplate, context: _Context, lang: str, target: str | None, exporter: bool
) -> DemandCreate:
    low, high, unit, per = t.q
    n = rng.randint(*context.n)
    extra = (context.vi if lang == "vi" else context.en).format(n=_with_thousands(int(_nice(n)) if n else 0, lang))
    required = [rng.choice(t.req)] if t.req and rng.random() < (0.85 if exporter else 0.45) else []
    return DemandCreate(
        text=f"{t.vi if lang == 'vi' else t.en} {extra}",
        categories=list(t.cats),
        quantity=Quantity(amount=_nice(rng.uniform(low, high)), unit=unit, per=per),
        required_certifications=required,
        preferred_certifications=[c for c in t.pref if c not in required and rng.random() < 0.5],
        min_stars=rng.choice((3, 3, 4)) if t.stars and rng.random() < 0.6 else None,
        target_market=target,
        preferred_provinces=[p for p in t.provs if rng.random() < 0.35],
        needed_months=list(rng.choice(t.months)) if t.months and rng.random() < 0.8 else [],
    )


def _buyers(rng: random.Random, data: _BuyerData, area_codes: dict[str, str]) -> list[DemoBuyer]:
    templates = {d.id: d for d in data.demands}
    result: list[DemoBuyer] = []
    for named in data.named:
        number = len(result) + 1
        foreign, province = named.country != "VN", named.province or "ha_noi"
        words = fold(named.name).split()
        slug = "".join(words[:2] if foreign else words[-2:])
        profile = BuyerCreate(
            organisation=named.name,
            buyer_type=named.type,
            country_code=named.country,
            province_code=named.province,
            contact_email=f"purchasing.{slug}@example.com" if foreign else f"thumua.{slug}@example.vn",
            phone=f"+{named.dial} 555 {number:04d}" if foreign else f"0{area_codes[province]} 555 {number:04d}",
            language=named.lang,
        )
        target = named.country if foreign else None
        demands = [
            _demand(rng, templates[i], data.contexts[named.type], named.lang, target, named.type == "exporter")
            for i in named.interests
        ]
        seed = named.account
        account = DemoAccount(seed.email, DEMO_PASSWORD, "buyer", seed.display_name) if seed else None
        result.append(DemoBuyer(key=f"buyer:{number:04d}", profile=profile, demands=demands, account=account))
    used = {b.profile.organisation for b in result}
    for buyer_type, spec in data.domestic.items():
        brands = list(data.brands)
        rng.shuffle(brands)
        suitable = [d for d in data.demands if buyer_type in d.types]
        for index in range(spec.count):
            number = len(result) + 1
            province = spec.provinces[index % len(spec.provinces)]
            brand = brands[index]
            city = data.cities.get(province, reference.province(province).name)
            name = rng.choice(spec.patterns).format(b=brand, c=city)
            name = name if name not in used else f"{name} {city}"
            used.add(name)
            profile = BuyerCreate(
                organisation=name,
                buyer_type=buyer_type,
                country_code="VN",
                province_code=province,
                contact_email=f"{spec.mailbox}.{fold(brand).replace(' ', '')}@example.vn",
                phone=f"0{area_codes[province]} 555 {number:04d}",
                language="vi",
            )
            chosen = rng.sample(suitable, min(len(suitable), rng.choice((1, 2, 2, 3))))
            exporter = buyer_type == "exporter"
            context = data.contexts[buyer_type]
            demands = [
                _demand(rng, t, context, "vi", rng.choice(data.export_markets) if exporter else None, exporter)
                for t in chosen
            ]
            result.append(DemoBuyer(key=f"buyer:{number:04d}", profile=profile, demands=demands))
    return result


# ------------------------------------------------------------------------------------------------------ applications

HALL_OF_GROUP = {"food": "A", "beverage": "B", "herbal": "B", "handicraft": "C", "ornamental": "D", "tourism": "D"}


def _applications(rng: random.Random, exhibitors: list[DemoExhibitor]) -> list[DemoApplication]:
    """Every exhibitor applies: most for one booth, some for two to four; food producers with 4–5★ products ask
    for premium booths more often; about a third want to stand with their province's delegation."""
    result = []
    for exhibitor in exhibitors:
        group = exhibitor.products[0].category.split(".", 1)[0]
        best = max((p.stars or 0 for p in exhibitor.products), default=0)
        booths = rng.choices((1, 2, 3, 4), weights=(64, 26, 7, 3))[0]
        roll = rng.random()
        if group == "food" and best >= 4 and roll < 0.25:
            booth_type: RequestedType = "premium"
        elif roll < 0.3:
            booth_type = "corner"
        elif booths >= 2 and roll < 0.4:
            booth_type = "double"
        else:
            booth_type = "standard"
        result.append(
            DemoApplication(
                booths_requested=booths,
                booth_type=booth_type,
                preferred_halls=[HALL_OF_GROUP[group]] if rng.random() < 0.3 else [],
                wants_near_delegation=rng.random() < 0.35,
            )
        )
    return result


# ------------------------------------------------------------------------------------------------------------- entry


def build_demo_fair(seed: int = DEMO_SEED) -> DemoFair:
    """Build the demo fair afresh; the same ``seed`` always gives an equal fair."""
    rng = random.Random(seed)
    catalogue = msgspec.json.decode(_read("catalogue.json"), type=_Catalogue)
    buyer_data = msgspec.json.decode(_read("buyers.json"), type=_BuyerData)
    exhibitors = _exhibitors(rng, catalogue)
    return DemoFair(
        key="fair:thanh-hoa-ocop-2026",
        fair=_fair(),
        layout=_layout(),
        organiser=DemoAccount("organiser@ocopfair.vn", DEMO_PASSWORD, "organiser", "Ban tổ chức hội chợ"),
        exhibitors=exhibitors,
        buyers=_buyers(rng, buyer_data, catalogue.area_codes),
        applications=_applications(random.Random(seed + 1), exhibitors),
        policy=AllocationPolicyIn(host_max_percent=30, other_max_percent=8),
    )


@cache
def demo_fair() -> DemoFair:
    """The demo fair, built once per process (pure and deterministic: every call returns an equal fair)."""
    return build_demo_fair()
