"""Choose the holdout-7 eval library from the distractor corpus, reproducibly.

The library is an eighth, strictly held-out set of real documents for the evals: CIA World
Factbook sections (English) and Indonesian news articles on the policy topics Lentera's users
ask about. The news pools of holdout-2 to holdout-6 are nearly used up, so it draws from six
new ones (labour and employment, forest fires and haze, village government and funds, public
health, food security, disability and the elderly); the Factbook pools of the earlier libraries
are used up or have kept to Asia, Africa and Latin America, so it draws from three regions no
library has used yet: the Middle East, Central Asia and the Caucasus, and Europe. It shares no
document, Factbook country or news story with the earlier libraries: none of the 72 documents
of factbook-news and holdout-2 to holdout-6, no section of their 31 Factbook countries, and no
other report of one of their news stories.

Documents are drawn with ``random.Random(SEED)`` from topic-filtered pools (``evals.selection``
holds the regions and the machinery every library's script shares); candidates are sorted by
id before sampling, so the same input always gives the same files.

Usage (from the repository root)::

    .venv/bin/python evals/libraries/holdout-7/select.py [DOCS_JSONL_GZ]

``DOCS_JSONL_GZ`` defaults to /work/shared/distractors/docs.jsonl.gz; ``manifest.tsv`` and
``licenses/`` are read from the same folder. The script writes ``documents/*.txt``,
``SOURCES.md`` and ``licenses/`` next to itself and removes stale ``documents/*.txt``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evals.selection import (
    CENTRAL_ASIA_CAUCASUS,
    DJARUM,
    EUROPE,
    FILES_INTRO,
    MAX_CHARS,
    MIDDLE_EAST,
    MIN_CHARS,
    REFUGEES_FIELD,
    SAME_STORY_RUNS,
    SAME_STORY_WORDS,
    Chosen,
    Exclusions,
    FactbookPool,
    NewsPool,
    Recipe,
    exclusions_markdown,
    factbook_rules,
    file_rows,
    licences_markdown,
    main,
    news_rules,
    table_header,
)

SEED = 7349
LIBRARY_DIR = Path(__file__).resolve().parent
REGENERATE = ".venv/bin/python evals/libraries/holdout-7/select.py"
EARLIER = ("factbook-news", "holdout-2", "holdout-3", "holdout-4", "holdout-5", "holdout-6")
EAST = MIDDLE_EAST + CENTRAL_ASIA_CAUCASUS
EAST_REGION = "a Middle Eastern, Central Asian or Caucasian country"
# One section each. Within each region the smallest pool comes first, so the seed decides it
# before a bigger pool could take its countries.
FACTBOOK_POOLS = (
    FactbookPool(
        "east-displacement", ("Transnational Issues",), EAST_REGION, EAST, (REFUGEES_FIELD,), 1,
    ),
    FactbookPool(
        "central-asia-caucasus-society", ("People and Society",),
        "a Central Asian or Caucasian country", CENTRAL_ASIA_CAUCASUS, (), 1,
    ),
    FactbookPool("east-economy-environment", ("Economy", "Environment"), EAST_REGION, EAST, (), 1),
    FactbookPool(
        "europe-displacement", ("Transnational Issues",), "a European country", EUROPE,
        (REFUGEES_FIELD,), 1,
    ),
    FactbookPool("europe-society", ("People and Society",), "a European country", EUROPE, (), 1),
    FactbookPool(
        "europe-economy-environment", ("Economy", "Environment"), "a European country", EUROPE,
        (), 1,
    ),
)  # fmt: skip
# New topics, one article each. Plain "desa", "beras" or "Mendes" are left out: they match
# off-topic articles (television synopses, recipes, a singer named Shawn Mendes).
NEWS_POOLS = (
    NewsPool(
        "labour",
        ("indosum", "clickid"),
        ("upah minimum", "UMP", "UMK", "PHK", "pemutusan hubungan kerja", "Kemnaker",
         "Kemenaker", "Menaker", "Menteri Ketenagakerjaan", "BPJS Ketenagakerjaan",
         "serikat pekerja", "serikat buruh", "pengangguran", "outsourcing", "hak pekerja",
         "buruh"),
        8,
        1,
    ),
    NewsPool(
        "forests-haze",
        ("indosum", "clickid"),
        ("kebakaran hutan", "karhutla", "kabut asap", "deforestasi", "lahan gambut", "gambut",
         "restorasi gambut", "KLHK", "Walhi", "pembalakan liar", "perubahan iklim",
         "hutan lindung", "titik panas"),
        8,
        1,
    ),
    NewsPool(
        "village-government",
        ("indosum", "clickid"),
        ("dana desa", "alokasi dana desa", "BUMDes", "Badan Usaha Milik Desa", "Kemendes",
         "Kemendes PDTT", "Menteri Desa", "pendamping desa", "desa tertinggal",
         "pembangunan desa", "perangkat desa", "kepala desa", "Kades", "pilkades", "BPD"),
        5,
        1,
    ),
    NewsPool(
        "public-health",
        ("indosum", "clickid"),
        ("stunting", "gizi buruk", "kurang gizi", "imunisasi", "vaksinasi", "puskesmas",
         "posyandu", "Kemenkes", "Menkes", "Menteri Kesehatan", "demam berdarah", "DBD",
         "tuberkulosis", "TBC", "HIV", "AIDS", "angka kematian ibu", "kematian bayi", "malaria",
         "campak", "difteri"),
        6,
        1,
    ),
    NewsPool(
        "food-security",
        ("indosum", "clickid"),
        ("ketahanan pangan", "rawan pangan", "kerawanan pangan", "harga beras", "impor beras",
         "cadangan beras", "stok beras", "Bulog", "swasembada pangan", "krisis pangan",
         "kelaparan", "harga pangan", "kedaulatan pangan"),
        4,
        1,
    ),
    NewsPool(
        "disability-elderly",
        ("indosum", "clickid"),
        ("penyandang disabilitas", "disabilitas", "difabel", "tunanetra", "tunarungu",
         "tuna netra", "tuna rungu", "berkebutuhan khusus", "lansia", "lanjut usia",
         "panti jompo", "panti werdha"),
        5,
        1,
    ),
)  # fmt: skip
RECIPE = Recipe(
    SEED,
    FACTBOOK_POOLS,
    NEWS_POOLS,
    Exclusions(EARLIER, titles_used=True, same_story=True, news_topic=DJARUM, round_ups=True),
)


def sources_markdown(
    chosen: Sequence[Chosen], manifest: dict[str, dict[str, str]], licence_files: Sequence[str]
) -> str:
    """SOURCES.md: what the library is, how it was chosen and where every file comes from."""
    return f"""# holdout-7: an eighth, strictly held-out eval library of real documents

