"""One entry of a quiz file's `questions` list."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .contested import ContestedTerms, check_own_words
from .fields import Fields, UniqueIds, check_ref, join
from .limits import LoadBudget, LoadLimits, size_text
from .problems import ProblemSink
from .provenance import Mismatch, SourceText, StretchBudget, locate_passage
from .quoting import quote
from .types import Explanation, Question, Span
from .validate_cues import validate_cues
from .yaml_nodes import Node

MAX_PASSAGE_WORDS = 150
_WORD = re.compile(r"\S*\w\S*")  # a run of non-space holding a letter or digit; "..." and "-" are not words

_REQUIRED = ["id", "passage", "claim_type", "speaker", "evidence", "explain"]
_OPTIONAL = ["source", "accept", "speaker_choices", "evidence_kind", "cues", "relayed_by"]
_EXPLAIN = ["claim_type", "speaker", "evidence"]


def count_words(passage: str) -> int:
    return len(_WORD.findall(passage))


@dataclass(frozen=True)
class Known:
    """Ids defined outside the quiz file. None: that list could not be read, so do not check against it."""

    claim_types: tuple[str, ...] | None
    evidence_kinds: tuple[str, ...] | None
    sources: tuple[str, ...] | None
    texts: Mapping[str, tuple[str, SourceText]]  # source id -> (text path, folded text)
    stretch_budget: StretchBudget = field(default_factory=StretchBudget)  # shared by one load
    contested: ContestedTerms | None = None  # None: taxonomy.yaml's list is unreadable, so nothing is checked
    budget: LoadBudget = field(default_factory=lambda: LoadBudget(LoadLimits()))  # shared by one load


@dataclass(frozen=True)
class QuizContext:
    """What every question of one file is checked against."""

    known: Known
    speakers: tuple[str, ...] | None  # in file order; None when `speakers` could not be read
    default_source: str | None
    file_source_reported: bool  # a bad file-level source is reported once, not again per question
    question_ids: UniqueIds


def validate_question(item: Node, index: int, sink: ProblemSink, ctx: QuizContext) -> Question | None:
    prefix = join("questions", index)
    before = len(sink)
    q = Fields.open(item, prefix, sink, required=_REQUIRED, optional=_OPTIONAL)
    if q is None:
        return None
    known = ctx.known

    question_id = q.slug("id")
    if question_id is not None:
        ctx.question_ids.add(question_id, q)

    source = _source(q, ctx)
    passage, spans = _passage(q, source, known)
    claim_type = _ref(q, "claim_type", known.claim_types, "claim type")
    accept = _accept(q, claim_type, known.claim_types)
    speaker = _ref(q, "speaker", ctx.speakers, "speaker")
    choices = _speaker_choices(q, speaker, ctx.speakers)
    relayed_by = _relayed_by(q, speaker, ctx.speakers)
    cues = validate_cues(q, passage)
    evidence = q.yes_no("evidence")
    evidence_kind = _ref(q, "evidence_kind", known.evidence_kinds, "evidence kind", required=False)
    if evidence is False and evidence_kind is not None:
        q.report(
            "evidence_kind",
            "evidence_kind is only given with evidence: yes",
            "remove evidence_kind, or set evidence: yes",
        )
    explanation = _explain(q, known.contested)

    if (
        len(sink) > before
        or question_id is None
        or source is None
        or passage is None
        or claim_type is None
        or speaker is None
        or evidence is None
        or explanation is None
        or ctx.speakers is None
    ):
        return None  # the problems are in the sink (here or, for speakers and source, at file level)
    return Question(
        id=question_id,
        source=source,
        passage=passage,
        claim_type=claim_type,
        speaker=speaker,
        speaker_choices=choices if choices is not None else ctx.speakers,
        evidence=evidence,
        explain=explanation,
        accept=accept,
        evidence_kind=evidence_kind,
        line=q.node.line,
        source_spans=spans,
        cues=cues,
        relayed_by=relayed_by,
    )


def _ref(q: Fields, key: str, known: tuple[str, ...] | None, what: str, *, required: bool = True) -> str | None:
    value = q.text(key, required=required)
    if value is None or known is None:
        return value
    node = q.value(key)
    if node is None:
        return None
    return value if check_ref(q.sink, node, q.field(key), value, known, what) else None


def _source(q: Fields, ctx: QuizContext) -> str | None:
    if "source" in q.entries and q.value("source") is not None:
        return _ref(q, "source", ctx.known.sources, "source")
    if ctx.default_source is None and not ctx.file_source_reported:
        line, column = q.node.line, q.node.column
        q.sink.add(
            line,
            column,
            q.field("source"),
            "this question has no source",
            "add 'source: <id>' to the question, or once at the top of the file",
        )
    return ctx.default_source


def _passage(q: Fields, source: str | None, known: Known) -> tuple[str | None, tuple[Span, ...]]:
    """The passage, and where its pieces occur in the source's text (() without a text file)."""
    raw = q.text("passage")
    if raw is None:
        return None, ()
    passage = " ".join(raw.split())  # fold line breaks from `>`/`|` blocks and double spaces
    words = count_words(passage)
    if words == 0:
        q.report("passage", "the passage has no words")
    elif words > MAX_PASSAGE_WORDS:
        q.report(
            "passage",
            f"the passage has {words} words; at most {MAX_PASSAGE_WORDS} are allowed",
            "shorten it; mark words left out with '...'",
        )
    if source is None or source not in known.texts:
        return passage, ()
    path, text = known.texts[source]
    found = locate_passage(passage, text, known.stretch_budget, known.budget)
    if isinstance(found, Mismatch) and not found.checked:
        limit = size_text(known.budget.limits.text_bytes)
        q.report("passage", f"passage not checked against {path}: one load compares at most {limit}", found.hint)
        return passage, ()
    if isinstance(found, Mismatch):
        q.report("passage", f"passage not found in {path}", found.hint, found.context)
        return passage, ()
    return passage, found


