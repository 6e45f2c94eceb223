"""A question's `cues`: per part, the stretches of its passage that signal the key.

    cues:
      claim_type: ["a disgrace"]
      speaker: ["said Mayor Ana Reyes"]

Each cue must occur in the passage exactly once, compared as provenance
compares a passage with its source (curly or straight quotes, kinds of dash
and spacing do not matter; capital letters do), so that the feedback page can
mark that one place. Where it occurs is kept as offsets into the passage.
"""

from __future__ import annotations

from .fields import Fields
from .provenance import fold
from .types import PARTS, Cue

_SHOWN = 60  # characters of a cue repeated in a message


def validate_cues(q: Fields, passage: str | None) -> tuple[Cue, ...]:
    """The question's cues in file order; () when there are none or any is wrong (reported)."""
    node = q.value("cues")
    if node is None:
        if "cues" in q.entries:
            q.report("cues", "'cues' needs claim_type, speaker or evidence, each with a list of words from the passage")
        return ()
    cues = Fields.open(node, q.field("cues"), q.sink, required=[], optional=PARTS)
    if cues is None:
        return ()
    if not cues.entries:
        q.report("cues", "'cues' is empty", "give claim_type, speaker or evidence, or leave cues out")
        return ()
    # The stored passage has single spaces already, so folding keeps its offsets:
    # a place found in the folded passage is the same place in the passage.
    folded = fold(passage) if passage is not None else None
    before = len(q.sink)
    found: list[Cue] = []
    for part in PARTS:
        for text, item, where in cues.id_list(part, "words from the passage") or []:
            if folded is None:
                continue  # the passage itself is wrong, and reported
            cue = fold(text)
            count = folded.count(cue)
            if count == 1:
                start = folded.index(cue)
                found.append(Cue(part, start, start + len(cue)))
            elif count == 0:
                close = folded.lower().count(cue.lower())
                hint = (
                    "the words are there, but with other capital letters; copy them exactly"
                    if close
                    else "copy the words exactly from the passage"
                )
                q.sink.add(item.line, item.column, where, f"cue '{_short(text)}' does not occur in the passage", hint)
            else:
                q.sink.add(
                    item.line,
                    item.column,
                    where,
                    f"cue '{_short(text)}' occurs {count} times in the passage",
                    "quote a few more words, so that it points at one place",
                )
    return tuple(found) if len(q.sink) == before else ()


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
