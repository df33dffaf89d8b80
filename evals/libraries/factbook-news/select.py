"""Choose the factbook-news eval library from the distractor corpus, reproducibly.

The library is a second, small set of real documents for the evals: CIA World Factbook sections
(English) and Indonesian news articles, all on the policy topics Lentera's users ask about
(trafficking in persons, migration, labour, child protection, poverty, health, disasters...).

Documents are drawn with ``random.Random(SEED)`` from topic-filtered pools (the constants below;
``evals.selection`` holds the machinery every library's script shares); candidates are sorted by
id before sampling, so the same input always gives the same files.

Usage (from the repository root)::

    .venv/bin/python evals/libraries/factbook-news/select.py [DOCS_JSONL_GZ]

``DOCS_JSONL_GZ`` defaults to /work/shared/distractors/docs.jsonl.gz; ``manifest.tsv`` and
``licenses/`` are read from the same folder. The script writes ``documents/*.txt``,
``SOURCES.md`` and ``licenses/`` next to itself and removes stale ``documents/*.txt``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evals.selection import (
    DATA_SETS,
    LICENCES,
    MAX_CHARS,
    MIN_CHARS,
    SOUTH_ASIA,
    SOUTHEAST_ASIA,
    TRAFFICKING_FIELD,
    Chosen,
    Exclusions,
    FactbookPool,
    NewsPool,
    Recipe,
    cell,
    factbook_rules,
    licences_markdown,
    main,
    original_url,
)

SEED = 20240611
LIBRARY_DIR = Path(__file__).resolve().parent
REGENERATE = ".venv/bin/python evals/libraries/factbook-news/select.py"

# Southeast and South Asia, as the Factbook names them.
ASIA = SOUTHEAST_ASIA + SOUTH_ASIA
# Factbook entries that are not countries ("xx" is the World entry); the one pool open to any
# country leaves them out with ASIA.
NOT_COUNTRIES = ("xx",)
ASIAN = "a Southeast/South Asian country"

FACTBOOK_POOLS = (
    FactbookPool(
        "asia-trafficking", ("Transnational Issues",), ASIAN, ASIA, (TRAFFICKING_FIELD,), 3,
    ),
    FactbookPool(
        "world-trafficking", ("Transnational Issues",), "a country outside that list", None,
        (TRAFFICKING_FIELD,), 1, ASIA + NOT_COUNTRIES,
    ),
    FactbookPool("asia-society", ("People and Society",), ASIAN, ASIA, (), 1),
    FactbookPool("asia-government", ("Government",), ASIAN, ASIA, (), 1),
)  # fmt: skip

# A news article is on a pool's topic when the pool's keywords occur at least MIN_KEYWORD_HITS
# times in its title and text together (whole words, any case). Keywords that are ambiguous in
# this corpus are left out: "PKH" is also the Ministry of Agriculture's livestock directorate,
# "pekerja", "tenaga kerja" and "bencana" match too many off-topic articles. Each pool draws
# from one source data set.
MIN_KEYWORD_HITS = 3
NEWS_POOLS = (
    NewsPool(
        "migrant-workers-trafficking",
        ("indosum",),
        ("perdagangan orang", "perdagangan manusia", "pekerja migran", "buruh migran", "TKI",
         "TKW", "BNP2TKI", "BP2MI", "tenaga kerja Indonesia"),
        MIN_KEYWORD_HITS,
        1,
    ),
    NewsPool(
        "labour",
        ("indosum",),
        ("ketenagakerjaan", "upah minimum", "buruh", "Kemnaker", "Menaker", "mogok kerja",
         "pekerja kontrak", "outsourcing"),
        MIN_KEYWORD_HITS,
        1,
    ),
    NewsPool(
        "disasters-refugees",
        ("indosum",),
        ("BNPB", "BPBD", "pengungsi", "pengungsian", "mengungsi", "pencari suaka",
         "tanggap darurat", "korban bencana"),
        MIN_KEYWORD_HITS,
        1,
    ),
    NewsPool(
        "child-protection",
        ("clickid",),
        ("perlindungan anak", "kekerasan terhadap anak", "KPAI", "perkawinan anak",
         "pernikahan dini", "pencabulan", "pekerja anak", "eksploitasi anak", "perdagangan anak"),
        MIN_KEYWORD_HITS,
        1,
    ),
    NewsPool(
        "violence-women-children",
        ("clickid",),
        ("kekerasan seksual", "kekerasan dalam rumah tangga", "KDRT", "Komnas Perempuan", "PPPA",
         "P2TP2A", "perdagangan orang", "perdagangan manusia"),
        MIN_KEYWORD_HITS,
        1,
    ),
    NewsPool(
        "poverty-social-protection",
        ("clickid",),
        ("kemiskinan", "penduduk miskin", "warga miskin", "bantuan sosial", "bansos", "stunting",
         "gizi buruk", "Kemensos", "Program Keluarga Harapan", "BPJS"),
        MIN_KEYWORD_HITS,
        1,
    ),
)  # fmt: skip

# The first library drawn: nothing earlier to leave out.
RECIPE = Recipe(SEED, FACTBOOK_POOLS, NEWS_POOLS, Exclusions())


def sources_markdown(
    chosen: Sequence[Chosen], manifest: dict[str, dict[str, str]], licence_files: Sequence[str]
) -> str:
    """SOURCES.md: what the library is, how it was chosen and where every file comes from."""
    news_rules = "\n".join(
        f"- `{p.name}`: {p.count} x `{p.sources[0]}` article; keywords: "
        + ", ".join(f"`{k}`" for k in p.keywords)
        for p in NEWS_POOLS
    )
    rows = []
    for item in chosen:
        doc, row = item.doc, manifest[item.doc.id]
        licence = LICENCES[doc.source][0]
        rows.append(
            f"| `{item.stem}.txt` | {DATA_SETS[doc.source]} (`{doc.source}`, {doc.lang}) "
            f"| `{item.pool}` "
            f"| {licence} | {original_url(doc, row)} | {row['repo']} | `{row['commit']}` "
            f"| `{row['path']}` | `{cell(row['src_id'])}` |"
        )
    return f"""# factbook-news: a second eval library of real documents

