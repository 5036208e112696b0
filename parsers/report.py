"""The "Action plan": one printable, self-contained HTML page about an audit.

Headline numbers, the exposure breakdown (charts as inline SVG, drawn here by hand: parsers/ stays
free of plotting backends), what the person can do where they live with the counts from their own
audit, what is worth knowing, and the sources and date of the rules. The page loads nothing: no
scripts, fonts, images or style sheets from anywhere, so it opens in any browser offline. Links
(objection forms, sources) are plain links the person may click.

It holds counts and Meta's words only, never a name: exports are described by platform and format,
not by file name (Meta's zip names carry the owner's name).

API:
    render(audit, *, generated=None) -> str     the page
    write_report(audit, path, *, force=False) -> Path
"""
from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

import pandas as pd

from .actions import PlannedAction, audit_region, plan
from .contract import CATEGORY_LABELS, EXPOSURE_LABELS, EXPOSURE_LEVELS, EXPOSURE_SHORT
from .exposure import RULES_AS_OF, RULES_BY_ID, classify, objection_route
from .rules import Source, table

if TYPE_CHECKING:
    from .scan import Audit

#: The app's colour-blind-safe palette (app/charts.py), so the page matches the Overview.
COLOURS = {"training_if_public": "#D55E00", "training_ai_interactions": "#E69F00", "ads_profiling": "#56B4E9",
           "private_stated_not_used": "#009E73", "unclear": "#999999"}
PLATFORM_NAMES = {"facebook": "Facebook", "instagram": "Instagram", "whatsapp": "WhatsApp",
                  "whatsapp_chat": "WhatsApp chat", "whatsapp_account": "WhatsApp account"}
_E = html.escape
_REGION_ORIGIN = {"export": "as your export says", "chosen": "as you chose",
                  "none": "your export does not say where you live: choose it in the app or with --jurisdiction"}


# ---- SVG ------------------------------------------------------------------------------------------

Segment = tuple[float, str, str]  # (value, colour, tooltip)


def bar_chart(rows: Sequence[tuple[str, Sequence[Segment]]], *, title: str, width: int = 760,
              label_width: int = 210, row_height: int = 26) -> str:
    """Horizontal (stacked) bars as an inline <svg>: one row per label, segments left to right,
    the row's total written after its bar. Plain SVG 1.1, generic fonts only."""
    top, gap = 8, 6
    height = top * 2 + len(rows) * row_height
    biggest = max((sum(v for v, _c, _t in segments) for _label, segments in rows), default=0) or 1
    room = width - label_width - 70
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="100%" style="max-width:{width}px" font-family="sans-serif" font-size="13">',
             f"<title>{_E(title)}</title>"]
    for index, (label, segments) in enumerate(rows):
        y = top + index * row_height
        parts.append(f'<text x="{label_width - 8}" y="{y + row_height / 2 + 4:.1f}" text-anchor="end" '
                     f'fill="#222">{_E(label)}</text>')
        x = float(label_width)
        total = 0.0
        for value, colour, tip in segments:
            if value <= 0:
                continue
            w = max(value / biggest * room, 1.5)
            parts.append(f'<rect x="{x:.1f}" y="{y + gap / 2:.1f}" width="{w:.1f}" height="{row_height - gap}" '
                         f'fill="{colour}"><title>{_E(tip)}</title></rect>')
            x += w
            total += value
        parts.append(f'<text x="{x + 6:.1f}" y="{y + row_height / 2 + 4:.1f}" fill="#222">{total:,.0f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def exposure_chart(counts: dict[str, int]) -> str:
    rows = [(EXPOSURE_SHORT[level], [(counts.get(level, 0), COLOURS[level], EXPOSURE_LABELS[level])])
            for level in EXPOSURE_LEVELS]
    return bar_chart(rows, title="Items per exposure level")


def category_chart(items: pd.DataFrame, top: int = 12) -> str:
    """Items per category (all platforms), each bar split by exposure level; the `top` largest."""
    counts = items.groupby(["category", "exposure"], observed=True).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[lvl for lvl in EXPOSURE_LEVELS if lvl in counts.columns])
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False).index[:top]]
    rows = []
    for category, row in counts.iterrows():
        label = CATEGORY_LABELS.get(str(category), str(category))
        rows.append((label, [(int(row[lvl]), COLOURS[lvl], f"{label}: {int(row[lvl]):,} {EXPOSURE_SHORT[lvl]}")
                             for lvl in counts.columns]))
    return bar_chart(rows, title="Items per category, by exposure level")


# ---- the page ------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f; margin: 0;
       background: #fff; line-height: 1.45; }
