"""Provenance: does a passage really occur in the text of its source?

Passages are compared with the source after folding what editors and web pages
change without changing the words: runs of whitespace, curly quotes and the
various dashes. Case is kept: changing it changes what was said. A passage may
leave words out where it shows `...` or `…` (also `[...]`); each piece between
cuts must occur in the source, in order.

The normal path is one `str.find` per piece on a text folded once per load.
The "closest stretch" shown for a failure is only computed on failure, and is
bounded: a handful of candidate windows anchored on the passage's rarest words.
Every character of source text read, searched or indexed counts against the
load's budget (limits.py), so a crafted bank cannot make a load run for minutes;
and a stretch shown never reaches past one line of the text file.

Where each piece was found is kept, as character offsets into the text as
written (not the folded one), so that a page can show the passage inside its
source without matching it again.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .limits import LoadBudget, LoadLimits, size_text
from .quoting import quote
from .types import Span

_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b", "'"),  # ‘ ’ ‚ ‛
        **dict.fromkeys("\u201c\u201d\u201e\u201f", '"'),  # “ ” „ ‟
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015", "-"),  # ‐ ‑ ‒ – — ―
    }
)
_SPACE = re.compile(r"\s+")
# A cut: ... or … (three or more dots), optionally in square or round brackets.
CUT = re.compile(r"\s*(?:\[\s*(?:\.{3,}|…)\s*\]|\(\s*(?:\.{3,}|…)\s*\)|\.{3,}|…)\s*")
_WORD_KEY = re.compile(r"\W+")
_MAX_ANCHORS = 4  # rarest passage words used to place candidate windows
_MAX_HITS = 12  # occurrences tried per anchor word
_SHOWN = 300  # characters of the closest stretch shown


def fold(text: str) -> str:
    """Text as compared: quotes and dashes made plain, whitespace runs made one space.

    Folding changes no character count but that of whitespace runs: a text whose
    whitespace is already single spaces (as stored passages are) keeps its offsets.
    """
    return _SPACE.sub(" ", text.translate(_FOLD)).strip()


def normalise_newlines(text: str) -> str:
    """Every line end as a single newline, whatever system wrote the file, so offsets mean the same everywhere."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class SourceText:
    """The folded text of one source file, with a word index built on first need.

    `original` is the text as written (newlines normalised), which offsets given
    out by `original_span` point into; it is the folded text itself when only
    that was given.
    """

    folded: str
    original: str = ""
    # Where each line of the file begins in `folded`: a stretch shown stays within one.
    line_starts: list[int] = field(default_factory=lambda: [0])
    _spans: list[tuple[int, int]] = field(default_factory=list)
    _index: dict[str, list[int]] | None = None
    _counts: Counter[str] = field(default_factory=Counter)
    _lowered: str | None = None
    # Where each word starts, in the folded and in the original text (built on first need).
    _word_starts: tuple[list[int], list[int]] | None = None

    def __post_init__(self) -> None:
        if not self.original:
            self.original = self.folded

    @classmethod
    def of(cls, text: str) -> SourceText:
        """`text` folded, line by line (the same result as folding it whole), keeping where lines begin."""
        original = normalise_newlines(text)
        lines = [folded for folded in (fold(line) for line in original.split("\n")) if folded]
        starts, offset = [], 0
        for line in lines:
            starts.append(offset)
            offset += len(line) + 1
        return cls(" ".join(lines), original, starts or [0])

    def index(self) -> dict[str, list[int]]:
        if self._index is None:
            self._index = {}
            for n, match in enumerate(re.finditer(r"\S+", self.folded)):
                self._spans.append(match.span())
                key = _key(match.group())
                if key:
                    self._index.setdefault(key, []).append(n)
                    self._counts[key] += 1
        return self._index

    def lowered(self) -> str:
        """The folded text in lower case, made on first need (only when a passage fails)."""
        if self._lowered is None:
            self._lowered = self.folded.lower()
        return self._lowered

    def frequency(self, key: str) -> int:
        self.index()
        return self._counts[key]

    def window(self, start: int, count: int) -> str:
        """The words start..start+count of the folded text."""
        spans = self._spans[start : start + count]
        return self.folded[spans[0][0] : spans[-1][1]] if spans else ""

    def within_a_line(self, start: int, count: int) -> str:
        """The words start..start+count, cut where the line of the first one ends in the file."""
        spans = self._spans[start : start + count]
        if not spans:
            return ""
        begin = spans[0][0]
        line = bisect.bisect_right(self.line_starts, begin) - 1
        line_end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.folded)
        return self.folded[begin : min(spans[-1][1], line_end)]

    def original_span(self, start: int, end: int) -> Span:
        """The stretch of the original text that folds to folded[start:end] (end > start).

        Folding keeps every character of a word and turns each whitespace run
        into one space, so an offset inside a word moves by as much as its word.
        """
        if self._word_starts is None:
            folded_starts: list[int] = []
            original_starts: list[int] = []
            position = 0
            for word in re.finditer(r"\S+", self.original.translate(_FOLD)):
                folded_starts.append(position)
                original_starts.append(word.start())
                position += len(word.group()) + 1
            self._word_starts = (folded_starts, original_starts)
        folded_starts, original_starts = self._word_starts

        def moved(offset: int) -> int:
            word = max(0, bisect.bisect_right(folded_starts, offset) - 1)
            return original_starts[word] + offset - folded_starts[word]

        return moved(start), moved(end - 1) + 1


