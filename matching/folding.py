"""Accent folding for Vietnamese text, so "nuoc mam" finds "Nước mắm" and "dac san" finds "đặc sản"."""

import re

from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII form of ``text``: diacritics dropped (đ → d), punctuation turned into single spaces."""
    return _NON_WORD.sub(" ", unidecode(text).lower()).strip()
