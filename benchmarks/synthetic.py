"""A synthetic national catalogue and demand book for benchmarks: realistic shapes, fixed seed."""

from __future__ import annotations

import datetime as dt
import random

from matching.types import Amount, Certificate, Need, Rate, Supply
from seeds.reference import category_groups, certification_codes, provinces

WORDS = [
    "nước",
    "mắm",
    "truyền",
    "thống",
    "cá",
    "cơm",
    "mắm",
    "tôm",
    "tép",
    "chè",
    "xanh",
    "trà",
    "sen",
    "gạo",
    "nếp",
    "tám",
    "thơm",
    "bánh",
    "chưng",
    "bánh",
    "gai",
    "mật",
    "ong",
    "hoa",
    "nhãn",
    "quế",
    "hồi",
    "tiêu",
    "sâm",
    "ngọc",
    "linh",
    "cà",
    "phê",
    "robusta",
    "ca",
    "cao",
    "sấy",
    "khô",
    "tôm",
    "khô",
    "mực",
    "một",
    "nắng",
    "chiếu",
    "cói",
    "làn",
    "mây",
    "tre",
    "đan",
    "ống",
    "hút",
    "tre",
    "gốm",
    "sứ",
    "lụa",
    "thổ",
    "cẩm",
    "rượu",
    "ngô",
    "men",
    "lá",
    "dứa",
    "đóng",
    "hộp",
    "ngô",
    "ngọt",
    "vải",
    "thiều",
    "cam",
    "vinh",
    "bưởi",
    "da",
    "xanh",
    "thanh",
    "long",
    "nấm",
    "hương",
    "măng",
    "khô",
    "đặc",
    "sản",
    "organic",
    "sạch",
    "an",
    "toàn",
    "thủ",
    "công",
    "gia",
    "truyền",
    "cao",
    "cấp",
]
EN_WORDS = [
    "fish",
    "sauce",
    "shrimp",
    "paste",
    "green",
    "tea",
    "lotus",
    "tea",
    "sticky",
    "rice",
    "honey",
    "cinnamon",
    "coffee",
    "dried",
    "shrimp",
    "sedge",
    "mat",
]
SYLLABLES = [
    "an",
    "bac",
    "binh",
    "cam",
    "cao",
    "chau",
    "dai",
    "dong",
    "duc",
    "gia",
    "giang",
    "ha",
    "hai",
    "hoa",
    "hoang",
    "hong",
    "hung",
    "khanh",
    "kim",
    "lam",
    "lang",
    "le",
    "linh",
    "loc",
    "long",
    "minh",
    "my",
    "nam",
    "nga",
    "nghia",
    "ngoc",
    "nhu",
    "phong",
    "phu",
    "phuoc",
    "quang",
    "quy",
    "son",
    "tam",
    "tan",
    "thach",
    "thai",
    "thanh",
    "thien",
    "thinh",
    "tho",
    "thuan",
    "tien",
    "toan",
    "trung",
    "truong",
    "tu",
    "tuan",
    "van",
    "viet",
    "vinh",
    "xuan",
    "yen",
]
TYPES = (
    "nước mắm",
    "mắm tôm",
    "mắm tép",
    "chè xanh",
    "trà sen",
    "trà shan tuyết",
    "gạo nếp",
    "gạo tám thơm",
    "bánh chưng",
    "bánh gai",
    "bánh đa",
    "mật ong",
    "quế",
    "hồi",
    "tiêu",
    "sâm",
    "cà phê",
    "ca cao",
    "tôm khô",
    "mực khô",
    "cá khô",
    "chiếu cói",
    "làn cói",
    "giỏ mây",
    "ống hút tre",
    "đũa tre",
    "gốm",
    "lụa",
    "thổ cẩm",
    "rượu ngô",
    "rượu nếp",
    "nước dứa",
    "dứa đóng hộp",
    "ngô ngọt",
    "vải thiều",
    "cam",
    "bưởi",
    "thanh long",
    "nấm hương",
    "măng khô",
    "tinh dầu sả",
    "cao dược liệu",
    "trà túi lọc",
    "miến dong",
    "bún khô",
    "giò chả",
    "nem chua",
    "lạp xưởng",
    "hoa lan",
    "cây cảnh",
    "homestay",
    "tour trải nghiệm",
    "xà phòng thảo dược",
    "son dưỡng",
    "mứt gừng",
    "kẹo lạc",
)


