"""taxonomy.yaml and sources.yaml: one case per rule, and what their problems do to quiz files."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bank.files import Choice, FileKind, Source, load_bank

from .builders import QUIZ, SOURCES, TAXONOMY, WriteQuiz, apply_edits, only_problem

TAXONOMY_CASES = [
    (
        "unknown top key",
        [("evidence_kinds:", "▶evidence_kind:")],
        "evidence_kind",
        "unknown key 'evidence_kind'",
        "did you mean 'evidence_kinds'?",
    ),
    (
        "missing claim types",
        [(TAXONOMY[: TAXONOMY.index("evidence_kinds:")], ""), ("evidence_kinds:", "▶evidence_kinds:")],
        "claim_types",
        "missing required key 'claim_types'",
        "",
    ),
    (
        "one claim type only",
        [
            (TAXONOMY[TAXONOMY.index("  - id: prediction") : TAXONOMY.index("evidence_kinds:")], ""),
            ("claim_types:\n  - id: factual", "claim_types:\n  ▶- id: factual"),
        ],
        "claim_types",
        "at least 2 claim types are needed, found 1",
        "",
    ),
    (
        "claim types not a list",
        [(TAXONOMY[: TAXONOMY.index("evidence_kinds:")], "claim_types: ▶factual, opinion\n")],
        "claim_types",
        "expected a list, found text 'factual, opinion'",
        "",
    ),
    (
        "duplicate claim type id",
        [("  - id: opinion", "  - id: ▶prediction")],
        "claim_types[2].id",
        "duplicate claim type id 'prediction' (first used on line 5)",
        "",
    ),
    (
        "claim type id not a slug",
        [("  - id: call-to-action", "  - id: ▶Call to action")],
        "claim_types[3].id",
        "'Call to action' is not a valid id",
        "e.g. 'call-to-action'",
    ),
    (
        "claim type without label",
        [("    label: Opinion\n", ""), ("  - id: opinion", "  - ▶id: opinion")],
        "claim_types[2].label",
        "missing required key 'label'",
        "",
    ),
    (
        "claim type with empty definition",
        [("    definition: Judges something as good or bad.", "    definition: ▶''")],
        "claim_types[2].definition",
        "'definition' must not be empty",
        "",
    ),
    (
        "unknown key in a claim type",
        [("    definition: Judges something as good or bad.", "    ▶descripton: Judges something as good or bad.")],
        "claim_types[2].descripton",
        "unknown key 'descripton'",
        "did you mean 'definition'?",
    ),
    (
        "duplicate evidence kind id",
        [("  - id: document", "  - id: ▶statistic")],
        "evidence_kinds[1].id",
        "duplicate evidence kind id 'statistic' (first used on line 15)",
        "",
    ),
    (
        "unknown key in an evidence kind",
        [("    label: A document is cited", "    label: A document is cited\n    ▶colour: red")],
        "evidence_kinds[1].colour",
        "unknown key 'colour'",
        "allowed keys: id, label, definition",
    ),
    (
        "contested terms misspelt",
        [("claim_types:", "▶contested_term: [occupation]\nclaim_types:")],
        "contested_term",
        "unknown key 'contested_term'",
        "did you mean 'contested_terms'?",
    ),
    (
        "contested terms not a list",
        [("claim_types:", "contested_terms: ▶occupation\nclaim_types:")],
        "contested_terms",
        "expected a list, found text 'occupation'",
        "write a list, e.g. [occupation]",
    ),
    (
        "contested term empty",
        [("claim_types:", "contested_terms: [occupation, ▶'']\nclaim_types:")],
        "contested_terms[1]",
        "expected a word or phrase, found text ''",
        "",
    ),
    (
        "contested term a mapping",
        [("claim_types:", "contested_terms:\n  - ▶term: occupation\nclaim_types:")],
        "contested_terms[0]",
        "expected a word or phrase, found a mapping (key: value lines)",
        "",
    ),
    (
        "contested term without a letter",
        [("claim_types:", "contested_terms: [occupation, ▶'...']\nclaim_types:")],
        "contested_terms[1]",
        "'...' has no letter or digit",
        "a word or phrase",
    ),
    (
        "contested term too long",
        [("claim_types:", "contested_terms: [▶" + "x" * 101 + "]\nclaim_types:")],
        "contested_terms[0]",
        "the term has 101 characters; at most 100 are allowed",
        "shorten it",
    ),
    (
        "contested term twice, in another case and spacing",
        [("claim_types:", "contested_terms:\n  - Lachin road\n  - ▶lachin  ROAD\nclaim_types:")],
        "contested_terms[1]",
        "'lachin  ROAD' is listed twice (first on line 2)",
        "keep one of them",
    ),
]


@pytest.mark.parametrize(
    ("edits", "field", "message", "hint"), [c[1:] for c in TAXONOMY_CASES], ids=[c[0] for c in TAXONOMY_CASES]
)
def test_taxonomy_rule(bank_dir: Path, edits: list[tuple[str, str]], field: str, message: str, hint: str) -> None:
    text, line, column = apply_edits(TAXONOMY, edits)
    (bank_dir / "taxonomy.yaml").write_text(text, encoding="utf-8")
    bank = load_bank(bank_dir)
    problem = only_problem(bank, "taxonomy.yaml")
    assert (problem.line, problem.column, problem.field, problem.message) == (line, column, field, message)
    assert hint in problem.hint
    assert bank.taxonomy is None and not bank.usable


def test_taxonomy_records(bank_dir: Path) -> None:
    bank = load_bank(bank_dir)
    assert bank.problems == [] and bank.usable
    assert bank.taxonomy is not None
    assert [c.id for c in bank.taxonomy.claim_types] == ["factual", "prediction", "opinion", "call-to-action"]
    assert bank.taxonomy.evidence_kind("document") == Choice(
        "document", "A document is cited", "A report or ruling is named."
    )


def test_contested_terms_are_read_in_file_order(bank_dir: Path) -> None:
    (bank_dir / "taxonomy.yaml").write_text("contested_terms: [liberat, Lachin road]\n" + TAXONOMY, encoding="utf-8")
    bank = load_bank(bank_dir)
    assert bank.problems == []
    assert bank.taxonomy is not None and bank.taxonomy.contested_terms == ("liberat", "Lachin road")


def test_contested_terms_are_optional(bank_dir: Path) -> None:
    taxonomy = load_bank(bank_dir).taxonomy
    assert taxonomy is not None and taxonomy.contested_terms == ()


def test_evidence_kinds_are_optional(bank_dir: Path) -> None:
    (bank_dir / "taxonomy.yaml").write_text(TAXONOMY[: TAXONOMY.index("evidence_kinds:")], encoding="utf-8")
    bank = load_bank(bank_dir)
    assert bank.problems == []
    assert bank.taxonomy is not None and bank.taxonomy.evidence_kinds == ()


def test_bundled_taxonomy_is_valid(bank_dir: Path) -> None:
    bundled = Path(__file__).resolve().parents[3] / "questions" / "taxonomy.yaml"
    (bank_dir / "taxonomy.yaml").write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")
    bank = load_bank(bank_dir)
    assert bank.problems == []
    assert bank.taxonomy is not None
    assert [c.id for c in bank.taxonomy.claim_types] == [
        "factual",
        "cause-effect",
        "prediction",
        "rule",
        "opinion",
        "call-to-action",
        "not-a-claim",
    ]
    assert len(bank.taxonomy.evidence_kinds) == 7


def test_bundled_sources_only_miss_their_text_files(bank_dir: Path) -> None:
    """The source texts are added separately; apart from them the bundled file must be clean."""
    bundled = Path(__file__).resolve().parents[3] / "questions" / "sources.yaml"
    (bank_dir / "sources.yaml").write_text(bundled.read_text(encoding="utf-8"), encoding="utf-8")
    problems = load_bank(bank_dir).problems
    assert all(p.field.endswith(".text") and p.message.endswith("not found") for p in problems), problems


SOURCES_CASES = [
    (
        "unknown genre, near miss",
        [("genre: news report", "genre: ▶news reports")],
        "sources[0].genre",
        "unknown genre 'news reports'",
        "did you mean 'news report'?",
    ),
    (
        "unknown genre",
        [("genre: opinion", "genre: ▶blog")],
        "sources[1].genre",
        "unknown genre 'blog'",
        "use one of: news report, opinion, official statement, speech report, other",
    ),
    (
        "missing title",
        [("    title: Why the bridge is a mistake\n", ""), ("  - id: column", "  - ▶id: column")],
        "sources[1].title",
        "missing required key 'title'",
        "",
    ),
    (
        "misspelt optional key",
        [("    publisher: The Daily", "    ▶publsher: The Daily")],
        "sources[0].publsher",
        "unknown key 'publsher'",
        "did you mean 'publisher'?",
    ),
    (
        "duplicate source id",
        [("  - id: column", "  - id: ▶report")],
        "sources[1].id",
        "duplicate source id 'report' (first used on line 2)",
        "",
    ),
    (
        "source id not a slug",
        [("  - id: column", "  - id: ▶The Column")],
        "sources[1].id",
        "'The Column' is not a valid id",
        "e.g. 'the-column'",
    ),
    (
        "text file missing, near miss",
        [("text: sources/report.txt", "text: ▶sources/reprt.txt")],
        "sources[0].text",
        "text file 'sources/reprt.txt' not found",
        "did you mean 'sources/report.txt'?",
    ),
    (
        "text file escapes the folder",
        [("text: sources/report.txt", "text: ▶../secret.txt")],
        "sources[0].text",
        "text file '../secret.txt' is outside the questions folder (or a link leading out of it); it is not read",
        "",
    ),
    (
        "text file escapes through a subfolder",
        [("text: sources/report.txt", "text: ▶sources/../../secret.txt")],
        "sources[0].text",
        "text file 'sources/../../secret.txt' is outside the questions folder (or a link leading out of it); it is not read",
        "",
    ),
    (
        "absolute text path",
        [("text: sources/report.txt", "text: ▶/etc/hostname")],
        "sources[0].text",
        "'/etc/hostname' is an absolute path",
        "relative to the questions folder",
    ),
    (
        "windows text path",
        [("text: sources/report.txt", "text: ▶'sources\\report.txt'")],
        "sources[0].text",
        "'sources\\report.txt' uses backslashes",
        "use forward slashes: sources/report.txt",
    ),
    (
        "empty list",
        [(SOURCES[SOURCES.index("  - id: report") :], ""), ("sources:\n", "sources: ▶[]\n")],
        "sources",
        "at least one source is needed",
        "",
    ),
    (
        "presents misspelt",
        [("    genre: opinion", "    genre: opinion\n    ▶present: the council's side")],
        "sources[1].present",
        "unknown key 'present'",
        "did you mean 'presents'?",
    ),
    (
        "presents too long",
        [("    genre: opinion", "    genre: opinion\n    presents: ▶" + "x" * 201)],
        "sources[1].presents",
        "'presents' has 201 characters; at most 200 are allowed",
        "shorten it",
    ),
    (
        "presents is a list",
        [("    genre: opinion", "    genre: opinion\n    presents: ▶[the council, the mayor]")],
        "sources[1].presents",
        "expected text, found a list",
        "",
    ),
]


@pytest.mark.parametrize(
    ("edits", "field", "message", "hint"), [c[1:] for c in SOURCES_CASES], ids=[c[0] for c in SOURCES_CASES]
)
def test_sources_rule(bank_dir: Path, edits: list[tuple[str, str]], field: str, message: str, hint: str) -> None:
    (bank_dir.parent / "secret.txt").write_text("not for students", encoding="utf-8")
    text, line, column = apply_edits(SOURCES, edits)
    (bank_dir / "sources.yaml").write_text(text, encoding="utf-8")
    bank = load_bank(bank_dir)
    problem = only_problem(bank, "sources.yaml")
    assert (problem.line, problem.column, problem.field, problem.message) == (line, column, field, message)
    assert hint in problem.hint
    assert bank.sources == () and not bank.usable


def test_source_text_not_utf8(bank_dir: Path) -> None:
    (bank_dir / "sources" / "report.txt").write_bytes("caf\u00e9".encode("latin-1"))
    problem = only_problem(load_bank(bank_dir), "sources.yaml")
    assert (problem.line, problem.field) == (7, "sources[0].text")
    assert problem.message == "text file 'sources/report.txt' is not valid UTF-8 (at byte 3)"


def test_source_text_may_be_a_symlink_inside_the_folder(bank_dir: Path) -> None:
    (bank_dir / "sources" / "link.txt").symlink_to(bank_dir / "sources" / "report.txt")
    (bank_dir / "sources.yaml").write_text(SOURCES.replace("sources/report.txt", "sources/link.txt"))
    assert load_bank(bank_dir).problems == []


def test_source_text_symlink_out_of_the_folder_is_refused(bank_dir: Path) -> None:
    (bank_dir.parent / "secret.txt").write_text("not for students", encoding="utf-8")
    (bank_dir / "sources" / "link.txt").symlink_to(bank_dir.parent / "secret.txt")
    (bank_dir / "sources.yaml").write_text(SOURCES.replace("sources/report.txt", "sources/link.txt"))
    problem = only_problem(load_bank(bank_dir), "sources.yaml")
    assert (
        problem.message
        == "text file 'sources/link.txt' is outside the questions folder (or a link leading out of it); it is not read"
    )


def test_source_records(bank_dir: Path) -> None:
    (bank_dir / "sources.yaml").write_text(SOURCES.replace("genre: opinion", "genre: opinion\n    author: null"))
    bank = load_bank(bank_dir)
    assert bank.problems == []
    assert bank.sources == (
        Source(
            id="report",
            title="City to open new bridge",
            genre="news report",
            publisher="The Daily",
            date="2023-10-03",
            text="sources/report.txt",
        ),
        Source(id="column", title="Why the bridge is a mistake", genre="opinion", author=None),
    )


def test_source_presents(bank_dir: Path) -> None:
    (bank_dir / "sources.yaml").write_text(
        SOURCES.replace("genre: opinion", "genre: opinion\n    presents: >\n      the bridge's opponents'\n      side")
    )
    bank = load_bank(bank_dir)
    assert bank.problems == []
    assert [s.presents for s in bank.sources] == [None, "the bridge's opponents' side"]


def test_missing_taxonomy_stops_loading_but_quiz_files_are_still_checked(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    (bank_dir / "taxonomy.yaml").unlink()
    write_quiz(QUIZ, "a-good.yaml")
    write_quiz(QUIZ.replace("sample-quiz", "broken").replace("title:", "titel:"), "b-broken.yaml")
    write_quiz("id: [unclosed\n", "c-syntax.yaml")
    bank = load_bank(bank_dir)
    assert bank.quizzes == () and bank.taxonomy is None and not bank.usable
    assert [(p.path, p.message) for p in bank.problems[:2]] == [
        ("taxonomy.yaml", f"taxonomy.yaml not found in {bank_dir.resolve()}"),
        ("b-broken.yaml", "unknown key 'titel'"),
    ]
    syntax = bank.problems[2]
    assert syntax.path == "c-syntax.yaml" and syntax.message.startswith("YAML syntax error: ")
    assert syntax.message.endswith("(while parsing a flow sequence that starts at line 1, column 5)")
    assert len(bank.problems) == 3
    assert [(f.path, f.kind) for f in bank.files] == [
        ("taxonomy.yaml", FileKind.TAXONOMY),
        ("sources.yaml", FileKind.SOURCES),
        ("a-good.yaml", FileKind.QUIZ),
        ("b-broken.yaml", FileKind.QUIZ),
        ("c-syntax.yaml", FileKind.QUIZ),
    ]


def test_broken_sources_still_check_quiz_references(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    """A source entry with a bad genre still defines its id; a wrong id is still caught."""
    (bank_dir / "sources.yaml").write_text(SOURCES.replace("genre: opinion", "genre: blog"), encoding="utf-8")
    write_quiz(
        QUIZ.replace("    source: report\n", "    source: column\n").replace("claim_type: factual", "claim_type: fact")
    )
    bank = load_bank(bank_dir)
    assert [(p.path, p.field) for p in bank.problems] == [
        ("sources.yaml", "sources[1].genre"),
        ("quiz.yaml", "questions[1].claim_type"),
    ]
    assert bank.quizzes == ()


def test_broken_taxonomy_entry_still_defines_its_id(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    (bank_dir / "taxonomy.yaml").write_text(TAXONOMY.replace("    label: Prediction\n", ""), encoding="utf-8")
    write_quiz(QUIZ)
    bank = load_bank(bank_dir)
    assert [(p.path, p.field) for p in bank.problems] == [("taxonomy.yaml", "claim_types[1].label")]
    assert bank.quizzes == ()
    report = next(f for f in bank.files if f.path == "quiz.yaml")
    assert report.ok and report.quiz_id == "sample-quiz"


def test_unreadable_taxonomy_skips_reference_checks(bank_dir: Path, write_quiz: WriteQuiz) -> None:
    (bank_dir / "taxonomy.yaml").write_text("claim_types: [\n", encoding="utf-8")
    write_quiz(QUIZ.replace("claim_type: factual", "claim_type: anything"))
    problems = load_bank(bank_dir).problems
    assert [p.path for p in problems] == ["taxonomy.yaml"]
