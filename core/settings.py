"""The one settings object.

Read once at an entry point (CLI, page, eval runner) from environment variables with the
``LENTERA_`` prefix and an optional TOML config file, then handed down. Nested sections use
``__`` in environment names, e.g. ``LENTERA_RETRIEVAL__TOP_K=4``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from core.backends import EMBEDDING_BACKENDS, LLM_BACKENDS

CONFIG_ENV = "LENTERA_CONFIG"


def default_data_dir() -> Path:
    """Where the library lives unless told otherwise: the user's data dir (XDG)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "lentera"


def default_config_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "lentera" / "config.toml"


class LocalModelSettings(BaseModel):
    """The in-process GGUF model (llama.cpp through xllamacpp)."""

    path: Path | None = Field(
        None, description="GGUF file to load; default: the model joined into the data directory."
    )
    context: int = Field(4096, description="Context window in tokens.")
    threads: int = Field(
        0, description="CPU threads for generation; 0 means all cores of this machine."
    )
    batch_threads: int = Field(
        0, description="CPU threads for reading the prompt; 0 means all cores of this machine."
    )
    batch: int = Field(
        512, description="Prompt tokens evaluated per step (llama.cpp n_batch and n_ubatch)."
    )
    flash_attention: Literal["auto", "on", "off"] = Field(
        "auto", description="llama.cpp flash attention."
    )
    kv_cache: Literal["f16", "q8_0"] = Field(
        "f16", description="Type of the attention key/value cache (q8_0 halves its memory)."
    )


class ChunkingSettings(BaseModel):
    """How cleaned text is cut into passages. Part of the index key: changing it re-embeds."""

    chunk_tokens: int = Field(
        220, description="Target passage size in (approximate) e5 tokens; the model reads 512."
    )
    overlap_sentences: int = Field(
        1, description="Sentences repeated at the start of the next chunk of the same section."
    )


class RetrievalSettings(BaseModel):
    dense_k: int = Field(20, description="Candidates taken from the vector search.")
    keyword_k: int = Field(20, description="Candidates taken from the BM25 keyword index.")
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant.")
    top_k: int = Field(3, description="Passages handed to the answer model.")


class AnswerSettings(BaseModel):
    """How an answer is drafted, checked and refused (see rag/evidence.py and rag/engine.py)."""

    min_dense_score: float = Field(
        0.80,
        description="Refuse without calling the LLM when the best e5 cosine is below this.",
    )
    min_dense_score_cross: float = Field(
        0.77,
        description=(
            "The same floor for passages in another language than the question: e5's cosines"
            " across languages run lower (benchmarks/calibrate_dense_floor.py)."
        ),
    )
    min_sentence_similarity: float = Field(
        0.84,
        description=(
            "Refuse a number question without calling the LLM when the best evidence is in"
            " the question's language and no evidence sentence has an e5 cosine to the"
            " question this high (a near miss: the right document, not the figure asked for)."
        ),
    )
    evidence_sentences: int = Field(
        4, description="Most evidence sentences the answer model reads (and cites)."
    )
    evidence_chars: int = Field(
        900,
        description="Longest evidence, in characters (~250 model tokens): the prompt budget.",
    )


class UISettings(BaseModel):
    host: str = Field("127.0.0.1", description="Address the page binds to.")
    port: int = Field(7860, description="Port of the page.")
    auth_user: str | None = Field(None, description="Login name; no login when unset.")
    auth_password: SecretStr | None = Field(None, description="Login password.")
    users_file: Path | None = Field(
        None,
        description="Accounts with roles (`lentera users add`); default <data_dir>/users.json. "
        "Any account there turns the login on.",
    )
    max_upload_mb: int = Field(50, description="Largest file accepted by the upload form.")
    language: Literal["auto", "en", "id"] = Field(
        "auto", description="Label language: auto follows the browser."
    )


