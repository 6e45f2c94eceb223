"""taxonomy.yaml: the claim types and evidence kinds students choose from, and the contested terms."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .contested import ContestedTerms, fold_term
from .fields import NAME_MAX, TERM_MAX, Fields, UniqueIds, join
from .problems import ProblemSink
from .types import Choice, Taxonomy
from .yaml_nodes import Node, Scalar, describe

MIN_CLAIM_TYPES = 2  # with one claim type there is nothing to choose
_HAS_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class TaxonomyResult:
    taxonomy: Taxonomy | None  # None when the file has any problem
    # Every well-formed id written in the file, even in an entry with other
    # problems, so quiz files can still be checked against them (and a quiz
    # using an id whose label is missing is not wrongly told the id is unknown).
    # None when the list could not be read at all: references are then not checked.
    claim_type_ids: tuple[str, ...] | None
    evidence_kind_ids: tuple[str, ...] | None
    # The well-formed contested terms, so quiz files and sources.yaml are checked
    # against them even when another entry is broken; None when the list could not
    # be read at all (then nothing is checked).
    contested: ContestedTerms | None = None


def validate_taxonomy(root: Node | None, sink: ProblemSink) -> TaxonomyResult:
    top = Fields.open(root, "", sink, required=["claim_types"], optional=["evidence_kinds", "contested_terms"])
    if top is None:
        return TaxonomyResult(None, None, None)
    claim_types, claim_ids = _choices(top, "claim_types", "claim type", sink, minimum=MIN_CLAIM_TYPES)
    kinds, kind_ids = _choices(top, "evidence_kinds", "evidence kind", sink, minimum=0)
    terms = _contested_terms(top, sink)
    taxonomy = None
    if not sink and claim_types is not None and kinds is not None and terms is not None:
        taxonomy = Taxonomy(claim_types=claim_types, evidence_kinds=kinds, contested_terms=terms)
    return TaxonomyResult(taxonomy, claim_ids, kind_ids, None if terms is None else ContestedTerms(terms))


def _contested_terms(top: Fields, sink: ProblemSink) -> tuple[str, ...] | None:
    """The readable terms, in file order; () when the list is absent, None when it is not a list.

    Broken entries are reported and left out, so the others still check the quiz files.
    """
    seq = top.seq("contested_terms", required=False)
    if seq is None:
        return () if top.value("contested_terms") is None else None
    out: list[str] = []
    first_line: dict[str, int] = {}
    for i, item in enumerate(seq.items):
        field = join("contested_terms", i)
        text = item.text.strip() if isinstance(item, Scalar) and not item.is_null else ""
        if not text:
            sink.add(item.line, item.column, field, f"expected a word or phrase, found {describe(item)}")
            continue
        if len(text) > TERM_MAX:
            sink.add(
                item.line,
                item.column,
                field,
                f"the term has {len(text)} characters; at most {TERM_MAX} are allowed",
                "shorten it",
            )
            continue
        if not _HAS_WORD.search(text):
            sink.add(
                item.line,
                item.column,
                field,
                f"'{text}' has no letter or digit",
                "a contested term is a word or phrase",
            )
            continue
        folded = fold_term(text)
        if folded in first_line:
            sink.add(
                item.line,
                item.column,
                field,
                f"'{text}' is listed twice (first on line {first_line[folded]})",
                "keep one of them",
            )
            continue
        first_line[folded] = item.line
        out.append(text)
    return tuple(out)


def _choices(
    top: Fields, key: str, what: str, sink: ProblemSink, *, minimum: int
) -> tuple[tuple[Choice, ...] | None, tuple[str, ...] | None]:
    """The entries of one list (all of them, or None if any is broken) and the ids that were readable."""
    seq = top.seq(key, required=minimum > 0)
    if seq is None:
        # Absent optional list: no entries. Absent or unreadable required list: unknown.
        return ((), ()) if minimum == 0 and top.value(key) is None else (None, None)
    if len(seq.items) < minimum:
        top.report(key, f"at least {minimum} {what}s are needed, found {len(seq.items)}")
    out: list[Choice] = []
    ids = UniqueIds(sink, what)
    broken = False
    for i, item in enumerate(seq.items):
        entry = Fields.open(item, join(key, i), sink, required=["id", "label", "definition"])
        if entry is None:
            broken = True
            continue
        choice_id = entry.slug("id")
        label = entry.text("label", max_length=NAME_MAX)
        definition = entry.text("definition")
        if choice_id is not None and not ids.add(choice_id, entry):
            choice_id = None
        if choice_id is None or label is None or definition is None:
            broken = True
            continue
        out.append(Choice(choice_id, label, definition))
    return (None if broken else tuple(out)), ids.ids()
