"""The Action plan page (parsers/report.py): self-contained, counts from the audit, no names, and it
renders in a real headless browser (skipped when chromium is absent)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from builder.facebook import build_facebook
from builder.instagram import build_instagram

from parsers import report
from parsers.actions import plan_for_audit
from parsers.export import audit_names
from parsers.exposure import RULES_AS_OF
from parsers.scan import scan

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import render_report  # noqa: E402


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plan")
    ig = build_instagram("2025").write_zip(folder / "instagram-radek_1-2025.zip")
    fb = build_facebook("2024").write_zip(folder / "facebook-srenmller-2024.zip")
    return scan([ig, fb], jobs=1)


def test_the_page_loads_nothing_from_anywhere(audit):
    page = report.render(audit)
    assert page.startswith("<!DOCTYPE html>")
    for loader in ("<script", "<link", "<img", "<iframe", "@import", "url(", " src=", "<object", "<embed"):
        assert loader not in page.lower(), loader
    urls = re.findall(r"https?://[^\s\"'<>)]+", page)
    assert urls  # the forms and the sources are there, as links to click
    in_links = set(re.findall(r'href="(https?://[^"]+)"', page))
    svg_namespace = {"http://www.w3.org/2000/svg"}
    assert set(urls) - in_links - svg_namespace == set()
    assert "default-src 'none'" in page  # the browser is told to fetch nothing


def test_the_page_has_the_numbers_the_charts_the_actions_and_the_rules_date(audit):
    page = report.render(audit)
    assert page.count("<svg") == 2 and page.count("</svg>") == 2
    assert f"Rules as of {RULES_AS_OF}" in page
    assert f"{len(audit.items):,}" in page
    for planned in plan_for_audit(audit):
        assert planned.title.replace("'", "&#x27;") in page
        if planned.count_text:
            assert planned.count_text in page
    assert "https://help.meta.com/support/privacy/" in page  # the demo's Facebook export says EU
    assert "readable by Meta" in page  # Instagram DMs, in "Worth knowing", with their count


def test_the_page_names_nobody(audit):
    page = report.render(audit).casefold()
    people = audit_names(audit) - {"Meta AI"}
    full_names = {name for name in people if " " in name}  # people's names ("Søren Ærø Müller")
    parts = {part for name in full_names for part in name.split() if len(part) > 3}
    assert full_names and parts
    assert sorted(n for n in people | parts if re.search(r"\b" + re.escape(n.casefold()) + r"\b", page)) == []
    assert "srenmller" not in page and "radek_1" not in page  # the zip names carry the owner's name


def test_write_report_is_atomic_and_refuses_to_replace(audit, tmp_path):
    target = tmp_path / "plan.html"
    written = report.write_report(audit, target)
    assert written == target and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(FileExistsError):
        report.write_report(audit, target)
    report.write_report(audit, target, force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["plan.html"]


def test_an_empty_audit_still_gives_a_page():
    from parsers.contract import ItemsBuilder, files_frame, problems_frame
    from parsers.scan import Audit

    page = report.render(Audit(ItemsBuilder().frame(), files_frame([]), problems_frame([])))
    assert "Rules as of" in page and "No items." in page


@pytest.mark.skipif(render_report.find_chromium() is None, reason="chromium is not installed")
def test_the_page_renders_in_headless_chromium(audit, tmp_path):
    from PIL import Image

    html = report.write_report(audit, tmp_path / "plan.html")
    png = render_report.render_png(html, tmp_path / "plan.png", width=1000)
    with Image.open(png) as image:
        width, height = image.size
        grey = image.convert("L")
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
        histogram = grey.histogram()
    assert width == 1000 and height > 2000  # the whole page, measured, not one screen
    assert sum(histogram[:128]) > 20_000  # text was drawn (dark pixels), not a blank page
    orange = sum(n for n, (r, g, b) in colours if r > 200 and 80 < g < 110 and b < 20)  # #D55E00 bars
    assert orange > 500  # the inline SVG chart was drawn
    assert (tmp_path / "plan-print.pdf").stat().st_size > 10_000


def test_scan_report_writes_the_page_and_checks_it_before_scanning(tmp_path):
    import io

    from app.cli import run_cli

    fb = build_facebook("2023").write_zip(tmp_path / "fb.zip")
    page = tmp_path / "plan.html"
    out, err = io.StringIO(), io.StringIO()
    assert run_cli(["scan", str(fb), "--report", str(page), "--jurisdiction", "us", "--jobs", "1"],
                   stdout=out, stderr=err) == 0
    text = page.read_text(encoding="utf-8")
    assert "Limit past posts" in text and "United States" in text and "AI Mode" in text
    assert "wrote the action plan" in err.getvalue()
    again = io.StringIO()
    assert run_cli(["scan", str(fb), "--report", str(page)], stdout=io.StringIO(), stderr=again) == 2
    assert "--report" in again.getvalue() and "--force" in again.getvalue()


def test_worth_knowing_counts_each_caveat_once_and_the_region_notes(tmp_path):
    fb = build_facebook("2023").write_zip(tmp_path / "fb.zip")
    audit = scan([fb], jurisdiction="us", jobs=1)
    page = report.render(audit)
    ai_mode = "May also be shown to strangers in Facebook AI Mode answers (US, from 2026-06-15)."
    assert page.count(ai_mode) == 1
    public = audit.items["platform"].eq("facebook") & audit.items["category"].isin(["posts", "comments"])
    assert f"<b>{int(public.sum()):,}</b> of your items: {ai_mode}" in page
    assert "Camera-roll cloud processing is live in the US and Canada" in page
    eu = report.render(scan([fb], jurisdiction="eu", jobs=1))
    assert ai_mode not in eu and "Camera-roll" not in eu
