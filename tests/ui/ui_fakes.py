"""Small fakes with real behaviour for the page's tests: a library held in memory, an ingest that
reads text files into it, and an engine that answers by word overlap, streams its answer word by
word, cites the sentences it used and refuses when nothing in the library matches."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from core.errors import BackendUnavailableError
from core.types import Answer, Chunk, Citation, Passage, document_id

_WORD = re.compile(r"\w{4,}", re.UNICODE)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
REFUSAL = "The library does not contain the answer to this question."


@dataclass
class FakeDocInfo:
    source: str
    doc_id: str
    title: str
    language: str
    chunks: int
    ingested_at: str
    content_hash: str


@dataclass
class FakeLibrary:
    texts: dict[str, str] = field(default_factory=dict)

    def add(self, source: str, text: str) -> None:
        self.texts[source] = text

    def documents(self) -> list[FakeDocInfo]:
        return [
            FakeDocInfo(
                source=s,
                doc_id=document_id(s),
                title=t.strip().splitlines()[0][:80] if t.strip() else s,
                language="en",
                chunks=max(1, len(t) // 500),
                ingested_at=datetime.now(UTC).isoformat(),
                content_hash="x",
            )
            for s, t in sorted(self.texts.items())
        ]

    def remove(self, source: str) -> bool:
        return self.texts.pop(source, None) is not None


@dataclass
class FakeReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def fake_ingest(library: FakeLibrary) -> Callable[[list[Path], Callable[..., None]], FakeReport]:
    """An ingest that reads UTF-8 text; anything else fails with a reason, per file."""

    def ingest(paths: list[Path], progress: Callable[..., None]) -> FakeReport:
        report = FakeReport()
        progress(FakeProgress("files", count=len(paths)))
        for path in paths:
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                report.failed.append((path.name, "not readable as text"))
                continue
            if not text.strip():
                report.failed.append((path.name, "no text found"))
                continue
            known = path.name in library.texts
            library.add(path.name, text)
            (report.updated if known else report.added).append(path.name)
            progress(FakeProgress("file_done", file=path.name))
        return report

    return ingest


@dataclass(frozen=True)
class FakeProgress:
    kind: str
    count: int = 0
    file: str = ""


@dataclass
class FakeEvent:
    kind: str
    text: str = ""
    answer: Answer | None = None


@dataclass
class FakeEngine:
    library: FakeLibrary
    unavailable: bool = False
    delay: float = 0.0  # seconds per streamed token, to make streaming observable
    calls: list[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...] | None]] = field(
        default_factory=list
    )

    def ask_stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        sources: Sequence[str] | None = None,
    ) -> Iterator[FakeEvent]:
        self.calls.append((question, tuple(history), tuple(sources) if sources else None))
        if self.unavailable:
            raise BackendUnavailableError("LLM server http://127.0.0.1:9/v1 unreachable")
        started = time.perf_counter()
        passages = self._retrieve(question, sources)
        if not passages:
            text = REFUSAL
        else:
            text = " ".join(f"{p.chunk.text} [{n}]" for n, p in enumerate(passages, 1))
        for word in text.split(" "):
            if self.delay:
                time.sleep(self.delay)
            yield FakeEvent("token", text=word + " ")
        answer = Answer(
            question=question,
            answer=text,
            language="id" if re.search(r"\b(apa|bagaimana|yang)\b", question.lower()) else "en",
            refused=not passages,
            citations=[Citation.from_passage(n, p) for n, p in enumerate(passages, 1)],
            backend={"llm": "extractive", "embedding": "hashing-bow-256"},
            timings_ms={"total": (time.perf_counter() - started) * 1000},
            passages=passages,
        )
        yield FakeEvent("answer", answer=answer)

    def _retrieve(self, question: str, sources: Sequence[str] | None) -> list[Passage]:
        wanted = {w.lower() for w in _WORD.findall(question)}
        scored: list[tuple[int, Passage]] = []
        for source, text in self.library.texts.items():
            if sources and source not in sources:
                continue
            for index, match in enumerate(_SENTENCE.finditer(text)):
                sentence = match.group(0).strip()
                overlap = len(wanted & {w.lower() for w in _WORD.findall(sentence)})
                if overlap >= 2:
                    chunk = Chunk(
                        doc_id=document_id(source),
                        source=source,
                        title=text.strip().splitlines()[0][:80],
                        section="Body",
                        language="en",
                        start=match.start(),
                        end=match.end(),
                        text=sentence,
                        index=index,
                    )
                    scored.append((overlap, Passage(chunk=chunk, score=float(overlap))))
        scored.sort(key=lambda item: -item[0])
        return [p for _, p in scored[:2]]