@dataclass(frozen=True)
class Mismatch:
    hint: str
    context: str
    checked: bool = True  # False: not compared at all, the load's budget being spent


class SourceTexts:
    """Source text files under one questions folder, each read and folded once per load."""

    def __init__(self, root: Path, budget: LoadBudget | None = None) -> None:
        self.root = root
        self.budget = budget or LoadBudget(LoadLimits())
        self._cache: dict[str, SourceText | str] = {}

    def read(self, relative: str) -> SourceText | str:
        """The folded text, or a sentence saying why it cannot be read."""
        if relative not in self._cache:
            self._cache[relative] = self._read(relative)
        return self._cache[relative]

    def _read(self, relative: str) -> SourceText | str:
        """The text, read only where it resolves inside the questions folder (F1): a
        link leading out is named, and nothing of what it leads to is read or shown."""
        name = quote(relative)
        limit = self.budget.limits.source_bytes
        try:
            root = self.root.resolve()
            target = (root / relative).resolve()
            if not target.is_relative_to(root):
                return (
                    f"text file '{name}' is outside the questions folder (or a link leading out of it); it is not read"
                )
            if not target.is_file():
                return f"text file '{name}' not found"
            size = target.stat().st_size
            if size > limit:
                return f"text file '{name}' is larger than {size_text(limit)} ({size:,} bytes)"
            if not self.budget.take_text(size):
                return f"text file '{name}' not read: this load has read all the source text one load may"
            with target.open("rb") as handle:
                data = handle.read(limit + 1)  # the file may have grown since stat
        except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: a loop of links
            return f"text file '{name}' cannot be read ({type(exc).__name__})"
        if len(data) > limit:
            return f"text file '{name}' is larger than {size_text(limit)}"
        try:
            return SourceText.of(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            return f"text file '{name}' is not valid UTF-8 (at byte {exc.start:,})"


def pieces(passage: str) -> list[str]:
    """The parts of a passage between its cuts; the first or last may be empty."""
    return CUT.split(fold(passage))


class StretchBudget:
    """How many closest-stretch searches one load may still do.

    Each search takes about a millisecond, more on repetitive text; a bank whose
    source file was replaced could fail every passage, and the first couple of
    hundred stretches say all there is to say.
    """

    def __init__(self, searches: int = 200) -> None:
        self.left = searches

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


NOT_CHECKED = Mismatch(
    "this load has already compared all the source text one load may; the passages before this one were "
    "probably not found either: fix those first, or check that the source text is the right file",
    "",
    checked=False,
)


def check_passage(
    passage: str, source: SourceText, budget: StretchBudget | None = None, load: LoadBudget | None = None
) -> Mismatch | None:
    """None when every piece of the passage occurs in the source, in order."""
    found = locate_passage(passage, source, budget, load)
    return found if isinstance(found, Mismatch) else None


def locate_passage(
    passage: str, source: SourceText, budget: StretchBudget | None = None, load: LoadBudget | None = None
) -> tuple[Span, ...] | Mismatch:
    """Where each piece of the passage occurs in the source text as written, in order; or why it does not.

    Each search is counted against `load` (when given); once it is spent, the
    passage is not compared at all and the Mismatch says so (checked=False).
    """
    text = source.folded
    parts = pieces(passage)
    position = 0
    spans: list[Span] = []
    for part in parts:
        if not part:
            continue
        if load is not None and load.text_exhausted:
            return NOT_CHECKED
        found = text.find(part, position)
        if load is not None:
            load.take_text((found + len(part) if found >= 0 else len(text)) - position)
        if found >= 0:
            position = found + len(part)
            spans.append(source.original_span(found, position))
            continue
        if load is not None:
            load.take_text(3 * len(text))  # from the start, then in lower case (made, then searched)
        if text.find(part) >= 0:
            return Mismatch(
                f"the part '{_short(part)}' occurs in the source, but before the part that precedes it",
                "",
            )
        hint = "copy the words exactly; mark words left out with '...'"
        if source.lowered().find(part.lower()) >= 0:
            hint = "the words are there, but with other capital letters; copy them exactly"
        elif len([p for p in parts if p]) > 1:
            hint = f"the part '{_short(part)}' was not found; " + hint
        if budget is not None and not budget.take():
            return Mismatch(hint, "    (closest stretch not searched: too many passages not found in this run)")
        if load is not None and source._index is None:
            load.take_text(2 * len(text))  # the word index, built once per text
        stretch = closest_stretch(part, source)
        context = f"    closest stretch: '{stretch}'" if stretch else "    no word of this part occurs in the source"
        return Mismatch(hint, context)
    return tuple(spans)


def closest_stretch(part: str, source: SourceText) -> str:
    """The stretch of the source most like `part`, compared by words; "" when no word is shared.

    Candidate windows are placed where the part's rarest words occur, a little
    wider than the part; the best one is then cut to the words that line up with
    the part's first and last words, so the stretch reads like the passage.
    """
    index = source.index()
    words = part.split(" ")
    keys = [_key(w) for w in words]
    anchors = sorted({(source.frequency(k), j, k) for j, k in enumerate(keys) if k in index})
    starts: set[int] = set()
    used: set[str] = set()
    for _, j, k in anchors:
        if k in used:
            continue
        used.add(k)
        starts.update(hit - j for hit in index[k][:_MAX_HITS])
        if len(used) >= _MAX_ANCHORS:
            break
    if not starts:
        return ""
    slack = max(3, len(words) // 4)  # room for words the passage added or dropped
    wanted = Counter(keys)
    best: tuple[int, int] = (-1, 0)
    for start in sorted(starts):
        first = max(0, start - slack)
        window_words = source.window(first, len(words) + 2 * slack).split(" ")
        # Shared words, counted with repeats: linear, unlike SequenceMatcher, which
        # on repetitive text costs milliseconds per window. It runs once, below.
        score = sum((wanted & Counter(_key(w) for w in window_words)).values())
        best = max(best, (score, -first))  # ties go to the earlier window
    first = -best[1]
    window = [_key(w) for w in source.window(first, len(words) + 2 * slack).split(" ")]
    blocks = [b for b in difflib.SequenceMatcher(None, keys, window, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return ""
    # Extend the matched span by the passage words before its first and after its
    # last match, so a differing first or last word still shows in the stretch.
    lead = blocks[0].a
    tail = len(keys) - (blocks[-1].a + blocks[-1].size)
    begin = max(0, blocks[0].b - lead)
    end = min(len(window), blocks[-1].b + blocks[-1].size + tail)
    return _short(source.within_a_line(first + begin, end - begin), _SHOWN)


def _key(word: str) -> str:
    return _WORD_KEY.sub("", word.lower())


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
