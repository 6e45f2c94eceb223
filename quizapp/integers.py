"""Integers from outside the app - a form, a URL, the environment - parsed strictly (F4).

`int()` and `str.isdigit()` accept far more than anyone types on purpose:
'²' passes isdigit() and then makes int() raise; Arabic-Indic and fullwidth
digits, ' 5 ', '+5' and '5_000' all parse. Here an integer is ASCII digits
only, within bounds; anything else is None, for the caller to refuse plainly.
"""

from __future__ import annotations

import re

MAX_ID = 2**63 - 1  # the largest integer the databases store

_DIGITS = re.compile(r"[0-9]+")


def parse_int(text: str | None, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """`text` as an integer in minimum..maximum, or None when it is not exactly that."""
    if text is None or len(text) > len(str(maximum)) or not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None
