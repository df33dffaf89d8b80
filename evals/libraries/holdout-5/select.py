"""Choose the holdout-5 eval library from the distractor corpus, reproducibly.

The library is a sixth, strictly held-out set of real documents for the evals: CIA World
Factbook sections (English) and Indonesian news articles on the policy topics Lentera's users
ask about (child protection, migrant workers, education, health insurance, poverty aid,
disasters, violence against women...). It follows the recipe of holdout-2, holdout-3 and
holdout-4 (the same pools, so the mix is similar) with another seed, and shares no document,
Factbook country or news story with the earlier libraries: none of the 48 documents of
factbook-news, holdout-2, holdout-3 and holdout-4, no section of their 21 Factbook countries,
and no other report of one of their news stories.

Documents are drawn with ``random.Random(SEED)`` from topic-filtered pools (``evals.selection``
holds the pools and the machinery every library's script shares); candidates are sorted by id
before sampling, so the same input always gives the same files.

Usage (from the repository root)::

    .venv/bin/python evals/libraries/holdout-5/select.py [DOCS_JSONL_GZ]

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

SEED = 5147
LIBRARY_DIR = Path(__file__).resolve().parent
REGENERATE = ".venv/bin/python evals/libraries/holdout-5/select.py"
EARLIER = ("factbook-news", "holdout-2", "holdout-3", "holdout-4")
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
    return f"""# holdout-5: a sixth, strictly held-out eval library of real documents

{len(chosen)} real documents on the policy topics Lentera's users ask about (trafficking in
persons, refugees and displacement, child protection, migrant workers, education, health
insurance, poverty aid, disasters, violence against women), for the evals in
`gold/questions.jsonl`: CIA World Factbook sections in English and Indonesian news articles.
They were taken from the distractor corpus `/work/shared/distractors/docs.jsonl.gz` (see its
README and `manifest.tsv`).

It is the sixth library, after the sample library, `evals/libraries/factbook-news`,
`evals/libraries/holdout-2`, `evals/libraries/holdout-3` and `evals/libraries/holdout-4`, and
follows the recipe of holdout-2, holdout-3 and holdout-4 (the same pools, another seed), so its
mix is similar: Factbook sections of Southeast and South Asian, African and Latin American
countries, and Indonesian news of both data sets on seven topics. It shares no document,
Factbook country or news story with the earlier libraries.
{exclusions_markdown(EARLIER)}

## How they were chosen

