"""Reading a library's Chroma collection directly, as tests check what is really stored
(including chunks no document record vouches for, which the library's own reads skip)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from core.protocols import StoredChunk
from ingest.library import Library


def stored_chunks(library: Library, page: int = 1000) -> Iterator[StoredChunk]:
    """Every chunk in the collection as (id, text, metadata), page by page."""
    offset = 0
    while True:
        found = library.collection.get(
            include=["documents", "metadatas"], limit=page, offset=offset
        )
        ids, texts, metas = found["ids"], found["documents"] or [], found["metadatas"] or []
        rows = list(zip(ids, texts, metas, strict=True))
        yield from ((chunk_id, text, dict(meta)) for chunk_id, text, meta in rows)
        if len(rows) < page:
            return
        offset += page


def damage_file(path: Path, how: str) -> None:
    """Damage a derived file as crashes and careless hands do: "truncated" (half of it),
    "overwritten" (garbage) or "deleted"."""
    if how == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif how == "overwritten":
        path.write_bytes(b"not an index")
    else:
        path.unlink()
