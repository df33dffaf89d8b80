"""HTML the page renders itself: answers with citation markers, source lists, passages.

Everything that came from a document or a model is escaped here before it meets HTML, so a
document containing ``<script>`` or ``<img onerror=...>`` is shown as text, never run. Answers
are rendered as one line of HTML: the chat's Markdown renderer leaves a single HTML block alone,
so Markdown or LaTeX syntax inside an answer cannot turn into links or formulas either.

Answers reach this module as ``Answer.to_dict()`` dictionaries (what the page keeps per session).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.text.markers import iter_markers
from ui.labels import text

CITE_PREFIX = "lentera-cite-"


def escape(value: object) -> str:
    """Text as HTML text: no tag, attribute or entity from the input survives."""
    return html.escape(str(value), quote=True).replace("\n", "<br>")


def marker_href(turn: int, n: int) -> str:
    return f"#{CITE_PREFIX}{turn}-{n}"


def parse_pick(pick: str) -> tuple[int, int] | None:
    """``"3-1"`` (turn 3, citation 1) from a clicked marker; None for anything else."""
    match = re.fullmatch(r"(?:#?" + CITE_PREFIX + r")?(\d+)-(\d+)", (pick or "").strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def backend_label(backend: dict[str, str], language: str) -> str:
    """Which kind of backend answered, in words a user knows, plus its exact name."""
    name = str(backend.get("llm", "")) or "?"
    lowered = name.lower()
    if lowered in ("extractive", "none", "?"):
        return text("backend_extractive", language)
    if "extractive" in lowered:
        kind = text("backend_extractive", language)
    elif lowered.startswith("openai-compatible") or "compatible" in lowered:
        kind = text("backend_compatible", language)
    elif lowered.startswith("openai") or lowered.startswith("gpt"):
        kind = text("backend_openai", language)
    else:
        kind = text("backend_local", language)
    return kind if kind.lower() == name.lower() else f"{kind} · {name}"


def _with_markers(answer_text: str, turn: int, known: set[int]) -> str:
    """Escaped answer text whose citation markers link to their citations ("[1, 2]" becomes
    two links); a marker pointing at no citation stays plain text."""
    parts: list[str] = []
    last = 0
    for start, end, numbers in iter_markers(answer_text):
        if not set(numbers) <= known:
            continue
        parts.append(escape(answer_text[last:start]))
        parts.extend(
            f'<a class="lentera-cite" href="{marker_href(turn, n)}" '
            f'data-turn="{turn}" data-n="{n}">[{n}]</a>'
            for n in numbers
        )
        last = end
    parts.append(escape(answer_text[last:]))
    return "".join(parts)


def _source_items(answer: dict[str, Any], turn: int) -> str:
    items = []
    for cite in answer.get("citations", []):
        n = int(cite["n"])
        label = f"[{n}] {cite.get('title') or cite['source']}"
        where = " · ".join(x for x in (cite.get("section", ""), cite["source"]) if x)
        items.append(
            f'<li><a class="lentera-source" href="{marker_href(turn, n)}">{escape(label)}</a>'
            f' <span class="lentera-where">{escape(where)}</span></li>'
        )
    return "".join(items)


def render_footer(answer: dict[str, Any], language: str) -> str:
    seconds = float(answer.get("timings_ms", {}).get("total", 0.0)) / 1000.0
    backend = answer.get("backend", {})
    who = backend_label(backend, language)
    note = ""
    if backend.get("fallback"):  # the reason stays in the title: staff need the fact, not the trace
        note = (
            f'<div class="lentera-fallback" title="{escape(backend["fallback"])}">'
            f"{escape(text('fallback_note', language))}</div>"
        )
    return (
        f'{note}<div class="lentera-meta">{escape(text("answered_by", language))} {escape(who)} '
        f"{escape(text('took', language))} {seconds:.2f} s</div>"
    )


def render_answer(answer: dict[str, Any], turn: int) -> str:
    """The bot message for one answer: text with markers, numbered sources, backend line."""
    language = answer.get("language") if answer.get("language") in ("en", "id") else "en"
    assert isinstance(language, str)
    known = {int(c["n"]) for c in answer.get("citations", [])}
    if answer.get("refused"):
        body = (
            f'<div class="lentera-refusal" data-kind="refusal">'
            f'<span class="lentera-icon" aria-hidden="true">⊘</span> '
            f"<strong>{escape(text('refused', language))}:</strong> "
            f"{escape(answer.get('answer', ''))}</div>"
        )
    else:
        body = (
            f'<div class="lentera-answer" data-kind="answer">'
            f"{_with_markers(answer.get('answer', ''), turn, known)}</div>"
        )
    sources = ""
    if answer.get("citations"):
        sources = (
            f'<div class="lentera-sources-title">{escape(text("sources", language))}</div>'
            f'<ol class="lentera-sources">{_source_items(answer, turn)}</ol>'
        )
    return body + sources + render_footer(answer, language)


def render_streaming(partial: str) -> str:
    """A bot message still being written: plain escaped text and a cursor."""
    return f'<div class="lentera-answer lentera-streaming">{escape(partial)}▍</div>'


def evidence_spans(answer: dict[str, Any], n: int) -> list[tuple[int, int]]:
    """The ranges of citation ``n``'s text that the answer's sentences rest on, merged."""
    spans = sorted(
        (int(span["start"]), int(span["end"]))
        for sentence in answer.get("sentences", [])
        for span in sentence.get("evidence", [])
        if int(span["n"]) == n
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(passage: str, spans: Iterable[tuple[int, int]]) -> str:
    """Escaped passage with the given character ranges wrapped in ``<mark>``."""
    parts: list[str] = []
    last = 0
    for start, end in spans:
        start, end = max(start, last), min(end, len(passage))
        if start >= end:
            continue
        parts.append(escape(passage[last:start]))
        parts.append(f'<mark class="lentera-hl">{escape(passage[start:end])}</mark>')
        last = end
    parts.append(escape(passage[last:]))
    return "".join(parts)


def render_passage(answer: dict[str, Any], n: int, language: str) -> str:
    """One cited passage: title, section, file, and the text with exactly the evidence the
    answer's sentences rest on highlighted (``sentences[].evidence``)."""
    cite = next((c for c in answer.get("citations", []) if int(c["n"]) == n), None)
    if cite is None:
        return ""
    spans = evidence_spans(answer, n)
    rows = [
        f'<div class="lentera-passage-title">[{n}] {escape(cite.get("title") or "")}</div>',
        f'<div class="lentera-passage-meta">{escape(text("section", language))}: '
        f"{escape(cite.get('section') or '-')} · {escape(text('file', language))}: "
        f'<span class="lentera-file">{escape(cite["source"])}</span></div>',
        f'<blockquote class="lentera-passage">{highlight(cite.get("text", ""), spans)}'
        "</blockquote>",
    ]
    return '<div class="lentera-passage-box" data-n="' + str(n) + '">' + "".join(rows) + "</div>"


def render_panel(
    answer: dict[str, Any] | None, turn: int, selected: int | None, language: str
) -> str:
    """The side panel: the sources of one answer and, if one is chosen, its passage."""
    if answer is None:
        return f'<div class="lentera-panel-hint">{escape(text("sources_hint", language))}</div>'
    head = f'<div class="lentera-panel-question">{escape(answer.get("question", ""))}</div>'
    listing = f'<ol class="lentera-sources">{_source_items(answer, turn)}</ol>'
    passage = render_passage(answer, selected, language) if selected is not None else ""
    hint = "" if passage else escape(text("sources_hint", language))
    return f'<div class="lentera-panel">{head}{listing}{passage}{hint}</div>'


def document_stem(source: str) -> str:
    return Path(source).stem
