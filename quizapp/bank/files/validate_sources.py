"""sources.yaml: the sources passages are quoted from, and their text files."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from .contested import ContestedTerms, check_own_words
from .fields import DATE_MAX, NAME_MAX, SOURCE_TITLE_MAX, Fields, UniqueIds, join
from .problems import ProblemSink, did_you_mean
from .provenance import SourceText, SourceTexts
from .quoting import quote
from .types import GENRES, Source
from .yaml_nodes import Node

_OPTIONAL = ["publisher", "author", "date", "text", "note", "presents"]
_WINDOWS_ABSOLUTE = re.compile(r"[A-Za-z]:[\\/]")


@dataclass(frozen=True)
class SourcesResult:
    sources: tuple[Source, ...] | None  # None when the file has any problem
    # Well-formed ids written in the file (even in broken entries); None when
    # the list could not be read, so quiz files do not get their sources checked.
    ids: tuple[str, ...] | None
    # Source id -> (text path as written, its folded text), for readable text files.
    texts: dict[str, tuple[str, SourceText]] = field(default_factory=dict)


def validate_sources(
    root: Node | None, sink: ProblemSink, texts: SourceTexts, contested: ContestedTerms | None = None
) -> SourcesResult:
    """`contested`: taxonomy.yaml's contested terms, which notes and `presents` (the app's words) must quote."""
    top = Fields.open(root, "", sink, required=["sources"])
    if top is None:
        return SourcesResult(None, None)
    seq = top.seq("sources")
    if seq is None:
        return SourcesResult(None, None)
    if not seq.items:
        top.report("sources", "at least one source is needed")
    out: list[Source] = []
    found: dict[str, tuple[str, SourceText]] = {}
    ids = UniqueIds(sink, "source")
    broken = False
    for i, item in enumerate(seq.items):
        entry = Fields.open(item, join("sources", i), sink, required=["id", "title", "genre"], optional=_OPTIONAL)
        if entry is None:
            broken = True
            continue
        source_id = entry.slug("id")
        if source_id is not None and not ids.add(source_id, entry):
            source_id = None
        title = entry.text("title", max_length=SOURCE_TITLE_MAX)
        genre = entry.one_of("genre", GENRES, default="", required=True)
        text_path, text = _text_file(entry, texts)
        if source_id is not None and text_path is not None and text is not None:
            found[source_id] = (text_path, text)
        note = entry.text("note", required=False)
        presents = entry.text("presents", required=False, max_length=NAME_MAX)
        for key, own_words in (("note", note), ("presents", presents)):
            check_own_words(entry, key, own_words, contested)
        if source_id is None or title is None or not genre:
            broken = True
            continue
        out.append(
            Source(
                id=source_id,
                title=title,
                genre=genre,
                publisher=entry.text("publisher", required=False, max_length=NAME_MAX),
                author=entry.text("author", required=False, max_length=NAME_MAX),
                date=entry.text("date", required=False, max_length=DATE_MAX),
                text=text_path,
                note=note,
                presents=presents,
            )
        )
    sources = None if broken or sink else tuple(out)
    return SourcesResult(sources, ids.ids(), found)


def _text_file(entry: Fields, texts: SourceTexts) -> tuple[str | None, SourceText | None]:
    """The `text` path as written and its folded text; problems go to the entry's file."""
    relative = entry.text("text", required=False)
    if relative is None:
        return None, None
    if relative.startswith(("/", "\\")) or _WINDOWS_ABSOLUTE.match(relative):
        entry.report(
            "text",
            f"'{quote(relative)}' is an absolute path",
            "write the path relative to the questions folder, e.g. sources/report.txt",
        )
        return relative, None
    if "\\" in relative:
        shown = quote(relative)
        entry.report("text", f"'{shown}' uses backslashes", "use forward slashes: " + shown.replace("\\", "/"))
        return relative, None
    result = texts.read(relative)
    if isinstance(result, str):
        entry.report("text", result, _nearby_hint(texts, relative))
        return relative, None
    return relative, result


def _nearby_hint(texts: SourceTexts, relative: str) -> str:
    """For a missing file, suggest a similarly named file in the same folder."""
    folder = posixpath.dirname(relative)
    try:
        directory = (texts.root / folder).resolve()
        if not directory.is_relative_to(texts.root.resolve()) or not directory.is_dir():
            return ""
        names = sorted(p.name for p in directory.iterdir() if p.is_file())[:500]
    except (OSError, ValueError):
        return ""
    hint = did_you_mean(posixpath.basename(relative), names)
    return hint.replace("'", f"'{folder}/", 1) if hint and folder else hint