main { max-width: 860px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 28px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 32px 0 10px; border-bottom: 2px solid #eee;
padding-bottom: 4px; } h3 { font-size: 16px; margin: 0 0 4px; }
.meta { color: #555; margin: 0 0 18px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { flex: 1 1 150px; border: 1px solid #ddd; border-radius: 8px; padding: 10px 14px; }
.card b { display: block; font-size: 24px; } .card span { color: #555; font-size: 13px; }
.card.hot { border-color: #D55E00; } .card.ai { border-color: #E69F00; }
table { border-collapse: collapse; width: 100%; font-size: 14px; margin: 8px 0; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #eee; vertical-align: top; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; }
ol.actions { padding-left: 22px; } ol.actions li { margin: 0 0 14px; break-inside: avoid; }
.count { font-weight: 600; } .where { margin: 2px 0; } .caveat { color: #7a4b00; margin: 2px 0; }
.info { color: #444; } .links a { margin-right: 12px; } .legend { font-size: 13px; color: #444; }
.legend > span { margin-right: 14px; white-space: nowrap; }
.note { background: #f6f6f6; border-left: 4px solid #bbb; padding: 6px 10px; margin: 6px 0; }
.sources li { margin: 0 0 4px; font-size: 13px; word-break: break-word; }
footer { margin-top: 36px; color: #666; font-size: 12px; }
@page { margin: 16mm; }
figure.chart { margin: 0; break-inside: avoid; }
@media print { main { padding: 0; max-width: none; } h2, h3 { break-after: avoid; } .card, .note { break-inside: avoid; }
  a { color: inherit; } .links a[href]::after, .sources a[href]::after { content: " (" attr(href) ")"; } }
"""


def render(audit: "Audit", *, generated: dt.date | None = None) -> str:
    """The action plan page for `audit` (its region: the export's, else the person's choice)."""
    from .summaries import headline

    head = headline(audit)
    region = audit_region(audit)
    route = objection_route(region)
    items = audit.items
    planned = plan(items, region)
    rules = classify(items, audit.accounts, region=region)["rule"]
    counts = head["exposure"]
    when = (generated or dt.date.today()).isoformat()
    body = [
        "<header><h1>Your action plan</h1>",
        f'<p class="meta">What your {_E(_platform_list(head["platforms"]))} data export holds, what Meta says it '
        f"does with it, and what you can do where you live ({_E(route['label'])}, "
        f"{_REGION_ORIGIN[head['jurisdiction_source']]}). Made on {when}. "
        f"<b>Rules as of {_E(RULES_AS_OF)}.</b></p></header>",
        _cards(head),
        _incomplete(audit),
        "<h2>What Meta says it does with it</h2>",
        f'<figure class="chart">{exposure_chart(counts)}</figure>',
        _exposure_table(counts),
        '<figure class="chart"><h3>By category</h3>'
        + (category_chart(items) if len(items) else "<p>No items.</p>") + _legend() + "</figure>",
        "<h2>What you can do</h2>",
        _actions([p for p in planned if p.kind != "info"]),
        "<h2>What needs nothing from you</h2>",
        _actions([p for p in planned if p.kind == "info"]),
        "<h2>Worth knowing</h2>",
        _worth_knowing(rules, route),
        f"<h2>Where you live: {_E(route['label'])}</h2>",
        _route(route),
        "<h2>Sources</h2>",
        _sources(_cited(rules, planned, region)),
        f"<footer>Export Auditor, on your own computer: this page was made from your export without sending "
        f"anything anywhere, and loads nothing from the internet. Meta does not record who could see each post, so "
        f"\"may be public\" means it could not be known. Rules as of {_E(RULES_AS_OF)}; they paraphrase Meta's own "
        f"statements and press reports of them, listed above.</footer>",
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            f"<title>Action plan: {_E(_platform_list(head['platforms']))} export</title><style>{_CSS}</style>"
            "</head><body><main>" + "\n".join(body) + "</main></body></html>\n")


def write_report(audit: "Audit", path: str | os.PathLike, *, force: bool = False) -> Path:
    """Write the page atomically (refusing to replace a file unless `force`, like the CSVs)."""
    from .export import write_atomic

    page = render(audit)
    return write_atomic(path, lambda stream: stream.write(page), force=force, encoding="utf-8")


def _platform_list(platforms: Iterable[str]) -> str:
    names = [PLATFORM_NAMES.get(p, p) for p in platforms]
    return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names) or "(empty)"


def _cards(head: dict) -> str:
    first, last = head["first"], head["last"]
    span = (f"{first:%Y}–{last:%Y}" if first.year != last.year else f"{first:%Y}") if first is not None else "–"
    cards = [("", f"{head['items']:,}", "items in the export"),
             ("", span, "years covered"),
             ("hot", f"{head['may_be_public']:,}", "may be public: Meta trains on public content of adults"),
             ("ai", f"{head['ai_interactions']:,}", "Meta AI chats and prompts: used to improve its AI")]
    return '<div class="cards">' + "".join(
        f'<div class="card {cls}"><b>{_E(value)}</b><span>{_E(caption)}</span></div>'
        for cls, value, caption in cards) + "</div>"


def _incomplete(audit: "Audit") -> str:
    said = []
    if audit.partial:
        said.append("The scan was stopped before it read every file: the numbers cover only what was read.")
    if not audit.complete and audit.incomplete_reason:
        said.append(audit.incomplete_reason)
    return "".join(f'<p class="note">{_E(text)}</p>' for text in said)


def _legend() -> str:
    return '<p class="legend">' + " ".join(
        f'<span><span class="swatch" style="background:{COLOURS[level]}"></span>{_E(EXPOSURE_SHORT[level])}</span>'
        for level in EXPOSURE_LEVELS) + "</p>"


def _exposure_table(counts: dict[str, int]) -> str:
    total = sum(counts.values()) or 1
    rows = "".join(
        f'<tr><td><span class="swatch" style="background:{COLOURS[level]}"></span>{_E(EXPOSURE_LABELS[level])}</td>'
        f'<td class="n">{counts.get(level, 0):,}</td><td class="n">{counts.get(level, 0) / total:.0%}</td></tr>'
        for level in EXPOSURE_LEVELS)
    return f"<table><tr><th>Exposure</th><th>items</th><th>share</th></tr>{rows}</table>"


def _actions(planned: list[PlannedAction]) -> str:
    if not planned:
        return "<p>Nothing here for this export.</p>"
    out = ['<ol class="actions">']
    for p in planned:
        count = f': <span class="count">{_E(p.count_text)}</span>' if p.count_text else ""
        where = f'<p class="where"><b>Where:</b> {_E(p.where)}</p>' if p.where else ""
        caveat = f'<p class="caveat">{_E(p.caveat)}</p>' if p.caveat else ""
        links = ('<p class="links">' + "".join(f'<a href="{_E(link["url"])}">{_E(link["label"])}</a>'
                                               for link in p.links) + "</p>") if p.links else ""
        cls = ' class="info"' if p.kind == "info" else ""
        out.append(f"<li{cls}><h3>{_E(p.title)}{count}</h3>{where}<p>{_E(p.effect)}</p>{caveat}{links}</li>")
    out.append("</ol>")
    return "".join(out)


def _worth_knowing(rules: pd.Series, route: dict) -> str:
    """The caveats of the rules that decided the person's items (with how many), and the region's notes."""
    per_caveat: dict[str, int] = {}
    for rule_id, n in rules.value_counts().items():
        caveat = RULES_BY_ID[str(rule_id)].caveat if str(rule_id) in RULES_BY_ID else ""
        if caveat and n:
            per_caveat[caveat] = per_caveat.get(caveat, 0) + int(n)
    notes = [f'<p class="note"><b>{n:,}</b> of your items: {_E(caveat)}</p>' for caveat, n in per_caveat.items()]
    notes += [f'<p class="note">{_E(text)}</p>' for text in route["notes"]]
    return "".join(notes) or "<p>Nothing beyond the above.</p>"


def _route(route: dict) -> str:
    parts = [f"<p><b>{_E(route['summary'])}</b> {_E(route['effect'])}</p>"]
    links = [(f"{PLATFORM_NAMES.get(f['platform'], f['platform'])} AI objection form", f["url"])
             for f in route["forms"]]
    if route.get("portal"):
        links.append((route["portal"]["label"], route["portal"]["url"]))
    if links:
        parts.append('<p class="links">' + "".join(f'<a href="{_E(url)}">{_E(label)}</a>' for label, url in links)
                     + "</p>")
    parts.append(f"<p>Meta AI chats: {_E(route['ai_interactions'])}</p>")
    return "".join(parts)


def _cited(rules: pd.Series, planned: list[PlannedAction], region: str) -> list[Source]:
    """Every source behind what the page says: the rules applied, the actions shown, the region."""
    found: dict[str, Source] = {}
    for rule_id in rules.unique():
        for source in RULES_BY_ID[str(rule_id)].sources if str(rule_id) in RULES_BY_ID else ():
            found.setdefault(source.key, source)
    actions = table().actions
    for p in planned:
        for source in actions[p.key].sources:
            found.setdefault(source.key, source)
    described = table().regions[region]
    for source in (*described.sources, *(s for note in described.notes for s in note["sources"])):
        found.setdefault(source.key, source)
    return sorted(found.values(), key=lambda s: s.date if s.date != "undated" else "", reverse=True)


def _sources(sources: list[Source]) -> str:
    rows = []
    for s in sources:
        kind = "Meta or a regulator" if s.kind == "primary" else "reported by others"
        link = f' <a href="{_E(s.url)}">link</a>' if s.url else f" ({_E(s.note)})"
        rows.append(f"<li>{_E(s.date)}: {_E(s.title)}. <i>{kind}</i>.{link}</li>")
    return (f'<p>Rules as of {_E(RULES_AS_OF)} (reviewed against {_E(table().reviewed_against)}).</p>'
            f'<ul class="sources">{"".join(rows)}</ul>')


__all__ = ["bar_chart", "category_chart", "exposure_chart", "render", "write_report"]