{len(chosen)} real documents on the policy topics Lentera's users ask about (refugees and
displacement, trafficking in persons, population and health, poverty and jobs, labour, forest
fires and haze, village government, public health, food safety, disability), for the evals in
`gold/questions.jsonl`: CIA World Factbook sections in English and Indonesian news articles.
They were taken from the distractor corpus `/work/shared/distractors/docs.jsonl.gz` (see its
README and `manifest.tsv`).

It is the eighth library, after the sample library and `evals/libraries/factbook-news`,
`holdout-2`, `holdout-3`, `holdout-4`, `holdout-5` and `holdout-6`. The seven news pools of
holdout-2 to holdout-6 are wearing out: with those libraries left out, `migrant-workers` and
`poverty-aid` have no candidate left, `child-protection` one and `violence-against-women`
three (`health-insurance` six, `education` twelve, `disasters-displacement` thirteen), so this
library has six news pools of its own, on topics none of them had. The earlier Factbook pools
kept to Asia, Africa and Latin America; the Southeast and South Asian ones are used up and the
African and Latin American ones (11 and 45 candidates left) would add more of the same
regions, so this one draws from three regions no library has used yet: the Middle East,
Central Asia and the Caucasus, and Europe. It shares no document, Factbook country or news
story with the earlier libraries.
{exclusions_markdown(EARLIER)}

## How they were chosen

