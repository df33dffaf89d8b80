"""Reading a library's Chroma collection directly, as tests check what is really stored
(including chunks no document record vouches for, which the library's own reads skip)."""

from __future__ import annotations

from collections.abc import Iterator

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
