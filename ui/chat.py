"""The chat tab's event handlers: ask (streamed), show a cited passage, feedback.

The conversation of a browser session lives in a ``gr.State`` list of answer dictionaries
(``Answer.to_dict()``), passed into and out of every handler, so sessions never share one. The
chat messages are always rebuilt from that list: the list is the truth, the chatbot a view.
"""

import logging
from collections.abc import Iterator
from typing import Any

import gradio as gr

from core.errors import LenteraError
from core.protocols import QuestionAnswerer
from ui.feedback import FeedbackRecord, FeedbackStore, Rating
from ui.labels import language_from_header, text
from ui.render import escape, parse_pick, render_answer, render_panel, render_streaming

log = logging.getLogger(__name__)

Turns = list[dict[str, Any]]
ChatOutputs = tuple[list[dict[str, str]], Turns, str, str, dict[str, Any] | None]


def message_text(content: Any) -> str:
    """Text of a chat message, whether it came as a string (gradio_client) or as a list of
    ``{"type": "text", "text": ...}`` parts (the browser, Gradio 6)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", ""))
    if isinstance(content, list | tuple):
        return " ".join(message_text(part) for part in content).strip()
    return str(content)


def session_language(request: gr.Request | None, fixed: str) -> str:
    """The label language of one session: fixed by settings, or the browser's."""
    if fixed in ("en", "id"):
        return fixed
    header = request.headers.get("accept-language") if request is not None else None
    return language_from_header(header)


def chat_messages(turns: Turns) -> list[dict[str, str]]:
    messages: list[dict[str, str]] = []
    for turn, answer in enumerate(turns):
        messages.append({"role": "user", "content": _question_html(answer.get("question", ""))})
        messages.append({"role": "assistant", "content": render_answer(answer, turn)})
    return messages


def _question_html(question: str) -> str:
    return f'<div class="lentera-question">{escape(question)}</div>'


class ChatHandlers:
    """Handlers bound to one engine and one feedback store (built once per app)."""

    def __init__(self, engine: QuestionAnswerer, store: FeedbackStore, fixed_language: str):
        self.engine = engine
        self.store = store
        self.fixed_language = fixed_language

    def ask(
        self,
        question: Any,
        sources: list[str] | None,
        turns: Turns | None,
        request: gr.Request,
    ) -> Iterator[ChatOutputs]:
        """Stream one answer into the chat; errors become a visible gr.Error, never chat text."""
        turns = list(turns or [])
        language = session_language(request, self.fixed_language)
        question_text = message_text(question).strip()
        panel = self._panel(turns, None, language)
        if not question_text:
            gr.Warning(text("empty_question", language))
            yield chat_messages(turns), turns, "", panel, None
            return
        history = [(str(t.get("question", "")), str(t.get("answer", ""))) for t in turns]
        pending = [
            *chat_messages(turns),
            {"role": "user", "content": _question_html(question_text)},
        ]
        partial = ""
        yield [*pending, _bot(render_streaming(partial))], turns, "", panel, None
        final: Any = None
        try:
            for event in self.engine.ask_stream(
                question_text, history=history, sources=list(sources) if sources else None
            ):
                if event.kind == "token":
                    partial += str(event.text)
                    yield [*pending, _bot(render_streaming(partial))], turns, "", panel, None
                elif event.kind == "answer":
                    final = event.answer
        except LenteraError as exc:
            yield chat_messages(turns), turns, question_text, panel, None
            raise gr.Error(str(exc), title=type(exc).__name__) from exc
        except Exception as exc:  # a bug must still show as an error, not as a frozen chat
            log.exception("answering %r failed", question_text)
            yield chat_messages(turns), turns, question_text, panel, None
            raise gr.Error(f"{type(exc).__name__}: {exc}") from exc
        if final is None:
            yield chat_messages(turns), turns, question_text, panel, None
            raise gr.Error("the answer engine ended without an answer")
        answer = final.to_dict()
        turns = [*turns, answer]
        panel = self._panel(turns, len(turns) - 1, language)
        yield chat_messages(turns), turns, "", panel, answer

    def show_citation(self, pick: str, turns: Turns | None, request: gr.Request) -> str:
        """The side panel for a clicked marker or source ("<turn>-<n>")."""
        turns = list(turns or [])
        language = session_language(request, self.fixed_language)
        parsed = parse_pick(pick)
        if parsed is None or not 0 <= parsed[0] < len(turns):
            return self._panel(turns, None, language)
        turn, n = parsed
        return render_panel(turns[turn], turn, n, language)

    def new_conversation(self, request: gr.Request) -> tuple[list[Any], Turns, str, str, None]:
        language = session_language(request, self.fixed_language)
        return [], [], "", render_panel(None, 0, None, language), None

    def rate(
        self, rating: Rating, comment: str, turns: Turns | None, request: gr.Request
    ) -> tuple[str, str]:
        """Store feedback on the latest answer; returns (comment box, status line)."""
        turns = list(turns or [])
        language = session_language(request, self.fixed_language)
        if not turns:
            gr.Warning(text("no_answer_yet", language))
            return comment, text("no_answer_yet", language)
        return "", self._store(turns[-1], rating, comment, language, request.username)

    def rate_helpful(
        self, comment: str, turns: Turns | None, request: gr.Request
    ) -> tuple[str, str]:
        return self.rate("helpful", comment, turns, request)

    def rate_unhelpful(
        self, comment: str, turns: Turns | None, request: gr.Request
    ) -> tuple[str, str]:
        return self.rate("unhelpful", comment, turns, request)

    def on_like(
        self, data: gr.LikeData, comment: str, turns: Turns | None, request: gr.Request
    ) -> tuple[str, str]:
        """The thumbs under a bot message: rate that message's answer."""
        turns = list(turns or [])
        language = session_language(request, self.fixed_language)
        index = data.index[0] if isinstance(data.index, list | tuple) else data.index
        turn = int(index) // 2
        if not 0 <= turn < len(turns) or data.liked not in (True, False):
            return comment, ""
        rating: Rating = "helpful" if data.liked else "unhelpful"
        return "", self._store(turns[turn], rating, comment, language, request.username)

    def _store(
        self,
        answer: dict[str, Any],
        rating: Rating,
        comment: str,
        language: str,
        user: str | None = None,
    ) -> str:
        record = FeedbackRecord.from_answer(answer, rating, comment or "", user or "")
        try:
            self.store.add(record)
        except LenteraError as exc:
            raise gr.Error(str(exc)) from exc
        gr.Info(text("feedback_saved", language))
        return text("feedback_saved", language)

    @staticmethod
    def _panel(turns: Turns, turn: int | None, language: str) -> str:
        if turn is None or not turns:
            return render_panel(None, 0, None, language)
        return render_panel(turns[turn], turn, None, language)


def _bot(content: str) -> dict[str, str]:
    return {"role": "assistant", "content": content}
