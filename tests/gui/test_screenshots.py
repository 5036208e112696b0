"""Each tab rendered at 1280x800 to PNG is not blank (grey-level spread well above a flat image)."""
from __future__ import annotations

from app.screenshots import SIZE, pixel_spread, render_start, render_tabs
from PySide6.QtGui import QImage


def test_each_tab_renders_to_a_non_blank_png(qtbot, window, demo_paths, tmp_path):
    start = render_start(window, tmp_path)
    with qtbot.waitSignal(window.audit_shown, timeout=60_000):
        window.scan_paths(demo_paths)
    paths = [start] + render_tabs(window, tmp_path)
    assert [p.name for p in paths] == ["start.png", "overview.png", "timeline.png", "items.png", "files.png"]
    for path in paths:
        image = QImage(str(path))
        assert (image.width(), image.height()) == SIZE, path.name
        # a one-colour image has spread 0; text on a flat background alone gives ~15-20; charts and tables more
        assert pixel_spread(path) > 10, path.name


def test_pixel_spread_is_zero_for_a_blank_image(tmp_path):
    image = QImage(64, 32, QImage.Format.Format_RGB32)
    image.fill(0xEEEEEE)
    path = tmp_path / "blank.png"
    image.save(str(path))
    assert pixel_spread(path) == 0.0
