"""Prompt templates, one ``<name>.txt`` file each, with their placeholders checked at load.

A template names its placeholders as ``{name}``; literal braces are written ``{{`` and ``}}``.
Every template declares the placeholders it must contain in ``REQUIRED`` so that an edit that
drops one (or adds an unknown one) fails when the template is loaded, not mid-answer.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).parent

# template name -> the placeholders it must use (and may only use)
REQUIRED: dict[str, frozenset[str]] = {
    # The same for every question, so llama.cpp's prompt cache always holds it.
    "answer_system": frozenset(),
    "answer_user": frozenset({"evidence", "question", "language_name"}),
    "condense_question": frozenset({"history", "question"}),
    "judge_faithfulness": frozenset({"passage", "sentence"}),
    "judge_correctness": frozenset({"question", "answer", "facts"}),
}


class PromptError(ValueError):
    """A template is missing or its placeholders do not match what the code fills in."""


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    text: str
    placeholders: frozenset[str]

    def format(self, **values: object) -> str:
        missing = self.placeholders - values.keys()
        if missing:
            raise PromptError(f"prompt {self.name!r} needs values for {sorted(missing)}")
        return self.text.format(**{k: values[k] for k in self.placeholders})


def placeholders_of(text: str) -> frozenset[str]:
    return frozenset(
        field for _, field, _, _ in string.Formatter().parse(text) if field is not None
    )


@cache
def load_prompt(name: str, directory: Path = PROMPTS_DIR) -> PromptTemplate:
    path = directory / f"{name}.txt"
    if not path.is_file():
        raise PromptError(f"prompt template {path} does not exist")
    text = path.read_text(encoding="utf-8").strip() + "\n"
    found = placeholders_of(text)
    expected = REQUIRED.get(name)
    if expected is not None and found != expected:
        raise PromptError(
            f"prompt {path.name}: placeholders {sorted(found)} but the code fills "
            f"{sorted(expected)}"
        )
    return PromptTemplate(name=name, text=text, placeholders=found)
