"""Gold questions: the format of DESIGN.md "Gold questions", its loader and validator.

One JSON object per line::

    {"id": "a01", "q": "question text", "lang": "en"|"id",
     "docs": ["<corpus file stem>", ...], "facts": [["regex alt 1", "regex alt 2"], ...],
     "unanswerable": false}

Facts are matched case-insensitively against text whose runs of whitespace are collapsed to
one space, so a pattern written with plain spaces also matches across the line breaks that
PDF extraction leaves in passages and that models copy into answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core.errors import LenteraError

LANGUAGES = ("en", "id")
FIELDS = ("id", "q", "lang", "docs", "facts", "unanswerable")
_SPACE = re.compile(r"\s+")


class GoldFormatError(LenteraError):
    """A gold file is missing or has bad lines; the message has one line per problem."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class GoldQuestion:
    """A question with the documents that answer it and the facts a right answer states."""

    id: str
    q: str
    lang: str
    docs: tuple[str, ...]
    facts: tuple[tuple[str, ...], ...]
    unanswerable: bool

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["docs"] = list(self.docs)
        data["facts"] = [list(group) for group in self.facts]
        return data

    def fact_patterns(self) -> list[re.Pattern[str]]:
        """One compiled pattern per fact group (its alternatives joined)."""
        return [compile_group(group) for group in self.facts]


def normalise_space(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def compile_group(group: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{alt})" for alt in group), re.IGNORECASE)


def fact_matches(group: Sequence[str], text: str) -> bool:
    """Whether any alternative of a fact group occurs in ``text``."""
    return compile_group(group).search(normalise_space(text)) is not None


def parse_question(data: object) -> GoldQuestion:
    """Validate one decoded JSON value; raises ValueError naming the field at fault."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    missing = [name for name in FIELDS if name not in data]
    if missing:
        raise ValueError(f"missing field(s) {', '.join(missing)}")
    qid, text, lang = data["id"], data["q"], data["lang"]
    if not isinstance(qid, str) or not qid.strip():
        raise ValueError("id must be a non-empty string")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("q must be a non-empty string")
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    if not isinstance(data["unanswerable"], bool):
        raise ValueError("unanswerable must be true or false")
    docs = _parse_docs(data["docs"])
    facts = _parse_facts(data["facts"])
    if data["unanswerable"] and (docs or facts):
        raise ValueError("an unanswerable question must have empty docs and facts")
    if not data["unanswerable"] and not docs:
        raise ValueError("an answerable question needs at least one document in docs")
    if not data["unanswerable"] and not facts:
        raise ValueError("an answerable question needs at least one fact group")
    return GoldQuestion(qid, text, lang, docs, facts, data["unanswerable"])


def _parse_docs(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(d, str) and d for d in value):
        raise ValueError("docs must be a list of document names")
    return tuple(value)


def _parse_facts(value: object) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list):
        raise ValueError("facts must be a list of lists of regular expressions")
    groups: list[tuple[str, ...]] = []
    for i, group in enumerate(value):
        if not isinstance(group, list) or not group:
            raise ValueError(f"facts[{i}] must be a non-empty list of regular expressions")
        for j, alt in enumerate(group):
            if not isinstance(alt, str) or not alt:
                raise ValueError(f"facts[{i}][{j}] must be a non-empty string")
            try:
                re.compile(alt, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"facts[{i}][{j}] {alt!r} is not a valid regex: {exc}") from exc
        groups.append(tuple(group))
    return tuple(groups)


def parse_lines(lines: Iterable[str], name: str) -> tuple[list[GoldQuestion], list[str]]:
    """Questions and problems (``name:line: reason``) of one file's lines."""
    questions: list[GoldQuestion] = []
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            questions.append(parse_question(json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(f"{name}:{number}: not valid JSON ({exc.msg})")
        except ValueError as exc:
            problems.append(f"{name}:{number}: {exc}")
    return questions, problems


def load_gold(paths: Sequence[Path]) -> list[GoldQuestion]:
    """All questions of the given files, in order; every problem reported at once."""
    questions: list[GoldQuestion] = []
    problems: list[str] = []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot read gold file ({exc})")
            continue
        found, bad = parse_lines(text.splitlines(), Path(path).name)
        questions.extend(found)
        problems.extend(bad)
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            problems.append(f"gold id {question.id!r} is used more than once")
        seen.add(question.id)
    if not questions and not problems:
        problems.append(f"no gold questions in {', '.join(str(p) for p in paths) or '(no files)'}")
    if problems:
        raise GoldFormatError(problems)
    return questions


def project_gold_files() -> list[Path]:
    """The project's own gold files (evals/gold/*.jsonl)."""
    return sorted((Path(__file__).parent / "gold").glob("*.jsonl"))


def doc_stem(source: str) -> str:
    """The name gold files use for a document: its file name without the extension."""
    return Path(source).stem
