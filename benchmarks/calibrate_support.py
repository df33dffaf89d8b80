"""Calibrate the cross-language support rule of ``rag.citations`` on the sample library.

The papers carry an English abstract and its Indonesian version, which gives labelled pairs
without any gold question: an English abstract sentence against the Indonesian abstract of
the same paper (supported: it says the same thing) and against every Indonesian chunk of the
other papers (not supported: same field, different facts). For each pair we take the lexical
support and the e5 cosine (sentence as query, chunk vector as stored in Chroma) and report,
per similarity threshold, the share of supported and of unsupported pairs the rule accepts.

    python benchmarks/calibrate_support.py --data-dir /tmp/d
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

from common import RESULTS

from rag.citations import (
    ATTRIBUTE_SUPPORT,
    EMBEDDING_MIN_LEXICAL,
    KEEP_SUPPORT,
    content_terms,
    split_sentences,
    support,
)

THRESHOLDS = (0.80, 0.82, 0.84, 0.85, 0.86, 0.87, 0.88, 0.90)


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def pairs(data_dir: Path) -> list[dict[str, Any]]:
    from core.settings import load_settings
    from ingest.embedding import build_embedder
    from ingest.library import Library

    settings = load_settings(data_dir=data_dir)
    embedder = build_embedder(settings)
    library = Library.open(settings, embedder)
    got: Any = library.collection.get(include=["embeddings", "documents", "metadatas"])
    chunks: list[Any] = list(
        zip(got["documents"], got["metadatas"], got["embeddings"], strict=True)
    )
    english = [c for c in chunks if c[1]["language"] == "en"]
    indonesian = [c for c in chunks if c[1]["language"] == "id"]
    rows: list[dict[str, Any]] = []
    for text, meta, _ in english:
        # The Indonesian abstract (in the "Title" chunk where the heading was lost).
        own = [
            c
            for c in indonesian
            if c[1]["source"] == meta["source"] and c[1]["section"].lower() in ("abstrak", "title")
        ]
        others = [c for c in indonesian if c[1]["source"] != meta["source"]]
        for sentence in split_sentences(text):
            terms = content_terms(sentence)
            if len(sentence.split()) < 6 or len(terms.all) < 3:
                continue
            vector = embedder.get_query_embedding(sentence)
            for label, group in (("supported", own), ("unsupported", others)):
                for chunk_text, _, chunk_vector in group:
                    rows.append(
                        {
                            "label": label,
                            "lexical": support(terms, content_terms(chunk_text)),
                            "similarity": _cosine(vector, list(chunk_vector)),
                        }
                    )
    return rows


def table(
    rows: list[dict[str, Any]], min_lexical: float, lexical_alone: float = 2.0
) -> list[dict[str, Any]]:
    """Per threshold: the share of each label accepted by the embedding rule (or by lexical
    support alone when it reaches ``lexical_alone``: the whole rule of ``rag.citations``)."""
    out = []
    for threshold in THRESHOLDS:
        entry: dict[str, Any] = {"threshold": threshold}
        for label in ("supported", "unsupported"):
            group = [r for r in rows if r["label"] == label]
            accepted = [
                r
                for r in group
                if r["lexical"] >= lexical_alone
                or (r["similarity"] >= threshold and r["lexical"] >= min_lexical)
            ]
            entry[label] = round(len(accepted) / len(group), 3) if group else None
        out.append(entry)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True)
    args = parser.parse_args()
    rows = pairs(args.data_dir)
    result = {
        "pairs": {
            label: sum(r["label"] == label for r in rows) for label in ("supported", "unsupported")
        },
        "similarity_quartiles": {
            label: _quartiles([r["similarity"] for r in rows if r["label"] == label])
            for label in ("supported", "unsupported")
        },
        "lexical_quartiles": {
            label: _quartiles([r["lexical"] for r in rows if r["label"] == label])
            for label in ("supported", "unsupported")
        },
        f"accepted_min_lexical_{EMBEDDING_MIN_LEXICAL}": table(rows, EMBEDDING_MIN_LEXICAL),
        "accepted_min_lexical_0.0": table(rows, 0.0),
        f"rule_keep_{KEEP_SUPPORT}": table(rows, EMBEDDING_MIN_LEXICAL, KEEP_SUPPORT),
        f"rule_attribute_{ATTRIBUTE_SUPPORT}": table(
            rows, EMBEDDING_MIN_LEXICAL, ATTRIBUTE_SUPPORT
        ),
    }
    out = RESULTS / "calibrate-support.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))


def _quartiles(values: list[float]) -> list[float]:
    ordered = sorted(values)
    return [round(ordered[int(q * (len(ordered) - 1))], 3) for q in (0.1, 0.25, 0.5, 0.75, 0.9)]


if __name__ == "__main__":
    main()
