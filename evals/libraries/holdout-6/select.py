"""Choose the holdout-6 eval library from the distractor corpus, reproducibly.

The library is a seventh, strictly held-out set of real documents for the evals: CIA World
Factbook sections (English) and Indonesian news articles on the policy topics Lentera's users
ask about (child protection, migrant workers, education, health insurance, poverty aid,
disasters, violence against women...). It keeps the news pools of holdout-2 to holdout-5 and
their two African/Latin American Factbook pools; the two Southeast/South Asian Factbook pools
are used up, so it draws instead from the countries where Indonesian migrant workers go (the
Gulf, the Levant and East Asia) and from Indonesia's East Asian and Pacific neighbours. It
shares no document, Factbook country or news story with the earlier libraries: none of the 60
documents of factbook-news and holdout-2 to holdout-5, no section of their 26 Factbook
countries, and no other report of one of their news stories.

Documents are drawn with ``random.Random(SEED)`` from topic-filtered pools (``evals.selection``
holds the pools and the machinery every library's script shares); candidates are sorted by id
before sampling, so the same input always gives the same files.

Usage (from the repository root)::

    .venv/bin/python evals/libraries/holdout-6/select.py [DOCS_JSONL_GZ]

``DOCS_JSONL_GZ`` defaults to /work/shared/distractors/docs.jsonl.gz; ``manifest.tsv`` and
``licenses/`` are read from the same folder. The script writes ``documents/*.txt``,
``SOURCES.md`` and ``licenses/`` next to itself and removes stale ``documents/*.txt``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from evals.selection import (
    AFRICA_LATAM_DISPLACEMENT,
    AFRICA_LATAM_SOCIETY,
    DJARUM,
    EAST_ASIA_PACIFIC,
    FILES_INTRO,
    HOLDOUT_NEWS_POOLS,
    MAX_CHARS,
    MIGRANT_DESTINATIONS,
    MIN_CHARS,
    SAME_STORY_RUNS,
    SAME_STORY_WORDS,
    TRAFFICKING_FIELD,
    Chosen,
    Exclusions,
    FactbookPool,
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

SEED = 6211
LIBRARY_DIR = Path(__file__).resolve().parent
REGENERATE = ".venv/bin/python evals/libraries/holdout-6/select.py"
EARLIER = ("factbook-news", "holdout-2", "holdout-3", "holdout-4", "holdout-5")
# One section each. The destination pools come first: they are the smallest, so the seed decides
# them before a bigger pool could take their countries.
FACTBOOK_POOLS = (
    FactbookPool(
        "destinations-trafficking", ("Transnational Issues",),
        "a country where Indonesian migrant workers go", MIGRANT_DESTINATIONS,
        (TRAFFICKING_FIELD,), 1,
    ),
    FactbookPool(
        "destinations-society", ("People and Society",),
        "a country where Indonesian migrant workers go", MIGRANT_DESTINATIONS, (), 1,
    ),
    AFRICA_LATAM_DISPLACEMENT,
    replace(AFRICA_LATAM_SOCIETY, count=1),
    FactbookPool(
        "pacific-economy-environment", ("Economy", "Environment"),
        "an East Asian or Pacific country", EAST_ASIA_PACIFIC, (), 1,
    ),
)  # fmt: skip
RECIPE = Recipe(
    SEED,
    FACTBOOK_POOLS,
    HOLDOUT_NEWS_POOLS,
    Exclusions(EARLIER, titles_used=True, same_story=True, news_topic=DJARUM, round_ups=True),
)


def sources_markdown(
    chosen: Sequence[Chosen], manifest: dict[str, dict[str, str]], licence_files: Sequence[str]
) -> str:
    """SOURCES.md: what the library is, how it was chosen and where every file comes from."""
    return f"""# holdout-6: a seventh, strictly held-out eval library of real documents

{len(chosen)} real documents on the policy topics Lentera's users ask about (trafficking in
persons, refugees and displacement, child protection, migrant workers, education, health
insurance, poverty aid, disasters, violence against women), for the evals in
`gold/questions.jsonl`: CIA World Factbook sections in English and Indonesian news articles.
They were taken from the distractor corpus `/work/shared/distractors/docs.jsonl.gz` (see its
README and `manifest.tsv`).

It is the seventh library, after the sample library and `evals/libraries/factbook-news`,
`holdout-2`, `holdout-3`, `holdout-4` and `holdout-5`. It keeps the seven news pools of
holdout-2 to holdout-5 and their two African/Latin American Factbook pools. Their two Southeast
and South Asian Factbook pools are used up (holdout-5 took the last trafficking section left,
Bhutan's, and Timor-Leste's economy section, which rules out its environment section, the
last other one), so two pools take their place: the countries where Indonesian
migrant workers go (the Gulf, the Levant and East Asia) and Indonesia's East Asian and Pacific
neighbours. It shares no document, Factbook country or news story with the earlier libraries.
{exclusions_markdown(EARLIER)}

## How they were chosen

