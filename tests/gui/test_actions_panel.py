"""The Overview's "What you can do" panel and the Export dialog's action plan, in the real window."""
from __future__ import annotations

from pathlib import Path

from app import backend
from app.export_dialog import ExportDialog, ExportOptions
from parsers.actions import plan
from parsers.exposure import RULES_AS_OF


def test_the_panel_shows_the_ranked_actions_of_the_region_with_the_audits_counts(qtbot, window, synthetic):
    window.settings.set_jurisdiction("eu")
    window.show_audit(synthetic)
    panel = window.overview.actions_panel
    assert panel.title() == "What you can do"
    text = panel.text.text()
    assert f"Rules as of {RULES_AS_OF}" in text
    expected = plan(synthetic.items, window.overview.current_jurisdiction())
    assert [p.key for p in panel.planned] == [p.key for p in expected]
    for p in expected:
        assert (p.count_text or p.title) in text.replace("&#x27;", "'")
    assert "Object to AI training" in text


def test_choosing_another_region_replans(qtbot, window, synthetic):
    window.settings.set_jurisdiction("eu")
    window.show_audit(synthetic)
    combo = window.overview.jurisdiction
    combo.setCurrentIndex(combo.findData("us"))
    keys = {p.key for p in window.overview.actions_panel.planned}
    assert "object" not in keys
    assert "Object to AI training" not in window.overview.actions_panel.text.text()
    assert "For United States" in window.overview.actions_panel.text.text()
    assert "AI Mode" in window.overview.actions_panel.text.text()  # the region's notes, in the panel


def test_prepared_actions_are_used_as_computed_in_the_worker(qtbot, window, synthetic, monkeypatch):
    prepared = backend.prepare(synthetic, "uk")
    window.settings.set_jurisdiction("uk")
    calls = []
    real = backend.action_plan
    monkeypatch.setattr(backend, "action_plan", lambda audit: calls.append(1) or real(audit))
    window.show_audit(synthetic, prepared)
    assert calls == []  # nothing planned on the GUI thread
    assert [p.key for p in window.overview.actions_panel.planned] == [p.key for p in prepared.actions[0]]


def test_the_export_dialog_writes_the_action_plan(qtbot, window, synthetic, tmp_path):
    window.show_audit(synthetic)
    dialog = ExportDialog(str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.report.setChecked(True)
    assert Path(dialog.path.text()).name == "export-auditor-action-plan.html"
    options = dialog.options()
    assert options.what == "report" and not options.pseudonymize
    result = window.write_export(ExportOptions("report", tmp_path / "plan.html", False, False, False))
    assert result is not None and result.path == tmp_path / "plan.html"
    page = result.path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and f"Rules as of {RULES_AS_OF}" in page
    assert window.statusBar().currentMessage() == f"Wrote the action plan to {result.path}"


def test_the_policy_dates_under_the_exposure_chart_are_the_regions():
    from parsers.contract import Item, ItemsBuilder

    builder = ItemsBuilder()
    builder.add("facebook", Item("posts", "post", 1.7e9, "self"), "x.json")
    items = builder.frame()
    dates = {level: note for level, _words, note in backend.exposure_levels(items, "us")}
    assert "2026-06-15" in dates["training_if_public"]  # AI Mode, US only
    dates = {level: note for level, _words, note in backend.exposure_levels(items, "eu")}
    assert "2026-06-15" not in dates["training_if_public"]