`select.py` picks them with `random.Random({SEED})` from topic-filtered pools, in the order
below. Candidates of a pool are sorted by corpus id before `rng.sample`, a document's text
(without title) must be {MIN_CHARS:,} to {MAX_CHARS:,} characters, and no Factbook country or
news title is used twice (the earlier libraries' countries and titles count as used). Every
file is the title, a blank line, then the corpus text unchanged.

Factbook pools (titles `<Country> - <Section> (CIA World Factbook, 2023 edition)`; the regions
are named in `evals/selection.py`). Middle East: {", ".join(MIDDLE_EAST)} (the states that are
not among the migrant workers' destinations of holdout-6; the Gaza Strip and the West Bank are
left out). Central Asia and the Caucasus: {", ".join(CENTRAL_ASIA_CAUCASUS)} (not Russia).
Europe: the {len(EUROPE)} sovereign European states of the corpus (not the dependencies, the
British bases on Cyprus or the European Union's own entry). The "east" pools take a country of
the first two regions together.

{factbook_rules(RECIPE.factbook_pools)}

Within each region the smallest pool comes first: `east-displacement` has seven candidates
(Armenia, Azerbaijan, Iran, Kyrgyzstan, Syria, Turkey, Turkmenistan; the other countries'
Transnational Issues sections are shorter than {MIN_CHARS:,} characters),
`central-asia-caucasus-society` seven once the first pick's country is taken,
`east-economy-environment` 24, `europe-displacement` ten, `europe-society` 42 and
`europe-economy-environment` 78. Both "economy or environment" picks happened to be Economy
sections.

News pools (`lang` = `id`); an article qualifies when the pool's keywords occur at least the
given number of times in its title and text together (whole words, case-insensitive). Plain
"desa", "beras" and "Mendes" are not keywords: they match television synopses, recipes and
articles on the singer Shawn Mendes. Left out of every news pool: articles whose title or text
names "Djarum" (factbook-news already holds two articles on the 2019 KPAI-PB Djarum dispute),
daily round-ups titled `[POPULER ...]`, and other reports of a story an earlier library holds:
an article sharing at least {SAME_STORY_RUNS} distinct runs of {SAME_STORY_WORDS} consecutive
words (lower case, word characters only) with a news article of an earlier library. In these
pools the rule leaves out three articles: a report on the victims of the Riau haze
(`forests-haze`, six runs with holdout-5's haze article) and two near-copies of holdout-2's
article on the communication ministry's stunting campaign (`public-health`). Candidates
left: 11 for `labour`, 94 for `forests-haze`, 9 for `village-government`, 15 for
`public-health`, 12 for `food-security` and 7 for `disability-elderly`. The picks are what the
keywords found, on topic or not (see the notes below): none of the seven `disability-elderly`
candidates is on the elderly.

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

- Factbook: Uzbekistan's and Latvia's sections repeat field labels ("urban: urban:", "rural:
  rural:", "total: total:"), and their language samples break over lines (the English
  translation on a line of its own). Uzbekistan reports 100% literacy and 100% improved
  sanitation in town and country alike.
- Azerbaijan's section has no trafficking field (its pool asks only for the refugees field).
  Its disputes field still describes "the Armenian military occupation of surrounding lands in
  Azerbaijan", which the 2020 war had changed before this edition; its IDP figure is for 2021
  and leaves out people displaced by natural disasters.
- Syria's economy section is mostly from 2014 to 2017 (poverty 2014, budget 2017 with a note
  "government projections for FY2016"); a note breaks onto a line of its own in lower case
  ("the war-driven deterioration of the economy ..."), and its exchange rate is 459.2 for both
  2015 and 2016.
- Belarus's tier field says it "was downgraded to Tier 3" (2022 rating); its disputes field
  starts "Disputes - international: Belarus-Latvia:" on one line.
- Albania's overview says it is "experiencing high debt and account balances"; its budget
  balance is for 2017 while its revenues and expenditures are for 2019, and every import line
  repeats "note: data are in current year dollars".
- The labour pick (an IndoSum article from CNN Indonesia, 2017, title rebuilt from the URL
  slug: "Kepung istana buruh bakal tuntut ...") claims "sedikitnya ada 150 ribu buruh" and calls
  them "Ratusan ribu buruh" in the next sentence; it writes "masaa" for massa and "CNN
  Indonesia - -".
- The forests-haze pick is a Fimela donation appeal, not a news report: its first sentence is
  broken ("Pasalnya, ,dan kebakaran hutan lahan"), as is "2.719 titik panas , dan lahan"; its
  title spells out Karhutla as "Kebakaran Hutan Lahan Terbuka"; the list of things to donate
  lost its item headings (a paragraph starts "Ini juga sangat penting" with no item named); it
  writes "kesehtan", "Kahutla", "Sumtera" and "dalah", and ends with the tag "#GrowFearless
  with FIMELA".
- The village-government pick (a legislator on the 2020 budget of the Ministry of Villages)
  lost words where the site had links ("Anggota Komisi V , Novita" without "DPR", ", PDTT" for
  Kemendes PDTT); a quotation is not closed, "Gedung Nusantara" and "Senayan" break over two
  lines, and it writes "melalukan". It gives the ministry's budget, not the village funds.
- The public-health pick (Suara.com via IndoSum, early 2017, on home dengue vaccination; its
  title, rebuilt from the URL slug, writes "dbd" in lower case) keeps a "Baca_Juga" marker,
  says the vaccine's effectiveness could be tested only on patients aged "9-15 tahun" but
  later speaks of ages "di luar 9-18 tahun", spells BPOM out as "Badan Pengelolaan Obat dan
  Makanan", gives no year for "awal tahun lalu", and reads like an advert for the Medi-call
  app.
- The food-security pick is on food safety: pesticide residue and E. coli on vegetables from
  Ambon (its keyword hits are the name of the provincial food-security office). It lost words
  ("menyebut ,-sayuran", "terdeteksi , berupa", an outlet's name after "kepada" before a line
  break), writes "c-coli" and "e-coli", "membenakan" for membenarkan, calls Habiba Saimima head
  of the "Dinas Pertanian dan Ketahanan Pangan" and of the "Dinas Ketahanan Pangan", names red
  spinach in its first list of vegetables but not in its second, and starts a sentence in lower
  case.
- The disability-elderly pick is a Pertamina community-development piece on disabled batik
  makers in Boyolali: it writes "Jumat(20/9/2019)", breaks a line after "Dharmawan(15)",
  writes "Pusat Rehabilitas Yakkum", and never spells out TBBM beyond the title's "Terminal
  BBM".

## Licences

{licences_markdown(licence_files)}

## Gold questions

`gold/questions.jsonl` (format of `evals/gold.py`, ids `h7-...`) holds answerable questions
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