{len(chosen)} real documents on the policy topics Lentera's users ask about (trafficking in
persons, migration, labour, child protection, violence against women and children, poverty and
social protection, disasters and refugees), for the evals in `gold/questions.jsonl`:
CIA World Factbook sections in English and Indonesian news articles. They were taken from the
distractor corpus `/work/shared/distractors/docs.jsonl.gz` (see its README and `manifest.tsv`).

## How they were chosen

`select.py` picks them with `random.Random({SEED})` from topic-filtered pools, in the order
below. Candidates of a pool are sorted by corpus id before `rng.sample`, a document's text
(without title) must be {MIN_CHARS:,}-{MAX_CHARS:,} characters, and no Factbook country or news
title is used twice. Every file is the title, a blank line, then the corpus text unchanged.

Factbook pools (titles `<Country> - <Section> (CIA World Factbook, 2023 edition)`; the `xx`
World entry is excluded). Southeast and South Asia: {", ".join(ASIA)}.

{factbook_rules(FACTBOOK_POOLS)}

News pools (`lang` = `id`); an article qualifies when the pool's keywords occur at least
{MIN_KEYWORD_HITS} times in its title and text together (whole words, case-insensitive):

{news_rules}

Regenerate (from the repository root; the corpus path is optional):

```
{REGENERATE} /work/shared/distractors/docs.jsonl.gz
```

## Files

"Row" is the `src_id` of `manifest.tsv`: the section name of the Factbook country file, the
article id of the IndoSum fold file, the row of the CLICK-ID spreadsheet/CSV. Factbook sections
have no URL in the corpus; the link given is the country's JSON file in the source repository.

| file | source data set | pool | licence | original URL | repository | commit | path | row |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

## Licences

{licences_markdown(licence_files)}

## Gold questions

`gold/questions.jsonl` (format of `evals/gold.py`) holds answerable questions about these files,
in English and Indonesian (half of them cross-lingual), and unanswerable ones. They are a
held-out set: do not read them while tuning retrieval or prompts.
"""


if __name__ == "__main__":
    main(LIBRARY_DIR, RECIPE, sources_markdown, __doc__.split("\n\n")[0])