def _place(rng: random.Random) -> str:
    return " ".join(rng.sample(SYLLABLES, 2)).title()


UNITS = (("kg", "month"), ("t", "month"), ("t", "year"), ("l", "month"), ("piece", "month"), ("bottle", "month"))
MARKETS = ("RU", "KR", "TW", "ZA", "CH", "SE", "US", "DE", "AU", "CN", "JP", "FR", "NL")


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def supplies(count: int, seed: int = 7) -> list[Supply]:
    rng = random.Random(seed)
    subgroups = [s.code for g in category_groups() for s in g.subgroups]
    codes = sorted(certification_codes())
    province_codes = [p.code for p in provinces()]
    today = dt.date(2026, 11, 28)
    result = []
    for i in range(count):
        unit, per = rng.choice(UNITS)
        result.append(
            Supply(
                product_id=f"p{i}",
                exhibitor_id=f"e{i // 3}",
                name=f"{rng.choice(TYPES)} {_place(rng)}",
                name_en=" ".join(rng.sample(EN_WORDS, 2)),
                description=f"{_text(rng, 6, 18)} {_place(rng)} {rng.choice(TYPES)}",
                category=rng.choice(subgroups),
                province_code=rng.choice(province_codes),
                stars=rng.choice((None, 3, 3, 4, 4, 5)),
                star_expires_on=today + dt.timedelta(days=rng.randint(-200, 900)),
                certificates=tuple(
                    Certificate(code, today + dt.timedelta(days=rng.randint(-300, 1200)))
                    for code in rng.sample(codes, rng.randint(0, 3))
                ),
                capacity=Rate(rng.uniform(1, 5000), unit, per) if rng.random() < 0.9 else None,
                min_order=Amount(rng.uniform(1, 200), unit) if rng.random() < 0.4 else None,
                pack_size=Amount(rng.choice((200, 500, 1000)), rng.choice(("g", "ml"))) if rng.random() < 0.5 else None,
                export_markets=tuple(rng.sample(MARKETS, rng.randint(0, 3))),
                months_available=tuple(sorted(rng.sample(range(1, 13), rng.randint(3, 12))))
                if rng.random() < 0.3
                else (),
            )
        )
    return result


def needs(count: int, seed: int = 11) -> list[Need]:
    rng = random.Random(seed)
    groups = [g.code for g in category_groups()]
    subgroups = [s.code for g in category_groups() for s in g.subgroups]
    codes = sorted(certification_codes())
    province_codes = [p.code for p in provinces()]
    result = []
    for i in range(count):
        unit, per = rng.choice(UNITS)
        result.append(
            Need(
                demand_id=f"d{i}",
                text=f"{rng.choice(TYPES)} {_text(rng, 0, 5)}",
                categories=tuple(rng.sample(subgroups + groups, rng.randint(0, 2))),
                quantity=Rate(rng.uniform(1, 3000), unit, per) if rng.random() < 0.7 else None,
                required_certifications=tuple(rng.sample(codes, 1)) if rng.random() < 0.2 else (),
                preferred_certifications=tuple(rng.sample(codes, rng.randint(0, 2))),
                min_stars=rng.choice((None, None, 3, 4)),
                target_market=rng.choice((None, "VN", *MARKETS)),
                preferred_provinces=tuple(rng.sample(province_codes, rng.randint(0, 2))),
                needed_months=tuple(sorted(rng.sample(range(1, 13), rng.randint(0, 6)))),
                buyer_province_code=rng.choice((None, *province_codes)),
                language=rng.choice(("vi", "en")),
            )
        )
    return result
