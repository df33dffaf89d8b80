"""``lentera ask`` and ``lentera chat``: answers with citations in the terminal.

Thin over ``lentera.assemble.build_engine`` (an ``AnswerEngine`` with its fallback). When
the LLM cannot answer, the commands say so on stderr once and answer from the evidence
(quoted sentences, cited) instead of failing; other problems are one line and a non-zero exit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import click

from core.errors import ConfigurationError
from lentera.cli_options import data_dir_option, llm_option, load_settings

if TYPE_CHECKING:
    from core.settings import Settings
    from core.types import Answer
    from rag.engine import History

SNIPPET_CHARS = 160
EXTRACTIVE_NOTE = "(quoted from the sources: the LLM was unavailable)"


class Session:
    """The engine and settings one command works with; a model failure is said once on
    stderr, and the question is answered from the evidence (``rag.fallback``)."""

    def __init__(self, settings: Settings, sources: Sequence[str] | None = None) -> None:
        from lentera.assemble import build_engine

        self.settings = settings
        self.engine, self.library = build_engine(settings)
        if self.library.count() == 0:
            raise ConfigurationError(
                f"the library in {settings.data_dir} is empty: add documents with "
                "`lentera ingest PATH`"
            )
        self.sources = _resolve_sources(self.library, sources) if sources else None
        self._said: str | None = None

    def ask(self, question: str, history: History = ()) -> Answer:
        answer = self.engine.ask(question, history=history, sources=self.sources)
        self._say_fallback(answer)
        return answer

    def ask_stream(self, question: str, history: History = ()) -> Iterator[Any]:
        for event in self.engine.ask_stream(question, history=history, sources=self.sources):
            if event.kind == "answer" and event.answer is not None:
                self._say_fallback(event.answer)
            yield event

    def _say_fallback(self, answer: Answer) -> None:
        failure = answer.backend.get("fallback")
        if failure and failure != self._said:
            click.echo(f"Error: {failure}", err=True)
            click.echo("The LLM is unavailable: answering from the evidence instead.", err=True)
            self._said = failure


def _resolve_sources(library: Any, docs: Sequence[str]) -> list[str]:
    known = {info.source for info in library.documents()}
    wanted = [Path(doc).name for doc in docs]
    unknown = [doc for doc in wanted if doc not in known]
    if unknown:
        names = ", ".join(sorted(known)) or "none"
        raise ConfigurationError(f"--doc {unknown[0]}: not in the library (documents: {names})")
    return wanted


def _settings(data_dir: Path | None, llm: str | None, top_k: int | None) -> Settings:
    settings = load_settings(data_dir=data_dir, llm=llm)
    if top_k is not None:
        if top_k < 1:
            raise click.BadParameter("must be at least 1", param_hint="--top-k")
        settings.retrieval.top_k = top_k
    return settings


def format_answer(answer: Answer) -> str:
    """The answer, then ``Sources:`` with ``[n] file, section: snippet`` per citation."""
    lines = [answer.answer]
    if answer.backend.get("fallback") and not answer.refused:
        lines.append(EXTRACTIVE_NOTE)
    if answer.citations:
        lines += ["", "Sources:"]
        for citation in answer.citations:
            snippet = " ".join(citation.text.split())
            if len(snippet) > SNIPPET_CHARS:
                snippet = snippet[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
            where = (
                f"{citation.source}, {citation.section}" if citation.section else citation.source
            )
            lines.append(f"[{citation.n}] {where}: {snippet}")
    return "\n".join(lines)


def read_batch(stream: IO[str]) -> Iterator[tuple[str | None, str]]:
    """(id, question) per non-empty line: plain text, or JSON with a ``q`` (and ``id``)."""
    for number, raw in enumerate(stream, start=1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("{"):
            yield None, line
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"--batch line {number}: invalid JSON ({exc.msg})") from exc
        if not isinstance(record, dict) or not isinstance(record.get("q"), str):
            raise click.ClickException(f'--batch line {number}: no "q" string field')
        identifier = record.get("id")
        yield (str(identifier) if identifier is not None else None), record["q"]


_DATA_DIR = data_dir_option()
_LLM = llm_option("Answer backend (default: LENTERA_LLM); extractive needs no model.")


@click.command()
@click.argument("question", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the answer as one JSON object.")
@_LLM
@click.option("--top-k", type=int, default=None, help="Passages given to the model.")
@click.option("--doc", "docs", multiple=True, help="Only this document (file name); repeatable.")
@_DATA_DIR
@click.option(
    "--batch",
    type=click.File("r", encoding="utf-8"),
    default=None,
    help="Answer every line of FILE (text, or JSON with a \"q\" field); '-' reads stdin. "
    "Prints one JSON object per line.",
)
def ask(
    question: str | None,
    as_json: bool,
    llm: str | None,
    top_k: int | None,
    docs: tuple[str, ...],
    data_dir: Path | None,
    batch: IO[str] | None,
) -> None:
    """Answer QUESTION from the library, with citations (or say the library has no answer)."""
    if (question is None) == (batch is None):
        raise click.UsageError("give either QUESTION or --batch FILE")
    session = Session(_settings(data_dir, llm, top_k), docs or None)
    if batch is not None:
        _answer_batch(session, read_batch(batch))
        return
    assert question is not None
    answer = session.ask(question)
    if as_json:
        click.echo(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        click.echo(format_answer(answer))


def _answer_batch(session: Session, questions: Iterable[tuple[str | None, str]]) -> None:
    for identifier, question in questions:
        record = session.ask(question).to_dict()
        if identifier is not None:
            record = {"id": identifier, **record}
        click.echo(json.dumps(record, ensure_ascii=False))


@click.command()
@_LLM
@_DATA_DIR
@click.option("--doc", "docs", multiple=True, help="Only this document (file name); repeatable.")
def chat(llm: str | None, data_dir: Path | None, docs: tuple[str, ...]) -> None:
    """A conversation with follow-up questions. /new starts over, /quit (or Ctrl-D) ends."""
    session = Session(_settings(data_dir, llm, None), docs or None)
    session.engine.warm_up_in_background()  # the model loads while the user types
    history: list[tuple[str, str]] = []
    click.echo("Ask about the library. /new starts a new conversation, /quit ends.")
    while True:
        try:
            question = click.prompt("you", prompt_suffix="> ").strip()
        except (EOFError, click.exceptions.Abort):
            click.echo()
            return
        if question in ("/quit", "/exit", "/q"):
            return
        if question == "/new":
            history.clear()
            click.echo("(new conversation)")
            continue
        if question:
            answer = _chat_turn(session, question, history)
            history.append((question, answer.answer))


def _chat_turn(session: Session, question: str, history: History) -> Answer:
    streamed = ""
    final: Answer | None = None
    for event in session.ask_stream(question, history):
        if event.kind == "token":
            streamed += event.text
            click.echo(event.text, nl=False)
        else:
            final = event.answer
    assert final is not None
    if streamed:
        # The checked answer (markers attributed, unsupported ones dropped) replaces the draft.
        click.echo("\n" + click.style("checked:", dim=True))
    click.echo(format_answer(final))
    click.echo()
    return final
