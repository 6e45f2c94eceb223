"""Fingerprints that let a sync skip quiz files that have not changed since they last synced.

Parsing and validating is most of what a sync of an unchanged bank costs
(about 2 s for 1,000 files of 10 questions). Whether a quiz file is valid
depends on its own bytes and on nothing else but:

- taxonomy.yaml (the claim types and evidence kinds it may name),
- sources.yaml and the source texts (the sources it may name, and the texts
  its passages must occur in),
- the validation rules themselves: the code of this package.

A quiz file's fingerprint is a SHA-256 over its bytes and a fingerprint of all
of those. When a file's fingerprint equals the one stored when it last synced
cleanly, validating it again would find what it found then: no problem, and the
same quiz. Any change to any of them gives a new fingerprint, so the file is
validated in full again. The file's path is not part of it: a renamed file is
looked up under its new path, finds nothing stored there, and is validated.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from .provenance import SourceText


@functools.cache
def rules_fingerprint() -> bytes:
    """A hash of this package's source code: an upgrade that changes a rule re-validates every file."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return digest.digest()


def dependencies_fingerprint(taxonomy: bytes, sources: bytes, texts: dict[str, tuple[str, SourceText]]) -> bytes:
    """Everything besides its own bytes that a quiz file's validity depends on.

    `texts` are the source texts as read once for validation. Their text as
    written counts, not only the folded text passages are compared with: where a
    passage occurs in it is stored with the question, and moves with any edit.
    """
    digest = hashlib.sha256(rules_fingerprint())
    for part in (taxonomy, sources):
        digest.update(len(part).to_bytes(8, "big") + part)
    for source_id in sorted(texts):
        path, text = texts[source_id]
        entry = f"{source_id}\0{path}\0{text.original}".encode()
        digest.update(len(entry).to_bytes(8, "big") + entry)
    return digest.digest()


def quiz_file_fingerprint(dependencies: bytes, data: bytes) -> str:
    """The fingerprint of one quiz file's bytes, under the given dependencies (64 hex digits)."""
    return hashlib.sha256(dependencies + data).hexdigest()
