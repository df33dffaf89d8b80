"""Choose the holdout-2 eval library from the distractor corpus, reproducibly.

The library is a third set of real documents for the evals (held out until its first
measurement, a development library since): CIA World Factbook sections (English) and Indonesian
news articles on the policy topics Lentera's users ask about (child protection, migrant
workers, education, health insurance, poverty aid, disasters, violence against women...). Its
mix differs from factbook-news on purpose, so the library tests whether results transfer: other
countries and Factbook sections, other news topics, and none of factbook-news's 12 documents.

Documents are drawn with ``random.Random(SEED)`` from topic-filtered pools (``evals.selection``
holds the pools and the machinery every library's script shares); candidates are sorted by id
before sampling, so the same input always gives the same files.

Usage (from the repository root)::

    .venv/bin/python evals/libraries/holdout-2/select.py [DOCS_JSONL_GZ]

``DOCS_JSONL_GZ`` defaults to /work/shared/distractors/docs.jsonl.gz; ``manifest.tsv`` and
``licenses/`` are read from the same folder. The script writes ``documents/*.txt``,
``SOURCES.md`` and ``licenses/`` next to itself and removes stale ``documents/*.txt``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evals.selection import (
    DJARUM,
    DRAWN,
    FILES_INTRO,
    HOLDOUT_FACTBOOK_POOLS,
    HOLDOUT_NEWS_POOLS,
    MAX_CHARS,
    MIN_CHARS,
    Chosen,
    Exclusions,
    Recipe,
    factbook_rules,
    file_rows,
    licences_markdown,
    main,
    news_rules,
    regions_markdown,
    table_header,
)

SEED = 7319
LIBRARY_DIR = Path(__file__).resolve().parent
REGENERATE = ".venv/bin/python evals/libraries/holdout-2/select.py"
# Only factbook-news's documents and countries are left out; the same-story and same-title rules
# came with holdout-3.
RECIPE = Recipe(
    SEED,
    HOLDOUT_FACTBOOK_POOLS,
    HOLDOUT_NEWS_POOLS,
    Exclusions(("factbook-news",), news_topic=DJARUM, round_ups=True),
)


def sources_markdown(
    chosen: Sequence[Chosen], manifest: dict[str, dict[str, str]], licence_files: Sequence[str]
) -> str:
    """SOURCES.md: what the library is, how it was chosen and where every file comes from."""
    fn_countries = ", ".join(sorted(DRAWN["factbook-news"].countries))
    return f"""# holdout-2: a third, strictly held-out eval library of real documents

{len(chosen)} real documents on the policy topics Lentera's users ask about (trafficking in
persons, refugees and displacement, child protection, migrant workers, education, health
insurance, poverty aid, disasters, violence against women), for the evals in
`gold/questions.jsonl`: CIA World Factbook sections in English and Indonesian news articles.
They were taken from the distractor corpus `/work/shared/distractors/docs.jsonl.gz` (see its
README and `manifest.tsv`).

Its mix differs from `evals/libraries/factbook-news` on purpose, so that it tests whether
results transfer: other Factbook countries and sections (Africa and Latin America as well as
Southeast Asia), other news topics, and both news data sets in every topic pool. None of
factbook-news's 12 documents (excluded by corpus id) and no section of its six Factbook
countries ({fn_countries}) is used.

## How they were chosen

`select.py` picks them with `random.Random({SEED})` from topic-filtered pools, in the order
below. Candidates of a pool are sorted by corpus id before `rng.sample`, a document's text
(without title) must be {MIN_CHARS:,}-{MAX_CHARS:,} characters, and no Factbook country or news
title is used twice. Every file is the title, a blank line, then the corpus text unchanged.

{regions_markdown()}

{factbook_rules(RECIPE.factbook_pools)}

News pools (`lang` = `id`); an article qualifies when the pool's keywords occur at least the
given number of times in its title and text together (whole words, case-insensitive). Left out
of every news pool: articles whose title or text names "Djarum" (factbook-news already holds two
articles on the 2019 KPAI-PB Djarum dispute) and daily round-ups titled `[POPULER ...]`.

{news_rules(RECIPE.news_pools)}

Regenerate (from the repository root; the corpus path is optional):

```
{REGENERATE} /work/shared/distractors/docs.jsonl.gz
```

## Files

{FILES_INTRO}

{table_header()}
{file_rows(chosen, manifest)}

## Notes on the texts

The texts are kept as the corpus has them, flaws included:

- CLICK-ID articles lost the words of their in-line links when they were scraped, so some
  sentences have gaps or stray commas ("Tenaga kerja Indonesia ( ,) dari ..."); the BPJS
  article starts in mid-sentence ("disalahkan atas kenaikan iuran BPJS Kesehatan ...", its
  subject, the minister's name, was a link).
- IndoSum titles are rebuilt from URL slugs: lower case, no punctuation, and one keeps its
  tracking query (`...krisis rohingya?utm_source=topnews...`) in the file's title line; the
  file name drops it.
- Factbook: the Tunisia section gives the same literacy figure for the total population as
  for women, below the men's; the El Salvador section has a typo ("athough").

## Licences

{licences_markdown(licence_files)}

## Gold questions

`gold/questions.jsonl` (format of `evals/gold.py`, ids `h2-...`) holds answerable questions
about these files, in English and Indonesian (half of them cross-lingual: Indonesian questions
about the English Factbook texts, English questions about the Indonesian news), and
unanswerable ones in both languages. This library is strictly held out: do not read its
questions or use its documents while tuning retrieval, prompts or thresholds; run it only for
the final measurement.
"""


if __name__ == "__main__":
    main(LIBRARY_DIR, RECIPE, sources_markdown, __doc__.split("\n\n")[0])
