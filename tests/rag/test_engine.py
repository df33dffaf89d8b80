"""The answer engine with a scripted LLM and a retriever over crafted passages."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from core.errors import BackendUnavailableError
from core.settings import Settings
from core.types import Chunk, Passage
from rag.citations import parse_markers
from rag.engine import (
    REFUSAL_MESSAGES,
    REFUSAL_SENTINEL,
    AnswerEngine,
    condense_deterministic,
    trim_passage,
    weak_evidence,
)
from tests.fakes import HashingEmbedding, ScriptedLLM


def passage(text: str, source: str, dense: float = 0.86, language: str = "id") -> Passage:
    chunk = Chunk(f"doc-{source}", source, "Title", "Abstrak", language, 0, len(text), text, 0)
    return Passage(chunk=chunk, score=0.03, dense_score=dense)


CPAP = passage(
    "Pemerintah Indonesia dan UNICEF menandatangani Country Programme Action Plan (CPAP) "
    "2021-2025 untuk memerangi perdagangan anak. Kasus perdagangan anak meningkat kembali "
    "karena pandemi Covid-19.",
    "unicef-child-trafficking-indonesia-2021-2023.txt",
)
VIETNAM = passage(
    "UNICEF membantu Pemerintah Vietnam merumuskan payung hukum dan program penanganan "
    "perdagangan anak. Vietnam meratifikasi Konvensi Hak Anak pada tahun 1990.",
    "unicef-child-trafficking-vietnam-2017-2020.txt",
)
ECPAT = passage(
    "ECPAT Indonesia menandatangani nota kesepahaman dengan Polri pada tahun 2015.",
    "indonesia-ecpat-child-trafficking.txt",
)


class ListRetriever:
    """Returns fixed passages and records what it was asked."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = list(passages)
        self.asked: list[tuple[str, int | None, Sequence[str] | None]] = []

    def retrieve(
        self,
        question: str,
        top_k: int | None = None,
        sources: Sequence[str] | None = None,
        language: str | None = None,
    ) -> list[Passage]:
        self.asked.append((question, top_k, sources))
        chosen = [p for p in self.passages if sources is None or p.chunk.source in sources]
        return chosen[: top_k or 3]


@pytest.fixture
def retriever() -> ListRetriever:
    return ListRetriever([CPAP, VIETNAM, ECPAT])


def make_engine(retriever: ListRetriever, llm: ScriptedLLM | None) -> AnswerEngine:
    return AnswerEngine(retriever, llm, HashingEmbedding(), Settings())


def test_answer_with_checked_citations(retriever: ListRetriever) -> None:
    llm = ScriptedLLM(["The Government of Indonesia and UNICEF signed the CPAP 2021-2025 [1]."])
    answer = make_engine(retriever, llm).ask("Which plan did Indonesia and UNICEF sign?")
    assert not answer.refused
    assert answer.language == "en"
    assert answer.answer == "The Government of Indonesia and UNICEF signed the CPAP 2021-2025 [1]."
    assert [c.source for c in answer.citations] == [CPAP.chunk.source]
    assert answer.backend == {"llm": "ScriptedLLM:scripted", "embedding": "hashing-bow-256"}
    assert set(answer.timings_ms) == {"retrieve", "generate", "total"}
    assert answer.timings_ms["total"] >= answer.timings_ms["generate"]
    system, user = llm.calls[0]
    assert "English" in str(system.content) and REFUSAL_SENTINEL in str(system.content)
    assert "[1] Pemerintah Indonesia dan UNICEF" in str(user.content)
    assert "[3] ECPAT Indonesia" in str(user.content)


def test_citations_added_when_the_model_wrote_none(retriever: ListRetriever) -> None:
    llm = ScriptedLLM(["ECPAT Indonesia signed an MoU with Polri in 2015."])
    answer = make_engine(retriever, llm).ask("When did ECPAT sign an MoU with the police?")
    assert answer.answer == "ECPAT Indonesia signed an MoU with Polri in 2015 [1]."
    assert answer.citations[0].source == ECPAT.chunk.source


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("What is the capital of France?", "en"),
        ("Who won the 2022 FIFA World Cup?", "en"),
        # No function word to tell the language by: refused, in the default language.
        ("resep nasi goreng", "en"),
        ("Bagaimana cara memasak rendang daging sapi?", "id"),
        ("What did UNICEF do against child trafficking in Cambodia?", "en"),
    ],
)
def test_off_topic_refused_without_calling_the_llm(
    retriever: ListRetriever, question: str, language: str
) -> None:
    llm = ScriptedLLM(["Paris [1]."])
    answer = make_engine(retriever, llm).ask(question)
    assert answer.refused
    assert answer.answer == REFUSAL_MESSAGES[language]
    assert answer.language == language
    assert answer.citations == []
    assert llm.calls == []


