"""The scoring rules every path follows (the vectorised engine and the per-pair oracle in the tests).

score(demand, product) = Σ_f w_f · s_f / Σ_f w_f over the factors f that apply to the demand, rounded to 12 places;
products a hard filter excludes get no score. Ties rank by catalogue order. Factor by factor:

- category — applies when the demand names categories, or when its text clearly points to one subgroup. Pointing
  is keyword spotting over the folded text, left to right, longest phrase first, each word used once: a subgroup
  gets a vote per word of its keywords found ("mắm tôm" 2 for condiments, and then not 1 for fresh "tôm"); phrases
  that say where or how (provinces, countries, "an toàn thực phẩm") are spotted too but vote for nothing. It points
  clearly when one subgroup has strictly more votes than any other. Named: a product in a named subgroup, or in a
  named group, scores 1. Inferred: same subgroup 1, same group ``SAME_GROUP``, else 0.
- text — applies when the demand has text: cosine of character n-gram TF-IDF vectors of accent-folded text,
  divided by ``TEXT_SATURATION`` and capped at 1.
- volume — applies when the demand has a quantity: supply per month ÷ demand per month, capped at 1, in the
  demand's kind (mass, volume, count; a count converts through the pack size). Not comparable, or no capacity
  stated: ``NEUTRAL``. A minimum order above the monthly demand multiplies it by demand ÷ minimum order.
- certification — applies when the demand prefers certifications: share of them the product satisfies with a
  valid certificate (dominance included: a GlobalGAP certificate satisfies VietGAP).
- stars — always applies: valid OCOP stars (not expired) ``(stars − 2) / 3``; no or expired stars 0.
- export — applies when the target market is a foreign country: 1 if the product was exported there,
  ``EXPORTED_ELSEWHERE`` if exported elsewhere, 0 if never exported.
- region — applies when the demand prefers provinces or the buyer has a province: 1 in a preferred province,
  else 1 / (1 + d / ``REGION_SCALE_KM``) with d the distance to the nearest preferred province (or to the buyer's).
- season — applies when the demand names months: share of them in which the product is available (a product
  that names no months is available all year).

Hard filters, counted under the first that applies, in this order: ``category`` (the demand names categories and
the product is in none of them), ``certification`` (a required certification not satisfied by a valid
certificate), ``stars`` (valid stars below the demand's minimum; an expired star certificate counts as no stars).
"""

from __future__ import annotations

SAME_GROUP = 0.5
TEXT_SATURATION = 0.5
NEUTRAL = 0.5
EXPORTED_ELSEWHERE = 0.5
REGION_SCALE_KM = 300.0
SCORE_DECIMALS = 12
EARTH_RADIUS_KM = 6371.0
HOME_MARKET = "VN"

EXCLUSION_REASONS: tuple[str, ...] = ("category", "certification", "stars")
BASE_UNITS: tuple[str, ...] = ("kg", "l", "piece")
KINDS: tuple[str, ...] = ("mass", "volume", "count")