`select.py` picks them with `random.Random({SEED})` from topic-filtered pools, in the order
below (the pools are holdout-2's, in `evals/selection.py`). Candidates of a pool are sorted by
corpus id before `rng.sample`, a document's text (without title) must be {MIN_CHARS:,} to
{MAX_CHARS:,} characters, and no Factbook country or news title is used twice (the earlier
libraries' countries and titles count as used). Every file is the title, a blank line, then the
corpus text unchanged.

{regions_markdown()}

{factbook_rules(RECIPE.factbook_pools)}

Two Factbook pools are all but used up: with the earlier libraries' countries left out,
`asia-trafficking` has one candidate left (Bhutan) and `sea-economy-environment` two
(Timor-Leste's Economy and Environment sections), so the seed decides nothing there, and a
further library drawn with these pools would find both empty.

News pools (`lang` = `id`); an article qualifies when the pool's keywords occur at least the
given number of times in its title and text together (whole words, case-insensitive). Left out
of every news pool: articles whose title or text names "Djarum" (factbook-news already holds two
articles on the 2019 KPAI-PB Djarum dispute), daily round-ups titled `[POPULER ...]`, and other
reports of a story an earlier library holds: an article sharing at least {SAME_STORY_RUNS}
distinct runs of {SAME_STORY_WORDS} consecutive words (lower case, word characters only) with a
news article of factbook-news, holdout-2, holdout-3 or holdout-4. The rule leaves out six
articles: the five it left out for holdout-3 and holdout-4 (two more write-ups of holdout-2's
launch of school digitalisation, two near-copies of its stunting article, another report of
Komnas Perempuan's call to pass the RUU PKS) and a longer Sindonews version of holdout-4's
article on private insurers and JKN, which also has its title. Three other JKN articles share
two runs with that article and stay candidates. The news pools are small after the
exclusions: two candidates each for `migrant-workers` and `poverty-aid`, four for
`child-protection`.

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
  sentences have gaps or stray commas. The Ganjar article lost the governor's name, the
  minister's title and the policy in its first sentence ("Gubernur Jawa Tengah , menceritakan
  bagaimana dirinya melobi , Muhajir Effendi saat , mulai diterapkan."; the title names Ganjar
  Pranowo and school zoning). The Kemensos article lost the ministry's full name, the disaster
  ("korban , , , (kahutla)", spelled "kahutla" in the text, "Karhutla" in the title) and what
  the second step sets up and equips ("mendirikan beberapa , dan posko", "fasilitas , yang
  ideal"); the haze article lost the president's and the fires' short forms ("Joko Widodo (
  ,)", "kebakaran hutan dan lahan ( ,)"), the place of the shelter ("di Kantor DPW Partai
  Keadilan Sejahtera (PKS) Riau di ,.") and the outlet the refugees spoke to ("ungkap Mimi
  kepada" then "Senin malam." on a line of its own).
- The Kemensos article's title promises five steps, but the text describes only the first two
  and breaks off in a quote ('"Untuk' on a line of its own, then the list of partner agencies);
  it spells the disaster agencies "Badan Nasional Penangangan Bencana" and "Badan Penangangan
  Bencana Daerah". It is the poverty-aid pick because it names Kemensos often; its topic is
  the care of people hit by the forest fires of September 2019 in Sumatra and Kalimantan. The
  disasters pick, the haze article, is on the same fires (Riau, the same day, Monday 16
  September 2019): the two are two reports of one crisis, not of one story (they share no run
  of eight words).
- The health-insurance pick is a tabloid write-up (Pos Metro Medan, quoting VIVAnews) with a
  shouting title ("Sah!!! ... Iuran BPJS Naik 100%") on the planned rise of BPJS Kesehatan
  premiums (August 2019); a quote breaks over a line ("(September 2019)" then '" kata dia' on
  the next), it keeps a stray "Baca juga: Elza Syarief, ..." link to an unrelated story, writes
  "take home pay (TKP)" and "di kukuhkan", "di tanda tangani", and ends with the scraper's
  "loading...".
- The violence-against-women pick is AILA's opposition to the RUU PKS (Sindonews, September
  2019), the bill Komnas Perempuan and the women's minister urge parliament to pass in
  holdout-2's article; it shares no run of eight words with that article. The Puspaga article
  spells the word "pondasi" once and "fondasi" once. The Ganjar article spells the education
  minister "Muhajir Effendi" (usually spelled Muhadjir Effendy).
- IndoSum titles are rebuilt from URL slugs: lower case, no punctuation ("Ratusan tki disekap
  menlu duga rekrutmen tak prosedural"); the article's dateline reads "Jakarta, CNN Indonesia
  - -" and its date is only "Senin (3/4)" (the URL dates it April 2017).
- Factbook: some fields repeat their label ("urban: urban: 93.8%" in Togo and Panama,
  Panama's "Languages - Languages:", Bhutan's "trafficking profile: Trafficking profile:");
  Panama's language sample breaks over a blank line (the English translation stands on a line
  of its own). The DRC section writes "Democratic Republic of Congo(DRC)" without a space and
  ends with an unfinished field ("Illicit drugs: country of origin of methamphetamine destined
  for overseas markets;"). The Togo section points to "this population distribution map",
  which is not in the text. Timor-Leste's economy figures are as the Factbook gives them,
  however odd (real GDP growth of 31.91% in 2020 and 23.51% in 2019, exports of $57.105
  million in 2020 and $2.315 billion in 2021, exchange rates of "1", the US dollar being the
  currency).

## Licences

{licences_markdown(licence_files)}

## Gold questions

`gold/questions.jsonl` (format of `evals/gold.py`, ids `h5-...`) holds answerable questions
about these files, in English and Indonesian (at least half of them cross-lingual: Indonesian
questions about the English Factbook texts, English questions about the Indonesian news), and
unanswerable ones in both languages on the same countries and stories. This library is strictly
held out: do not read its questions or use its documents while tuning retrieval, prompts or
thresholds; run it only for the final measurement.
"""


if __name__ == "__main__":
    main(LIBRARY_DIR, RECIPE, sources_markdown, __doc__.split("\n\n")[0])
