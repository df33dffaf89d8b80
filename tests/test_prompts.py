from pathlib import Path

import pytest

from prompts import REQUIRED, PromptError, load_prompt, placeholders_of


def test_placeholders_are_found_and_escaped_braces_ignored() -> None:
    assert placeholders_of("Hi {name}, {{not}} {other}") == {"name", "other"}


def test_missing_placeholder_fails_at_load(tmp_path: Path) -> None:
    (tmp_path / "answer_user.txt").write_text("Question: {question}\n")
    with pytest.raises(PromptError, match="passages"):
        load_prompt("answer_user", tmp_path)


def test_unknown_placeholder_fails_at_load(tmp_path: Path) -> None:
    (tmp_path / "answer_user.txt").write_text("{passages}\n{question}\n{typo}\n")
    with pytest.raises(PromptError, match="typo"):
        load_prompt("answer_user", tmp_path)


def test_format_requires_every_value(tmp_path: Path) -> None:
    (tmp_path / "free.txt").write_text("Hello {who}")
    template = load_prompt("free", tmp_path)
    assert template.format(who="Ani") == "Hello Ani\n"
    with pytest.raises(PromptError):
        template.format()


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_shipped_templates_match_the_code(name: str) -> None:
    if not (Path(__file__).parents[1] / "prompts" / f"{name}.txt").exists():
        pytest.fail(f"prompts/{name}.txt is missing")
    assert load_prompt(name).placeholders == REQUIRED[name]
