from pathlib import Path

import pytest
from pydantic import ValidationError

from core.settings import load_settings


def test_defaults_are_offline_and_local(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.llm == "local"
    assert settings.embedding == "local"
    assert settings.chroma_host is None
    assert settings.ui.host == "127.0.0.1"
    assert settings.data_dir == tmp_path / "xdg-data" / "lentera"


def test_environment_and_nested_sections(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LENTERA_DATA_DIR", str(tmp_path / "lib"))
    monkeypatch.setenv("LENTERA_LLM", "extractive")
    monkeypatch.setenv("LENTERA_CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("LENTERA_CHROMA_PORT", "8123")
    monkeypatch.setenv("LENTERA_RETRIEVAL__TOP_K", "5")
    settings = load_settings()
    assert settings.data_dir == tmp_path / "lib"
    assert settings.llm == "extractive"
    assert (settings.chroma_host, settings.chroma_port) == ("127.0.0.1", 8123)
    assert settings.retrieval.top_k == 5
    assert settings.chroma_dir == tmp_path / "lib" / "chroma"


def test_command_line_overrides_win_and_none_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LENTERA_LLM", "openai")
    assert load_settings(llm="extractive").llm == "extractive"
    assert load_settings(llm=None).llm == "openai"


def test_config_file_is_read_below_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('llm = "openai-compatible"\nllm_model = "qwen"\n[retrieval]\ntop_k = 7\n')
    monkeypatch.setenv("LENTERA_CONFIG", str(config))
    monkeypatch.setenv("LENTERA_LLM_MODEL", "from-env")
    settings = load_settings()
    assert settings.llm == "openai-compatible"
    assert settings.llm_model == "from-env"
    assert settings.retrieval.top_k == 7


def test_invalid_backend_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LENTERA_LLM", "gpt5-please")
    with pytest.raises(ValidationError):
        load_settings()


def test_openai_variables_are_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    settings = load_settings()
    assert settings.resolved_llm_api_key() == "sk-test"
    assert settings.resolved_llm_base_url() == "http://127.0.0.1:9/v1"
    monkeypatch.setenv("LENTERA_LLM_API_KEY", "sk-own")
    assert load_settings().resolved_llm_api_key() == "sk-own"


def test_public_dict_hides_secrets_and_hash_ignores_paths(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LENTERA_LLM_API_KEY", "sk-secret")
    first = load_settings(data_dir=tmp_path / "a")
    assert "sk-secret" not in str(first.public_dict())
    assert first.config_hash() == load_settings(data_dir=tmp_path / "b").config_hash()
    assert first.config_hash() != load_settings(llm="extractive").config_hash()
