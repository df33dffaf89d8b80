"""The document libraries the evals run on, each with its gold questions, by name.

- ``sample``: the five papers in ``corpus/`` (the product's sample library) with the gold
  questions in ``evals/gold/``. Rules and thresholds are calibrated on this one.
- every folder ``evals/libraries/<name>/`` with ``documents/`` and ``gold/*.jsonl``: CIA World
  Factbook sections in English and Indonesian news (see each ``SOURCES.md``). Each was held
  out when it was added and its first figures were reported as they came; once rules were
  changed after reading its failures it became a development library:
  ``factbook-news`` (development), ``holdout-2`` (development since the evidence-gate
  changes that followed its first run), ``holdout-3`` (development: its failures were read to
  change rules after its first run), ``holdout-4`` (development since the cross-language
  evidence gates), ``holdout-5`` (held out: no rule was chosen while looking at its
  results, but its aggregates were measured after each change set since it was drawn),
  ``holdout-6`` (held out, drawn fresh: its gold was written by people who saw no answer of
  the system, and it is measured once per release of the rules), ``holdout-7`` (held out,
  drawn fresh from regions and news topics no earlier library used: its gold was written from
  the texts alone by writers who saw no answer of the system). Each drawn library's
  ``select.py`` uses ``evals.selection``.

Each library is ingested into a data directory of its own (``<data dir>/eval/<name>``), so
libraries never mix with each other or with the user's documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from evals.gold import project_gold_files

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DOCUMENTS = PROJECT_ROOT / "corpus"
LIBRARIES_DIR = Path(__file__).resolve().parent / "libraries"
CALIBRATION_LIBRARY = "sample"


@dataclass(frozen=True)
class EvalLibrary:
    """Documents and the gold questions written from them."""

    name: str
    documents: Path
    gold: tuple[Path, ...]

    @property
    def calibration(self) -> bool:
        """Whether rules and thresholds were chosen while looking at this library's results."""
        return self.name == CALIBRATION_LIBRARY

    def document_files(self) -> list[Path]:
        return sorted(p for p in self.documents.iterdir() if p.is_file())

    def data_dir(self, base: Path) -> Path:
        """Where this library is ingested, under a data directory."""
        return base / "eval" / self.name


def eval_libraries() -> dict[str, EvalLibrary]:
    """Every library the evals know, the calibration library first."""
    found = {
        CALIBRATION_LIBRARY: EvalLibrary(
            CALIBRATION_LIBRARY, SAMPLE_DOCUMENTS, tuple(project_gold_files())
        )
    }
    for folder in sorted(LIBRARIES_DIR.iterdir()) if LIBRARIES_DIR.is_dir() else []:
        gold = tuple(sorted((folder / "gold").glob("*.jsonl")))
        if (folder / "documents").is_dir() and gold:
            found[folder.name] = EvalLibrary(folder.name, folder / "documents", gold)
    return found
