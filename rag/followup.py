"""Follow-up questions made standalone, so that retrieval sees what the user means.

The deterministic rule (``rule_rewrite``) decides most follow-ups at no cost: a question that
names its own subject stands alone, and an elliptical one ("And in Vietnam?", "Bagaimana dengan
Vietnam?") carries the previous question's key terms. Only a short follow-up that refers back
without being elliptical ("Who funded it?") needs the model, with the short
``condense_question`` prompt; with no model (or an implausible rewrite) the rule's carrying of
terms (``condense_deterministic``) is used for it too.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.text.markers import strip_markers
from core.text.terms import content_terms

# (user_question, assistant_answer) pairs, oldest first.
History = Sequence[tuple[str, str]]


def format_history(history: History, turns: int = 3) -> str:
    """The last ``turns`` exchanges as ``User:`` / ``Assistant:`` lines, answers shortened."""
    lines: list[str] = []
    for user, assistant in list(history)[-turns:]:
        reply = strip_markers(assistant)
        lines += [f"User: {user}", f"Assistant: {reply[:300]}"]
    return "\n".join(lines)


_ELLIPTICAL_STARTS = (
    "and ",
    "what about",
    "how about",
    "what of",
    "same for",
    "also ",
    "in ",
    "dan ",
    "lalu",
    "terus",
    "kalau",
    "bagaimana dengan",
    "bagaimana kalau",
    "di ",
    "untuk ",
)


def rule_rewrite(question: str, history: History) -> str | None:
    """The standalone question when the deterministic rule decides it, else None."""
    if not history or _stands_alone(question):
        return question
    if question.lower().lstrip().startswith(_ELLIPTICAL_STARTS):
        return condense_deterministic(question, history)
    return None


def _stands_alone(question: str) -> bool:
    asked = content_terms(question)
    return len(asked.all) > 3 and not question.lower().lstrip().startswith(_ELLIPTICAL_STARTS)


def condense_deterministic(question: str, history: History) -> str:
    """A follow-up made standalone without a model: carry the previous question's key terms.

    Only elliptical follow-ups ("and in Vietnam?", "bagaimana dengan Vietnam?", "why?") are
    extended; a follow-up with its own subject stands alone. Names in the follow-up replace
    the previous question's names ("Vietnam" replaces "Indonesia"; acronyms such as UNICEF
    are kept, they name the actor rather than the place).
    """
    asked = content_terms(question)
    if _stands_alone(question):
        return question
    previous = _previous_question(history)
    if not previous:
        return question
    replaces_names = any(not t.isdigit() for t in asked.strong)
    carried: list[str] = []
    for word in previous.replace("?", " ").split():
        word = word.strip(".,;:!()\"'")
        terms = content_terms(word)
        if not terms.all or terms.all <= asked.all or word in carried:
            continue
        is_place = word[:1].isupper() and not word.isupper()
        if (is_place and replaces_names) or (word.isdigit() and asked.numbers):
            continue
        carried.append(word)
    return f"{question} {' '.join(carried)}".strip()


def _previous_question(history: History) -> str:
    """The last question that stood on its own, with any elliptical ones after it."""
    questions: list[str] = []
    for user, _ in reversed(list(history)):
        questions.insert(0, user)
        if len(content_terms(user).all) > 3:
            break
    return " ".join(questions)


def clean_rewrite(reply: str, fallback: str, subject: frozenset[str] = frozenset()) -> str:
    """The model's rewritten question, or ``fallback`` when the reply is not a plausible one:
    empty, far longer than a question, or without any of the ``subject`` terms it must keep
    (``subject_of``)."""
    rewritten = " ".join(reply.split()).strip("\"'` ")
    if rewritten.lower().startswith(("standalone", "question", "pertanyaan")) and ":" in rewritten:
        rewritten = rewritten.split(":", 1)[1].strip("\"'` ")
    # A small model sometimes answers instead of rewriting: keep only a plausible question.
    if not rewritten or len(rewritten) > 3 * len(fallback) + 80:
        return fallback
    if subject and not subject & content_terms(rewritten).all:
        return fallback
    return rewritten


def subject_of(question: str, history: History) -> frozenset[str]:
    """The names, acronyms and numbers of the conversation's last standalone question, when
    the follow-up names none of its own: a rewrite must keep one of them. After "Which plan
    did Indonesia and UNICEF sign?", "Who signed it?" rewritten as "Who signed the final
    result of the research?" has lost what "it" was."""
    if content_terms(question).strong:
        return frozenset()
    return content_terms(_previous_question(history)).strong
