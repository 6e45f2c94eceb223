"""Contested terms: words the app's own voice may use only inside quotation marks.

taxonomy.yaml may list `contested_terms`: characterizations that one side of a
dispute uses and the other rejects ("occupation", "liberated"). The app never
takes a side, so its own words (quiz titles and descriptions, speaker labels,
explanations, source notes) may use such a term only as a quotation, attributed
to whoever uses it: 'which the outlet calls "liberated"'. Passages and source
titles are the sources' own words and are not checked.

A term matches any word that begins with it, in any case: "liberat" catches
"liberated" and "liberation", "illegal" catches "illegally". A term of several
words matches across any spacing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .fields import Fields

# What counts as a quotation: text between double quotes (straight or curly), or
# between single quotes that are not apostrophes. A straight single quote opens a
# quotation only where it does not follow a letter, and closes one only where no
# letter follows, so "Azerbaijan's" and "ministry's" never open or close one.
_QUOTATION = re.compile(r"\"[^\"]*\"|“[^”]*”|(?<![^\W\d_])'[^']*'(?![^\W\d_])|‘[^’]*’(?![^\W\d_])")


class ContestedTerms:
    """The terms of a taxonomy, compiled once to search the app's own words for."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = tuple(terms)
        self._patterns = tuple((term, _pattern(term)) for term in self.terms)

    def unquoted(self, text: str) -> list[str]:
        """The terms `text` uses outside quotation marks, in list order, each once."""
        if not self._patterns:
            return []
        bare = outside_quotations(text)
        return [term for term, pattern in self._patterns if pattern.search(bare)]


def outside_quotations(text: str) -> str:
    """`text` with every quotation blanked out (replaced by a space)."""
    return _QUOTATION.sub(" ", text)


def fold_term(term: str) -> str:
    """How two terms are compared for duplicates: case and spacing do not count."""
    return " ".join(term.split()).casefold()


def _pattern(term: str) -> re.Pattern[str]:
    words = (re.escape(word) for word in term.split())
    # At the start of a word (not inside one), so "occupied" does not catch "unoccupied".
    return re.compile(r"(?<!\w)" + r"\s+".join(words), re.IGNORECASE)


def check_own_words(fields: Fields, key: str, text: str | None, contested: ContestedTerms | None) -> None:
    """Report `text` (the value of `key`, in the app's own voice) if it uses a contested term unquoted.

    `contested` is None when taxonomy.yaml's list could not be read: then nothing is checked.
    """
    if text is None or contested is None:
        return
    found = contested.unquoted(text)
    if found:
        quoted = ", ".join(f"'{term}'" for term in found)
        noun = "a contested term" if len(found) == 1 else "contested terms"
        fields.report(
            key,
            f"uses {quoted} ({noun} listed in taxonomy.yaml) outside quotation marks",
            'quote it and say whose word it is, e.g. which the passage calls "..."',
        )
