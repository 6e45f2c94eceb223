"""The quiz file that questions/README.md explains line by line is a valid quiz of the bundled bank."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from quizapp.bank.files import load_bank

BUNDLED = Path(__file__).resolve().parents[2] / "questions"


def test_the_explained_quiz_file_loads_with_its_cues_and_relayed_speaker(tmp_path: Path) -> None:
    readme = (BUNDLED / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## A quiz file, explained line by line\s+```yaml\n(.*?)```", readme, re.S)
    assert example is not None
    folder = tmp_path / "questions"
    (folder / "quizzes").mkdir(parents=True)
    shutil.copy(BUNDLED / "taxonomy.yaml", folder)
    shutil.copy(BUNDLED / "sources.yaml", folder)
    shutil.copytree(BUNDLED / "sources", folder / "sources")
    (folder / "quizzes" / "example.yaml").write_text(example.group(1), encoding="utf-8")
    bank = load_bank(folder)
    assert [str(p) for p in bank.problems] == []
    [quiz] = bank.quizzes
    [question] = quiz.questions
    assert quiz.context == "always" and question.relayed_by == "outlet"
    assert [(c.part, question.passage[c.start : c.end]) for c in question.cues] == [
        ("claim_type", "unbearable atmosphere of racism"),
        ("speaker", "the Azerbaijani delegation's statement said"),
    ]
    assert len(question.source_spans) == 1
