"""The no-LLM answer: the best one or two evidence sentences, quoted and cited.

Fast (the evidence is already chosen) and deterministic: the fallback when no model is
configured or a remote one is down, and the mode of the fast tests. It quotes, so an English
question over Indonesian passages gets Indonesian sentences.
"""

from __future__ import annotations

from rag.citations import Checked
from rag.evidence import Evidence

QUOTE_CUTOFF = 0.8  # a second sentence is quoted when it scores this fraction of the best
MAX_QUOTED = 2


def quote(evidence: Evidence, max_sentences: int = MAX_QUOTED) -> list[Checked]:
    """The sentences to quote, in the evidence's reading order (empty: nothing to quote)."""
    if not evidence.items:
        return []
    order = sorted(range(len(evidence.items)), key=lambda i: -evidence.items[i].score)
    best = evidence.items[order[0]].score
    chosen = [i for i in order[:max_sentences] if evidence.items[i].score >= QUOTE_CUTOFF * best]
    return [Checked(evidence.items[i].text, (i,)) for i in sorted(chosen)]
