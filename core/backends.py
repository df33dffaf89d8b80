"""The backend names a deployment chooses between (kept apart from the settings so that the
command line can offer them without loading pydantic)."""

from __future__ import annotations

from typing import Final

# "extractive" answers without any LLM: quoted passage sentences, cited.
LLM_BACKENDS: Final = ("local", "openai", "openai-compatible", "extractive")
REMOTE_LLM_BACKENDS: Final = ("openai", "openai-compatible")
EMBEDDING_BACKENDS: Final = ("local", "openai-compatible")
