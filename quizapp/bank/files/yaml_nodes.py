"""Turn the text of a YAML file into a small tree of values that remember their position.

Why not `yaml.safe_load`: it throws positions away, and validation messages must
name line and column. Why not `yaml.compose`: its composer is recursive (deep
nesting raises RecursionError), it expands aliases, and with the pure-Python
parser it is about twenty times slower than libyaml, which matters for a bank of
a thousand files. So this module reads the parser's *events* (libyaml when it is
installed, the pure-Python parser otherwise; both give the same events and marks)
and builds the tree with an explicit stack, refusing anything an instructor's
file never needs: anchors, aliases, custom tags, deep nesting, huge files.

Scalars are kept as the text that was written: `date: 2023-10-03` stays
"2023-10-03" and `ask_reason: off` stays "off" (YAML 1.1 would make it False).
Only null is resolved, because `null` and an empty value mean "absent".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .file_text import MAX_FILE_BYTES, decode
from .problems import ProblemSink, caret_context
from .quoting import quote
from .types import Problem, QuestionFileError

MAX_DEPTH = 20  # a quiz file nests 4 levels; anything deeper is a mistake or an attack
MAX_NODES = 50_000  # about 2,000 questions; bounds time and memory for hostile input

_NULL_TAG = "tag:yaml.org,2002:null"
# Explicit tags an instructor might plausibly write (`!!str 2024`). Everything
# else (`!!python/object`, `!foo`, `!!binary`) is refused.
_ALLOWED_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
# libyaml when available: same events and marks, much faster.
_Parser: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# What YAML 1.1 resolves to null when written plain (PyYAML's resolver regex).
# Checked directly: calling the resolver for every scalar was a fifth of load time.
_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(frozen=True, slots=True)
class Scalar:
    text: str  # as written (block scalars already folded by YAML), not stripped
    line: int  # 1-based
    column: int  # 1-based
    is_null: bool = False


@dataclass(frozen=True, slots=True)
class Seq:
    line: int
    column: int
    items: list[Node] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Map:
    line: int
    column: int
    pairs: list[tuple[Node, Node]] = field(default_factory=list)


Node = Scalar | Seq | Map


def describe(node: Node | None) -> str:
    """How a value reads in a message: "a list", "a mapping", "text 'x'", "nothing"."""
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return "nothing"
    if isinstance(node, Seq):
        return "a list"
    if isinstance(node, Map):
        return "a mapping (key: value lines)"
    return f"text '{quote(node.text, 40)}'"


def parse_yaml(data: bytes, path: str, sink: ProblemSink, max_bytes: int = MAX_FILE_BYTES) -> Node | None:
    """The tree of one YAML document, or None for a file with no content.

    Raises QuestionFileError for what stops reading the file at all (size,
    encoding, syntax, nesting). Anchors, aliases and tags are reported to `sink`
    and reading goes on, so they show up together with the other problems.
    """
    text = decode(data, path, max_bytes)
    try:
        return _compose(text, path, sink)
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in (exc.problem or "") and exc.problem_mark is not None:
            # Newer libyaml builds stop very deep flow collections ("[[[[...") in
            # their scanner, which reads ahead of the events the depth check sees.
            raise QuestionFileError(_too_deep(path, exc.problem_mark.line + 1, exc.problem_mark.column + 1)) from None
        raise QuestionFileError(_syntax_problem(exc, text, path)) from None
    except (yaml.YAMLError, RecursionError, MemoryError, ValueError) as exc:
        # Not expected after the checks above, but a hostile file must still end
        # as a problem and never as a traceback.
        raise QuestionFileError(
            Problem(path, 0, 0, "", f"could not read the file as YAML ({type(exc).__name__})")
        ) from None


def _compose(text: str, path: str, sink: ProblemSink) -> Node | None:
    """Build the tree from parser events with an explicit stack (no recursion).

    This loop runs once per value of every file in the bank, so it dispatches on
    the exact event type and avoids calls on the common path.
    """
    # libyaml reads bytes about 40% faster than str (which it would encode anyway).
    parser = _Parser(text.encode("utf-8") if _Parser is not yaml.SafeLoader else text)
    get_event = parser.get_event
    root: Node | None = None
    stack: list[Seq | Map] = []  # open collections, innermost last
    keys: list[Node | None] = []  # per open collection: a mapping key waiting for its value
    documents = 0
    nodes = 0
    try:
        while True:
            event = get_event()
            kind = type(event)
            node: Node
            if kind is yaml.ScalarEvent:
                line, column = _mark(event)
                tag = event.tag
                if event.anchor is not None or (tag is not None and tag != "!"):
                    _check_node_event(event, line, column, sink)
                is_null = tag == _NULL_TAG or (tag is None and event.implicit[0] and event.value in _NULL_WORDS)
                node = Scalar(event.value, line, column, is_null)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                line, column = _mark(event)
                if event.anchor is not None or event.tag is not None:
                    _check_node_event(event, line, column, sink)
                if len(stack) >= MAX_DEPTH:
                    raise QuestionFileError(_too_deep(path, line, column))
                node = Map(line, column) if kind is yaml.MappingStartEvent else Seq(line, column)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
                keys.pop()
                continue
            elif kind is yaml.AliasEvent:
                line, column = _mark(event)
                _check_node_event(event, line, column, sink)
                node = Scalar("", line, column, is_null=True)  # never expanded
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    line, column = _mark(event)
                    raise QuestionFileError(
                        Problem(
                            path,
                            line,
                            column,
                            "",
                            "the file holds more than one YAML document",
                            "one quiz per file: remove the second '---' line",
                            caret_context(text, line, column),
                        )
                    )
                continue
            elif event is None or kind is yaml.StreamEndEvent:
                return root
            else:
                continue  # stream start, document end: nothing to build

            nodes += 1
            if nodes > MAX_NODES:
                raise QuestionFileError(
                    Problem(
                        path,
                        line,
                        column,
                        "",
                        f"the file has more than {MAX_NODES:,} values; question files are far smaller",
                    )
                )
            if not stack:
                root = node
            else:
                parent = stack[-1]
                if isinstance(parent, Seq):
                    parent.items.append(node)
                else:
                    key = keys[-1]
                    if key is None:
                        keys[-1] = node
                    else:
                        parent.pairs.append((key, node))
                        keys[-1] = None
            if not isinstance(node, Scalar):
                stack.append(node)
                keys.append(None)
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()


def _mark(event: yaml.Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def _check_node_event(event: yaml.NodeEvent, line: int, column: int, sink: ProblemSink) -> None:
    """Anchors, aliases and custom tags: never needed in a question file, sometimes an attack."""
    if isinstance(event, yaml.AliasEvent):
        sink.add(
            line,
            column,
            "",
            f"YAML aliases (*{quote(event.anchor or '')}) are not allowed",
            "write the value out in full",
        )
        return
    if event.anchor is not None:
        sink.add(
            line,
            column,
            "",
            f"YAML anchors (&{quote(event.anchor)}) are not allowed",
            "write the value out in full where it is needed",
        )
    tag = getattr(event, "tag", None)
    if tag is not None and tag != "!" and tag not in _ALLOWED_TAGS:
        shown = quote(tag.replace("tag:yaml.org,2002:", "!!"))
        sink.add(
            line,
            column,
            "",
            f"the YAML tag '{shown}' is not allowed",
            "remove it; question files hold plain text, lists and mappings",
        )


def _too_deep(path: str, line: int, column: int) -> Problem:
    return Problem(
        path,
        line,
        column,
        "",
        f"the file is nested more than {MAX_DEPTH} levels deep",
        "question files need only a few levels of indentation",
    )


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    message = f"YAML syntax error: {exc.problem or exc.context or 'unreadable'}"
    # "while parsing a flow sequence" helps (it names where the list began);
    # "while scanning for the next token" (libyaml only) says nothing.
    if exc.context and exc.problem and exc.context_mark is not None and "next token" not in exc.context:
        cm = exc.context_mark
        message += f" ({exc.context} that starts at line {cm.line + 1}, column {cm.column + 1})"
    return Problem(
        path,
        line,
        column,
        "",
        message,
        _syntax_hint(exc, text, line, column),
        caret_context(text, line, column) if line else "",
    )


def _syntax_hint(exc: yaml.MarkedYAMLError, text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    here = lines[line - 1] if 1 <= line <= len(lines) else ""
    if "\t" in here[: max(column, 1)]:
        return "indent with spaces; YAML does not allow tabs"
    problem = exc.problem or ""
    start = exc.context_mark.line + 1 if exc.context_mark is not None else line
    for closer in ("]", "}"):
        if f"expected ',' or '{closer}'" in problem:
            return f"a list or mapping opened on line {start} must end with '{closer}'"
    if "mapping values are not allowed" in problem:
        return "put quotes around a value that contains ': '"
    if "found character" in problem and "cannot start any token" in problem:
        return "put quotes around a value that starts with ` @ or %"
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return "check the indentation of this line and the one above"
    if "found unexpected end of stream" in problem or "found unknown escape" in problem:
        return "check the quotes: a quoted value must end with the same quote"
    return ""
