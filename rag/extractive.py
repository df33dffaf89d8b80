"""The no-LLM answer: the best one or two evidence sentences, quoted and cited.

Fast (the evidence is already chosen) and deterministic: the fallback when no model is
configured or a remote one is down, and the mode of the fast tests. It quotes, so an English
question over Indonesian passages gets Indonesian sentences.

The same quotes complete a model's answer that leaves out the kind of fact asked for (no date
for "when", no number for "how many") while the evidence holds one, or one part of a question
that asks two things: a small model often answers around the figure it was given, or the
first part only.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.text.terms import content_terms
from rag.citations import Checked
from rag.evidence import Evidence, holds
from rag.question import AnswerKind

MAX_QUOTED = 2


def quote(evidence: Evidence, max_sentences: int = MAX_QUOTED) -> list[Checked]:
    """The sentences to quote, in the evidence's reading order (empty: nothing to quote): the
    best two (every item scores near the best: ``rag.evidence.RELATIVE_CUTOFF``); for a
    question asking two things at once, the best sentence of each part first ("How many ...,
    and what percentage ...?" needs both)."""
    if not evidence.items:
        return []
    items = evidence.items
    order = sorted(range(len(items)), key=lambda i: -items[i].score)
    parts = [i for i, s in enumerate(items) if s in evidence.for_parts]
    good = [i for i in order if i not in parts]
    chosen = (parts + good)[: max(max_sentences, len(parts))]
    return [Checked(items[i].text, (i,)) for i in sorted(chosen)]


def fill_in(evidence: Evidence, answered: list[Checked]) -> list[Checked]:
    """The quoted evidence for what the answered sentences leave out (empty: nothing): the
    kinds of fact the question asks for that none of them holds, when the evidence quoted for
    it holds them, and each part of a two-part question whose evidence sentence none of them
    rests on (a small model often answers the first part only)."""
    question = evidence.question

    def holds_any(kinds: Sequence[AnswerKind], sentence: Checked) -> bool:
        terms = content_terms(sentence.text)
        return any(holds(kind, question, terms, sentence.text) for kind in kinds)

    missing = [kind for kind in question.wants if not any(holds_any([kind], c) for c in answered)]
    filled = [quoted for quoted in quote(evidence) if missing and holds_any(missing, quoted)]
    used = {i for sentence in answered + filled for i in sentence.items}
    for i, item in enumerate(evidence.items):
        if item in evidence.for_parts and i not in used:
            filled.append(Checked(item.text, (i,)))
    return sorted(filled, key=lambda c: c.items)