`select.py` picks them with `random.Random({SEED})` from topic-filtered pools, in the order
below (the news pools are holdout-2's, in `evals/selection.py`). Candidates of a pool are
sorted by corpus id before `rng.sample`, a document's text (without title) must be
{MIN_CHARS:,} to {MAX_CHARS:,} characters, and no Factbook country or news title is used twice
(the earlier libraries' countries and titles count as used). Every file is the title, a blank
line, then the corpus text unchanged.

{regions_markdown()}
Migrant workers' destinations: {", ".join(MIGRANT_DESTINATIONS)}. East Asia and the Pacific:
{", ".join(EAST_ASIA_PACIFIC)}.

{factbook_rules(RECIPE.factbook_pools)}

The destination pools come first because they are the smallest: with the earlier libraries'
countries left out, `destinations-trafficking` has two candidates (Kuwait and Hong Kong; the
other destinations' Transnational Issues sections have no trafficking field or are longer than
{MAX_CHARS:,} characters) and `destinations-society` thirteen.

News pools (`lang` = `id`); an article qualifies when the pool's keywords occur at least the
given number of times in its title and text together (whole words, case-insensitive). Left out
of every news pool: articles whose title or text names "Djarum" (factbook-news already holds two
articles on the 2019 KPAI-PB Djarum dispute), daily round-ups titled `[POPULER ...]`, and other
reports of a story an earlier library holds: an article sharing at least {SAME_STORY_RUNS}
distinct runs of {SAME_STORY_WORDS} consecutive words (lower case, word characters only) with a
news article of an earlier library. The rule leaves out eight articles: six it left out for
holdout-5 (two more write-ups of holdout-2's launch of school digitalisation, two near-copies
of its stunting article, another report of Komnas Perempuan's call to pass the RUU PKS, the
Sindonews version of holdout-4's article on private insurers and JKN), and two that share
runs with holdout-5's news: a report on child marriage (three runs with the Puspaga article)
and one on the victims of the Riau haze (six runs with its haze article). The news pools are nearly
used up: one candidate each is left for `migrant-workers` and `poverty-aid`, two for
`child-protection` and four for `violence-against-women`, so the seed decided little there,
and the picks are what the keywords found, on topic or not (see the notes below).

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

- Factbook: some fields repeat their label ("urban: urban:" in Sierra Leone and Macau,
  "total: total:" in Macau, "arable land: arable land:" in Papua New Guinea). Kuwait's tier
  field names "Tier 2 Watch List" at its start and its end. Zambia's "Disputes - international"
  runs over unlabelled paragraphs, writes "Democratic Republic of Congo(DRC)" without a space
  and "neighboring counties" for countries. Papua New Guinea's section spells "degredation" and
  "degradion".
- Sierra Leone's demographic profile and its data fields disagree: an "estimated 60% youth
  unemployment rate" against "Youth unemployment rate (ages 15-24) - total: 10.8%", and a
  fertility rate of "almost 4 children per woman as of 2022" against 3.71 (2023 est.); it
  points to "this population distribution map", which is not in the text, and calls a median
  the "mean age at first birth". Macau's largest urban area (682,000, 2023) is larger than its
  population (639,971), and its language sample breaks over lines (the English translation on
  a line of its own).
- The migrant-workers pick (`news-kronologi-pertemuan-tkw-lily-...`) promises in its title a
  timeline up to the worker's death in Malaysia, but the text stops when she reaches the
  company's training centre in Bekasi; its first sentence is broken over lines and lost the
  outlet's name ("saat dihubungi , melalui"); it writes "berula" for "berupa".
- The education pick is on the Ministry of Religious Affairs' plans to improve the hajj season
  (it names "Kementerian Agama" and school-like terms often enough for the education keywords):
  the list of zones breaks over several lines, and it announces "tujuh zona" but names six
  districts (Jarwal, Misfalah, Rey Bakhsy, Mahbas Jin, Aziziah, Syisyah).
- The health-insurance pick (the deputy finance minister on the BPJS premium rise) has
  OCR-like damage ("luran BPIS" for iuran BPJS, "ilwa" for jiwa, "Pemerincah"), writes "96.6
  juta" and "37,3 juta", says every class "naik dua kali lipat" while class III goes from Rp
  30,000 to Rp 42,000, and ends with the scraper's "loading...".
- The poverty-aid pick is a 2017 IndoSum article on anti-smoking adverts on Transjakarta buses,
  citing BPS figures for 2015 on what poor households spend on cigarettes; its bus counts do
  not agree ("belasan bus", "10 bus reguler lain", 21 in all) and it spells BPJS out as "Badan
  Layanan Jaminan Sosial".
- The disasters pick is an IndoSum article with a title rebuilt from its URL slug ("Berikat
  kepala merah putih pengungsi syiah dan imigran ..."): Shia refugees from Sampang and foreign
  immigrants at an Independence Day ceremony in Sidoarjo; it gives no year (the 72nd
  anniversary, "Kamis (17/8)": 2017) and ends with a "[cob]" tag.
- The violence-against-women pick (a parliamentary working group hears ICMI on the RUU PKS)
  lost a speaker ("ujar di Gedung DPR"), writes "(PKS)Komisi" and calls the criminal code bill
  "UU KUHP".
- The child-protection pick (keeping children from gadget addiction) has many typos
  ("mengingtakan", "kesehjahteraan", "Universitar Sampoerna", "KPPAI"), calls the mother both
  "Siti Hajar" and "SH", and its sentence introducing Lahargo Kembaren has no verb.

## Licences

{licences_markdown(licence_files)}

## Gold questions

`gold/questions.jsonl` (format of `evals/gold.py`, ids `h6-...`) holds answerable questions
about these files, in English and Indonesian (most of them cross-lingual: Indonesian questions
about the English Factbook texts, English questions about the Indonesian news), and
unanswerable ones in both languages on the same countries and stories, near misses where the
document is on the topic but does not give what is asked. They were written from the
documents alone, by writers who saw no answer of the system. This library is strictly held
out: do not read its questions or use its documents while tuning retrieval, prompts or
thresholds; run it only for the final measurement.
"""


if __name__ == "__main__":
    main(LIBRARY_DIR, RECIPE, sources_markdown, __doc__.split("\n\n")[0])
