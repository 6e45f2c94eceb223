"""Reading typed values out of a YAML mapping, reporting every mistake on the way.

`Fields` checks a mapping's keys once (unknown, duplicate, missing) and then
hands out values by kind: text, id, one of a fixed set, yes/no, list. Each
getter returns None after reporting when the value cannot be used, so the
validators can carry on and find the next problem.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from .problems import ProblemSink, choices_hint, close_match, did_you_mean
from .quoting import quote
from .yaml_nodes import Map, Node, Scalar, Seq, describe

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")

# The longest values the database keeps (the column sizes in quizapp/models/).
# PostgreSQL refuses a longer value where SQLite would keep it, so both are
# held to these here, where the message can say file:line.
ID_MAX = 64
QUIZ_TITLE_MAX = 300
SOURCE_TITLE_MAX = 500
NAME_MAX = 200  # source publisher and author, claim type and evidence labels
DATE_MAX = 64
TERM_MAX = 100  # a contested term in taxonomy.yaml: a word or a short phrase
# A quiz's `position`: a small whole number. The bound keeps it far inside any
# database integer and makes a typo (a pasted year, a phone number) an error.
POSITION_MAX = 9999
_ASCII_DIGITS = re.compile(r"[0-9]+")
_YES = frozenset({"yes", "true"})
_NO = frozenset({"no", "false"})


def join(prefix: str, key: str | int) -> str:
    """A dotted field path: join("questions[2]", "claim_type") -> "questions[2].claim_type"."""
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else key


def position(node: Node | None, fallback: Node | None = None) -> tuple[int, int]:
    """1-based line and column of `node`, else of `fallback`, else (0, 0): the whole file."""
    for n in (node, fallback):
        if n is not None:
            return n.line, n.column
    return 0, 0


# A mapping with this many unknown keys and not one it takes is some other file
# (a log, a config, a file linked in by mistake): one problem says so, instead
# of one per line repeating its keys.
FOREIGN_KEYS = 5


def slug_hint(text: str) -> str:
    suggestion = re.sub(r"[^a-z0-9]+", "-", quote(text).lower()).strip("-")
    if suggestion and SLUG.fullmatch(suggestion):
        return f"ids use lower-case letters, digits and hyphens, e.g. '{suggestion}'"
    return "ids use lower-case letters, digits and hyphens, starting with a letter or digit"


class Fields:
    """One mapping of a file, with its keys already checked."""

    def __init__(self, node: Map, prefix: str, sink: ProblemSink, entries: dict[str, tuple[Scalar, Node]]) -> None:
        self.node = node
        self.prefix = prefix
        self.sink = sink
        self.entries = entries

    @classmethod
    def open(
        cls,
        node: Node | None,
        prefix: str,
        sink: ProblemSink,
        *,
        required: Sequence[str],
        optional: Sequence[str] = (),
    ) -> Fields | None:
        """Check that `node` is a mapping with the right keys; None if it is not a mapping."""
        if not isinstance(node, Map):
            line, column = position(node)
            where = f"'{prefix}'" if prefix else "the top of the file"
            sink.add(line, column, prefix, f"expected a mapping (key: value lines) at {where}, found {describe(node)}")
            return None
        allowed = [*required, *optional]
        names = [key.text for key, _ in node.pairs if isinstance(key, Scalar)]
        if len(names) >= FOREIGN_KEYS and not set(names) & set(allowed):
            where = f"'{prefix}'" if prefix else "this file"
            sink.add(
                node.line,
                node.column,
                prefix,
                f"none of the {len(names)} keys of {where} is one it may have; is this the right file?",
                "allowed keys: " + ", ".join(allowed),
            )
            return None
        entries: dict[str, tuple[Scalar, Node]] = {}
        suggested: set[str] = set()
        for key, value in node.pairs:
            if not isinstance(key, Scalar):
                sink.add(key.line, key.column, prefix, f"a key must be a plain word, found {describe(key)}")
                continue
            name = key.text
            shown = quote(name)
            if name in entries:
                first = entries[name][0]
                sink.add(
                    key.line,
                    key.column,
                    join(prefix, shown),
                    f"duplicate key '{shown}' (first given on line {first.line})",
                    "keep one of them",
                )
                continue
            entries[name] = (key, value)
            if name not in allowed:
                close = close_match(name, allowed)
                if close is not None:
                    suggested.add(close)
                    hint = f"did you mean '{close}'?"
                else:
                    hint = "allowed keys: " + ", ".join(allowed)
                sink.add(key.line, key.column, join(prefix, shown), f"unknown key '{shown}'", hint)
        for name in required:
            # A typo such as 'pasage' was already reported with "did you mean
            # 'passage'?"; saying 'passage' is missing as well would be noise.
            if name not in entries and name not in suggested:
                sink.add(node.line, node.column, join(prefix, name), f"missing required key '{name}'")
        return cls(node, prefix, sink, entries)

    def field(self, key: str) -> str:
        return join(self.prefix, key)

    def value(self, key: str) -> Node | None:
        """The node for `key`, None when absent or null (null means absent)."""
        entry = self.entries.get(key)
        if entry is None or (isinstance(entry[1], Scalar) and entry[1].is_null):
            return None
        return entry[1]

    def at(self, key: str) -> tuple[int, int]:
        """Where to point for `key`: its value, else its key, else the mapping."""
        entry = self.entries.get(key)
        return position(entry[1] if entry else None, self.node)

    def report(self, key: str, message: str, hint: str = "", context: str = "", node: Node | None = None) -> None:
        line, column = position(node) if node is not None else self.at(key)
        self.sink.add(line, column, self.field(key), message, hint, context)

    def text(self, key: str, *, required: bool = True, max_length: int | None = None) -> str | None:
        """Stripped text; "" and null count as absent. Numbers and dates stay as written."""
        entry = self.entries.get(key)
        node = self.value(key)
        if node is None:
            if required and entry is not None:
                self.report(key, f"'{key}' needs a value")
            return None
        if not isinstance(node, Scalar):
            self.report(key, f"expected text, found {describe(node)}")
            return None
        text = node.text.strip()
        if not text:
            if required:
                self.report(key, f"'{key}' must not be empty")
            return None
        if max_length is not None and len(text) > max_length:
            self.report(key, f"'{key}' has {len(text)} characters; at most {max_length} are allowed", "shorten it")
            return None
        return text

    def slug(self, key: str, *, required: bool = True) -> str | None:
        text = self.text(key, required=required, max_length=ID_MAX)
        if text is not None and not SLUG.fullmatch(text):
            self.report(key, f"'{quote(text)}' is not a valid id", slug_hint(text))
            return None
        return text

    def one_of(self, key: str, choices: Sequence[str], default: str, *, required: bool = False) -> str:
        """One of a fixed set of words; `default` when absent or wrong (wrong is reported)."""
        text = self.text(key, required=required)
        if text is None:
            return default
        if text not in choices:
            self.report(key, f"unknown {key} '{quote(text)}'", choices_hint(text, choices))
            return default
        return text

    def whole_number(self, key: str, *, maximum: int) -> int | None:
        """A whole number from 0 to `maximum`, written with ASCII digits only; None when absent or wrong.

        Only 0-9: int() would also take "+3", "3_000", "-0" and digits of other
        scripts ("٣"), none of which an instructor means as a plain number.
        """
        text = self.text(key, required=False)
        if text is None:
            return None
        shown = text if len(text) <= 20 else text[:17] + "..."
        if not _ASCII_DIGITS.fullmatch(text):
            self.report(
                key, f"{key} must be a whole number from 0 to {maximum}, found '{shown}'", "write digits only, e.g. 1"
            )
            return None
        # Compared as text first: int() refuses strings of thousands of digits.
        significant = text.lstrip("0") or "0"
        if len(significant) > len(str(maximum)) or int(significant) > maximum:
            self.report(key, f"{key} must be a whole number from 0 to {maximum}, found {shown}", "use a smaller number")
            return None
        return int(significant)

    def yes_no(self, key: str) -> bool | None:
        """yes/no/true/false in any case, quoted or not; on/off/y/n are refused as unclear."""
        entry = self.entries.get(key)
        node = self.value(key)
        if node is None:
            if entry is not None:
                self.report(key, f"'{key}' needs a value: yes or no")
            return None
        word = node.text.strip().lower() if isinstance(node, Scalar) else ""
        if word in _YES:
            return True
        if word in _NO:
            return False
        self.report(key, f"{key} must be yes or no, found {describe(node)}", "write yes or no")
        return None

    def seq(self, key: str, *, required: bool = True) -> Seq | None:
        entry = self.entries.get(key)
        node = self.value(key)
        if node is None:
            if required and entry is not None:
                self.report(key, f"'{key}' needs a list")
            return None
        if not isinstance(node, Seq):
            hint = f"write a list, e.g. [{quote(node.text)}]" if isinstance(node, Scalar) else "write a list"
            self.report(key, f"expected a list, found {describe(node)}", hint)
            return None
        return node

    def id_list(self, key: str, what: str = "an id") -> list[tuple[str, Scalar, str]] | None:
        """A list of ids (`accept`, `speaker_choices`) or other short texts (`what` says
        which, for the message) as (text, node, field path) triples.

        Entries that are not text, and repeats, are reported and left out; the
        field path keeps the entry's position in the file's list.
        """
        node = self.seq(key, required=False)
        if node is None:
            return None
        out: list[tuple[str, Scalar, str]] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(node.items):
            field = join(self.field(key), i)
            if not isinstance(item, Scalar) or item.is_null or not item.text.strip():
                self.sink.add(item.line, item.column, field, f"expected {what}, found {describe(item)}")
                continue
            text = item.text.strip()
            if text in seen:
                self.sink.add(
                    item.line, item.column, field, f"'{quote(text)}' is listed twice (first on line {seen[text]})"
                )
                continue
            seen[text] = item.line
            out.append((text, item, field))
        return out


def check_ref(sink: ProblemSink, node: Node, field: str, value: str, known: Collection[str], what: str) -> bool:
    """Report `value` when it is not one of `known` (ids defined elsewhere); True when fine."""
    if value in known:
        return True
    ordered = list(known)  # callers pass ids in file order (lists or dicts), for a stable hint
    hint = did_you_mean(value, ordered)
    if not hint and ordered and len(ordered) <= 12:
        hint = "known: " + ", ".join(ordered)
    sink.add(node.line, node.column, field, f"unknown {what} '{quote(value)}'", hint)
    return False


class UniqueIds:
    """Ids seen so far in one list, reporting the second use of any of them."""

    def __init__(self, sink: ProblemSink, what: str) -> None:
        self.sink = sink
        self.what = what
        self.lines: dict[str, int] = {}  # id -> line of first use, in file order

    def add(self, value: str, fields: Fields, key: str = "id") -> bool:
        if value in self.lines:
            fields.report(
                key,
                f"duplicate {self.what} id '{value}' (first used on line {self.lines[value]})",
                "every id must be different",
            )
            return False
        self.lines[value] = fields.at(key)[0]
        return True

    def ids(self) -> tuple[str, ...]:
        return tuple(self.lines)
