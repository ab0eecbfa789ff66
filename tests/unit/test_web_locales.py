"""The pages' two catalogues say the same things: every word a template or page asks for, in both languages, with
the same placeholders; every value of the enumerations a page names has its word."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any, get_args, get_type_hints

import pytest

from matching.allocation_model import WAITLIST_MESSAGES
from matching.quantities import COUNT_UNITS, MASS_UNITS, VOLUME_UNITS
from matching.rules import EXCLUSION_REASONS
from matching.types import FACTORS
from ocopfair.allocation.schemas import ApplicationStatus, RequestedType
from ocopfair.buyers.schemas import BuyerType, DemandStatus
from ocopfair.email_preferences.schemas import Recipient
from ocopfair.exhibitors.schemas import ExhibitorKind
from ocopfair.fairs.schemas import BoothStatus, FairStatus
from ocopfair.meetings.schemas import MeetingKind, RequestStatus, ScheduleReport
from ocopfair.outbox.models import MESSAGE_KINDS, OutboxStatus
from ocopfair.payloads import Period
from ocopfair.web import messages
from ocopfair.web.i18n import LANGUAGES, catalogue

WEB = Path(messages.__file__).parent
STATIC_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]*[a-z0-9])["']""")
PYTHON_KEY = re.compile(r"""(?:translate\(\s*\w+,\s*|flash\(\s*request,\s*)f?["']([a-z_]+\.[a-z0-9_.]+)["']""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_words_and_placeholders() -> None:
    vietnamese, english = catalogue("vi"), catalogue("en")
    assert set(vietnamese) == set(english)
    for key, text in vietnamese.items():
        assert text.strip() and english[key].strip(), key
        assert placeholders(text) == placeholders(english[key]), key


def test_every_word_a_template_or_page_asks_for_exists() -> None:
    asked = {key for path in (WEB / "templates").rglob("*.html") for key in STATIC_KEY.findall(path.read_text())}
    asked |= {key for path in WEB.glob("*.py") for key in PYTHON_KEY.findall(path.read_text())}
    asked |= {key for _, key in (*messages._CONSTRAINTS, *messages._SENTENCES)}
    assert asked, "the patterns found no keys"
    for language in LANGUAGES:
        missing = sorted(asked - set(catalogue(language)))
        assert not missing, (language, missing)


def _values(kind: Any) -> tuple[str, ...]:
    return tuple(str(value) for value in get_args(kind))


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        (
            "status",
            _values(FairStatus)
            + _values(ApplicationStatus)
            + _values(BoothStatus)
            + _values(RequestStatus)
            + _values(DemandStatus),
        ),
        ("buyer_type", _values(BuyerType)),
        ("exhibitor_kind", _values(ExhibitorKind)),
        ("booth_type", _values(RequestedType)),
        ("unit", MASS_UNITS + VOLUME_UNITS + COUNT_UNITS),
        ("per", _values(Period)),
        ("per_short", _values(Period)),
        ("month", tuple(str(m) for m in range(1, 13))),
        ("month_short", tuple(str(m) for m in range(1, 13))),
        ("weekday", tuple(str(d) for d in range(1, 8))),
        ("factor", FACTORS),
        ("excluded", EXCLUSION_REASONS),
        ("waitlist", tuple(WAITLIST_MESSAGES)),
        ("meeting_kind", _values(MeetingKind)),
        ("schedule.status", _values(get_type_hints(ScheduleReport)["status"])),
        ("outbox_status", _values(OutboxStatus)),
        ("email_kind", MESSAGE_KINDS),
        ("role", _values(Recipient)),
        ("emails.daily_digest", _values(Recipient)),
        ("emails.daily_digest_hint", _values(Recipient)),
    ],
)
def test_every_value_a_page_names_has_its_word(prefix: str, values: tuple[str, ...]) -> None:
    for language in LANGUAGES:
        missing = [value for value in values if f"{prefix}.{value}" not in catalogue(language)]
        assert not missing, (language, prefix, missing)