def test_low_similarity_refused_without_calling_the_llm() -> None:
    far = passage(CPAP.chunk.text, "cpap.txt", dense=0.70)
    llm = ScriptedLLM(["anything"])
    answer = make_engine(ListRetriever([far]), llm).ask("Which plan did UNICEF sign (CPAP)?")
    assert answer.refused and llm.calls == []


def test_no_passages_refused(retriever: ListRetriever) -> None:
    llm = ScriptedLLM()
    answer = make_engine(retriever, llm).ask("What is CPAP?", sources=[])
    assert answer.refused and llm.calls == []


@pytest.mark.parametrize(
    "reply", [REFUSAL_SENTINEL, f"{REFUSAL_SENTINEL}.", "  ", "not_in_sources"]
)
def test_model_sentinel_means_refusal(retriever: ListRetriever, reply: str) -> None:
    llm = ScriptedLLM([reply])
    answer = make_engine(retriever, llm).ask("How much money did UNICEF give under the CPAP?")
    assert answer.refused
    assert answer.answer == REFUSAL_MESSAGES["en"]
    assert len(llm.calls) == 1


def test_answer_no_passage_supports_is_refused(retriever: ListRetriever) -> None:
    llm = ScriptedLLM(["UNICEF gave 40 million dollars to the CPAP in 2022 [1]."])
    answer = make_engine(retriever, llm).ask("How much money did UNICEF give under the CPAP?")
    assert answer.refused
    assert answer.citations == []


def test_indonesian_question_gets_indonesian_instruction_and_refusal(
    retriever: ListRetriever,
) -> None:
    llm = ScriptedLLM([REFUSAL_SENTINEL])
    answer = make_engine(retriever, llm).ask("Berapa dana UNICEF untuk CPAP?")
    assert answer.language == "id"
    assert answer.answer == REFUSAL_MESSAGES["id"]
    assert "Indonesian" in str(llm.calls[0][0].content)


def test_wrong_language_is_retried_once_with_a_stronger_instruction(
    retriever: ListRetriever,
) -> None:
    llm = ScriptedLLM(
        [
            "Pemerintah Indonesia dan UNICEF menandatangani CPAP 2021-2025 [1].",
            "The Government of Indonesia and UNICEF signed the CPAP 2021-2025 [1].",
        ]
    )
    answer = make_engine(retriever, llm).ask("Which plan did Indonesia and UNICEF sign?")
    assert len(llm.calls) == 2
    assert "English only" in str(llm.calls[1][-1].content)
    assert answer.answer.startswith("The Government")
    assert not answer.refused


def test_extractive_mode_quotes_and_cites(retriever: ListRetriever) -> None:
    answer = make_engine(retriever, None).ask("Kapan Vietnam meratifikasi Konvensi Hak Anak?")
    assert not answer.refused
    assert answer.backend["llm"] == "extractive"
    assert "1990" in answer.answer
    assert set(parse_markers(answer.answer)) == {c.n for c in answer.citations}


def test_extractive_mode_refuses_off_topic(retriever: ListRetriever) -> None:
    answer = make_engine(retriever, None).ask("What is the capital of France?")
    assert answer.refused


def test_sources_restrict_the_retrieval(retriever: ListRetriever) -> None:
    llm = ScriptedLLM(["ECPAT Indonesia signed an MoU with Polri in 2015."])
    sources = [ECPAT.chunk.source]
    answer = make_engine(retriever, llm).ask("When did ECPAT sign the MoU?", sources=sources)
    assert retriever.asked[0][2] == sources
    assert {c.source for c in answer.citations} == set(sources)


def test_backend_errors_propagate(retriever: ListRetriever) -> None:
    llm = ScriptedLLM([BackendUnavailableError("openai-compatible at http://x: refused")])
    with pytest.raises(BackendUnavailableError):
        make_engine(retriever, llm).ask("Which plan did Indonesia and UNICEF sign?")


# ------------------------------------------------------------------ follow-ups


def test_follow_up_rewritten_by_the_llm(retriever: ListRetriever) -> None:
    llm = ScriptedLLM(
        [
            "What did UNICEF do against child trafficking in Vietnam?",
            "UNICEF helped the Government of Vietnam draft a legal umbrella against child "
            "trafficking.",
        ]
    )
    history = [("What did UNICEF do against child trafficking in Indonesia?", "It signed CPAP.")]
    answer = make_engine(retriever, llm).ask("And in Vietnam?", history=history)
    assert retriever.asked[0][0] == "What did UNICEF do against child trafficking in Vietnam?"
    assert "What did UNICEF do against child trafficking in Indonesia?" in str(
        llm.calls[0][0].content
    )
    assert answer.question == "And in Vietnam?"
    assert not answer.refused
    assert answer.citations[0].source == VIETNAM.chunk.source


