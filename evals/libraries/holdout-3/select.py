"""Choose the holdout-3 eval library from the distractor corpus, reproducibly.

The library is a fourth set of real documents for the evals (held out until its first
measurement, a development library since): CIA World Factbook sections (English) and Indonesian
news articles on the policy topics Lentera's users ask about (child protection, migrant
workers, education, health insurance, poverty aid, disasters, violence against women...). It
follows the recipe of holdout-2 (the same pools, so the mix is similar) with another seed, and
shares no document, Factbook country or news story with the earlier libraries: none of the 24
documents of factbook-news and holdout-2, no section of their 11 Factbook countries, and no
other report of one of their news stories.

Documents are drawn with ``random.Random(SEED)`` from topic-filtered pools (``evals.selection``
holds the machinery every library's script shares); candidates are sorted by id before sampling,
so the same input always gives the same files.

Usage (from the repository root)::

    .venv/bin/python evals/libraries/holdout-3/select.py [DOCS_JSONL_GZ]

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
    SAME_STORY_RUNS,
    SAME_STORY_WORDS,
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

SEED = 4127
LIBRARY_DIR = Path(__file__).resolve().parent
REGENERATE = ".venv/bin/python evals/libraries/holdout-3/select.py"
EARLIER = ("factbook-news", "holdout-2")
RECIPE = Recipe(
    SEED,
    HOLDOUT_FACTBOOK_POOLS,
    HOLDOUT_NEWS_POOLS,
    Exclusions(EARLIER, titles_used=True, same_story=True, news_topic=DJARUM, round_ups=True),
)


def sources_markdown(
    chosen: Sequence[Chosen], manifest: dict[str, dict[str, str]], licence_files: Sequence[str]
) -> str:
    """SOURCES.md: what the library is, how it was chosen and where every file comes from."""
    fn, h2 = DRAWN["factbook-news"], DRAWN["holdout-2"]
    fn_countries = ", ".join(sorted(fn.countries))
    h2_countries = ", ".join(sorted(h2.countries))
    n_fn, n_h2 = len(fn.ids), len(h2.ids)
    n_countries = len(RECIPE.exclusions.countries)
    return f"""# holdout-3: a fourth, strictly held-out eval library of real documents

{len(chosen)} real documents on the policy topics Lentera's users ask about (trafficking in
persons, refugees and displacement, child protection, migrant workers, education, health
insurance, poverty aid, disasters, violence against women), for the evals in
`gold/questions.jsonl`: CIA World Factbook sections in English and Indonesian news articles.
They were taken from the distractor corpus `/work/shared/distractors/docs.jsonl.gz` (see its
README and `manifest.tsv`).

It is the fourth library, after the sample library, `evals/libraries/factbook-news` and
`evals/libraries/holdout-2`, and follows holdout-2's recipe (the same pools, another seed), so
its mix is similar: Factbook sections of Southeast and South Asian, African and Latin American
countries, and Indonesian news of both data sets on seven topics. It shares no document,
Factbook country or news story with the earlier libraries. Excluded by corpus id: the
{n_fn} documents of factbook-news and the {n_h2} of holdout-2 (and any article with the same
title as one of them). Excluded by country: every section of their {n_countries}
Factbook countries (factbook-news: {fn_countries}; holdout-2: {h2_countries}).

## How they were chosen

`select.py` picks them with `random.Random({SEED})` from topic-filtered pools, in the order
below. Candidates of a pool are sorted by corpus id before `rng.sample`, a document's text
(without title) must be {MIN_CHARS:,}-{MAX_CHARS:,} characters, and no Factbook country or news
title is used twice (the earlier libraries' countries and titles count as used). Every file is
the title, a blank line, then the corpus text unchanged.

{regions_markdown()}

{factbook_rules(RECIPE.factbook_pools)}

News pools (`lang` = `id`); an article qualifies when the pool's keywords occur at least the
given number of times in its title and text together (whole words, case-insensitive). Left out
of every news pool: articles whose title or text names "Djarum" (factbook-news already holds two
articles on the 2019 KPAI-PB Djarum dispute), daily round-ups titled `[POPULER ...]`, and other
reports of a story an earlier library holds: an article sharing at least {SAME_STORY_RUNS}
distinct runs of {SAME_STORY_WORDS} consecutive words (lower case, word characters only) with a
news article of factbook-news or holdout-2. One shared run is usually an institution's name;
this rule leaves out, for instance, two more write-ups of the 2019 launch of school
digitalisation in Natuna, two near-copies of holdout-2's stunting article and another report of
Komnas Perempuan chair Azriana's September 2019 call to pass the RUU PKS.

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
  sentences have gaps or stray commas ("Komisi Perlindungan Anak Indonesia ( ,) mendorong
  ..."; the karhutla article lost the governor's name in its first sentence, "Iriansyah
  menegaskan, , dan jajaran Pemprov Sumsel ...", and spells the BPBD "BPPD" there; the RKUHP
  article lost its author's name and a list of articles of the bill, "seperti :,Pemidanaan
  ..."). Two end with the scraper's "loading...".
- The migrant-workers pick is a tabloid crime column (Pos Metro Medan, credited to JPNN) in
  crude, joking language about the wife of a TKI working in Malaysia; it is kept as drawn.
- IndoSum titles are rebuilt from URL slugs: lower case, no punctuation ("Mendikbud janjikan
  perpustakaan setiap sekolah malang raya").
- Factbook: the Honduras demographic profile gives a birth rate that "averages 2.1 children
  per woman", while its total fertility rate field gives 1.98; it has a typo ("median age a
  first birth"), as does the Haiti section ("the metropolitan area os Port-au-Prince").

## Licences

{licences_markdown(licence_files)}

## Gold questions

`gold/questions.jsonl` (format of `evals/gold.py`, ids `h3-...`) holds answerable questions
about these files, in English and Indonesian (half of them cross-lingual: Indonesian questions
about the English Factbook texts, English questions about the Indonesian news), and
unanswerable ones in both languages. This library is strictly held out: do not read its
questions or use its documents while tuning retrieval, prompts or thresholds; run it only for
the final measurement.
"""


if __name__ == "__main__":
    main(LIBRARY_DIR, RECIPE, sources_markdown, __doc__.split("\n\n")[0])
