"""Rendering answers, markers, passages: escaping and highlighting."""

from __future__ import annotations

from ui.chat import message_text
from ui.labels import language_from_header, text
from ui.render import (
    backend_label,
    evidence_spans,
    highlight,
    parse_pick,
    render_answer,
    render_passage,
)

CITE = {
    "n": 1,
    "source": "report.txt",
    "title": "Report <b>bold</b>",
    "section": "Findings",
    "start": 0,
    "end": 90,
    "text": "Intro sentence here. Districts run shelters for children. Unrelated closing words.",
    "score": 0.9,
}


def answer(**changes: object) -> dict:
    base = {
        "question": "Who runs shelters?",
        "answer": "Districts run shelters for children. [1] Also [7] is unknown.",
        "language": "en",
        "refused": False,
        "citations": [CITE],
        "sentences": [
            {
                "text": "Districts run shelters for children.",
                "citations": [1],
                "evidence": [{"n": 1, "start": 21, "end": 57, "text": CITE["text"][21:57]}],
            }
        ],
        "backend": {"llm": "local:qwen2.5-1.5b", "embedding": "e5"},
        "timings_ms": {"total": 1234.0},
    }
    base.update(changes)
    return base


def test_known_markers_link_and_unknown_markers_stay_text() -> None:
    html = render_answer(answer(), turn=2)
    assert '<a class="lentera-cite" href="#lentera-cite-2-1"' in html
    assert "lentera-cite-2-7" not in html and "[7]" in html
    assert "Report &lt;b&gt;bold&lt;/b&gt;" in html  # title escaped in the source list
    assert "local model · local:qwen2.5-1.5b" in html and "1.23 s" in html
    assert "\n" not in html  # one HTML block: Markdown never runs inside it


def test_refusal_has_its_own_class_and_no_markers() -> None:
    html = render_answer(answer(refused=True, answer="Not found [1]", citations=[]), turn=0)
    assert 'class="lentera-refusal"' in html and "lentera-cite" not in html


def test_markdown_and_html_in_answers_are_inert() -> None:
    html = render_answer(answer(answer="[x](javascript:alert(1)) <img src=x onerror=y> *b*"), 0)
    assert "<img" not in html and "&lt;img" in html
    assert "javascript:alert(1)" in html and 'href="javascript' not in html


def test_markers_of_every_form_link_to_their_citations() -> None:
    two = {**CITE, "n": 2}
    html = render_answer(answer(answer="Claim [1, 2]. Next [1][2].", citations=[CITE, two]), 0)
    assert html.count('class="lentera-cite"') == 4


def test_the_passage_highlights_exactly_the_evidence_span() -> None:
    assert CITE["text"][21:57] == "Districts run shelters for children."
    assert evidence_spans(answer(), 1) == [(21, 57)]
    marked = highlight(CITE["text"], [(21, 57)])
    assert '<mark class="lentera-hl">Districts run shelters for children.</mark>' in marked
    assert marked.count("<mark") == 1
    assert (
        highlight("<b>x</b> y", [(0, 8)])
        == '<mark class="lentera-hl">&lt;b&gt;x&lt;/b&gt;</mark> y'
    )
    html = render_passage(answer(), 1, "en")
    assert '<mark class="lentera-hl">Districts run shelters for children.</mark>' in html


def test_passage_shows_title_section_file_and_escapes() -> None:
    html = render_passage(answer(), 1, "id")
    assert "Bagian: Findings" in html and "report.txt" in html
    assert "<b>bold</b>" not in html
    assert render_passage(answer(), 5, "en") == ""


def test_pick_parsing_and_message_normalising() -> None:
    assert parse_pick("3-1") == (3, 1)
    assert parse_pick("#lentera-cite-0-2") == (0, 2)
    assert parse_pick("../x") is None
    assert message_text("plain") == "plain"
    assert message_text(
        [{"type": "text", "text": "from"}, {"type": "text", "text": "browser"}]
    ) == ("from browser")


def test_labels_follow_the_browser_language() -> None:
    assert language_from_header("id-ID,id;q=0.9,en;q=0.8") == "id"
    assert language_from_header("fr-FR,en;q=0.5") == "en"
    assert language_from_header(None) == "en"
    assert text("ask", "id") == "Tanya"
    assert backend_label({"llm": "extractive"}, "en") == "extractive (no model)"
    assert backend_label({"llm": "openai:gpt-4o-mini"}, "en").startswith("OpenAI")