def test_follow_up_rewriting_falls_back_when_the_model_rambles(retriever: ListRetriever) -> None:
    llm = ScriptedLLM(["x" * 400, REFUSAL_SENTINEL])
    history = [("What did UNICEF do against child trafficking in Indonesia?", "It signed CPAP.")]
    make_engine(retriever, llm).ask("And in Vietnam?", history=history)
    asked = retriever.asked[0][0]
    assert asked.startswith("And in Vietnam?") and "UNICEF" in asked and "trafficking" in asked


def test_follow_up_without_llm_carries_key_terms(retriever: ListRetriever) -> None:
    history = [("What did UNICEF do against child trafficking in Indonesia?", "It signed CPAP.")]
    make_engine(retriever, None).ask("and in Vietnam?", history=history)
    asked = retriever.asked[0][0]
    assert asked.startswith("and in Vietnam?")
    assert {"UNICEF", "child", "trafficking"} <= set(asked.split())
    assert "Indonesia" not in asked


def test_deterministic_condense_indonesian_and_standalone() -> None:
    history = [("Apa peran UNICEF dalam menangani perdagangan anak di Indonesia?", "...")]
    rewritten = condense_deterministic("bagaimana dengan Vietnam?", history)
    assert rewritten.startswith("bagaimana dengan Vietnam?")
    assert {"UNICEF", "perdagangan", "anak"} <= set(rewritten.split())
    assert "Indonesia?" not in rewritten and " Indonesia" not in rewritten
    standalone = "When did ECPAT sign a memorandum with the Indonesian police?"
    assert condense_deterministic(standalone, history) == standalone


def test_language_of_short_follow_up_follows_the_conversation(retriever: ListRetriever) -> None:
    history = [("Apa peran UNICEF dalam menangani perdagangan anak di Indonesia?", "...")]
    answer = make_engine(retriever, None).ask("CPAP?", history=history)
    assert answer.language == "id"


# ------------------------------------------------------------------ streaming


def test_stream_yields_tokens_then_the_checked_answer(retriever: ListRetriever) -> None:
    reply = "The Government of Indonesia and UNICEF signed the CPAP 2021-2025."
    llm = ScriptedLLM([reply])
    events = list(make_engine(retriever, llm).ask_stream("Which plan did Indonesia sign?"))
    tokens = [e.text for e in events if e.kind == "token"]
    assert len(tokens) > 3
    assert "".join(tokens) == reply
    assert [e.kind for e in events][-1] == "answer"
    final = events[-1].answer
    assert final is not None and final.answer == reply[:-1] + " [1]."


def test_stream_never_shows_the_sentinel(retriever: ListRetriever) -> None:
    llm = ScriptedLLM([f"{REFUSAL_SENTINEL} "])
    events = list(make_engine(retriever, llm).ask_stream("How much did UNICEF give to CPAP?"))
    assert [e.kind for e in events] == ["answer"]
    assert events[0].answer is not None and events[0].answer.refused


def test_stream_refused_before_llm_has_only_the_answer_event(retriever: ListRetriever) -> None:
    llm = ScriptedLLM()
    events = list(make_engine(retriever, llm).ask_stream("What is the capital of France?"))
    assert len(events) == 1 and events[0].answer is not None and events[0].answer.refused
    assert llm.calls == []


# ------------------------------------------------------------------ helpers


def test_weak_evidence_reasons() -> None:
    assert weak_evidence("anything", [], 0.8) == "no passages"
    assert weak_evidence("What is CPAP?", [CPAP], 0.8) is None
    assert "similarity" in str(weak_evidence("What is CPAP?", [CPAP], 0.9))
    assert "thailand" in str(weak_evidence("What did ECPAT do in Thailand?", [ECPAT], 0.8))
    # "Indonesian" names the country the passage calls "Indonesia".
    assert weak_evidence("When did ECPAT sign with the Indonesian police?", [ECPAT], 0.8) is None


def test_trim_passage_keeps_the_relevant_sentences_in_order() -> None:
    text = " ".join(f"Sentence {i} talks about rivers and mountains." for i in range(6))
    text += " Vietnam meratifikasi Konvensi Hak Anak pada tahun 1990."
    trimmed = trim_passage(text, "When did Vietnam ratify the convention?", 2)
    assert trimmed.endswith("Vietnam meratifikasi Konvensi Hak Anak pada tahun 1990.")
    assert trimmed.startswith("Sentence 0") and "…" in trimmed
    assert trim_passage(text, "anything", 0) == " ".join(text.split())


