"""Eval reports: a Markdown summary (terminal, pull requests) and a self-contained HTML page.

Both read the JSON form of a result (``EvalResult.to_dict()`` or a loaded result.json), so a
committed baseline can be rendered the same way as a fresh run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from core.text.markers import strip_markers
from evals.charts import bar_chart, grouped_bar_chart, histogram
from evals.compare import Comparison
from evals.gold import fact_matches
from evals.metrics import STAGES

# (metric, label) in the order reports show them.
METRICS: tuple[tuple[str, str], ...] = (
    ("accuracy", "accuracy (correct / all)"),
    ("precision", "precision (correct / answered)"),
    ("fact_accuracy", "fact accuracy"),
    ("fact_recall", "fact recall (partial)"),
    ("refusal_accuracy", "refusal accuracy"),
    ("unanswerable_refused", "unanswerable refused"),
    ("answerable_refused", "answerable refused (lower=better)"),
    ("hit@1", "retrieval hit@1"),
    ("hit@3", "retrieval hit@3"),
    ("hit@5", "retrieval hit@5"),
    ("mrr", "retrieval MRR"),
    ("citation_validity", "citation validity"),
    ("citation_precision", "citation precision"),
    ("citation_recall", "citation recall"),
    ("language_match", "language match"),
)

STYLE = """
body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px}
th{background:#f3f3f3}td.num{text-align:right}.fail{border-left:4px solid #c0392b;
padding-left:1em;margin:1.5em 0}.passage{background:#f7f7f7;padding:4px 8px;margin:4px 0;
white-space:pre-wrap;font-size:90%}.miss{color:#c0392b}.hit{color:#3b9c5a}
.charts{display:flex;flex-wrap:wrap;gap:2em}
"""


def fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def fmt_ms(value: Any) -> str:
    return "–" if value is None else f"{value:.0f}"


# --- Markdown --------------------------------------------------------------------------------


def markdown_summary(result: Mapping[str, Any], comparison: Comparison | None = None) -> str:
    aggregates = result["aggregates"]
    languages = sorted(aggregates["by_language"])
    overall = aggregates["overall"]
    lines = [
        "## Lentera eval",
        "",
        f"- {overall['n']} questions ({overall['n_answerable']} answerable, "
        f"{overall['n_unanswerable']} unanswerable); "
        + ", ".join(f"{lang}: {aggregates['by_language'][lang]['n']}" for lang in languages),
        f"- models: llm `{result['models'].get('llm', '')}`, "
        f"embedding `{result['models'].get('embedding', '')}`; config `{result['config_hash']}`; "
        f"{result['timestamp']}",
        "",
        "| metric | overall | " + " | ".join(languages) + " |",
        "|---|---:|" + "---:|" * len(languages),
    ]
    for key, label in METRICS:
        row = [fmt(overall.get(key))] + [
            fmt(aggregates["by_language"][lang].get(key)) for lang in languages
        ]
        lines.append(f"| {label} | " + " | ".join(row) + " |")
    lines += ["", "| latency (ms) | p50 | p95 | max |", "|---|---:|---:|---:|"]
    for stage in STAGES:
        stats = result["latency"].get(stage, {})
        lines.append(
            f"| {stage} | {fmt_ms(stats.get('p50'))} | {fmt_ms(stats.get('p95'))} "
            f"| {fmt_ms(stats.get('max'))} |"
        )
    lines += _paths_markdown(result.get("paths") or {})
    failing = [q["gold"]["id"] for q in result["questions"] if not q["scores"].get("correct")]
    lines += ["", f"Failing questions ({len(failing)}): " + (", ".join(failing) or "none")]
    if comparison is not None:
        lines += ["", *comparison_markdown(comparison)]
    return "\n".join(lines) + "\n"


def _paths_markdown(paths: Mapping[str, Any]) -> list[str]:
    """One line on how the answers came about (``evals.runner.path_summary``)."""
    if not paths.get("n"):
        return []
    before = paths["refused_before_model"]
    line = f"Answer paths: {before} of {paths['n']} refused before any model call"
    if paths["model_calls"]:
        reached = paths["n"] - before
        first = paths["first_token_ms"]
        line += (
            f"; of the {reached} that reached the model, {fmt(paths['one_model_call'])} took one"
            f" call, {paths['model_refused']} were refused by it, {paths['filled_in']} had"
            f" evidence quoted after the model's words; first token p50"
            f" {fmt_ms(first['p50'])} ms, p95 {fmt_ms(first['p95'])} ms"
        )
    return ["", line + "."]


def comparison_markdown(comparison: Comparison) -> list[str]:
    verdict = (
        "**REGRESSION**: " + ", ".join(d.name for d in comparison.regressions)
        if comparison.regressed
        else "no regression"
    )
    lines = [
        f"### Against baseline (config `{comparison.baseline_config}`, "
        f"tolerance {comparison.tolerance:.3f}): {verdict}",
        "",
        "| metric | baseline | current | delta | gated |",
        "|---|---:|---:|---:|---|",
    ]
    for d in comparison.deltas:
        gate = ("FAIL" if d.regressed else "ok") if d.gated else ""
        delta = "–" if d.delta is None else f"{d.delta:+.3f}"
        lines.append(f"| {d.name} | {fmt(d.baseline)} | {fmt(d.current)} | {delta} | {gate} |")
    lines += [
        "",
        "Newly failing: " + (", ".join(comparison.newly_failing) or "none"),
        "Newly passing: " + (", ".join(comparison.newly_passing) or "none"),
    ]
    if comparison.only_in_current or comparison.only_in_baseline:
        lines.append(
            f"Questions only in this run: {len(comparison.only_in_current)}; "
            f"only in the baseline: {len(comparison.only_in_baseline)}"
        )
    return lines


# --- HTML ------------------------------------------------------------------------------------


def html_report(result: Mapping[str, Any], comparison: Comparison | None = None) -> str:
    aggregates = result["aggregates"]
    body = [
        "<h1>Lentera eval report</h1>",
        _identity_html(result),
        '<div class="charts">',
        bar_chart([(label, aggregates["overall"].get(k)) for k, label in METRICS], "Overall"),
        grouped_bar_chart(
            [k for k, _ in METRICS], _groups(aggregates["by_language"]), "Per language"
        ),
        "</div>",
        "<h2>Per language</h2>",
        _metric_rows_html(aggregates["by_language"]),
        "<h2>Per document</h2>",
        _group_rows_html(aggregates["by_document"]),
        "<h2>Latency</h2>",
        _latency_html(result),
    ]
    if comparison is not None:
        body += ["<h2>Against baseline</h2>", _comparison_html(comparison)]
    failing = [q for q in result["questions"] if not q["scores"].get("correct")]
    body.append(f"<h2>Failing questions ({len(failing)} of {len(result['questions'])})</h2>")
    body += [_failure_html(q) for q in failing]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Lentera eval {escape(str(result['config_hash']))}</title>"
        f"<style>{STYLE}</style></head><body>" + "\n".join(body) + "</body></html>\n"
    )


def _groups(by: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, float | None]]:
    return {name: {k: stats.get(k) for k, _ in METRICS} for name, stats in by.items()}


def _identity_html(result: Mapping[str, Any]) -> str:
    corpus = ", ".join(
        f"{escape(c['file'])} <code>{escape(c['sha256'][:12])}</code>" for c in result["corpus"]
    )
    models = result["models"]
    return (
        f"<p>{escape(str(result['timestamp']))} · config <code>"
        f"{escape(str(result['config_hash']))}</code> · llm <code>"
        f"{escape(str(models.get('llm', '')))}</code> · embedding <code>"
        f"{escape(str(models.get('embedding', '')))}</code></p>"
        f"<p>Corpus: {corpus or 'not recorded'}</p>"
    )


DOCUMENT_COLUMNS = (
    "n",
    "accuracy",
    "fact_accuracy",
    "fact_recall",
    "hit@1",
    "hit@5",
    "mrr",
    "citation_recall",
    "language_match",
)


def _metric_rows_html(by: Mapping[str, Mapping[str, Any]]) -> str:
    """Metrics as rows, one column per group (few groups, e.g. languages)."""
    head = "<tr><th></th>" + "".join(f"<th>{escape(name)}</th>" for name in by) + "</tr>"
    rows = [
        f"<tr><th>{escape(label)}</th>"
        + "".join(f'<td class="num">{fmt(stats.get(key))}</td>' for stats in by.values())
        + "</tr>"
        for key, label in (("n", "questions"), *METRICS)
    ]
    return "<table>" + head + "".join(rows) + "</table>"


def _group_rows_html(by: Mapping[str, Mapping[str, Any]]) -> str:
    """One row per group (many groups with long names, e.g. documents), key metrics only."""
    head = "<tr><th></th>" + "".join(f"<th>{escape(k)}</th>" for k in DOCUMENT_COLUMNS) + "</tr>"
    rows = [
        f"<tr><th>{escape(name)}</th>"
        + "".join(f'<td class="num">{fmt(stats.get(k))}</td>' for k in DOCUMENT_COLUMNS)
        + "</tr>"
        for name, stats in by.items()
    ]
    return "<table>" + head + "".join(rows) + "</table>"


def _latency_html(result: Mapping[str, Any]) -> str:
    rows = "".join(
        f"<tr><th>{stage}</th>"
        + "".join(
            f'<td class="num">{fmt_ms(result["latency"].get(stage, {}).get(s))}</td>'
            for s in ("p50", "p95", "mean", "max")
        )
        + "</tr>"
        for stage in STAGES
    )
    totals = [
        float(q["answer"]["timings_ms"]["total"])
        for q in result["questions"]
        if q["answer"].get("timings_ms", {}).get("total") is not None
    ]
    return (
        "<table><tr><th>stage (ms)</th><th>p50</th><th>p95</th><th>mean</th><th>max</th></tr>"
        + rows
        + "</table>"
        + histogram(totals, "Total time per question")
    )


def _comparison_html(comparison: Comparison) -> str:
    rows = "".join(
        f"<tr><th>{escape(d.name)}</th><td class='num'>{fmt(d.baseline)}</td>"
        f"<td class='num'>{fmt(d.current)}</td>"
        f"<td class='num'>{'–' if d.delta is None else f'{d.delta:+.3f}'}</td>"
        f"<td>{('FAIL' if d.regressed else 'ok') if d.gated else ''}</td></tr>"
        for d in comparison.deltas
    )
    return (
        "<table><tr><th>metric</th><th>baseline</th><th>current</th><th>delta</th>"
        f"<th>gate</th></tr>{rows}</table><p>Newly failing: "
        f"{escape(', '.join(comparison.newly_failing) or 'none')}<br>Newly passing: "
        f"{escape(', '.join(comparison.newly_passing) or 'none')}</p>"
    )


def _failure_html(question: Mapping[str, Any]) -> str:
    gold, answer, scores = question["gold"], question["answer"], question["scores"]
    kind = "unanswerable" if gold["unanswerable"] else "docs: " + ", ".join(gold["docs"])
    parts = [
        f'<div class="fail" id="{escape(gold["id"])}"><h3>{escape(gold["id"])} '
        f"({escape(gold['lang'])}, {escape(kind)})</h3>",
        f"<p><b>Q:</b> {escape(gold['q'])}</p>",
        f"<p><b>A</b> ({'refused' if answer['refused'] else 'answered'}, "
        f"{escape(str(answer.get('language', '')))}):</p>"
        f'<div class="passage">{escape(answer["answer"])}</div>',
        _facts_html(gold["facts"], answer["answer"]),
        "<p>" + ", ".join(f"{escape(k)}={fmt(v)}" for k, v in scores.items()) + "</p>",
        _passages_html("Cited", answer.get("citations", []), "n"),
        _passages_html("Retrieved", question.get("retrieved", []), "rank"),
        "</div>",
    ]
    return "\n".join(parts)


def _facts_html(facts: Sequence[Sequence[str]], answer_text: str) -> str:
    if not facts:
        return ""
    items = []
    for group in facts:
        found = fact_matches(group, strip_markers(answer_text))
        css, mark = ("hit", "found") if found else ("miss", "missing")
        items.append(f'<li class="{css}">{mark}: <code>{escape(" | ".join(group))}</code></li>')
    return "<p><b>Facts</b></p><ul>" + "".join(items) + "</ul>"


def _passages_html(title: str, passages: Sequence[Mapping[str, Any]], number: str) -> str:
    if not passages:
        return f"<p><b>{title}:</b> none</p>"
    items = [
        f"<li>[{escape(str(p.get(number, '')))}] {escape(str(p.get('source', '')))} · "
        f"{escape(str(p.get('section', '')))} · score {fmt(p.get('score'))}"
        f'<div class="passage">{escape(str(p.get("text", "")))}</div></li>'
        for p in passages
    ]
    return f"<p><b>{title}:</b></p><ol>" + "".join(items) + "</ol>"


def write_reports(result: dict[str, Any], comparison: Comparison | None, out_dir: Path) -> str:
    """Write result.json, summary.md and report.html; return the summary text."""
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = markdown_summary(result, comparison)
    (out_dir / "result.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    (out_dir / "summary.md").write_text(summary, encoding="utf-8")
    (out_dir / "report.html").write_text(html_report(result, comparison), encoding="utf-8")
    return summary
