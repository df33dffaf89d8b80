"""Choose the holdout-4 eval library from the distractor corpus, reproducibly.

The library is a fifth, strictly held-out set of real documents for the evals: CIA World
Factbook sections (English) and Indonesian news articles on the policy topics Lentera's users
ask about (child protection, migrant workers, education, health insurance, poverty aid,
disasters, violence against women...). It follows the recipe of holdout-2 and holdout-3 (the
same pools, so the mix is similar) with another seed, and shares no document, Factbook country
or news story with the earlier libraries: none of the 36 documents of factbook-news, holdout-2
and holdout-3, no section of their 16 Factbook countries, and no other report of one of their
news stories.

Documents are drawn with ``random.Random(SEED)`` from topic-filtered pools (``evals.selection``
holds the pools and the machinery every library's script shares); candidates are sorted by id
before sampling, so the same input always gives the same files.

Usage (from the repository root)::

    .venv/bin/python evals/libraries/holdout-4/select.py [DOCS_JSONL_GZ]

``DOCS_JSONL_GZ`` defaults to /work/shared/distractors/docs.jsonl.gz; ``manifest.tsv`` and
``licenses/`` are read from the same folder. The script writes ``documents/*.txt``,
``SOURCES.md`` and ``licenses/`` next to itself and removes stale ``documents/*.txt``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evals.selection import (
    DJARUM,
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
    exclusions_markdown,
    factbook_rules,
    file_rows,
    licences_markdown,
    main,
    news_rules,
    regions_markdown,
    table_header,
)

SEED = 9311
LIBRARY_DIR = Path(__file__).resolve().parent
REGENERATE = ".venv/bin/python evals/libraries/holdout-4/select.py"
EARLIER = ("factbook-news", "holdout-2", "holdout-3")
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
    return f"""# holdout-4: a fifth, strictly held-out eval library of real documents

{len(chosen)} real documents on the policy topics Lentera's users ask about (trafficking in
persons, refugees and displacement, child protection, migrant workers, education, health
insurance, poverty aid, disasters, violence against women), for the evals in
`gold/questions.jsonl`: CIA World Factbook sections in English and Indonesian news articles.
They were taken from the distractor corpus `/work/shared/distractors/docs.jsonl.gz` (see its
README and `manifest.tsv`).

It is the fifth library, after the sample library, `evals/libraries/factbook-news`,
`evals/libraries/holdout-2` and `evals/libraries/holdout-3`, and follows the recipe of holdout-2
and holdout-3 (the same pools, another seed), so its mix is similar: Factbook sections of
Southeast and South Asian, African and Latin American countries, and Indonesian news of both
data sets on seven topics. It shares no document, Factbook country or news story with the
earlier libraries. {exclusions_markdown(EARLIER)}

## How they were chosen

`select.py` picks them with `random.Random({SEED})` from topic-filtered pools, in the order
below (the pools are holdout-2's, in `evals/selection.py`). Candidates of a pool are sorted by
corpus id before `rng.sample`, a document's text (without title) must be {MIN_CHARS:,} to
{MAX_CHARS:,} characters, and no Factbook country or news title is used twice (the earlier
libraries' countries and titles count as used). Every file is the title, a blank line, then the
corpus text unchanged.

{regions_markdown()}

{factbook_rules(RECIPE.factbook_pools)}

News pools (`lang` = `id`); an article qualifies when the pool's keywords occur at least the
given number of times in its title and text together (whole words, case-insensitive). Left out
of every news pool: articles whose title or text names "Djarum" (factbook-news already holds two
articles on the 2019 KPAI-PB Djarum dispute), daily round-ups titled `[POPULER ...]`, and other
reports of a story an earlier library holds: an article sharing at least {SAME_STORY_RUNS}
distinct runs of {SAME_STORY_WORDS} consecutive words (lower case, word characters only) with a
news article of factbook-news, holdout-2 or holdout-3. The rule leaves out the same five
articles as it did for holdout-3 (two more write-ups of holdout-2's launch of school
digitalisation, two near-copies of its stunting article, another report of Komnas Perempuan's
call to pass the RUU PKS); no candidate shares three runs with a holdout-3 article.

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
  sentences have gaps or stray commas. The migrant-workers pick lost the agency's name in most
  of its sentences (the title names BNP2TKI, the text says "JDIH , meraih penghargaan terbaik
  II dalam , untuk ..." and "di lingkungan ,;,Kedua, ..."), and the venue of the ceremony
  ("di , di Jakarta"); the JKN article lost the subject of a sentence ("Sebelumnya, ,siap
  mendorong ...", the Ministry of Health, "Kemenkes" in the next one). The Linmas article ends
  with the scraper's "loading...".
- The migrant-workers pick is about an award for BNP2TKI's legal documentation network
  (Tribunnews, September 2019); migrant workers appear only in the network's aims ("penempatan
  dan perlindungan TKI"). The health-insurance pick is about private insurers and JKN, the
  poverty-aid pick an FPCI event on extreme poverty in the world (CNN Indonesia, October
  2016), the disasters pick Airbnb's free lodging for people fleeing Mount Agung (September
  2017).
- The violence-against-women pick is a tabloid crime report (Pos Metro Medan, credited to Radar
  Bali) with a crude title, on an attempted rape in Buleleng; it once swaps the initials of the
  suspect and the victim ("Korban GL yang tak mau ...", the victim is LB). It is kept as drawn.
- IndoSum titles are rebuilt from URL slugs: lower case, no punctuation ("Kpai minta polisi
  usut di balik aksi anak teriak bunuh ahok"). The IndoSum texts keep their typos: the KPAI
  article has "Erlida" once for Erlinda and "penodaaan"; the Airbnb article dates the press
  release "Jumat (29/8)" where the rest of the story is of 29 September, and spells the
  volcanology centre "PVBMG" once, "PVMBG" elsewhere. The JDIH article spells the minister
  "Yosanna" once.
- Factbook: the corpus titles the Dominican Republic "The Dominican" (hence the file name);
  its language sample breaks over a blank line (the English translation stands on a line of
  its own), and some fields repeat their label ("urban: urban: 98.3%", Thailand's "arable land:
  arable land: 30.8%"). The Zimbabwe section points to "this population distribution map",
  which is not in the text.

## Licences

{licences_markdown(licence_files)}

## Gold questions

`gold/questions.jsonl` (format of `evals/gold.py`, ids `h4-...`) holds answerable questions
about these files, in English and Indonesian (at least half of them cross-lingual: Indonesian
questions about the English Factbook texts, English questions about the Indonesian news), and
unanswerable ones in both languages on the same countries and stories. This library is strictly
held out: do not read its questions or use its documents while tuning retrieval, prompts or
thresholds; run it only for the final measurement.
"""


if __name__ == "__main__":
    main(LIBRARY_DIR, RECIPE, sources_markdown, __doc__.split("\n\n")[0])