# ------------------------------------------------------------------ replies of a small model


def test_markers_only_reply_is_retried_for_full_sentences(retriever: ListRetriever) -> None:
    llm = ScriptedLLM(["[1] and [3]", "ECPAT Indonesia signed an MoU with Polri in 2015 [3]."])
    answer = make_engine(retriever, llm).ask("When did ECPAT sign an MoU with the police?")
    assert len(llm.calls) == 2
    assert "not only passage numbers" in str(llm.calls[1][-1].content)
    assert answer.answer == "ECPAT Indonesia signed an MoU with Polri in 2015 [1]."
    assert [c.source for c in answer.citations] == [ECPAT.chunk.source]


def test_markers_only_twice_quotes_the_passage_the_model_pointed_at(
    retriever: ListRetriever,
) -> None:
    llm = ScriptedLLM(["[2]", "[2]."])
    engine = make_engine(retriever, llm)
    answer, trace = engine.ask_traced("Kapan Vietnam meratifikasi Konvensi Hak Anak?")
    assert not answer.refused
    assert "1990" in answer.answer
    assert [c.source for c in answer.citations] == [VIETNAM.chunk.source]
    assert trace.replies == ["[2]", "[2]."] and not trace.sentinel


@pytest.mark.parametrize(
    "reply",
    [
        f"ECPAT Indonesia signed an MoU with Polri in 2015 [3]. {REFUSAL_SENTINEL}",
        f"{REFUSAL_SENTINEL}. ECPAT Indonesia signed an MoU with Polri in 2015.",
    ],
)
def test_answer_mixed_with_the_sentinel_is_checked_not_refused(
    retriever: ListRetriever, reply: str
) -> None:
    answer = make_engine(retriever, ScriptedLLM([reply])).ask("When did ECPAT sign an MoU?")
    assert not answer.refused
    assert answer.answer == "ECPAT Indonesia signed an MoU with Polri in 2015 [1]."


def test_unsupported_answer_mixed_with_the_sentinel_is_refused(retriever: ListRetriever) -> None:
    reply = f"UNICEF gave 40 million dollars in 2022. {REFUSAL_SENTINEL}"
    engine = make_engine(retriever, ScriptedLLM([reply]))
    answer, trace = engine.ask_traced("How much money did UNICEF give under the CPAP?")
    assert answer.refused
    assert trace.attribution is not None and trace.attribution.supported == 0


def test_trace_records_refusal_reasons(retriever: ListRetriever) -> None:
    llm = ScriptedLLM([REFUSAL_SENTINEL])
    engine = make_engine(retriever, llm)
    _, trace = engine.ask_traced("How much money did UNICEF give under the CPAP?")
    assert trace.sentinel and trace.replies == [REFUSAL_SENTINEL] and trace.weak_evidence is None
    _, trace = engine.ask_traced("What is the capital of France?")
    assert trace.weak_evidence and trace.replies == []


def test_reply_that_restates_the_question_quotes_the_passage_it_cites(
    retriever: ListRetriever,
) -> None:
    llm = ScriptedLLM(["Vietnam meratifikasi Konvensi Hak Anak [2]."])
    answer = make_engine(retriever, llm).ask("Kapan Vietnam meratifikasi Konvensi Hak Anak?")
    assert not answer.refused
    assert "1990" in answer.answer
    assert [c.source for c in answer.citations] == [VIETNAM.chunk.source]


# ------------------------------------------------------------------ the real local model


@pytest.fixture(scope="module")
def local_engine(installed_local_model: Path) -> AnswerEngine:
    from rag.llm import build_llm

    settings = Settings(data_dir=installed_local_model.parent.parent)
    retriever = ListRetriever([CPAP, VIETNAM, ECPAT])
    return AnswerEngine(retriever, build_llm(settings), HashingEmbedding(), settings)


@pytest.mark.slow
def test_real_local_model_answers_in_english_from_an_indonesian_passage(
    local_engine: AnswerEngine,
) -> None:
    answer, trace = local_engine.ask_traced(
        "Which plan did the Government of Indonesia and UNICEF sign, and for which years?"
    )
    assert not answer.refused, trace.replies
    assert "CPAP" in answer.answer or "Country Programme" in answer.answer
    assert answer.language == "en" and not trace.sentinel
    assert CPAP.chunk.source in {c.source for c in answer.citations}


@pytest.mark.slow
def test_real_local_model_refuses_what_the_passages_do_not_say(
    local_engine: AnswerEngine,
) -> None:
    answer, trace = local_engine.ask_traced("How much money did UNICEF give under the CPAP?")
    assert answer.refused, trace.replies
    assert trace.weak_evidence is None and trace.replies  # the model was asked