class Settings(BaseSettings):
    """Everything a deployment can change, with no code change."""

    model_config = SettingsConfigDict(
        env_prefix="LENTERA_",
        env_nested_delimiter="__",
        extra="ignore",
    )

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Where the library, indexes, models and feedback live.",
    )
    llm: str = Field("local", description=f"Answer backend: {', '.join(LLM_BACKENDS)}.")
    llm_model: str | None = Field(
        None, description="Model name for openai / openai-compatible (e.g. gpt-4o-mini, qwen2.5)."
    )
    llm_base_url: str | None = Field(
        None, description="Base URL of an OpenAI-compatible server; falls back to OPENAI_BASE_URL."
    )
    llm_api_key: SecretStr | None = Field(
        None, description="API key for the LLM server; falls back to OPENAI_API_KEY."
    )
    llm_timeout: float = Field(
        15.0,
        description="Seconds a remote LLM call may take (per attempt) before the answer is "
        "quoted from the evidence instead.",
    )
    llm_max_retries: int = Field(
        0, description="Retries of a failed remote LLM call (each may take llm_timeout)."
    )
    llm_retry_after: float = Field(
        60.0,
        description="After the LLM failed, seconds of answering from the evidence at once "
        "before the LLM is tried again.",
    )
    llm_max_tokens: int = Field(256, description="Longest answer, in tokens.")
    local_model: LocalModelSettings = Field(default_factory=LocalModelSettings)

    embedding: str = Field(
        "local", description="local: bundled multilingual-e5-small; or an OpenAI-compatible API."
    )
    embedding_model: str | None = Field(
        None, description="Model name for an OpenAI-compatible embeddings endpoint."
    )
    embedding_base_url: str | None = Field(
        None, description="Embeddings endpoint base URL; falls back to OPENAI_BASE_URL."
    )
    embedding_api_key: SecretStr | None = Field(
        None, description="Embeddings API key; falls back to OPENAI_API_KEY."
    )
    embedding_batch_size: int = Field(16, description="Passages embedded per call.")
    embedding_threads: int = Field(0, description="Threads for the local embedder; 0 = all cores.")
    max_file_mb: float = Field(
        50, description="Largest file ingest reads; a larger one fails with a clear error."
    )

    chroma_host: str | None = Field(
        None, description="Chroma server host; unset means the embedded store in data_dir."
    )
    chroma_port: int = Field(8000, description="Chroma server port.")

    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    ui: UISettings = Field(default_factory=UISettings)

    @field_validator("llm")
    @classmethod
    def _known_llm(cls, value: str) -> str:
        return _one_of(value, LLM_BACKENDS)

    @field_validator("embedding")
    @classmethod
    def _known_embedding(cls, value: str) -> str:
        return _one_of(value, EMBEDDING_BACKENDS)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Precedence: explicit arguments, then environment, then the config file.
        config = Path(os.environ.get(CONFIG_ENV) or default_config_file())
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if config.is_file():
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config))
        return tuple(sources)

    # Paths derived from data_dir: one place decides the layout of the data directory.
    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def keyword_dir(self) -> Path:
        return self.data_dir / "keyword"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def feedback_dir(self) -> Path:
        return self.data_dir / "feedback"

    @property
    def users_file(self) -> Path:
        return self.ui.users_file or self.data_dir / "users.json"

    def resolved_llm_api_key(self) -> str | None:
        if self.llm_api_key is not None:
            return self.llm_api_key.get_secret_value()
        return os.environ.get("OPENAI_API_KEY")

    def resolved_llm_base_url(self) -> str | None:
        return self.llm_base_url or os.environ.get("OPENAI_BASE_URL")

    def resolved_embedding_api_key(self) -> str | None:
        if self.embedding_api_key is not None:
            return self.embedding_api_key.get_secret_value()
        return os.environ.get("OPENAI_API_KEY")

    def resolved_embedding_base_url(self) -> str | None:
        return self.embedding_base_url or os.environ.get("OPENAI_BASE_URL")

    def public_dict(self) -> dict[str, Any]:
        """Settings without secrets, for reports and eval results."""
        data = self.model_dump(mode="json")
        for key in ("llm_api_key", "embedding_api_key"):
            data[key] = "***" if data.get(key) else None
        if data["ui"].get("auth_password"):
            data["ui"]["auth_password"] = "***"
        data["data_dir"] = str(self.data_dir)
        return data

    def config_hash(self) -> str:
        """Short hash of the settings that change answers (not paths, ports or secrets)."""
        data = self.public_dict()
        for key in ("data_dir", "ui", "chroma_host", "chroma_port"):
            data.pop(key, None)
        data["local_model"].pop("path", None)  # where the model file lies is not what it is
        blob = json.dumps(data, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:12]


def load_settings(**overrides: Any) -> Settings:
    """Build the settings once; ``overrides`` come from command-line options (None = unset)."""
    given = {key: value for key, value in overrides.items() if value is not None}
    return Settings(**given)


def _one_of(value: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{value!r} is not one of {', '.join(choices)}")
    return value