def _accept(q: Fields, claim_type: str | None, known: tuple[str, ...] | None) -> tuple[str, ...]:
    entries = q.id_list("accept")
    if entries is None:
        return ()
    out: list[str] = []
    for value, node, where in entries:
        if known is not None and not check_ref(q.sink, node, where, value, known, "claim type"):
            continue
        if value == claim_type:
            q.sink.add(
                node.line,
                node.column,
                where,
                f"'{quote(value)}' is the claim_type itself",
                "accept lists other claim types that earn half credit",
            )
            continue
        out.append(value)
    return tuple(out)


def _speaker_choices(q: Fields, speaker: str | None, speakers: tuple[str, ...] | None) -> tuple[str, ...] | None:
    entries = q.id_list("speaker_choices")
    if entries is None:
        return None
    if speakers is not None:
        for value, node, where in entries:
            check_ref(q.sink, node, where, value, speakers, "speaker")
    choices = tuple(value for value, _, _ in entries)
    if speaker is not None and speaker not in choices:
        q.report(
            "speaker_choices",
            f"the speaker '{quote(speaker)}' is not among the speaker_choices",
            "add it to the list, or leave speaker_choices out to offer every speaker",
        )
    return choices


def _relayed_by(q: Fields, speaker: str | None, speakers: tuple[str, ...] | None) -> str | None:
    """Who passes the keyed speaker's words on (quotes or summarises them), if the file says."""
    relayer = _ref(q, "relayed_by", speakers, "speaker", required=False)
    if relayer is not None and relayer == speaker:
        q.report(
            "relayed_by",
            f"relayed_by names the keyed speaker '{speaker}' itself",
            "relayed_by names whoever quotes or summarises the speaker's words; leave it out when no one does",
        )
        return None
    return relayer


def _explain(q: Fields, contested: ContestedTerms | None) -> Explanation | None:
    node = q.value("explain")
    if node is None:
        if "explain" in q.entries:
            q.report("explain", "'explain' needs claim_type, speaker and evidence")
        return None
    explain = Fields.open(node, q.field("explain"), q.sink, required=_EXPLAIN)
    if explain is None:
        return None
    texts = [explain.text(key) for key in _EXPLAIN]
    for key, text in zip(_EXPLAIN, texts, strict=True):
        check_own_words(explain, key, text, contested)
    if any(t is None for t in texts):
        return None
    claim_type, speaker, evidence = (t or "" for t in texts)
    return Explanation(claim_type=claim_type, speaker=speaker, evidence=evidence)
